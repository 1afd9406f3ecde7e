/* denoisebench cell SUITE INDEX [--results DIR] [--force]: one cell of a
 * suite (INDEX from 1, in `denoisebench check` order); what make, GNU
 * parallel and Slurm call (see `denoisebench plan`). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "suite/suite.h"

int cmd_cell(int argc, char **argv);

static void
report(const struct suite_progress *p, void *arg)
{
	static const char *const what[] = {"done", "FAILED", "skipped (result exists)"};
	if (p->status == 3) /* a progress tick: the cell's log has the details */
		return;
	fprintf(stderr, "%s %s\n", p->path, what[p->status]);
	*(size_t *)arg = p->failed;
}

int
cmd_cell(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "--help")) {
		puts("usage: denoisebench cell SUITE INDEX [--results DIR] [--force]\n\n"
		     "Runs cell INDEX (from 1, in `denoisebench check` order) of SUITE into DIR\n"
		     "(default results/NAME), as `denoisebench run` would.");
		return CLI_OK;
	}
	const char *dir = NULL;
	int force = 0;
	for (int i = 3; i < argc; i++) {
		if (!strcmp(argv[i], "--force"))
			force = 1;
		else if (!strcmp(argv[i], "--results") && i + 1 < argc)
			dir = argv[++i];
		else
			return cli_usage_error("cell", "unexpected argument '%s'", argv[i]);
	}
	char *end;
	long idx = argc >= 3 ? strtol(argv[2], &end, 10) : 0;
	if (argc < 3 || *end || idx < 1)
		return cli_usage_error("cell", "expected SUITE and a cell index from 1");
	struct suite s;
	struct suite_cell *cells;
	size_t n, failed = 0;
	db_err err;
	int opened = cli_suite_open("cell", argv[1], &s, &cells, &n), rc = opened;
	char def[1024];
	snprintf(def, sizeof def, "results/%s", s.name ? s.name : "");
	if (rc == DB_OK && (size_t)idx > n)
		rc = db_fail(&err, DB_EINVAL, "%s has %zu cells, not %ld", argv[1], n, idx);
	if (rc == DB_OK)
		rc = suite_run(&cells[idx - 1], 1, dir ? dir : def, 1, force, cli_run_cell, NULL, report,
			&failed, &err);
	if (rc != DB_OK && opened == DB_OK)
		fprintf(stderr, "denoisebench cell: %s\n", err.msg);
	suite_cells_free(cells, n);
	suite_free(&s);
	return rc != DB_OK || failed ? CLI_FAILED : CLI_OK;
}
