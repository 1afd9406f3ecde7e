/* The tuning section (README "Tuning"): from DIR/tuning.tsv, which `tune`
 * wrote, per searched (method, model, dataset) the search space, the budget,
 * every trial's validation target with the chosen one marked, and the test
 * result of the tuned configuration beside the suite's own cell. */
#include <gsl/gsl_statistics_double.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"

/* tuning.tsv's lines, split at TABs in place. */
struct tsv {
	char *buf;
	char ***rows; /* each a NULL-ended field list */
	size_t n;
};

static void
tsv_free(struct tsv *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->rows[i]);
	free(t->rows);
	free(t->buf);
}

static char **
split_tabs(char *line)
{
	size_t n = 2;
	for (char *p = line; *p; p++)
		n += *p == '\t';
	char **f = calloc(n, sizeof *f);
	for (size_t i = 0; f && line; i++) {
		f[i] = line;
		if ((line = strchr(line, '\t')))
			*line++ = '\0';
	}
	return f;
}

static int
tsv_read(struct tsv *t, const char *path, db_err *err)
{
	*t = (struct tsv){0};
	FILE *f = fopen(path, "r");
	if (!f)
		return db_fail(err, DB_EIO, "%s: cannot open", path);
	size_t cap = 0, len = 0;
	ssize_t got = getdelim(&t->buf, &cap, '\0', f);
	int bad = ferror(f); /* else got < 1: an empty file */
	fclose(f);
	if (got < 1) { /* getdelim may have allocated on failure too */
		free(t->buf), t->buf = NULL;
		return bad ? db_fail(err, DB_EIO, "%s: cannot read", path)
			   : db_fail(err, DB_EPARSE, "%s: empty", path);
	}
	int rc = DB_OK;
	len = strlen(t->buf);
	size_t lines = 1;
	for (size_t i = 0; i < len; i++)
		lines += t->buf[i] == '\n';
	t->rows = calloc(lines, sizeof *t->rows);
	if (!t->rows)
		rc = DB_ENOMEM;
	for (char *l = t->rows ? strtok(t->buf, "\n") : NULL; l && !rc; l = strtok(NULL, "\n"))
		rc = (t->rows[t->n++] = split_tabs(l)) ? DB_OK : DB_ENOMEM;
	return rc ? db_fail(err, rc, "%s: cannot read", path) : DB_OK;
}

static size_t
nfields(char **f)
{
	size_t n = 0;
	while (f[n])
		n++;
	return n;
}

/* "# KEY<TAB>VALUE..." of the header, or "" when absent. */
static const char *
header(const struct tsv *t, const char *key, size_t field)
{
	for (size_t i = 0; i < t->n; i++)
		if (!strncmp(t->rows[i][0], "# ", 2) && !strcmp(t->rows[i][0] + 2, key) &&
			nfields(t->rows[i]) > field)
			return t->rows[i][field];
	return "";
}

/* Whether a cell ran with every KEY=VALUE of values (numbers compared as
 * numbers) and is no trial. */
static int
has_values(const struct report_cell *c, const char *values)
{
	if (report_cell_is_trial(c))
		return 0;
	char buf[1024];
	snprintf(buf, sizeof buf, "%s", values);
	for (char *kv = strtok(buf, ","); kv; kv = strtok(NULL, ",")) {
		char *eq = strchr(kv, '=');
		const char *v = eq ? (*eq = '\0', report_cell_config(c, kv)) : NULL;
		char *e1, *e2;
		if (!v)
			return 0;
		double a = strtod(v, &e1), b = strtod(eq + 1, &e2);
		if (*e1 || *e2 ? strcmp(v, eq + 1) != 0 : a != b)
			return 0;
	}
	return 1;
}

static int
keep_tuned(const struct report_cell *c, const void *values)
{
	return has_values(c, values);
}

/* The suite's own cell: on test, without the chosen values (the one with
 * the fewest settings off the defaults wins, as in the tables). */
static int
keep_default(const struct report_cell *c, const void *values)
{
	return !report_cell_is_trial(c) && !has_values(c, values);
}

