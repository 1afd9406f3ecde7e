/* The pivot view of a result set (`summary`, run's closing table): a row per
 * cell group (dataset × model × method), a column per test metric, each the
 * mean ± sd over the group's seeds; plain columns or a Markdown table. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"
#include "stats/stats.h"

/* "0.1234 ± 0.0056 (3)": mean ± sd over n seeds; one seed has no sd. */
static void
cell_text(char *out, size_t size, const double *v, size_t n)
{
	struct stats_summary sm;
	db_err err;
	if (n == 0 || stats_summary(v, n, 0.95, &sm, &err) != DB_OK)
		snprintf(out, size, "—");
	else if (n == 1)
		snprintf(out, size, "%.4f (1)", sm.mean);
	else
		snprintf(out, size, "%.4f ± %.4f (%zu)", sm.mean, sm.sd, n);
}

/* The largest test k of the first cell with test lines (a trial, or a
 * suite's cell with eval_test=false, has none): its recall and ndcg are
 * the headline columns when none are asked for. */
int
report_pivot_default(const struct report_set *s, char specs[2][32])
{
	int k = 0;
	for (size_t c = 0; !k && c < s->ncells; c++)
		for (size_t i = 0; i < s->cells[c].nmetrics; i++) {
			const struct report_metric *m = &s->cells[c].metrics[i];
			if (!strcmp(m->split, "test") && m->k > k)
				k = m->k;
		}
	snprintf(specs[0], sizeof specs[0], "recall@%d", k);
	snprintf(specs[1], sizeof specs[1], "ndcg@%d", k);
	return k > 0;
}

/* A column: Markdown's cell, or text padded to `width` characters (UTF-8:
 * the continuation bytes of ± and — take no column). */
static void
column(FILE *f, int md, const char *t, int width)
{
	if (md) {
		fprintf(f, " %s |", t);
		return;
	}
	int w = 0;
	for (const char *c = t; *c; c++)
		w += ((unsigned char)*c & 0xC0) != 0x80;
	fprintf(f, "  %s%*s", t, width > w ? width - w : 0, "");
}

/* tuned: the tuned column's text, NULL when the set has no tuned cell. */
static void
row_start(FILE *f, int md, const char *d, const char *m, const char *me, const char *tuned)
{
	if (md)
		fprintf(f, "| %s | %s | %s |", d, m, me);
	else
		fprintf(f, "%-12.12s %-9.9s %-10.10s", d, m, me);
	if (tuned)
		fprintf(f, md ? " %s |" : " %-7s", tuned);
}

/* A tuned cell and the suite's own cell of one method are two rows of the
 * same dataset, model and method: a column says which is tuned when the
 * set holds a tuned cell (a set without one keeps the table it had). */
static int
tuned_shown(const struct report_set *s)
{
	for (size_t i = 0; i < s->ncells; i++)
		if (s->cells[i].kind == REPORT_TUNED)
			return 1;
	return 0;
}

/* A group's selection rule; the oracle's numbers are an upper bound (the
 * best test value along training), never a method's result. */
static const char *
selection_label(const struct report_cell *c)
{
	const char *v = report_cell_config(c, "selection");
	return !v ? "-" : strcmp(v, "oracle") ? v : "oracle (upper bound)";
}

/* The selection column is shown when the groups' rules differ or one is
 * the oracle (a result set of one rule keeps the table it had). */
static int
selection_shown(const struct report_set *s)
{
	const char *first = NULL;
	for (size_t g = 0; g < s->ngroups; g++) {
		const char *v = selection_label(report_group_cell(s, &s->groups[g], 0));
		if (!strcmp(v, "oracle (upper bound)") || (first && strcmp(v, first)))
			return 1;
		first = v;
	}
	return 0;
}

int
report_pivot_write(FILE *f, const struct report_set *s, char *const *specs, size_t nspecs,
	int markdown, db_err *err)
{
	int sel = selection_shown(s), tuned = tuned_shown(s);
	char name[16][32];
	int k[16];
	if (nspecs > 16)
		return db_fail(err, DB_EINVAL, "at most 16 metric columns");
	for (size_t j = 0; j < nspecs; j++)
		if (report_parse_metric(specs[j], name[j], sizeof name[j], &k[j], err))
			return DB_EINVAL;
	double *v = malloc((s->ncells ? s->ncells : 1) * sizeof *v);
	if (!v)
		return db_fail(err, DB_ENOMEM, "out of memory");
	row_start(f, markdown, "dataset", "model", "method", tuned ? "tuning" : NULL);
	for (size_t j = 0; j < nspecs; j++)
		column(f, markdown, specs[j], j + 1 < nspecs || sel ? 22 : 0);
	if (sel)
		column(f, markdown, "selection", 0);
	fputc('\n', f);
	if (markdown) {
		fputs(tuned ? "|---|---|---|---|" : "|---|---|---|", f);
		for (size_t j = 0; j < nspecs + (size_t)sel; j++)
			fputs("---|", f);
		fputc('\n', f);
	}
	for (size_t g = 0; g < s->ngroups; g++) {
		const struct report_cell *c = report_group_cell(s, &s->groups[g], 0);
		if (report_cell_is_trial(c)) /* no test lines: tuning.md shows them */
			continue;
		row_start(f, markdown, c->dataset, c->model, c->method,
			!tuned                            ? NULL
				: c->kind == REPORT_TUNED ? "tuned"
							  : "-");
		for (size_t j = 0; j < nspecs; j++) {
			char t[64];
			size_t n = report_group_values(s, &s->groups[g], "test", name[j], k[j], v);
			cell_text(t, sizeof t, v, n);
			column(f, markdown, t, j + 1 < nspecs || sel ? 22 : 0);
		}
		if (sel)
			column(f, markdown, selection_label(c), 0);
		fputc('\n', f);
	}
	free(v);
	return DB_OK;
}
