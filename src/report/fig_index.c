/* The figure index: each paper figure we redraw, our file, the claim the
 * paper makes with it, and whether our data show it, with the measurement
 * behind the verdict.  The claims are the table below; each names the
 * measurement that tests it. */
#include "report/internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/fileio.h"

enum measure {
	GAP_EARLY,    /* noisy - clean BCE over the first half of `method`'s run > 0 */
	GAP_SHRINKS,  /* `method`'s gap over the last fifth below half its first fifth's */
	GAP_WIDER,    /* `method`'s gap over the last half above `other`'s */
	PRED_GAP,     /* every compared pair differs more on noisy than on clean lines */
	RISE_FALL,    /* `method`'s test metric peaks at an inner point: above its first
		      * value and its last */
	LATE_ABOVE,   /* `method` above `other` on the test metric over the last third */
	RATING_RISES, /* `method`'s P(r=1) at the highest rating above at the lowest */
	BEST_C1_C2,   /* the best `method` cell of a C1 x C2 sweep has C1 > C2 */
};

static const struct claim {
	const char *paper, *figure, *kind; /* kind: our file is figures/KIND-DATASET-MODEL.png */
	const char *text;
	enum measure m;
	const char *method, *other;
} claims[] = {
	{"ADT", "Fig. 3", "panels",
		"noisy positives keep a higher loss than clean ones early in "
		"normal training",
		GAP_EARLY, "normal", NULL},
	{"ADT", "Fig. 7(a)", "panels",
		"under normal training the noisy positives' loss ends close "
		"to the clean ones' (the model fits them)",
		GAP_SHRINKS, "normal", NULL},
	{"ADT", "Fig. 7(b)", "panels",
		"T-CE keeps the noisy positives' loss above the clean ones' "
		"more than normal training does",
		GAP_WIDER, "t-ce", "normal"},
	{"ADT", "Fig. 7(c)", "panels",
		"R-CE keeps the noisy positives' loss above the clean ones' "
		"more than normal training does",
		GAP_WIDER, "r-ce", "normal"},
	{"DeCA", "Fig. 2", "preds",
		"two models, and two seeds of one model, disagree more on "
		"noisy than on clean positives",
		PRED_GAP, NULL, NULL},
	{"DeCA", "Fig. 3", "along",
		"normal training's clean-test recall rises, then falls late in "
		"training",
		RISE_FALL, "normal", NULL},
	{"DeCA", "Fig. 3", "along", "DeCA stays above normal training late in training", LATE_ABOVE,
		"deca", "normal"},
	{"DeCA", "Fig. 4", "ratings",
		"the trained model gives low-rated train interactions a lower "
		"P(r=1) than high-rated ones",
		RATING_RISES, "deca", NULL},
	{"DeCA", "Figs. 5, 6", "sweep", "the best C1 is larger than the best C2", BEST_C1_C2,
		"deca", NULL},
};

/* The noisy - clean gap over the points in the fraction [lo, hi) of each
 * cell's run (diag points, else curve points): its mean over the group's
 * cells (NAN: no point), the share of positive gaps, the points. */
struct gap {
	double mean, pos;
	long n;
};

static struct gap
gap(const struct report_set *s, const struct report_group *g, double lo, double hi)
{
	double sum = 0;
	long n = 0, up = 0;
	for (size_t i = 0; i < g->n; i++) {
		const struct report_cell *c = report_group_cell(s, g, i);
		size_t np = c->ndiag ? c->ndiag : c->ncurve;
		for (size_t p = (size_t)(lo * np); p < (size_t)ceil(hi * np) && p < np; p++) {
			double d = c->ndiag ? c->diag[p].loss_noisy - c->diag[p].loss_clean
					    : c->curve[p].loss_noisy - c->curve[p].loss_clean;
			if (isfinite(d)) {
				sum += d;
				up += d > 0;
				n++;
			}
		}
	}
	return (struct gap){n ? sum / n : NAN, n ? (double)up / n : NAN, n};
}

/* The test metric `name` along the run of the group's first cell (its
 * diag_test points): the mean over the points in the fraction [lo, hi) of
 * the run, the first, last and best values, the best's iteration. */
struct along {
	double mean, first, last, best;
	long best_at;
	size_t n;
	long seed;
};

static struct along
along(const struct report_group *g, const struct report_set *s, const char *name, double lo,
	double hi)
{
	const struct report_cell *c = report_group_cell(s, g, 0);
	struct along a = {NAN, NAN, NAN, -INFINITY, 0, 0, c->seed};
	double sum = 0;
	size_t in = 0;
	for (size_t i = 0; i < c->ndiag_tests; i++)
		a.n += !strcmp(c->diag_tests[i].name, name);
	for (size_t i = 0, p = 0; i < c->ndiag_tests; i++) {
		if (strcmp(c->diag_tests[i].name, name))
			continue;
		double v = c->diag_tests[i].value;
		if (!p)
			a.first = v;
		if (v > a.best) {
			a.best = v;
			a.best_at = c->diag_tests[i].iteration;
		}
		if (p >= (size_t)(lo * a.n) && p < (size_t)ceil(hi * a.n)) {
			sum += v;
			in++;
		}
		a.last = v;
		p++;
	}
	a.mean = in ? sum / in : NAN;
	return a;
}

