/* The entries a table shows, with their marks: best (bold), more than 5 %
 * over the best baseline (*), different from the reference method after
 * Holm (dagger). */
#include "report/internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats/stats.h"

int
report_is_baseline(const struct report_table_opts *o, const char *method)
{
	for (size_t i = 0; i < o->nbaselines; i++)
		if (!strcmp(o->baselines[i], method))
			return 1;
	return 0;
}

/* Rank of a method in the table's order: reference, baselines, the rest. */
static size_t
method_rank(const struct report_table_opts *o, const char *m)
{
	if (!strcmp(m, o->reference_method))
		return 0;
	for (size_t i = 0; i < o->nbaselines; i++)
		if (!strcmp(o->baselines[i], m))
			return 1 + i;
	return 1 + o->nbaselines;
}

static const struct report_table_opts *sort_opts; /* qsort has no context */
static size_t sort_axis;

/* Position of v in the opts' order for the axis, or the list's length. */
static size_t
order_rank(const struct report_table_opts *o, size_t axis, const char *v)
{
	for (size_t i = 0; i < o->norder[axis]; i++)
		if (!strcmp(o->order[axis][i], v))
			return i;
	return o->norder[axis];
}

/* The given order first; then methods: reference, baselines, the rest; the
 * other axes by name. */
static int
axis_cmp(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	size_t ox = order_rank(sort_opts, sort_axis, x), oy = order_rank(sort_opts, sort_axis, y);
	if (ox != oy)
		return (ox > oy) - (ox < oy);
	size_t rx = sort_axis == 2 ? method_rank(sort_opts, x) : 0;
	size_t ry = sort_axis == 2 ? method_rank(sort_opts, y) : 0;
	return rx != ry ? (rx > ry) - (rx < ry) : strcmp(x, y);
}

static void
sort_axes(struct report_grid *g, const struct report_table_opts *o)
{
	const char **v[3] = {g->datasets, g->models, g->methods};
	size_t n[3] = {g->nd, g->nm, g->nme};
	sort_opts = o;
	for (sort_axis = 0; sort_axis < 3; sort_axis++)
		qsort(v[sort_axis], n[sort_axis], sizeof *v[sort_axis], axis_cmp);
}

/* Keeps only o->only_dataset among the datasets, when given. */
static void
keep_dataset(struct report_grid *g, const struct report_table_opts *o)
{
	if (!o->only_dataset)
		return;
	size_t n = 0;
	for (size_t d = 0; d < g->nd; d++)
		if (!strcmp(g->datasets[d], o->only_dataset))
			g->datasets[n++] = g->datasets[d];
	g->nd = n;
}

struct report_entry *
report_grid_at(const struct report_grid *g, size_t d, size_t me, size_t m, size_t c)
{
	return &g->e[((d * g->nme + me) * g->nm + m) * g->nc + c];
}

static void
column(const struct report_table_opts *o, size_t c, const char **metric, int *k)
{
	*metric = o->metrics[c / o->nks];
	*k = o->ks[c % o->nks];
}

static void
fill(struct report_grid *g, const struct report_set *s, const struct report_table_opts *o,
	double *v)
{
	g->min_seeds = (size_t)-1;
	for (size_t d = 0; d < g->nd; d++)
		for (size_t me = 0; me < g->nme; me++)
			for (size_t m = 0; m < g->nm; m++)
				for (size_t c = 0; c < g->nc; c++) {
					struct report_entry *e = report_grid_at(g, d, me, m, c);
					const char *metric;
					int k;
					column(o, c, &metric, &k);
					e->g = report_set_find(s, g->datasets[d], g->models[m],
						g->methods[me]);
					e->n = e->g ? report_group_values(s, e->g, o->split, metric,
							      k, v)
						    : 0;
					struct stats_summary sum;
					db_err ignored;
					if (e->n == 0 ||
						stats_summary(v, e->n, 0.95, &sum, &ignored)) {
						e->g = NULL;
						continue;
					}
					e->mean = sum.mean;
					e->sd = sum.sd;
					g->min_seeds = e->n < g->min_seeds ? e->n : g->min_seeds;
					g->max_seeds = e->n > g->max_seeds ? e->n : g->max_seeds;
				}
}

