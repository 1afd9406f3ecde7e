/* DeCA Fig. 2 from the `pred` lines (dump_preds): the mean absolute
 * difference between two cells' predictions on the same clean and on the
 * same noisy train lines, (a) between two models (one method, the lowest
 * seed both have) and (b) between two seeds of one model (its two lowest).
 * One figure per dataset, `preds-DATASET`, a panel per comparison kind.
 * Cells whose lines differ (another dump_preds, other data) are noted and
 * left out. */
#include "report/internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The cell of group g with seed, or NULL. */
static const struct report_cell *
with_seed(const struct report_set *s, const struct report_group *g, long seed)
{
	for (size_t i = 0; i < g->n; i++)
		if (report_group_cell(s, g, i)->seed == seed)
			return report_group_cell(s, g, i);
	return NULL;
}

static int
same_lines(const struct report_cell *a, const struct report_cell *b)
{
	if (a->npreds != b->npreds || !a->npreds)
		return 0;
	for (size_t i = 0; i < a->npreds; i++)
		if (a->preds[i].user != b->preds[i].user || a->preds[i].item != b->preds[i].item)
			return 0;
	return 1;
}

/* Where a compared pair goes: a .dat row, or the figure index's gaps. */
struct visit {
	FILE *dat, *notes;
	double (*diff)[2]; /* each pair's clean and noisy mean difference, when not NULL */
	size_t n, cap;
};

/* One pair: mean |a - b| on clean and on noisy lines (and their counts). */
static int
row(struct visit *v, const char *label, const struct report_cell *a, const struct report_cell *b)
{
	if (!same_lines(a, b)) {
		if (v->notes)
			fprintf(v->notes,
				"DeCA Fig. 2: %s and %s predict different lines: left out\n",
				a->path, b->path);
		return 0;
	}
	double sum[2] = {0, 0};
	long n[2] = {0, 0};
	for (size_t i = 0; i < a->npreds; i++) {
		int k = a->preds[i].noisy;
		sum[k] += fabs(a->preds[i].prob - b->preds[i].prob);
		n[k]++;
	}
	double clean = n[0] ? sum[0] / n[0] : NAN, noisy = n[1] ? sum[1] / n[1] : NAN;
	if (v->dat)
		fprintf(v->dat, "\"%s\" %.9g %.9g %ld %ld\n", label, clean, noisy, n[0], n[1]);
	if (v->diff && v->n < v->cap) {
		v->diff[v->n][0] = clean;
		v->diff[v->n++][1] = noisy;
	}
	return 1;
}

static const struct report_group *
find(const struct report_set *s, const char *ds, const char *model, const char *method)
{
	const struct report_group *g = report_set_find(s, ds, model, method);
	return g && report_group_cell(s, g, 0)->npreds ? g : NULL;
}

/* (a) every pair of models of every method, at the lowest common seed. */
static int
model_pairs(struct visit *v, const struct report_set *s, const char *ds, const char **m, size_t nm,
	const char **me, size_t nme)
{
	int rows = 0;
	for (size_t k = 0; k < nme; k++)
		for (size_t i = 0; i < nm; i++)
			for (size_t j = i + 1; j < nm; j++) {
				const struct report_group *a = find(s, ds, m[i], me[k]);
				const struct report_group *b = find(s, ds, m[j], me[k]);
				for (size_t x = 0; a && b && x < a->n; x++) {
					long seed = report_group_cell(s, a, x)->seed;
					const struct report_cell *cb = with_seed(s, b, seed);
					if (!cb)
						continue;
					char label[160];
					snprintf(label, sizeof label, "%s vs %s (%s)", m[i], m[j],
						me[k]);
					rows += row(v, label, report_group_cell(s, a, x), cb);
					break;
				}
			}
	return rows;
}

