/* denoisebench export: result files (or directories of them) -> one TSV. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "report/report.h"
#include "results/result.h"

int cmd_export(int argc, char **argv);

static int
export_file(const char *file, void *arg, db_err *err)
{
	(void)arg;
	return result_export(stdout, file, err);
}

/* --tidy: every per-seed mean and per-user value, with the cell group. */
static int
export_tidy(int npaths, char **paths)
{
	struct report_set s;
	db_err err = {{0}};
	int rc = report_set_load(&s, paths, (size_t)npaths, &err);
	if (!rc) {
		rc = report_tidy_write(stdout, &s, &err);
		report_set_free(&s);
	}
	return rc ? cli_error(rc, &err) : CLI_OK;
}

int
cmd_export(int argc, char **argv)
{
	if (argc < 2)
		return cli_usage_error("export", "give result files or directories");
	if (!strcmp(argv[1], "--help")) {
		puts("usage: denoisebench export [--tidy] FILE|DIR...\n\n"
		     "Prints one TSV of every metric of the given result files (directories are\n"
		     "searched recursively), header first:\n"
		     "dataset model method seed split metric k value config_hash\n\n"
		     "--tidy FILE|DIR...: one row per per-seed mean and per-user value instead:\n"
		     "dataset model method seed config_hash group split metric k user value\n"
		     "(user 'all' on the means; group numbers the cell groups: the same settings\n"
		     "apart from seed and data).");
		return CLI_OK;
	}
	if (!strcmp(argv[1], "--tidy"))
		return argc > 2 ? export_tidy(argc - 2, argv + 2)
				: cli_usage_error("export", "give result files or directories");
	fputs(result_export_header, stdout);
	for (int i = 1; i < argc; i++) {
		db_err err = {{0}};
		int rc = result_walk(argv[i], export_file, NULL, &err);
		if (rc)
			return cli_error(rc, &err);
	}
	return CLI_OK;
}
