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
	GAP_EARLY,   /* noisy - clean BCE over the first half of `method`'s run > 0 */
	GAP_SHRINKS, /* `method`'s gap over the last fifth below half its first fifth's */
	GAP_WIDER,   /* `method`'s gap over the last half above `other`'s */
	PRED_GAP,    /* every compared pair differs more on noisy than on clean lines */
	LATE_ABOVE,  /* `method` above `other` on the test metric over the last third,
		      * and `other` ends below its best */
	RATING_RISES, /* `method`'s P(r=1) at the highest rating above at the lowest */
	BEST_C1_C2,   /* the best `method` cell of a C1 x C2 sweep has C1 > C2 */
};

static const struct claim {
	const char *paper, *figure, *kind; /* kind: our file is figures/KIND-DATASET-MODEL.png */
	const char *text;
	enum measure m;
	const char *method, *other;
} claims[] = {
	{"ADT", "Fig. 3", "panels", "noisy positives keep a higher loss than clean ones early in "
	 "normal training", GAP_EARLY, "normal", NULL},
	{"ADT", "Fig. 7(a)", "panels", "under normal training the noisy positives' loss ends close "
	 "to the clean ones' (the model fits them)", GAP_SHRINKS, "normal", NULL},
	{"ADT", "Fig. 7(b)", "panels", "T-CE keeps the noisy positives' loss above the clean ones' "
	 "more than normal training does", GAP_WIDER, "t-ce", "normal"},
	{"ADT", "Fig. 7(c)", "panels", "R-CE keeps the noisy positives' loss above the clean ones' "
	 "more than normal training does", GAP_WIDER, "r-ce", "normal"},
	{"DeCA", "Fig. 2", "preds", "two models, and two seeds of one model, disagree more on "
	 "noisy than on clean positives", PRED_GAP, NULL, NULL},
	{"DeCA", "Fig. 3", "along", "normal training's clean-test recall falls late in training; "
	 "DeCA stays above it", LATE_ABOVE, "deca", "normal"},
	{"DeCA", "Fig. 4", "ratings", "the trained model gives low-rated train interactions a lower "
	 "P(r=1) than high-rated ones", RATING_RISES, "deca", NULL},
	{"DeCA", "Figs. 5, 6", "sweep", "the best C1 is larger than the best C2", BEST_C1_C2, "deca",
	 NULL},
};

/* Mean over the group's cells of noisy - clean over the points in the
 * fraction [lo, hi) of each cell's run (diag points, else curve points);
 * *pos: the share of those points with a positive gap.  NAN: no point. */
static double
gap(const struct report_set *s, const struct report_group *g, double lo, double hi, double *pos)
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
	if (pos)
		*pos = n ? (double)up / n : NAN;
	return n ? sum / n : NAN;
}

/* The group's mean test metric over the diag_test points in [lo, hi) of
 * the run, and its last and best values (first cell). */
static double
along(const struct report_group *g, const struct report_set *s, const char *name, double lo,
	double hi, double *last, double *best)
{
	const struct report_cell *c = report_group_cell(s, g, 0);
	double sum = 0, v = NAN;
	size_t np = 0, n = 0;
	for (size_t i = 0; i < c->ndiag_tests; i++)
		np += !strcmp(c->diag_tests[i].name, name);
	*best = -INFINITY;
	for (size_t i = 0, p = 0; i < c->ndiag_tests; i++) {
		if (strcmp(c->diag_tests[i].name, name))
			continue;
		v = c->diag_tests[i].value;
		*best = fmax(*best, v);
		if (p >= (size_t)(lo * np) && p < (size_t)ceil(hi * np)) {
			sum += v;
			n++;
		}
		p++;
	}
	*last = v;
	return n ? sum / n : NAN;
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
	double pos, a, b;
	switch (cl->m) {
	case GAP_EARLY:
		if (!g || !isfinite(a = gap(s, g, 0, 0.5, &pos)))
			return -1;
		snprintf(out, size, "%s: mean noisy - clean BCE over the first half %+.4f, positive "
			"at %.0f %% of the points", cl->method, a, 100 * pos);
		return a > 0 && pos >= 0.5;
	case GAP_SHRINKS:
		if (!g || !isfinite(a = gap(s, g, 0, 0.2, NULL)) || !isfinite(b = gap(s, g, 0.8, 1, NULL)))
			return -1;
		snprintf(out, size, "%s: gap %+.4f over the first fifth, %+.4f over the last", cl->method,
			a, b);
		return a > 0 && b < 0.5 * a;
	default: /* GAP_WIDER */
		if (!g || !h || !isfinite(a = gap(s, g, 0.5, 1, NULL)) ||
		    !isfinite(b = gap(s, h, 0.5, 1, NULL)))
			return -1;
		snprintf(out, size, "gap over the last half: %s %+.4f, %s %+.4f", cl->method, a,
			cl->other, b);
		return a > b;
	}
}