static void
test_value(FILE *f, const struct report_set *s, const struct report_group *g, const char *metric,
	int k)
{
	double *v = g ? calloc(g->n + 1, sizeof *v) : NULL;
	size_t n = v ? report_group_values(s, g, "test", metric, k, v) : 0;
	if (!n)
		fputs("—", f);
	else
		fprintf(f, "%.4f ± %.4f (%zu seeds)", gsl_stats_mean(v, 1, n),
			n > 1 ? gsl_stats_sd(v, 1, n) : 0.0, n);
	free(v);
}

/* One group: its search space, trials, choice and test results. */
static void
group(FILE *f, const struct tsv *t, size_t first, const struct report_set *s, const char *metric,
	int k)
{
	char **r0 = t->rows[first];
	fprintf(f, "\n### %s × %s on %s\n\nSearch space:", r0[1], r0[0], r0[2]);
	for (size_t i = 0; i < t->n; i++) {
		char **r = t->rows[i];
		if (!strcmp(r[0], "# search") && nfields(r) >= 6 && !strcmp(r[1], r0[0]) &&
			!strcmp(r[2], r0[1]) && !strcmp(r[3], r0[2]))
			fprintf(f, " %s ∈ %s;", r[4], r[5]);
	}
	fprintf(f, "\n\n| trial | values | %s | |\n|---:|---|---:|---|\n", header(t, "target", 1));
	const char *chosen = NULL;
	for (size_t i = first; i < t->n; i++) {
		char **r = t->rows[i];
		if (r[0][0] == '#' || nfields(r) < 7)
			continue;
		if (strcmp(r[0], r0[0]) || strcmp(r[1], r0[1]) || strcmp(r[2], r0[2]))
			break;
		int is = !strcmp(r[6], "1");
		fprintf(f, "| %s | %s | %.4f | %s |\n", r[3], r[4], strtod(r[5], NULL),
			is ? "**chosen**" : "");
		chosen = is ? r[4] : chosen;
	}
	if (!chosen)
		return;
	const struct report_group *tg =
		report_set_find_if(s, r0[2], r0[1], r0[0], keep_tuned, chosen);
	const struct report_group *dg =
		report_set_find_if(s, r0[2], r0[1], r0[0], keep_default, chosen);
	fprintf(f, "\nChosen: %s.  Test %s@%d: tuned ", chosen, metric, k);
	test_value(f, s, tg, metric, k);
	fputs(", default ", f);
	if (!dg && tg)
		fputs("the same cell (the chosen values are the defaults)", f);
	else
		test_value(f, s, dg, metric, k);
	fputs(".\n", f);
}

int
report_tuning(FILE *f, const char *tuning_tsv, const struct report_set *s, const char *metric,
	int k, db_err *err)
{
	struct tsv t;
	int rc = tsv_read(&t, tuning_tsv, err);
	if (rc)
		return rc;
	fprintf(f,
		"## Tuning\n\nSuite %s: strategy %s, budget %s trials per searched method, "
		"search seed %s, %s search seed(s) per trial; target %s (%s), on validation "
		"only (the trials never open the test split).\n",
		header(&t, "suite", 1), header(&t, "strategy", 1), header(&t, "budget", 1),
		header(&t, "search_seed", 1), header(&t, "search_seeds", 1),
		header(&t, "target", 1), header(&t, "target", 2));
	const char *prev[3] = {"", "", ""};
	for (size_t i = 0; i < t.n; i++) {
		char **r = t.rows[i];
		if (r[0][0] == '#' || nfields(r) < 7 || !strcmp(r[0], "method"))
			continue;
		if (strcmp(r[0], prev[0]) || strcmp(r[1], prev[1]) || strcmp(r[2], prev[2]))
			group(f, &t, i, s, metric, k);
		prev[0] = r[0], prev[1] = r[1], prev[2] = r[2];
	}
	tsv_free(&t);
	return ferror(f) ? db_fail(err, DB_EIO, "cannot write the tuning section") : DB_OK;
}
