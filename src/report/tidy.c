/* The tidy table of a result set: one row per value, for R, pandas, awk. */
#include "report/report.h"

#include <string.h>

const char report_tidy_header[] =
	"dataset\tmodel\tmethod\tseed\tconfig_hash\tgroup\tsplit\tmetric\tk\tuser\tvalue\n";

static void
write_cell(FILE *out, const struct report_cell *c, size_t group)
{
	for (size_t i = 0; i < c->nmetrics; i++) {
		const struct report_metric *m = &c->metrics[i];
		if (strcmp(m->metric, "users")) /* the count of users is not a value */
			fprintf(out, "%s\t%s\t%s\t%ld\t%s\t%zu\t%s\t%s\t%d\tall\t%.17g\n",
				c->dataset, c->model, c->method, c->seed, c->hash, group, m->split,
				m->metric, m->k, m->value);
	}
	for (size_t i = 0; i < c->nseries; i++) {
		const struct report_series *s = &c->series[i];
		for (size_t u = 0; u < s->n; u++)
			fprintf(out, "%s\t%s\t%s\t%ld\t%s\t%zu\t%s\t%s\t%d\t%d\t%.17g\n",
				c->dataset, c->model, c->method, c->seed, c->hash, group, s->split,
				s->metric, s->k, s->user[u], s->value[u]);
	}
}

/* group: the cell group's number (from 1, in group-key order), so that a
 * consumer can aggregate over seeds without re-deriving the key. */
int
report_tidy_write(FILE *out, const struct report_set *s, db_err *err)
{
	fputs(report_tidy_header, out);
	for (size_t g = 0; g < s->ngroups; g++)
		for (size_t i = 0; i < s->groups[g].n; i++)
			write_cell(out, report_group_cell(s, &s->groups[g], i), g + 1);
	if (fflush(out) || ferror(out))
		return db_fail(err, DB_EIO, "write error on the tidy table");
	return DB_OK;
}