/* (b) the two lowest seeds of every (model, method). */
static int
seed_pairs(struct visit *v, const struct report_set *s, const char *ds, const char **m, size_t nm,
	const char **me, size_t nme)
{
	int rows = 0;
	for (size_t k = 0; k < nme; k++)
		for (size_t i = 0; i < nm; i++) {
			const struct report_group *g = find(s, ds, m[i], me[k]);
			if (!g || g->n < 2)
				continue;
			const struct report_cell *a = report_group_cell(s, g, 0);
			const struct report_cell *b = report_group_cell(s, g, 1);
			char label[160];
			snprintf(label, sizeof label, "%s seeds %ld, %ld (%s)", m[i], a->seed,
				b->seed, me[k]);
			rows += row(v, label, a, b);
		}
	return rows;
}

static void
panel(FILE *b, const char *name, int index, const char *title)
{
	fprintf(b,
		"set title '%s'\nplot '%s.dat' index %d using 2:xtic(1) title 'clean "
		"positives' lc rgb '#4575b4', '' index %d using 3 title 'noisy positives' "
		"lc rgb '#d73027'\n",
		title, name, index, index);
}

static int
figure(const struct report_set *s, const struct report_fig_opts *o, FILE *notes, const char *ds,
	const char **m, size_t nm, const char **me, size_t nme, int *nfig, db_err *err)
{
	char name[256];
	const char *parts[] = {ds};
	struct report_fig f;
	int rc = report_fig_open(&f, name, sizeof name, "preds", parts, 1, err);
	if (rc)
		return rc;
	const char *head = "# comparison mean|P_a-P_b|_clean mean|P_a-P_b|_noisy clean_lines "
			   "noisy_lines\n";
	fputs(head, f.dat.f);
	struct visit v = {.dat = f.dat.f, .notes = notes};
	int na = model_pairs(&v, s, ds, m, nm, me, nme);
	fputs("\n\n", f.dat.f);
	fputs(head, f.dat.f);
	int nb = seed_pairs(&v, s, ds, m, nm, me, nme);
	fprintf(f.body.f,
		"set multiplot layout 1,%d title 'mean prediction differences on "
		"clean and noisy train positives: %s'\nset style data histograms\n"
		"set style histogram clustered gap 1\nset style fill solid 0.8 border -1\n"
		"set ylabel 'mean |P_a - P_b| (probability)'\nset yrange [0:*]\n"
		"set xtics rotate by -20 font ',8'\nset key outside bottom center horizontal\n"
		"set grid ytics\n",
		(na > 0) + (nb > 0), ds);
	if (na)
		panel(f.body.f, name, 0, "(a) two models");
	if (nb) /* gnuplot counts no block that holds only a comment */
		panel(f.body.f, name, na ? 1 : 0, "(b) one model, two seeds");
	fputs("unset multiplot\n", f.body.f);
	return report_fig_end(&f, o, name, na + nb > 0, nfig, err);
}

size_t
report_fig_preds_diffs(const struct report_set *s, const char *ds, double (*diff)[2], size_t cap)
{
	size_t nm, nme;
	const char **m = report_set_distinct(s, "model", &nm);
	const char **me = report_set_distinct(s, "method", &nme);
	struct visit v = {.diff = diff, .cap = cap};
	if (m && me) {
		model_pairs(&v, s, ds, m, nm, me, nme);
		seed_pairs(&v, s, ds, m, nm, me, nme);
	}
	free(m);
	free(me);
	return v.n;
}

int
report_fig_preds(const struct report_set *s, const struct report_fig_opts *o, FILE *notes,
	int *nfig, db_err *err)
{
	struct report_fig_keys k;
	int rc = report_fig_keys_get(&k, s, err);
	int before = *nfig;
	for (size_t i = 0; !rc && i < k.nd; i++)
		rc = figure(s, o, notes, k.ds[i], k.models, k.nm, k.methods, k.nme, nfig, err);
	if (!rc && notes && *nfig == before)
		fputs("no prediction-difference figure (DeCA Fig. 2): no two cells of a dataset "
		      "have pred lines (run with dump_preds=N)\n",
			notes);
	report_fig_keys_free(&k);
	return rc;
}
