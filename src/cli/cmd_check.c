/* denoisebench check SUITE: validate a suite file and list its cells. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "suite/suite.h"

int cmd_check(int argc, char **argv);

static int list_cells(const struct suite_cell *cells, size_t n)
{
	db_err err;
	int rc = CLI_OK;
	for (size_t i = 0; i < n && rc == CLI_OK; i++) {
		char path[4096];
		if (suite_cell_path(&cells[i], ".", path, sizeof path, &err) != DB_OK) {
			fprintf(stderr, "denoisebench check: %s\n", err.msg);
			rc = CLI_FAILED;
		} else {
			printf("%zu %s\n", i + 1, path + 2);
		}
	}
	return rc;
}

int cmd_check(int argc, char **argv)
{
	if (argc != 2 || !strcmp(argv[1], "--help")) {
		if (argc == 2) {
			puts("usage: denoisebench check SUITE\n\nValidates a suite file (README "
			     "\"Suites\") and lists its cells:\nINDEX (for `denoisebench cell`) and result path.");
			return CLI_OK;
		}
		return cli_usage_error("check", "expected one suite file");
	}
	struct suite s;
	struct suite_cell *cells;
	size_t n;
	int rc = cli_suite_open("check", argv[1], &s, &cells, &n) == DB_OK ? list_cells(cells, n)
		: CLI_FAILED;
	suite_cells_free(cells, n);
	suite_free(&s);
	return rc;
}
