/* Performance by user activity (ADT Fig. 6): users split into four groups at
 * the quartiles of their number of train interactions, the metric averaged
 * over the group's users and the seeds, one bar per method.  The train
 * counts come from DIR/DATASET.train.rating, DIR being the report's data
 * directory joined with the dataset name, or else the cells' `data`. */
#include "report/internal.h"

#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "data/dataset.h"
#include "util/fileio.h"

#define NGROUPS 4

struct activity {
	int *count; /* train lines per user id */
	int nusers;
	double cut[NGROUPS - 1]; /* upper bounds of the first groups */
};

static int
train_counts(struct activity *a, const struct report_cell *c, const struct report_fig_opts *o,
	db_err *err)
{
	char dir[4096], path[4300];
	const char *data = report_cell_config(c, "data");
	int rc = o->data_dir ? fileio_join(dir, sizeof dir, o->data_dir, c->dataset, NULL, err)
			     : DB_OK;
	if (!rc && !o->data_dir)
		snprintf(dir, sizeof dir, "%s", data ? data : "");
	if (!rc && !*dir)
		return db_fail(err, DB_EINVAL, "%s: built-in synthetic data, no train file",
			c->dataset);
	if (!rc)
		rc = fileio_join(path, sizeof path, dir, c->dataset, ".train.rating", err);
	interactions x;
	if (rc || (rc = data_read_file(path, 1, &x, err)))
		return rc;
	for (int i = 0; i < x.n; i++)
		a->nusers = x.user[i] + 1 > a->nusers ? x.user[i] + 1 : a->nusers;
	a->count = db_calloc((size_t)a->nusers + 1, sizeof *a->count, err);
	for (int i = 0; a->count && i < x.n; i++)
		a->count[x.user[i]]++;
	data_interactions_free(&x);
	return a->count ? DB_OK : DB_ENOMEM;
}

/* Quartiles of the train counts of the users the first cell evaluated. */
static int
cuts(struct activity *a, const struct report_series *users, db_err *err)
{
	double *v = db_calloc(users->n + 1, sizeof *v, err);
	if (!v)
		return DB_ENOMEM;
	size_t n = 0;
	for (size_t i = 0; i < users->n; i++)
		if (users->user[i] >= 0 && users->user[i] < a->nusers)
			v[n++] = a->count[users->user[i]];
	gsl_sort(v, 1, n);
	for (int q = 1; n && q < NGROUPS; q++)
		a->cut[q - 1] = gsl_stats_quantile_from_sorted_data(v, 1, n, q / (double)NGROUPS);
	free(v);
	return n ? DB_OK : db_fail(err, DB_EINVAL, "no evaluated user has train lines");
}

static int
group_of(const struct activity *a, int user)
{
	int c = user >= 0 && user < a->nusers ? a->count[user] : 0, g = 0;
	while (g < NGROUPS - 1 && c > a->cut[g])
		g++;
	return g;
}

/* Mean per activity group over the group's seeds and users. */
static void
means(const struct activity *a, const struct report_set *s, const struct report_group *g,
	const struct report_fig_opts *o, double *out)
{
	double sum[NGROUPS] = {0};
	long n[NGROUPS] = {0};
	for (size_t i = 0; i < g->n; i++) {
		const struct report_series *u =
			report_cell_series(report_group_cell(s, g, i), o->split, o->metric, o->k);
		for (size_t j = 0; u && j < u->n; j++) {
			int k = group_of(a, u->user[j]);
			sum[k] += u->value[j];
			n[k]++;
		}
	}
	for (int k = 0; k < NGROUPS; k++)
		out[k] = n[k] ? sum[k] / (double)n[k] : 0;
}

static int
figure(const struct report_set *s, const struct report_fig_opts *o, const char *ds,
	const char *model, const char **methods, size_t nme, const struct activity *a, int *nfig,
	db_err *err)
{
	char name[256];
	const char *parts[] = {ds, model};
	report_fig_name(name, sizeof name, "activity", parts, 2);
	double *v = db_calloc(nme * NGROUPS + 1, sizeof *v, err);
	struct report_fig f;
	int rc = v ? report_fig_begin(&f, err) : DB_ENOMEM;
	if (rc) {
		free(v);
		return rc;
	}
	fprintf(f.body.f,
		"set title '%s@%d by user activity: %s, %s'\nset xlabel 'train "
		"interactions of the user (quartile groups)'\nset ylabel '%s@%d'\n"
		"set style data histograms\nset style histogram clustered gap 1\n"
		"set style fill solid 0.8 border -1\nset key outside right\nset yrange [0:*]\n"
		"plot",
		o->metric, o->k, ds, model, o->metric, o->k);
	fputs("# group label", f.dat.f);
	int cols = 0;
	for (size_t me = 0; me < nme; me++) {
		const struct report_group *g = report_set_find(s, ds, model, methods[me]);
		if (!g)
			continue;
		means(a, s, g, o, v + (size_t)cols * NGROUPS);
		fprintf(f.dat.f, " %s", methods[me]);
		fprintf(f.body.f, "%s '%s.dat' using %d%s title '%s'", cols ? "," : "", name,
			3 + cols, cols ? "" : ":xtic(2)", methods[me]);
		report_fig_style(f.body.f, methods[me], -1);
		cols++;
	}
	fputs("\n", f.dat.f);
	fputs("\n", f.body.f);
	for (int k = 0; k < NGROUPS; k++) {
		fprintf(f.dat.f, "%d ", k + 1);
		if (k == 0)
			fprintf(f.dat.f, "<=%g", a->cut[0]);
		else if (k == NGROUPS - 1)
			fprintf(f.dat.f, ">%g", a->cut[k - 1]);
		else
			fprintf(f.dat.f, "(%g,%g]", a->cut[k - 1], a->cut[k]);
		for (int c = 0; c < cols; c++)
			fprintf(f.dat.f, " %.9g", v[(size_t)c * NGROUPS + (size_t)k]);
		fputs("\n", f.dat.f);
	}
	free(v);
	return report_fig_end(&f, o, name, cols > 0, nfig, err);
}

/* One figure per (dataset, model) whose train file can be read. */
int
report_fig_activity(const struct report_set *s, const struct report_fig_opts *o, FILE *notes,
	int *nfig, db_err *err)
{
	struct report_fig_keys ks;
	int rc = report_fig_keys_get(&ks, s, err);
	for (size_t i = 0; !rc && i < s->ngroups; i++) {
		const struct report_cell *c = report_group_cell(s, &s->groups[i], 0);
		size_t j = 0;
		if (report_cell_is_trial(c)) /* no test lines */
			continue;
		while (j < ks.nd && strcmp(ks.ds[j], c->dataset))
			j++;
		if (j == ks.nd) /* this dataset is done */
			continue;
		ks.ds[j] = ks.ds[--ks.nd];
		struct activity a = {NULL, 0, {0}};
		const struct report_series *u = report_cell_series(c, o->split, o->metric, o->k);
		db_err why;
		int r = u ? train_counts(&a, c, o, &why)
			  : db_fail(&why, DB_EINVAL, "%s: no per-user %s@%d", c->path, o->metric,
				    o->k);
		if (!r)
			r = cuts(&a, u, &why);
		if (r && notes)
			fprintf(notes, "no activity figure for %s: %s\n", c->dataset, why.msg);
		for (size_t k = 0; !r && !rc && k < ks.nm; k++)
			rc = figure(s, o, c->dataset, ks.models[k], ks.methods, ks.nme, &a, nfig,
				err);
		free(a.count);
	}
	report_fig_keys_free(&ks);
	return rc;
}
