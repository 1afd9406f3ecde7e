/* Figures from the diagnostics points (diag, diag_test lines), one of each
 * kind per (dataset, model):
 * panels-*: ADT Figs. 3 and 7, one panel per method (GMF, GMF+T-CE,
 *   GMF+R-CE): the plain BCE of the clean (solid, filled markers) and of
 *   the noisy (dashed, open markers) training positives along training, on
 *   one y range so that panels compare; cells without diag lines fall back
 *   to their evaluation points (curve lines);
 * along-*: DeCA Fig. 3, the test metric (--figure-metric) along training,
 *   one line per method (diag_test=true).
 * Values are means over the seeds at the points every seed reached. */
#include "report/internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A group's series: x[i] and the columns y[c][i], c < ncol. */
struct series {
	size_t n;
	long *x;
	double *y[2];
};

static void
series_free(struct series *r)
{
	free(r->x);
	free(r->y[0]);
	free(r->y[1]);
	memset(r, 0, sizeof *r);
}

static int
series_alloc(struct series *r, size_t n)
{
	memset(r, 0, sizeof *r);
	r->x = calloc(n + 1, sizeof *r->x);
	r->y[0] = calloc(n + 1, sizeof *r->y[0]);
	r->y[1] = calloc(n + 1, sizeof *r->y[1]);
	r->n = n;
	if (r->x && r->y[0] && r->y[1])
		return DB_OK;
	series_free(r);
	return DB_ENOMEM;
}

/* Clean and noisy BCE of a group: diag points, else curve points. */
static int
loss_series(const struct report_set *s, const struct report_group *g, struct series *r)
{
	const struct report_cell *c0 = report_group_cell(s, g, 0);
	int diag = c0->ndiag > 0;
	size_t n = (size_t)-1;
	for (size_t i = 0; i < g->n; i++) {
		const struct report_cell *c = report_group_cell(s, g, i);
		size_t m = diag ? c->ndiag : c->ncurve;
		n = m < n ? m : n;
	}
	if (series_alloc(r, n))
		return DB_ENOMEM;
	for (size_t p = 0; p < n; p++) {
		r->x[p] = diag ? c0->diag[p].iteration : c0->curve[p].iteration;
		for (size_t i = 0; i < g->n; i++) {
			const struct report_cell *c = report_group_cell(s, g, i);
			r->y[0][p] +=
				(diag ? c->diag[p].loss_clean : c->curve[p].loss_clean) / g->n;
			r->y[1][p] +=
				(diag ? c->diag[p].loss_noisy : c->curve[p].loss_noisy) / g->n;
		}
	}
	return DB_OK;
}

/* The values named `name` of a cell's diag_test lines into v (at most
 * cap); returns how many, and the iterations into x when not NULL. */
static size_t
cell_tests(const struct report_cell *c, const char *name, double *v, long *x, size_t cap)
{
	size_t n = 0;
	for (size_t i = 0; i < c->ndiag_tests && n < cap; i++)
		if (!strcmp(c->diag_tests[i].name, name)) {
			if (x)
				x[n] = c->diag_tests[i].iteration;
			v[n++] = c->diag_tests[i].value;
		}
	return n;
}

/* The group's test metric along training (y[0]); n = 0 when it has none. */
static int
test_series(const struct report_set *s, const struct report_group *g, const char *name,
	struct series *r)
{
	const struct report_cell *c0 = report_group_cell(s, g, 0);
	size_t cap = c0->ndiag_tests + 1;
	if (series_alloc(r, cap))
		return DB_ENOMEM;
	double *v = calloc(cap, sizeof *v);
	if (!v) {
		series_free(r);
		return DB_ENOMEM;
	}
	size_t n = cell_tests(c0, name, r->y[0], r->x, cap);
	for (size_t i = 1; i < g->n; i++) {
		size_t m = cell_tests(report_group_cell(s, g, i), name, v, NULL, cap);
		n = m < n ? m : n;
		for (size_t p = 0; p < n; p++)
			r->y[0][p] += v[p];
	}
	for (size_t p = 0; p < n; p++)
		r->y[0][p] /= (double)g->n;
	r->n = n;
	free(v);
	return DB_OK;
}

