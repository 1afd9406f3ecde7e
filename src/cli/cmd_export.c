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
	return result_export(arg, file, err);
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
	/* Rows go to memory first: a bad file anywhere leaves no partial table. */
	char *rows = NULL;
	size_t n = 0;
	FILE *mem = open_memstream(&rows, &n);
	db_err err = {{0}};
	int rc = mem ? DB_OK : db_fail(&err, DB_ENOMEM, "out of memory");
	for (int i = 1; !rc && i < argc; i++)
		rc = result_walk(argv[i], export_file, mem, &err);
	if (mem && fclose(mem) && !rc)
		rc = db_fail(&err, DB_ENOMEM, "out of memory");
	if (!rc) {
		fputs(result_export_header, stdout);
		fwrite(rows, 1, n, stdout);
	}
	free(rows);
	return rc ? cli_error(rc, &err) : CLI_OK;
}