static int
m_preds(const struct claim *cl, const struct report_set *s, const char *ds, const char *model,
	const char *metric, char *out, size_t size)
{
	(void)cl, (void)model, (void)metric;
	double v[64];
	size_t n = report_fig_preds_gaps(s, ds, v, 64), up = 0;
	double lo = INFINITY;
	for (size_t i = 0; i < n; i++) {
		up += v[i] > 0;
		lo = fmin(lo, v[i]);
	}
	if (!n)
		return -1;
	snprintf(out, size, "mean absolute prediction difference, noisy minus clean lines, > 0 in "
		"%zu of %zu pairs (smallest %+.4f)", up, n, lo);
	return up == n;
}

static int
m_late(const struct claim *cl, const struct report_set *s, const char *ds, const char *model,
	const char *metric, char *out, size_t size)
{
	const struct report_group *g = report_set_find(s, ds, model, cl->method);
	const struct report_group *h = report_set_find(s, ds, model, cl->other);
	double la, ba, lb, bb, a, b;
	if (!g || !h || !isfinite(a = along(g, s, metric, 2.0 / 3, 1, &la, &ba)) ||
	    !isfinite(b = along(h, s, metric, 2.0 / 3, 1, &lb, &bb)))
		return -1;
	snprintf(out, size, "%s over the last third: %s %.4f, %s %.4f; %s ends at %.4f, its best "
		"%.4f", metric, cl->method, a, cl->other, b, cl->other, lb, bb);
	return a > b && lb < bb;
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
		if (strcmp(c->dataset, ds) || strcmp(c->model, model) || strcmp(c->method, cl->method))
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
	[GAP_EARLY] = m_gap, [GAP_SHRINKS] = m_gap, [GAP_WIDER] = m_gap, [PRED_GAP] = m_preds,
	[LATE_ABOVE] = m_late, [RATING_RISES] = m_rating, [BEST_C1_C2] = m_best,
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
	      "|---|---|---|---|---|\n", md);
	for (size_t c = 0; c < sizeof claims / sizeof claims[0]; c++) {
		const struct claim *cl = &claims[c];
		int rows = 0;
		for (size_t i = 0; i < nd; i++)
			for (size_t j = 0; j < nm; j++) {
				char what[512], file[256];
				/* DeCA Fig. 2 compares models: one row per dataset */
				int per_ds = cl->m == PRED_GAP;
				int v = per_ds && j ? -1
					: measures[cl->m](cl, s, d[i], m[j], name, what, sizeof what);
				if (v < 0)
					continue;
				const char *parts[] = {d[i], m[j]};
				report_fig_name(file, sizeof file, cl->kind, parts, per_ds ? 1 : 2);
				fprintf(md, "| %s %s | figures/%s.png | %s | %s | %s%s%s: %s |\n", cl->paper,
					cl->figure, cl->m == BEST_C1_C2 ? "sweep-*" : file, cl->text,
					v ? "yes" : "no", d[i], per_ds ? "" : ", ", per_ds ? "" : m[j], what);
				rows++;
			}
		if (!rows)
			fprintf(md, "| %s %s | - | %s | no data | the result files hold none of its data |\n",
				cl->paper, cl->figure, cl->text);
	}
	fputc('\n', md);
	free(d);
	free(m);
	return DB_OK;
}

int
report_fig_index_write(const struct report_set *s, const struct report_fig_opts *o,
	db_err *err)
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
