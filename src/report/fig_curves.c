/* Validation loss along training, one line per method (DeCA Fig. 3 plots
 * recall; result files log the validation loss, which is what the
 * protocols select and stop on).  One figure per (dataset, model). */
#include "report/internal.h"

#include <stdlib.h>

/* One block of the .dat file: the mean over seeds at each evaluation point
 * that every seed reached.  Returns 0 when the group has no curve. */
static int
block(FILE *dat, const struct report_set *s, const struct report_group *g, const char *method)
{
	size_t points = (size_t)-1;
	for (size_t i = 0; i < g->n; i++) {
		size_t n = report_group_cell(s, g, i)->ncurve;
		points = n < points ? n : points;
	}
	if (points == 0 || points == (size_t)-1)
		return 0;
	fprintf(dat, "# %s: iteration epoch valid_loss train_loss (mean over %zu seeds)\n",
		method, g->n);
	for (size_t p = 0; p < points; p++) {
		const struct report_point *first = &report_group_cell(s, g, 0)->curve[p];
		double v = 0, t = 0;
		for (size_t i = 0; i < g->n; i++) {
			v += report_group_cell(s, g, i)->curve[p].valid_loss;
			t += report_group_cell(s, g, i)->curve[p].train_loss;
		}
		fprintf(dat, "%ld %d %.9g %.9g\n", first->iteration, first->epoch, v / (double)g->n,
			t / (double)g->n);
	}
	fputs("\n\n", dat);
	return 1;
}

static int
figure(const struct report_set *s, const struct report_fig_opts *o, const char *dataset,
	const char *model, const char **methods, size_t nme, int *nfig, db_err *err)
{
	char name[256];
	const char *parts[] = {dataset, model};
	report_fig_name(name, sizeof name, "curve", parts, 2);
	struct report_fig f;
	int rc = report_fig_begin(&f, err);
	if (rc)
		return rc;
	fprintf(f.body.f, "set title 'validation loss along training: %s, %s'\n"
			  "set xlabel 'iteration'\nset ylabel 'validation loss'\n"
			  "set key outside right\nset grid\nplot", dataset, model);
	int lines = 0;
	for (size_t me = 0; me < nme; me++) {
		const struct report_group *g = report_set_find(s, dataset, model, methods[me]);
		if (!g || !block(f.dat.f, s, g, methods[me]))
			continue;
		fprintf(f.body.f, "%s '%s.dat' index %d using 1:3 with linespoints title '%s'",
			lines ? "," : "", name, lines, methods[me]);
		lines++;
	}
	fputs("\n", f.body.f);
	return report_fig_end(&f, o, name, lines > 0, nfig, err);
}

int
report_fig_curves(const struct report_set *s, const struct report_fig_opts *o, FILE *notes,
	int *nfig, db_err *err)
{
	size_t nd, nm, nme;
	const char **d = report_set_distinct(s, "dataset", &nd);
	const char **m = report_set_distinct(s, "model", &nm);
	const char **me = report_set_distinct(s, "method", &nme);
	int rc = d && m && me ? DB_OK : db_fail(err, DB_ENOMEM, "out of memory");
	int before = *nfig;
	for (size_t i = 0; !rc && i < nd; i++)
		for (size_t j = 0; !rc && j < nm; j++)
			rc = figure(s, o, d[i], m[j], me, nme, nfig, err);
	if (!rc && notes && *nfig == before)
		fputs("no training curves: no result file has 'curve' lines\n", notes);
	free(d);
	free(m);
	free(me);
	return rc;
}
