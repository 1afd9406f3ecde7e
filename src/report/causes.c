/* Known causes of misses: a TSV of patterns the reproduction report reads
 * (README "Reports", reports/causes.tsv).
 *
 *   paper  table  dataset  model  method  metric  cause  citation  switch
 *
 * The first six are fnmatch(3) patterns against a published row in this
 * tool's names (metric written METRIC@K, e.g. recall@20 or "*"); the first
 * matching line gives the row's cause.  switch is KEY=VALUE (a setting whose
 * flipped value the suite runs as extra cells) or "-". */
#include "report/internal.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "util/fileio.h"

#define NCAUSECOL 9
static const char header[] = "paper\ttable\tdataset\tmodel\tmethod\tmetric\tcause\tcitation\t"
			     "switch";

static int
cause_row(struct report_cause *c, char *line, const char *path, long ln, db_err *err)
{
	char *f[NCAUSECOL];
	size_t n = 0;
	for (char *p = line; n < NCAUSECOL;) {
		f[n++] = p;
		if (!(p = strchr(p, '\t')))
			break;
		*p++ = 0;
	}
	if (n != NCAUSECOL)
		return db_fail(err, DB_EPARSE, "%s:%ld: %zu fields, expected %d (%s)", path, ln, n,
			NCAUSECOL, "paper table dataset model method metric cause citation switch");
	for (size_t i = 0; i < NCAUSECOL; i++)
		if (!*f[i])
			return db_fail(err, DB_EPARSE, "%s:%ld: field %zu is empty (write * or -)",
				path, ln, i + 1);
	if (strcmp(f[8], "-") && (!strchr(f[8], '=') || f[8][0] == '='))
		return db_fail(err, DB_EPARSE, "%s:%ld: switch '%s': expected KEY=VALUE or -", path,
			ln, f[8]);
	char **dst[NCAUSECOL] = {&c->paper, &c->table, &c->dataset, &c->model, &c->method,
		&c->metric, &c->cause, &c->citation, &c->sw};
	for (size_t i = 0; i < NCAUSECOL; i++)
		if (!(*dst[i] = strdup(i == 8 && !strcmp(f[8], "-") ? "" : f[i])))
			return db_fail(err, DB_ENOMEM, "out of memory");
	return DB_OK;
}

int
report_causes_read(const char *path, struct report_cause **out, size_t *n, db_err *err)
{
	*out = NULL;
	*n = 0;
	FILE *f = fopen(path, "r");
	if (!f)
		return db_fail(err, DB_EIO, "%s: cannot open the causes table", path);
	char *line = NULL;
	size_t cap = 0, have = 0;
	long ln = 0;
	int rc = DB_OK;
	for (ssize_t len; !rc && (len = getline(&line, &cap, f)) >= 0;) {
		ln++;
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = 0;
		if (ln == 1) {
			if (strcmp(line, header))
				rc = db_fail(err, DB_EPARSE,
					"%s:1: expected the header '%s' "
					"(TAB-separated)",
					path, header);
			continue;
		}
		if (!*line || line[0] == '#')
			continue;
		if (*n == have) {
			have = have ? 2 * have : 16;
			struct report_cause *g = realloc(*out, have * sizeof *g);
			if (!g) {
				rc = db_fail(err, DB_ENOMEM, "out of memory");
				break;
			}
			*out = g;
		}
		memset(&(*out)[*n], 0, sizeof **out);
		rc = cause_row(&(*out)[(*n)++], line, path, ln, err);
	}
	free(line);
	fclose(f);
	if (rc) {
		report_causes_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

void
report_causes_free(struct report_cause *c, size_t n)
{
	for (size_t i = 0; c && i < n; i++) {
		free(c[i].paper), free(c[i].table), free(c[i].dataset), free(c[i].model);
		free(c[i].method), free(c[i].metric), free(c[i].cause), free(c[i].citation);
		free(c[i].sw);
	}
	free(c);
}

/* The first cause whose patterns match r (in this tool's names), or NULL. */
const struct report_cause *
report_cause_find(const struct report_cause *c, size_t n, const struct report_ref *r)
{
	char ds[128], mo[64], me[128], mk[48];
	report_ref_name(r->dataset, ds, sizeof ds);
	report_ref_name(r->model, mo, sizeof mo);
	report_ref_name(r->method, me, sizeof me);
	snprintf(mk, sizeof mk, "%s@%d", r->metric, r->k);
	for (size_t i = 0; i < n; i++)
		if (!fnmatch(c[i].paper, r->paper, 0) && !fnmatch(c[i].table, r->table, 0) &&
			!fnmatch(c[i].dataset, ds, 0) && !fnmatch(c[i].model, mo, 0) &&
			!fnmatch(c[i].method, me, 0) && !fnmatch(c[i].metric, mk, 0))
			return &c[i];
	return NULL;
}
