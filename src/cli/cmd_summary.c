/* denoisebench summary RESULTS... [--metric M@K]... [--markdown]: the pivot
 * table of a result set (rows dataset × model × method, mean ± sd). */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "report/report.h"

int cmd_summary(int argc, char **argv);

static int
usage(void)
{
	puts("usage: denoisebench summary RESULTS... [--metric METRIC@K]... [--markdown]\n"
	     "       [--where KEY=VALUE]\n\n"
	     "Reads the result files under RESULTS (files or directories) and prints a\n"
	     "row per cell group (dataset, model, method; seeds are its replicates) and\n"
	     "a column per test metric (default recall and ndcg at the largest K), each\n"
	     "the mean ± sd over the seeds with their count; --markdown prints a\n"
	     "Markdown table; --where keeps the cells with that setting.  When the\n"
	     "groups' selection rules differ, a selection column names each, the\n"
	     "oracle's as an upper bound; when `tune`'s tuned cells are among them, a\n"
	     "tuning column marks their rows tuned.  Tuning trials are left out.");
	return CLI_OK;
}

static int
print_pivot_where(FILE *f, char *const *paths, size_t npaths, char *const *metrics, size_t nmetrics,
	int markdown, const char *where, db_err *err)
{
	struct report_set s;
	char def[2][32];
	char *defp[2] = {def[0], def[1]};
	int rc = report_set_load_where(&s, paths, npaths, where, err);
	if (rc)
		return rc;
	if (!nmetrics && !report_pivot_default(&s, def))
		rc = db_fail(err, DB_EINVAL, "no result with test metrics under the given paths");
	else
		rc = report_pivot_write(f, &s, nmetrics ? metrics : defp, nmetrics ? nmetrics : 2,
			markdown, err);
	report_set_free(&s);
	return rc;
}

int
cli_print_pivot(FILE *f, char *const *paths, size_t npaths, char *const *metrics, size_t nmetrics,
	int markdown, db_err *err)
{
	return print_pivot_where(f, paths, npaths, metrics, nmetrics, markdown, NULL, err);
}

int
cmd_summary(int argc, char **argv)
{
	char *paths[256], *metrics[16];
	size_t np = 0, nm = 0;
	int md = 0;
	const char *where = NULL;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help"))
			return usage();
		else if (!strcmp(argv[i], "--markdown"))
			md = 1;
		else if (!strcmp(argv[i], "--where") && i + 1 < argc)
			where = argv[++i];
		else if (!strcmp(argv[i], "--metric") && i + 1 < argc && nm < 16)
			metrics[nm++] = argv[++i];
		else if (argv[i][0] == '-' || np == 256)
			return cli_usage_error("summary", "unexpected argument '%s'", argv[i]);
		else
			paths[np++] = argv[i];
	}
	if (!np)
		return cli_usage_error("summary", "give result files or directories");
	db_err err = {{0}};
	int rc = print_pivot_where(stdout, paths, np, metrics, nm, md, where, &err);
	return rc ? cli_error(rc, &err) : CLI_OK;
}
