/* The validation loss along training, one figure per (dataset, model),
 * curve-*: one line per method at the protocol's evaluation points (what
 * the protocols select and stop on).  The clean/noisy training losses are
 * drawn as one panel per method (fig_diag.c, ADT Figs. 3, 7). */
#include "report/internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Evaluation points every seed of the group reached. */
static size_t
common_points(const struct report_set *s, const struct report_group *g)
{
	size_t points = (size_t)-1;
	for (size_t i = 0; i < g->n; i++) {
		size_t n = report_group_cell(s, g, i)->ncurve;
		points = n < points ? n : points;
	}
	return points == (size_t)-1 ? 0 : points;
}

/* One block of the .dat file: the mean over seeds at each evaluation point
 * that every seed reached.  Returns 0 when the group has no curve. */
static int
block(FILE *dat, const struct report_set *s, const struct report_group *g, const char *method)
{
	size_t points = common_points(s, g);
	if (points == 0)
		return 0;
	fprintf(dat,
		"# %s: iteration epoch valid_loss train_loss loss_clean loss_noisy "
		"(mean over %zu seeds; nan: no such positive)\n",
		method, g->n);
	for (size_t p = 0; p < points; p++) {
		const struct report_point *first = &report_group_cell(s, g, 0)->curve[p];
		double m[4] = {0, 0, 0, 0};
		for (size_t i = 0; i < g->n; i++) {
			const struct report_point *q = &report_group_cell(s, g, i)->curve[p];
			m[0] += q->valid_loss;
			m[1] += q->train_loss;
			m[2] += q->loss_clean;
			m[3] += q->loss_noisy;
		}
		fprintf(dat, "%ld %d", first->iteration, first->epoch);
		for (int j = 0; j < 4; j++)
			fprintf(dat, " %.9g", m[j] / (double)g->n);
		fputc('\n', dat);
	}
	fputs("\n\n", dat);
	return 1;
}

/* The plot clause of one method's block (index i), in the method's style. */
static void
plot_method(FILE *body, const char *name, int i, const char *method)
{
	fprintf(body, "%s '%s.dat' index %d using 1:3 with linespoints lw 2", i ? ", \\\n " : "",
		name, i);
	report_fig_style(body, method, 0);
	fprintf(body, " title '%s'", method);
}

/* The methods whose curve has a single point, and the iterations spanned. */
static void
few_points(FILE *body, const struct report_set *s, const char *dataset, const char *model,
	const char **methods, size_t nme)
{
	char names[512] = "";
	long lo = -1, hi = -1;
	for (size_t me = 0; me < nme; me++) {
		const struct report_group *g = report_set_find(s, dataset, model, methods[me]);
		size_t n = g ? common_points(s, g) : 0;
		if (!n)
			continue;
		const struct report_cell *c = report_group_cell(s, g, 0);
		if (lo < 0 || c->curve[0].iteration < lo)
			lo = c->curve[0].iteration;
		if (c->curve[n - 1].iteration > hi)
			hi = c->curve[n - 1].iteration;
		if (n < 2 && strlen(names) + strlen(methods[me]) + 3 < sizeof names)
			snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s",
				*names ? ", " : "", methods[me]);
	}
	report_fig_few_points(body, names, lo, hi);
}

static int
figure(const struct report_set *s, const struct report_fig_opts *o, const char *dataset,
	const char *model, const char **methods, size_t nme, int *nfig, db_err *err)
{
	char name[256];
	const char *parts[] = {dataset, model};
	struct report_fig f;
	int rc = report_fig_open(&f, name, sizeof name, "curve", parts, 2, err);
	if (rc)
		return rc;
	fprintf(f.body.f,
		"set title 'validation loss along training: %s, %s'\n"
		"set xlabel 'iteration (batches)'\nset ylabel 'validation loss (the "
		"method''s criterion, summed over batches)'\nset key outside right\nset grid\n",
		dataset, model);
	few_points(f.body.f, s, dataset, model, methods, nme);
	fputs("plot", f.body.f);
	int lines = 0;
	for (size_t me = 0; me < nme; me++) {
		const struct report_group *g = report_set_find(s, dataset, model, methods[me]);
		if (!g || !block(f.dat.f, s, g, methods[me]))
			continue;
		plot_method(f.body.f, name, lines++, methods[me]);
	}
	fputs("\n", f.body.f);
	return report_fig_end(&f, o, name, lines > 0, nfig, err);
}

int
report_fig_curves(const struct report_set *s, const struct report_fig_opts *o, FILE *notes,
	int *nfig, db_err *err)
{
	struct report_fig_keys k;
	int rc = report_fig_keys_get(&k, s, err);
	int before = *nfig;
	for (size_t i = 0; !rc && i < k.nd; i++)
		for (size_t j = 0; !rc && j < k.nm; j++)
			rc = figure(s, o, k.ds[i], k.models[j], k.methods, k.nme, nfig, err);
	if (!rc && notes && *nfig == before)
		fputs("no training curves: no result file has 'curve' lines\n", notes);
	report_fig_keys_free(&k);
	return rc;
}