static void
write_block(FILE *dat, const char *method, const struct series *r, int ncol, size_t seeds)
{
	fprintf(dat, "# %s: iteration %s (mean over %zu seeds)\n", method,
		ncol == 2 ? "loss_clean loss_noisy" : "value", seeds);
	for (size_t p = 0; p < r->n; p++) {
		fprintf(dat, "%ld", r->x[p]);
		for (int c = 0; c < ncol; c++)
			fprintf(dat, " %.9g", r->y[c][p]);
		fputc('\n', dat);
	}
	fputs("\n\n", dat);
}

/* The lowest and highest finite value of both columns, into lim. */
static void
widen(double lim[2], const struct series *r)
{
	for (int c = 0; c < 2; c++)
		for (size_t p = 0; p < r->n; p++)
			if (isfinite(r->y[c][p])) {
				lim[0] = fmin(lim[0], r->y[c][p]);
				lim[1] = fmax(lim[1], r->y[c][p]);
			}
}

/* One panel per method (its block index i), on the common y range lim. */
static void
panel(FILE *b, const char *name, const char *method, int i, const double lim[2], size_t n)
{
	int every = n > 12 ? (int)(n / 12) : 1; /* markers on about 12 points */
	fprintf(b,
		"set title '%s'\nset yrange [%.6g:%.6g]\nplot '%s.dat' index %d using 1:2 "
		"with linespoints dt 1 lw 2 pi %d",
		method, lim[0], lim[1], name, i, every);
	report_fig_style(b, method, 0);
	fprintf(b, " title 'clean', \\\n  '' index %d using 1:3 with linespoints dt 2 lw 2 pi %d",
		i, every);
	report_fig_style(b, method, 1);
	fputs(" title 'noisy'\n", b);
}

static int
any_finite(const struct series *r, int ncol)
{
	for (int c = 0; c < ncol; c++)
		for (size_t p = 0; p < r->n; p++)
			if (isfinite(r->y[c][p]))
				return 1;
	return 0;
}

enum { MAX_PANELS = 16 };

static int
panels(const struct report_set *s, const struct report_fig_opts *o, const char *ds,
	const char *model, const char **methods, size_t nme, int *nfig, db_err *err)
{
	char name[256];
	const char *parts[] = {ds, model};
	struct report_fig f;
	int rc = report_fig_open(&f, name, sizeof name, "panels", parts, 2, err);
	if (rc)
		return rc;
	const char *drawn[MAX_PANELS];
	size_t npts[MAX_PANELS];
	int np = 0;
	double lim[2] = {INFINITY, -INFINITY}, xmax = 0;
	long lo = -1;
	char few[512] = "";
	for (size_t me = 0; !rc && me < nme && np < MAX_PANELS; me++) {
		const struct report_group *g = report_set_find(s, ds, model, methods[me]);
		struct series r;
		if (!g || (rc = loss_series(s, g, &r)))
			continue;
		if (any_finite(&r, 2)) {
			widen(lim, &r);
			xmax = fmax(xmax, (double)r.x[r.n - 1]);
			lo = lo < 0 || r.x[0] < lo ? r.x[0] : lo;
			if (r.n < 2 && strlen(few) + strlen(methods[me]) + 3 < sizeof few)
				snprintf(few + strlen(few), sizeof few - strlen(few), "%s%s",
					*few ? ", " : "", methods[me]);
			write_block(f.dat.f, methods[me], &r, 2, g->n);
			npts[np] = r.n;
			drawn[np++] = methods[me];
		}
		series_free(&r);
	}
	double pad = np ? 0.05 * (lim[1] - lim[0]) + 1e-3 : 0;
	lim[0] -= pad;
	lim[1] += pad;
	int cols = np < 3 ? np : 3, rows = cols ? (np + cols - 1) / cols : 0;
	fprintf(f.body.f,
		"set multiplot layout %d,%d title 'training BCE of clean and noisy "
		"positives: %s, %s'\nset xlabel 'iteration (batches)'\nset ylabel "
		"'mean BCE per positive'\nset key outside bottom center horizontal font ',8' "
		"samplen 2\nset grid\n",
		rows, cols, ds, model);
	report_fig_few_points(f.body.f, few, lo, (long)xmax);
	report_fig_xtics(f.body.f, xmax);
	for (int i = 0; i < np; i++)
		panel(f.body.f, name, drawn[i], i, lim, npts[i]);
	fputs("unset multiplot\n", f.body.f);
	int end = report_fig_end(&f, o, name, !rc && np > 0, nfig, err);
	return rc ? rc : end;
}

