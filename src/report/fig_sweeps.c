/* Hyper-parameter sensitivity from sweep cells: the groups of one (dataset,
 * model, method) that differ in one numeric setting give a line of mean±sd
 * against it (ADT Fig. 8); in two numeric settings, a heat map (DeCA Fig. 5,
 * C1 × C2).  A grid over up to MAX_GRID settings (DeCA Fig. 6: C1 × C2 × α)
 * is drawn as slices through the paper's configuration: a heat map per pair
 * of settings and a line per setting, each with the other settings
 * at the values config_resolve gives the cell's dataset, model and method. */
#include "report/internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "stats/stats.h"

#define MAX_KEYS 2
#define MAX_GRID 4

struct point {
	double x[MAX_KEYS], mean, sd;
	size_t n;
};

/* Where the sweeps go: drawn (fn NULL) or listed to fn. */
struct walk {
	const struct report_fig_opts *o;
	int *nfig;
	report_sweep_fn fn;
	void *arg;
};

static int
point_cmp(const void *a, const void *b)
{
	const struct point *p = a, *q = b;
	for (int i = 0; i < MAX_KEYS; i++)
		if (p->x[i] != q->x[i])
			return (p->x[i] > q->x[i]) - (p->x[i] < q->x[i]);
	return 0;
}

static int
numeric(const char *s, double *v)
{
	char *end;
	*v = strtod(s, &end);
	return *s && !*end;
}

/* The settings in which the groups g[0..n) differ: at most MAX_GRID, all
 * numeric; returns their count, or −1 when the sweep cannot be drawn. */
static int
varying(const struct report_set *s, const struct report_group *const *g, size_t n,
	const char **keys)
{
	const struct report_cell *c0 = report_group_cell(s, g[0], 0);
	int nk = 0;
	for (size_t i = 0; i < c0->nconfig; i++) {
		const char *key = c0->config[i].key;
		const struct config_key *ck = config_key_find(key);
		if (!strcmp(key, "seed") || (ck && ck->flags & CFG_NOHASH))
			continue; /* settings that change no result (data, diag_test) */
		int differs = 0, num = 1;
		for (size_t j = 0; j < n; j++) {
			const char *v = report_cell_config(report_group_cell(s, g[j], 0), key);
			double x;
			differs |= !v || strcmp(v, c0->config[i].val);
			num &= v && numeric(v, &x);
		}
		if (differs && (!num || nk == MAX_GRID))
			return -1;
		if (differs)
			keys[nk++] = key;
	}
	return nk;
}

static void
line_body(FILE *b, const char *name, const char *title, const char *key,
	const struct report_fig_opts *o)
{
	fprintf(b,
		"set title '%s'\nset xlabel '%s'\nset ylabel '%s@%d (mean and sd over seeds)'\n"
		"set grid\nset key off\nset offsets graph 0.05, graph 0.05, graph 0.1, graph "
		"0.1\nplot '%s.dat' using 1:2:3 with yerrorlines pt 7\n",
		title, key, o->metric, o->k, name);
}

/* Boxes coloured by the mean on an index grid, labelled with the values. */
static void
heat_body(FILE *b, const char *name, const char *title, const char **keys,
	const struct report_fig_opts *o)
{
	fprintf(b,
		"set title '%s: %s@%d'\nset xlabel '%s'\nset ylabel '%s'\nset palette "
		"rgbformulae 33,13,10\nset cblabel '%s@%d'\nset offsets 0.5,0.5,0.5,0.5\n"
		"set style fill solid 1.0 noborder\nplot '%s.dat' using 1:2:(0.5):(0.5):5:"
		"xtic(6):ytic(7) with boxxyerror fillcolor palette notitle, \\\n"
		"  '' using 1:2:(sprintf('%%.3f', $5)) with labels notitle\n",
		title, o->metric, o->k, keys[0], keys[1], o->metric, o->k, name);
}

/* Index of x among the sorted distinct values of dimension dim. */
static int
rank_of(const struct point *p, size_t n, int dim, double x)
{
	int r = 0;
	for (size_t i = 0; i < n; i++) {
		int earlier = 1;
		for (size_t j = 0; j < i; j++)
			earlier &= p[j].x[dim] != p[i].x[dim];
		r += earlier && p[i].x[dim] < x;
	}
	return r;
}