/* Writes the measurement into out; returns 1 shown, 0 not shown, -1 no data. */
typedef int (*measure_fn)(const struct claim *cl, const struct report_set *s, const char *ds,
	const char *model, const char *metric, char *out, size_t size);

static int
m_gap(const struct claim *cl, const struct report_set *s, const char *ds, const char *model,
	const char *metric, char *out, size_t size)
{
	(void)metric;
	const struct report_group *g = report_set_find(s, ds, model, cl->method);
	const struct report_group *h = cl->other ? report_set_find(s, ds, model, cl->other) : NULL;
	struct gap a, b;
	switch (cl->m) {
	case GAP_EARLY:
		if (!g || !isfinite((a = gap(s, g, 0, 0.5)).mean))
			return -1;
		b = gap(s, g, 0, 1);
		snprintf(out, size,
			"%s: mean noisy - clean BCE over the first half %+.4f, positive "
			"at %.0f %% of %ld points (whole run %+.4f, %.0f %% of %ld; points of all "
			"seeds)",
			cl->method, a.mean, 100 * a.pos, a.n, b.mean, 100 * b.pos, b.n);
		return a.mean > 0 && a.pos >= 0.5;
	case GAP_SHRINKS:
		if (!g || !isfinite((a = gap(s, g, 0, 0.2)).mean) ||
			!isfinite((b = gap(s, g, 0.8, 1)).mean))
			return -1;
		snprintf(out, size,
			"%s: gap %+.4f over the first fifth (%ld points), %+.4f over the "
			"last (%ld)",
			cl->method, a.mean, a.n, b.mean, b.n);
		return a.mean > 0 && b.mean < 0.5 * a.mean;
	default: /* GAP_WIDER */
		if (!g || !h || !isfinite((a = gap(s, g, 0.5, 1)).mean) ||
			!isfinite((b = gap(s, h, 0.5, 1)).mean))
			return -1;
		snprintf(out, size, "gap over the last half: %s %+.4f (%ld points), %s %+.4f (%ld)",
			cl->method, a.mean, a.n, cl->other, b.mean, b.n);
		return a.mean > b.mean;
	}
}

static int
m_preds(const struct claim *cl, const struct report_set *s, const char *ds, const char *model,
	const char *metric, char *out, size_t size)
{
	(void)cl, (void)model, (void)metric;
	double d[64][2], mean[2] = {0, 0}, lo = INFINITY;
	size_t n = report_fig_preds_diffs(s, ds, d, 64), up = 0;
	if (!n)
		return -1;
	for (size_t i = 0; i < n; i++) {
		up += d[i][1] > d[i][0];
		lo = fmin(lo, d[i][1] - d[i][0]);
		mean[0] += d[i][0] / (double)n;
		mean[1] += d[i][1] / (double)n;
	}
	snprintf(out, size,
		"mean absolute prediction difference over %zu pair%s: clean lines "
		"%.4f, noisy lines %.4f; noisy above clean in %zu of %zu (smallest noisy - clean "
		"%+.4f)",
		n, n == 1 ? "" : "s", mean[0], mean[1], up, n, lo);
	return up == n;
}

static int
m_rise(const struct claim *cl, const struct report_set *s, const char *ds, const char *model,
	const char *metric, char *out, size_t size)
{
	const struct report_group *g = report_set_find(s, ds, model, cl->method);
	struct along a;
	if (!g || (a = along(g, s, metric, 0, 1)).n < 3)
		return -1;
	snprintf(out, size,
		"%s (seed %ld, %zu points): %s %.4f at the first point, best %.4f at "
		"iteration %ld, %.4f at the last (%+.4f from the best)",
		cl->method, a.seed, a.n, metric, a.first, a.best, a.best_at, a.last,
		a.last - a.best);
	return a.best > a.first && a.best > a.last;
}

static int
m_late(const struct claim *cl, const struct report_set *s, const char *ds, const char *model,
	const char *metric, char *out, size_t size)
{
	const struct report_group *g = report_set_find(s, ds, model, cl->method);
	const struct report_group *h = report_set_find(s, ds, model, cl->other);
	struct along a, b;
	if (!g || !h || !isfinite((a = along(g, s, metric, 2.0 / 3, 1)).mean) ||
		!isfinite((b = along(h, s, metric, 2.0 / 3, 1)).mean))
		return -1;
	snprintf(out, size,
		"%s over the last third of %zu and %zu points: %s %.4f, %s %.4f (%+.4f)", metric,
		a.n, b.n, cl->method, a.mean, cl->other, b.mean, a.mean - b.mean);
	return a.mean > b.mean;
}

