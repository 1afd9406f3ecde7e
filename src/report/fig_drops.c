/* T-CE's dropped positives along training (ADT Fig. 9): at each
 * diagnostics point (diag_stat lines; else each evaluation point, from
 * curve_stat), precision = noisy dropped / dropped and recall = noisy dropped /
 * noisy positives seen over the stretch since the previous point, from the
 * `curve_stat` counters dropped, dropped_noisy and noisy_seen.  The counts
 * are pooled over the seeds before dividing (a stretch without drops, early
 * in the ramp, has no precision: nan, not drawn).  One figure per (dataset,
 * model, method) whose cells log the counters (t-ce; finetune and warmup
 * over t-ce). */
#include "report/internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const counter[] = {"dropped", "dropped_noisy", "noisy_seen"};

/* Does the group's first cell log the counters at diagnostics points? */
static int
by_diag(const struct report_cell *c)
{
	return c->ndiag && c->ndiag_stats;
}

static size_t
npoints(const struct report_cell *c, int diag)
{
	return diag ? c->ndiag : c->ncurve;
}

static long
iteration_at(const struct report_cell *c, int diag, size_t p)
{
	return diag ? c->diag[p].iteration : c->curve[p].iteration;
}

/* Counter name at point p (NAN when the cell has none). */
static double
counter_at(const struct report_cell *c, int diag, size_t p, const char *name)
{
	if (!diag)
		return report_cell_stat(c, c->curve[p].iteration, name);
	for (size_t i = 0; i < c->ndiag_stats; i++)
		if (c->diag_stats[i].iteration == c->diag[p].iteration &&
			!strcmp(c->diag_stats[i].name, name))
			return c->diag_stats[i].value;
	return NAN;
}

/* The .dat rows; returns the number of points. */
static size_t
rows(FILE *dat, const struct report_set *s, const struct report_group *g)
{
	int diag = by_diag(report_group_cell(s, g, 0));
	size_t points = (size_t)-1;
	for (size_t i = 0; i < g->n; i++) {
		size_t n = npoints(report_group_cell(s, g, i), diag);
		points = n < points ? n : points;
	}
	fprintf(dat,
		"# iteration dropped dropped_noisy noisy_seen precision recall "
		"(counts summed over %zu seeds)\n",
		g->n);
	for (size_t p = 0; p < points; p++) {
		double v[3] = {0, 0, 0};
		for (size_t i = 0; i < g->n; i++) {
			const struct report_cell *c = report_group_cell(s, g, i);
			for (int j = 0; j < 3; j++)
				v[j] += counter_at(c, diag, p, counter[j]);
		}
		fprintf(dat, "%ld %.17g %.17g %.17g %.9g %.9g\n",
			iteration_at(report_group_cell(s, g, 0), diag, p), v[0], v[1], v[2],
			v[0] > 0 ? v[1] / v[0] : NAN, v[2] > 0 ? v[1] / v[2] : NAN);
	}
	return points;
}

static int
figure(const struct report_set *s, const struct report_fig_opts *o, const struct report_group *g,
	int *nfig, db_err *err)
{
	const struct report_cell *c = report_group_cell(s, g, 0);
	char name[256];
	const char *parts[] = {c->dataset, c->model, c->method};
	struct report_fig f;
	int rc = report_fig_open(&f, name, sizeof name, "drops", parts, 3, err);
	if (rc)
		return rc;
	size_t n = rows(f.dat.f, s, g);
	int diag = by_diag(c);
	if (n)
		report_fig_few_points(f.body.f, n == 1 ? c->method : "", iteration_at(c, diag, 0),
			iteration_at(c, diag, n - 1));
	fprintf(f.body.f,
		"set title 'noisy positives among the dropped: %s, %s, %s'\n"
		"set xlabel 'iteration (batches)'\nset ylabel 'share since the previous point'\n"
		"set yrange [0:1]\nset key outside right\nset grid\n"
		"plot '%s.dat' using 1:5 with linespoints pt 7 title 'precision', \\\n"
		"  '' using 1:6 with linespoints pt 5 title 'recall'\n",
		c->dataset, c->model, c->method, name);
	return report_fig_end(&f, o, name, n > 0, nfig, err);
}

int
report_fig_drops(const struct report_set *s, const struct report_fig_opts *o, FILE *notes,
	int *nfig, db_err *err)
{
	struct report_fig_keys k;
	int rc = report_fig_keys_get(&k, s, err);
	int before = *nfig;
	for (size_t i = 0; !rc && i < k.nd; i++)
		for (size_t j = 0; !rc && j < k.nm; j++)
			for (size_t l = 0; !rc && l < k.nme; l++) {
				const struct report_group *g =
					report_set_find(s, k.ds[i], k.models[j], k.methods[l]);
				const struct report_cell *c = g ? report_group_cell(s, g, 0) : NULL;
				if (c && npoints(c, by_diag(c)) &&
					!isnan(counter_at(c, by_diag(c), 0, counter[0])))
					rc = figure(s, o, g, nfig, err);
			}
	if (!rc && notes && *nfig == before)
		fputs("no drop figure: no result file has T-CE's 'curve_stat' counters\n", notes);
	report_fig_keys_free(&k);
	return rc;
}