static int
along(const struct report_set *s, const struct report_fig_opts *o, const char *ds,
	const char *model, const char **methods, size_t nme, int *nfig, db_err *err)
{
	char name[256], metric[48];
	const char *parts[] = {ds, model};
	snprintf(metric, sizeof metric, "%s@%d", o->metric, o->k);
	struct report_fig f;
	int rc = report_fig_open(&f, name, sizeof name, "along", parts, 2, err);
	if (rc)
		return rc;
	fprintf(f.body.f,
		"set title 'test %s along training: %s, %s'\nset xlabel 'iteration "
		"(batches)'\nset ylabel 'test %s (mean over seeds)'\nset key outside right\n"
		"set grid\nplot",
		metric, ds, model, metric);
	int lines = 0;
	for (size_t me = 0; !rc && me < nme; me++) {
		const struct report_group *g = report_set_find(s, ds, model, methods[me]);
		struct series r;
		if (!g || (rc = test_series(s, g, metric, &r)))
			continue;
		if (r.n > 0) {
			write_block(f.dat.f, methods[me], &r, 1, g->n);
			int every = r.n > 12 ? (int)(r.n / 12) : 1;
			fprintf(f.body.f,
				"%s '%s.dat' index %d using 1:2 with linespoints lw 2 pi %d",
				lines ? ", \\\n " : "", name, lines, every);
			report_fig_style(f.body.f, methods[me], 0);
			fprintf(f.body.f, " title '%s'", methods[me]);
			lines++;
		}
		series_free(&r);
	}
	fputs("\n", f.body.f);
	int end = report_fig_end(&f, o, name, !rc && lines > 0, nfig, err);
	return rc ? rc : end;
}

static int
rank_cmp(const void *a, const void *b)
{
	const char *const *x = a, *const *y = b;
	size_t i = report_fig_method_rank(*x), j = report_fig_method_rank(*y);
	return i != j ? (i > j) - (i < j) : strcmp(*x, *y);
}

typedef int (*per_pair_fn)(const struct report_set *, const struct report_fig_opts *, const char *,
	const char *, const char **, size_t, int *, db_err *);

/* fn for every (dataset, model); notes `missing` when none drew. */
static int
each_pair(const struct report_set *s, const struct report_fig_opts *o, FILE *notes, int *nfig,
	per_pair_fn fn, const char *missing, db_err *err)
{
	struct report_fig_keys k;
	int rc = report_fig_keys_get(&k, s, err);
	int before = *nfig;
	if (!rc)
		qsort(k.methods, k.nme, sizeof *k.methods, rank_cmp);
	for (size_t i = 0; !rc && i < k.nd; i++)
		for (size_t j = 0; !rc && j < k.nm; j++)
			rc = fn(s, o, k.ds[i], k.models[j], k.methods, k.nme, nfig, err);
	if (!rc && notes && *nfig == before)
		fputs(missing, notes);
	report_fig_keys_free(&k);
	return rc;
}

int
report_fig_panels(const struct report_set *s, const struct report_fig_opts *o, FILE *notes,
	int *nfig, db_err *err)
{
	return each_pair(s, o, notes, nfig, panels,
		"no clean/noisy loss panels: no result file "
		"has diag lines or the loss columns of curve lines\n",
		err);
}

int
report_fig_along(const struct report_set *s, const struct report_fig_opts *o, FILE *notes,
	int *nfig, db_err *err)
{
	return each_pair(s, o, notes, nfig, along,
		"no test metric along training: no result "
		"file has diag_test lines of the figure metric (run with diag_test=true)\n",
		err);
}
