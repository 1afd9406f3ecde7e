/* denoisebench plan SUITE --format make|parallel|slurm [--results DIR]:
 * the suite's cells as a Makefile, a GNU parallel job list or a Slurm job
 * array, each line calling `denoisebench cell`. */
#define _XOPEN_SOURCE 700 /* realpath */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "suite/suite.h"

int cmd_plan(int argc, char **argv);

int
cmd_plan(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "--help")) {
		puts("usage: denoisebench plan SUITE --format make|parallel|slurm [--results "
		     "DIR]\n\n"
		     "Writes on stdout how to run SUITE's cells with make -j, GNU parallel or a\n"
		     "Slurm job array; each cell is `denoisebench cell SUITE INDEX`.");
		return CLI_OK;
	}
	const char *format = NULL, *dir = NULL;
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--format") && i + 1 < argc)
			format = argv[++i];
		else if (!strcmp(argv[i], "--results") && i + 1 < argc)
			dir = argv[++i];
		else
			return cli_usage_error("plan", "unexpected argument '%s'", argv[i]);
	}
	if (argc < 2 || !format)
		return cli_usage_error("plan", "expected SUITE --format make|parallel|slurm");
	/* absolute paths, so that the plan runs from any directory or node */
	char exe[PATH_MAX], suite_path[PATH_MAX], rdir[PATH_MAX], installed[PATH_MAX];
	ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (len <= 0 || !realpath(cli_share_path(installed, sizeof installed, argv[1]), suite_path))
		return cli_usage_error("plan", "cannot locate the executable or '%s'", argv[1]);
	exe[len] = '\0';
	struct suite s;
	struct suite_cell *cells;
	size_t n;
	db_err err;
	int opened = cli_suite_open("plan", argv[1], &s, &cells, &n), rc = opened;
	char cwd[PATH_MAX];
	if (rc == DB_OK && !dir && !getcwd(cwd, sizeof cwd))
		rc = db_fail(&err, DB_EIO, "cannot name the results directory");
	if (rc == DB_OK &&
		snprintf(rdir, sizeof rdir, dir ? "%s" : "%s/results/%s", dir ? dir : cwd,
			s.name) >= (int)sizeof rdir)
		rc = db_fail(&err, DB_EIO, "results directory name too long");
	if (rc == DB_OK)
		rc = suite_plan_write(stdout, format, exe, suite_path, s.name, n, rdir, &err);
	if (rc != DB_OK && opened == DB_OK)
		fprintf(stderr, "denoisebench plan: %s\n", err.msg);
	suite_cells_free(cells, n);
	suite_free(&s);
	return rc == DB_OK ? CLI_OK : CLI_FAILED;
}
