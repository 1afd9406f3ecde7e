/* Published numbers: the reference TSV, and the papers' names mapped to ours. */
#include "report/report.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "methods/method.h"

static const char *const columns[] = {"paper", "table", "dataset", "model", "method", "metric", "k",
	"mean", "sd"};
#define NCOL (sizeof columns / sizeof columns[0])

static int
parse_row(struct report_ref *r, char **f, const char *path, long line, db_err *err)
{
	char *end;
	r->k = (int)strtol(f[6], &end, 10);
	int ok = *f[6] && !*end && r->k > 0;
	r->mean = strtod(f[7], &end);
	ok = ok && *f[7] && !*end;
	r->has_sd = *f[8] != 0;
	r->sd = r->has_sd ? strtod(f[8], &end) : NAN;
	ok = ok && (!r->has_sd || !*end);
	if (!ok)
		return db_fail(err, DB_EPARSE,
			"%s:%ld: k must be a positive integer, mean and sd "
			"numbers (sd may be empty)",
			path, line);
	char **dst[] = {&r->paper, &r->table, &r->dataset, &r->model, &r->method, &r->metric};
	for (size_t i = 0; i < 6; i++)
		if (!(*dst[i] = strdup(f[i])))
			return db_fail(err, DB_ENOMEM, "out of memory");
	return DB_OK;
}

/* Splits at TABs; the last column may be missing (no sd). */
static size_t
split_row(char *line, char **f)
{
	size_t n = 0;
	for (char *p = line; n < NCOL;) {
		f[n++] = p;
		if (!(p = strchr(p, '\t')))
			break;
		*p++ = 0;
	}
	if (n == NCOL - 1)
		f[n++] = "";
	return n;
}

static int
check_header(char **f, size_t n, const char *path, db_err *err)
{
	for (size_t i = 0; i < NCOL; i++)
		if (n != NCOL || strcmp(f[i], columns[i]))
			return db_fail(err, DB_EPARSE,
				"%s:1: expected the header "
				"'paper table dataset model method metric k mean sd' "
				"(TAB-separated)",
				path);
	return DB_OK;
}

int
report_refs_read(const char *path, struct report_ref **rows, size_t *n, db_err *err)
{
	*rows = NULL;
	*n = 0;
	FILE *f = fopen(path, "r");
	if (!f)
		return db_fail(err, DB_EIO, "%s: cannot open", path);
	char *line = NULL, *fld[NCOL];
	size_t cap = 0, rcap = 0;
	ssize_t len;
	long lineno = 0;
	int rc = DB_OK;
	while (!rc && (len = getline(&line, &cap, f)) > 0) {
		lineno++;
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = 0;
		size_t nf = split_row(line, fld);
		if (lineno == 1) {
			rc = check_header(fld, nf, path, err);
			continue;
		}
		if (len == 0)
			continue;
		if (nf != NCOL) {
			rc = db_fail(err, DB_EPARSE, "%s:%ld: expected 9 TAB-separated columns",
				path, lineno);
			break;
		}
		if (*n == rcap) {
			rcap = rcap ? 2 * rcap : 64;
			struct report_ref *r = realloc(*rows, rcap * sizeof *r);
			if (!r) {
				rc = db_fail(err, DB_ENOMEM, "out of memory");
				break;
			}
			*rows = r;
		}
		memset(&(*rows)[*n], 0, sizeof **rows);
		rc = parse_row(&(*rows)[(*n)++], fld, path, lineno, err);
	}
	free(line);
	fclose(f);
	if (!rc && lineno == 0)
		rc = db_fail(err, DB_EPARSE, "%s: empty file", path);
	if (rc) {
		report_refs_free(*rows, *n);
		*rows = NULL;
		*n = 0;
	}
	return rc;
}

void
report_refs_free(struct report_ref *rows, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(rows[i].paper);
		free(rows[i].table);
		free(rows[i].dataset);
		free(rows[i].model);
		free(rows[i].method);
		free(rows[i].metric);
	}
	free(rows);
}

/* The papers' spellings that lower-casing alone does not map, beside the
 * methods' own (method_ops.display: "DeCA(p)"). */
static const struct {
	const char *paper, *ours;
} names[] = {
	{"MovieLens", "ml-100k"},
	{"DPI", "deca"},
	{"DVAE", "deca-p"},
};

void
report_ref_name(const char *paper_name, char *out, size_t size)
{
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (!strcmp(paper_name, names[i].paper)) {
			snprintf(out, size, "%s", names[i].ours);
			return;
		}
	for (size_t i = 0; method_at(i); i++)
		if (method_at(i)->display && !strcmp(paper_name, method_at(i)->display)) {
			snprintf(out, size, "%s", method_at(i)->name);
			return;
		}
	size_t j = 0;
	for (; paper_name[j] && j + 1 < size; j++)
		out[j] = paper_name[j] == ' ' ? '_' : (char)tolower((unsigned char)paper_name[j]);
	if (size)
		out[j] = 0;
}