/* Bold and star within each (dataset, model, column). */
static void
mark_best(struct report_grid *g, const struct report_table_opts *o)
{
	for (size_t d = 0; d < g->nd; d++)
		for (size_t m = 0; m < g->nm; m++)
			for (size_t c = 0; c < g->nc; c++) {
				double best = -INFINITY, base = -INFINITY;
				for (size_t me = 0; me < g->nme; me++) {
					const struct report_entry *e =
						report_grid_at(g, d, me, m, c);
					if (!e->g)
						continue;
					best = fmax(best, e->mean);
					if (report_is_baseline(o, g->methods[me]))
						base = fmax(base, e->mean);
				}
				for (size_t me = 0; me < g->nme; me++) {
					struct report_entry *e = report_grid_at(g, d, me, m, c);
					e->bold = e->g && e->mean == best;
					e->star = e->g && isfinite(base) && base > 0 &&
						!report_is_baseline(o, g->methods[me]) &&
						e->mean > 1.05 * base;
				}
			}
}

/* Every entry against the reference method's entry, Holm over the table. */
static int
mark_significant(struct report_grid *g, const struct report_set *s,
	const struct report_table_opts *o, db_err *err)
{
	size_t total = g->nd * g->nme * g->nm * g->nc, n = 0;
	struct report_cmp *cmp = db_calloc(total + 1, sizeof *cmp, err);
	struct report_entry **who = db_calloc(total + 1, sizeof *who, err);
	int rc = cmp && who ? DB_OK : DB_ENOMEM;
	for (size_t d = 0; !rc && d < g->nd; d++)
		for (size_t me = 0; !rc && me < g->nme; me++)
			for (size_t m = 0; !rc && m < g->nm; m++)
				for (size_t c = 0; !rc && c < g->nc; c++) {
					struct report_entry *e = report_grid_at(g, d, me, m, c);
					const struct report_entry *r =
						report_grid_at(g, d, 0, m, c);
					const char *metric;
					int k;
					column(o, c, &metric, &k);
					if (me == 0 || !e->g || !r->g ||
						strcmp(g->methods[0], o->reference_method))
						continue;
					rc = report_cmp_pair(s, r->g, s, e->g, o->split, metric, k,
						&cmp[n], err);
					who[n++] = e;
				}
	if (!rc)
		rc = report_cmp_holm(cmp, n, err);
	for (size_t i = 0; !rc && i < n; i++)
		who[i]->dagger = report_cmp_verdict(&cmp[i], o->alpha) != 0;
	free(cmp);
	free(who);
	return rc;
}

int
report_grid_build(struct report_grid *g, const struct report_set *s,
	const struct report_table_opts *o, db_err *err)
{
	memset(g, 0, sizeof *g);
	g->datasets = report_set_distinct(s, "dataset", &g->nd);
	g->models = report_set_distinct(s, "model", &g->nm);
	g->methods = report_set_distinct(s, "method", &g->nme);
	g->nc = o->nmetrics * o->nks;
	g->e = calloc(g->nd * g->nm * g->nme * g->nc + 1, sizeof *g->e);
	double *v = calloc(s->ncells + 1, sizeof *v);
	if (!g->datasets || !g->models || !g->methods || !g->e || !v) {
		free(v);
		report_grid_free(g);
		return db_fail(err, DB_ENOMEM, "out of memory");
	}
	g->mask_valid = 1;
	for (size_t i = 0; i < s->ncells; i++) {
		const char *mv = report_cell_config(&s->cells[i], "mask_valid");
		g->mask_valid = g->mask_valid && (!mv || !strcmp(mv, "true"));
	}
	keep_dataset(g, o);
	sort_axes(g, o);
	fill(g, s, o, v);
	free(v);
	for (size_t i = 0; i < g->nd * g->nm * g->nme * g->nc; i++) {
		const char *sel = g->e[i].g
			? report_cell_config(report_group_cell(s, g->e[i].g, 0), "selection")
			: NULL;
		g->oracle |= sel && !strcmp(sel, "oracle");
	}
	mark_best(g, o);
	int rc = mark_significant(g, s, o, err);
	if (rc)
		report_grid_free(g);
	return rc;
}

void
report_grid_free(struct report_grid *g)
{
	free(g->datasets);
	free(g->models);
	free(g->methods);
	free(g->e);
	memset(g, 0, sizeof *g);
}

int
report_grid_any(const struct report_grid *g, size_t d, size_t me, size_t m)
{
	for (size_t i = 0; i < g->nd; i++)
		for (size_t j = 0; j < g->nm; j++)
			for (size_t c = 0; c < g->nc; c++)
				if ((d == REPORT_ANY || d == i) && (m == REPORT_ANY || m == j) &&
					report_grid_at(g, i, me, j, c)->g)
					return 1;
	return 0;
}