static int
m_rating(const struct claim *cl, const struct report_set *s, const char *ds, const char *model,
	const char *metric, char *out, size_t size)
{
	(void)metric;
	const struct report_group *g = report_set_find(s, ds, model, cl->method);
	const struct report_cell *c = g ? report_group_cell(s, g, 0) : NULL;
	if (!c || c->nratings < 2)
		return -1;
	const struct report_rating *lo = &c->ratings[0], *hi = &c->ratings[c->nratings - 1];
	snprintf(out, size, "%s (seed %ld): P(r=1) %.4f at rating %g, %.4f at rating %g",
		cl->method, c->seed, lo->mean, lo->rating, hi->mean, hi->rating);
	return hi->mean > lo->mean;
}

static int
m_best(const struct claim *cl, const struct report_set *s, const char *ds, const char *model,
	const char *metric, char *out, size_t size)
{
	char mname[32];
	int k = 0;
	const char *at = strchr(metric, '@');
	snprintf(mname, sizeof mname, "%.*s", at ? (int)(at - metric) : 0, metric);
	k = at ? atoi(at + 1) : 0;
	const struct report_cell *best = NULL;
	double bv = -INFINITY;
	size_t n = 0;
	for (size_t i = 0; i < s->ngroups; i++) {
		const struct report_cell *c = report_group_cell(s, &s->groups[i], 0);
		if (strcmp(c->dataset, ds) || strcmp(c->model, model) ||
			strcmp(c->method, cl->method))
			continue;
		double v = report_cell_metric(c, "test", mname, k);
		n++;
		if (v > bv) {
			bv = v;
			best = c;
		}
	}
	const char *c1 = best ? report_cell_config(best, "deca_c1") : NULL;
	const char *c2 = best ? report_cell_config(best, "deca_c2") : NULL;
	if (n < 4 || !c1 || !c2)
		return -1;
	snprintf(out, size, "best of %zu %s groups: C1 = %s, C2 = %s (%s %.4f, seed %ld)", n,
		cl->method, c1, c2, metric, bv, best->seed);
	return atof(c1) > atof(c2);
}

static const measure_fn measures[] = {
	[GAP_EARLY] = m_gap,
	[GAP_SHRINKS] = m_gap,
	[GAP_WIDER] = m_gap,
	[PRED_GAP] = m_preds,
	[RISE_FALL] = m_rise,
	[LATE_ABOVE] = m_late,
	[RATING_RISES] = m_rating,
	[BEST_C1_C2] = m_best,
};

int
report_fig_index(FILE *md, const struct report_set *s, const char *metric, int k, db_err *err)
{
	size_t nd, nm;
	const char **d = report_set_distinct(s, "dataset", &nd);
	const char **m = report_set_distinct(s, "model", &nm);
	if (!d || !m) {
		free(d);
		free(m);
		return db_fail(err, DB_ENOMEM, "out of memory");
	}
	char name[48];
	snprintf(name, sizeof name, "%s@%d", metric, k);
	fputs("## Figure index\n\n| paper figure | our file | claim | shown | measurement |\n"
	      "|---|---|---|---|---|\n",
		md);
	for (size_t c = 0; c < sizeof claims / sizeof claims[0]; c++) {
		const struct claim *cl = &claims[c];
		int rows = 0;
		for (size_t i = 0; i < nd; i++)
			for (size_t j = 0; j < nm; j++) {
				char what[512], file[256];
				/* DeCA Fig. 2 compares models: one row per dataset */
				int per_ds = cl->m == PRED_GAP;
				int v = per_ds && j ? -1
						    : measures[cl->m](cl, s, d[i], m[j], name, what,
							      sizeof what);
				if (v < 0)
					continue;
				const char *parts[] = {d[i], m[j]};
				report_fig_name(file, sizeof file, cl->kind, parts, per_ds ? 1 : 2);
				fprintf(md, "| %s %s | figures/%s.png | %s | %s | %s%s%s: %s |\n",
					cl->paper, cl->figure,
					cl->m == BEST_C1_C2 ? "sweep-*" : file, cl->text,
					v ? "yes" : "no", d[i], per_ds ? "" : ", ",
					per_ds ? "" : m[j], what);
				rows++;
			}
		if (!rows)
			fprintf(md,
				"| %s %s | - | %s | no data | the result files hold none of its "
				"data |\n",
				cl->paper, cl->figure, cl->text);
	}
	fputc('\n', md);
	free(d);
	free(m);
	return DB_OK;
}

int
report_fig_index_write(const struct report_set *s, const struct report_fig_opts *o, db_err *err)
{
	char path[4200];
	afile a;
	int rc = fileio_join(path, sizeof path, o->dir, "index.md", NULL, err);
	if (!rc)
		rc = afile_open(&a, path, err);
	if (rc)
		return rc;
	if ((rc = report_fig_index(a.f, s, o->metric, o->k, err))) {
		afile_abort(&a);
		return rc;
	}
	return afile_commit(&a, err);
}
