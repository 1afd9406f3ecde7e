/* Mean predicted P(r = 1 | interacted) of the train interactions by their
 * rating (DeCA Fig. 4: a denoising method should believe the low-rated
 * interactions less), from the `rating_prob` lines: one bar per method and
 * rating, the mean over every seed's train lines of that rating.  One
 * figure per (dataset, model). */
#include "report/internal.h"

#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_sort.h>

/* The distinct ratings that the groups' cells report, ascending, into
 * v (room for every rating line of the set); returns their count. */
static size_t
ratings(const struct report_set *s, const struct report_group *const *g, size_t ng, double *v)
{
	size_t n = 0;
	for (size_t k = 0; k < ng; k++)
		for (size_t i = 0; i < g[k]->n; i++) {
			const struct report_cell *c = report_group_cell(s, g[k], i);
			for (size_t j = 0; j < c->nratings; j++)
				v[n++] = c->ratings[j].rating;
		}
	gsl_sort(v, 1, n);
	size_t u = 0;
	for (size_t i = 0; i < n; i++)
		if (u == 0 || v[i] != v[u - 1])
			v[u++] = v[i];
	return u;
}

/* Pooled over the group's seeds: sum(count * mean) / sum(count). */
static double
pooled(const struct report_set *s, const struct report_group *g, double rating)
{
	double sum = 0, n = 0;
	for (size_t i = 0; i < g->n; i++) {
		const struct report_cell *c = report_group_cell(s, g, i);
		for (size_t j = 0; j < c->nratings; j++)
			if (c->ratings[j].rating == rating) {
				sum += (double)c->ratings[j].count * c->ratings[j].mean;
				n += (double)c->ratings[j].count;
			}
	}
	return n > 0 ? sum / n : NAN;
}

static int
figure(const struct report_set *s, const struct report_fig_opts *o, const char *ds,
	const char *model, const struct report_group *const *g, const char *const *methods,
	size_t ng, double *v, int *nfig, db_err *err)
{
	char name[256];
	const char *parts[] = {ds, model};
	struct report_fig f;
	int rc = report_fig_open(&f, name, sizeof name, "ratings", parts, 2, err);
	if (rc)
		return rc;
	fprintf(f.body.f,
		"set title 'mean P(r=1|interacted) of the train interactions: %s, %s'\n"
		"set xlabel 'rating (third column of the train file)'\n"
		"set ylabel 'mean predicted probability'\nset style data histograms\n"
		"set style histogram clustered gap 1\nset style fill solid 0.8 border -1\n"
		"set key outside right\nset yrange [0:1]\nplot",
		ds, model);
	fputs("# rating", f.dat.f);
	for (size_t k = 0; k < ng; k++) {
		fprintf(f.dat.f, " %s", methods[k]);
		fprintf(f.body.f, "%s '%s.dat' using %zu%s title '%s'", k ? "," : "", name, k + 2,
			k ? "" : ":xtic(1)", methods[k]);
		report_fig_style(f.body.f, methods[k], -1);
	}
	fputs("\n", f.dat.f);
	fputs("\n", f.body.f);
	size_t nr = ratings(s, g, ng, v);
	for (size_t r = 0; r < nr; r++) {
		fprintf(f.dat.f, "%g", v[r]);
		for (size_t k = 0; k < ng; k++)
			fprintf(f.dat.f, " %.9g", pooled(s, g[k], v[r]));
		fputs("\n", f.dat.f);
	}
	return report_fig_end(&f, o, name, ng > 0 && nr > 0, nfig, err);
}

int
report_fig_ratings(const struct report_set *s, const struct report_fig_opts *o, FILE *notes,
	int *nfig, db_err *err)
{
	size_t nd, nm, nme, nlines = 0;
	const char **d = report_set_distinct(s, "dataset", &nd);
	const char **m = report_set_distinct(s, "model", &nm);
	const char **me = report_set_distinct(s, "method", &nme);
	for (size_t i = 0; i < s->ncells; i++)
		nlines += s->cells[i].nratings;
	const struct report_group **g = db_calloc(nme + 1, sizeof *g, err);
	const char **gm = db_calloc(nme + 1, sizeof *gm, err);
	double *v = db_calloc(nlines + 1, sizeof *v, err);
	int rc = d && m && me && g && gm && v ? DB_OK : db_fail(err, DB_ENOMEM, "out of memory");
	int before = *nfig;
	for (size_t i = 0; !rc && i < nd; i++)
		for (size_t j = 0; !rc && j < nm; j++) {
			size_t ng = 0;
			for (size_t k = 0; k < nme; k++) {
				const struct report_group *x =
					report_set_find(s, d[i], m[j], me[k]);
				if (x && report_group_cell(s, x, 0)->nratings) {
					gm[ng] = me[k];
					g[ng++] = x;
				}
			}
			if (ng)
				rc = figure(s, o, d[i], m[j], g, gm, ng, v, nfig, err);
		}
	if (!rc && notes && *nfig == before)
		fputs("no P(r=1|interacted) figure: no result file has 'rating_prob' lines\n",
			notes);
	free(d);
	free(m);
	free(me);
	free(g);
	free(gm);
	free(v);
	return rc;
}