static void
write_points(FILE *dat, const struct point *p, size_t n, int nk)
{
	fputs(nk == 1 ? "# value mean sd seeds\n" : "# x_index y_index x y mean x_label y_label\n",
		dat);
	for (size_t i = 0; i < n; i++)
		if (nk == 1)
			fprintf(dat, "%.9g %.9g %.9g %zu\n", p[i].x[0], p[i].mean,
				isnan(p[i].sd) ? 0 : p[i].sd, p[i].n);
		else
			fprintf(dat, "%d %d %.9g %.9g %.9g %g %g\n", rank_of(p, n, 0, p[i].x[0]),
				rank_of(p, n, 1, p[i].x[1]), p[i].x[0], p[i].x[1], p[i].mean,
				p[i].x[0], p[i].x[1]);
}

/* The figure's name and its points' seed range to w->fn. */
static int
list(const struct walk *w, const char *name, const struct report_cell *c0, const char **keys,
	int nk, const struct point *p, size_t np, db_err *err)
{
	struct report_sweep_fig f = {name, c0->dataset, c0->model, c0->method, keys, nk, np,
		np ? p[0].n : 0, 0};
	for (size_t i = 0; i < np; i++) {
		f.min_seeds = p[i].n < f.min_seeds ? p[i].n : f.min_seeds;
		f.max_seeds = p[i].n > f.max_seeds ? p[i].n : f.max_seeds;
	}
	return np > 1 ? w->fn(w->arg, &f, err) : DB_OK;
}

static int
figure(const struct report_set *s, const struct walk *w, const struct report_group *const *g,
	size_t n, const char **keys, int nk, db_err *err)
{
	const struct report_fig_opts *o = w->o;
	const struct report_cell *c0 = report_group_cell(s, g[0], 0);
	struct point *p = db_calloc(n, sizeof *p, err);
	double *v = db_calloc(s->ncells + 1, sizeof *v, err);
	size_t np = 0;
	for (size_t i = 0; p && v && i < n; i++) {
		struct stats_summary sum;
		db_err ignored;
		size_t m = report_group_values(s, g[i], o->split, o->metric, o->k, v);
		if (!m || stats_summary(v, m, 0.95, &sum, &ignored))
			continue;
		for (int k = 0; k < nk; k++)
			numeric(report_cell_config(report_group_cell(s, g[i], 0), keys[k]),
				&p[np].x[k]);
		p[np].mean = sum.mean;
		p[np].sd = sum.sd;
		p[np++].n = m;
	}
	free(v);
	char name[256], title[512];
	const char *parts[] = {c0->dataset, c0->model, c0->method, keys[0], nk > 1 ? keys[1] : ""};
	report_fig_name(name, sizeof name, "sweep", parts, (size_t)(3 + nk));
	struct report_fig f;
	int rc = !p     ? DB_ENOMEM
		: w->fn ? list(w, name, c0, keys, nk, p, np, err)
			: report_fig_begin(&f, err);
	if (rc || w->fn) {
		free(p);
		return rc;
	}
	qsort(p, np, sizeof *p, point_cmp);
	snprintf(title, sizeof title, "%s, %s, %s", c0->dataset, c0->model, c0->method);
	write_points(f.dat.f, p, np, nk);
	if (nk == 1)
		line_body(f.body.f, name, title, keys[0], o);
	else
		heat_body(f.body.f, name, title, keys, o);
	free(p);
	return report_fig_end(&f, o, name, np > 1, w->nfig, err);
}

static int
same_cell_kind(const struct report_cell *a, const struct report_cell *b)
{
	return !strcmp(a->dataset, b->dataset) && !strcmp(a->model, b->model) &&
		!strcmp(a->method, b->method);
}

/* The paper configuration's value of each key for the cell's dataset,
 * model, method and protocol, into base[]. */
static int
paper_values(const struct report_cell *c, const char **keys, int nk, double *base, db_err *err)
{
	static const char *const coords[] = {"dataset", "model", "method", "protocol"};
	config ex, out;
	config_init(&ex);
	config_init(&out);
	int rc = DB_OK;
	for (size_t i = 0; !rc && i < sizeof coords / sizeof coords[0]; i++) {
		const char *v = report_cell_config(c, coords[i]);
		if (v)
			rc = config_set(&ex, coords[i], v, err);
	}
	if (!rc)
		rc = config_resolve(&out, &ex, err);
	for (int k = 0; !rc && k < nk; k++)
		base[k] = config_double(&out, keys[k]);
	config_free(&ex);
	config_free(&out);
	return rc;
}

/* The groups whose keys other than those in `keep` (bit k: keys[k]) sit
 * at base; draws their sweep over the kept keys. */
static int
slice(const struct report_set *s, const struct walk *w, const struct report_group *const *g,
	size_t n, const char **keys, int nk, const double *base, unsigned keep, db_err *err)
{
	const struct report_group **sub = db_calloc(n + 1, sizeof *sub, err);
	if (!sub)
		return DB_ENOMEM;
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		int at = 1;
		for (int k = 0; k < nk; k++) {
			double x;
			numeric(report_cell_config(report_group_cell(s, g[i], 0), keys[k]), &x);
			at &= (keep >> k & 1) || x == base[k];
		}
		if (at)
			sub[m++] = g[i];
	}
	const char *kept[MAX_KEYS];
	int nkept = 0;
	for (int k = 0; k < nk && nkept < MAX_KEYS; k++)
		if (keep >> k & 1)
			kept[nkept++] = keys[k];
	int rc = m > 1 ? figure(s, w, sub, m, kept, nkept, err) : DB_OK;
	free(sub);
	return rc;
}

/* A grid over more than two settings: a heat map per pair of settings,
 * then a line per setting. */
static int
slices(const struct report_set *s, const struct walk *w, const struct report_group *const *g,
	size_t n, const char **keys, int nk, db_err *err)
{
	double base[MAX_GRID];
	int rc = paper_values(report_group_cell(s, g[0], 0), keys, nk, base, err);
	for (int a = 0; !rc && a < nk; a++)
		for (int b = a + 1; !rc && b < nk; b++)
			rc = slice(s, w, g, n, keys, nk, base, 1u << a | 1u << b, err);
	for (int k = 0; !rc && k < nk; k++)
		rc = slice(s, w, g, n, keys, nk, base, 1u << k, err);
	return rc;
}

/* Every sweep of the set, drawn or listed (w->fn); notes what cannot be. */
static int
walk(const struct report_set *s, const struct walk *w, FILE *notes, db_err *err)
{
	const struct report_group **g = db_calloc(s->ngroups + 1, sizeof *g, err);
	char *done = db_calloc(s->ngroups + 1, 1, err);
	int rc = g && done ? DB_OK : DB_ENOMEM;
	for (size_t i = 0; !rc && i < s->ngroups; i++) {
		if (done[i])
			continue;
		const struct report_cell *c = report_group_cell(s, &s->groups[i], 0);
		size_t n = 0;
		for (size_t j = i; j < s->ngroups; j++)
			if (same_cell_kind(c, report_group_cell(s, &s->groups[j], 0))) {
				done[j] = 1;
				g[n++] = &s->groups[j];
			}
		if (n < 2)
			continue;
		const char *keys[MAX_GRID];
		int nk = varying(s, g, n, keys);
		if (nk > MAX_KEYS)
			rc = slices(s, w, g, n, keys, nk, err);
		else if (nk > 0)
			rc = figure(s, w, g, n, keys, nk, err);
		else if (notes)
			fprintf(notes,
				"no sensitivity figure for %s %s %s: its %zu groups differ in "
				"more than %d settings or in a non-numeric one\n",
				c->dataset, c->model, c->method, n, MAX_GRID);
	}
	free(g);
	free(done);
	return rc;
}

int
report_fig_sweeps(const struct report_set *s, const struct report_fig_opts *o, FILE *notes,
	int *nfig, db_err *err)
{
	struct walk w = {o, nfig, NULL, NULL};
	return walk(s, &w, notes, err);
}

int
report_fig_sweeps_each(const struct report_set *s, const struct report_fig_opts *o,
	report_sweep_fn fn, void *arg, db_err *err)
{
	struct walk w = {o, NULL, fn, arg};
	return walk(s, &w, NULL, err);
}
