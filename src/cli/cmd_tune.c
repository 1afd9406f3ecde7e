/* denoisebench tune SUITE [--jobs N] [--results DIR] (README "Tuning"): the
 * suite's trials first, which never open a test file; then each searched
 * group's best trial on validation (DIR/tuning.tsv); then the suite's own
 * cells and the tuned ones, each with the suite's seeds, on test. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "suite/suite.h"

int cmd_tune(int argc, char **argv);

static int
usage(void)
{
	puts("usage: denoisebench tune SUITE [--jobs N] [--results DIR] [--force]\n\n"
	     "Runs the tuning trials of SUITE's search: blocks into DIR (default\n"
	     "results/NAME) on train and validation only, picks each searched\n"
	     "(dataset, model, method)'s best trial on the suite's validation target\n"
	     "(ties: the first trial), writes DIR/tuning.tsv, then runs the suite's own\n"
	     "cells and the tuned configurations with the suite's seeds on the test\n"
	     "split.  Resumable like run: cells with a result are skipped unless --force.\n"
	     "Exit status: 0, or 100 + the number of failed cells (at most 127).");
	return CLI_OK;
}

/* The search: the trials alone, expanded without reading a test file (no
 * manifest check either: it hashes them). */
static int
search(const struct suite *s, const char *dir, int jobs, int force, size_t *failed, size_t *n)
{
	db_err err;
	struct suite_cell *cells = NULL;
	int rc = suite_expand_trials(s, &cells, n, &err);
	if (rc != DB_OK)
		fprintf(stderr, "denoisebench tune: %s\n", err.msg);
	else
		rc = cli_run_cells("tune", cells, *n, dir, jobs, force, 1, 0, failed);
	suite_cells_free(cells, cells ? *n : 0);
	return rc;
}

/* The identity part of a cell's result name (the hash after the last '-'). */
static int
identity(const struct suite_cell *c, const char *dir, char *out, size_t size)
{
	char path[4200];
	db_err err;
	if (suite_cell_path(c, dir, path, sizeof path, &err) != DB_OK)
		return 0;
	snprintf(out, size, "%s", strrchr(path, '-'));
	return 1;
}

/* Keeps the suite's own cells of its expansion, which begins with the
 * trials (run already; labelled trial=N, whatever the suite's eval_test). */
static void
drop_trials(struct suite_cell *cells, size_t *n)
{
	size_t kept = 0;
	for (size_t i = 0; i < *n; i++) {
		if (cells[i].label && !strncmp(cells[i].label, "trial=", strlen("trial="))) {
			config_free(&cells[i].cfg);
			free(cells[i].label);
		} else {
			cells[kept++] = cells[i];
		}
	}
	*n = kept;
}

/* Drops each tuned cell that is one of the suite's own cells (the chosen
 * values are the defaults): one result, not two of one seed and group. */
static void
drop_defaults(struct suite_cell *cells, size_t n, struct suite_cell *tuned, size_t *ntuned,
	const char *dir)
{
	size_t kept = 0;
	for (size_t i = 0; i < *ntuned; i++) {
		char a[64] = "", b[64];
		size_t j = 0;
		identity(&tuned[i], dir, a, sizeof a);
		while (j < n && !(identity(&cells[j], dir, b, sizeof b) && !strcmp(a, b)))
			j++;
		if (j < n) {
			config_free(&tuned[i].cfg);
			free(tuned[i].label);
		} else
			tuned[kept++] = tuned[i];
	}
	*ntuned = kept;
}

/* The suite's own cells (the defaults) then the tuned ones. */
static int
final(const char *file, const char *dir, const struct suite *s, int jobs, int force, size_t *failed,
	size_t *n)
{
	db_err err;
	struct suite again = {0};
	struct suite_cell *cells = NULL, *tuned = NULL;
	size_t ntuned = 0;
	*n = 0;
	int rc = suite_tune(s, dir, &tuned, &ntuned, &err);
	if (rc != DB_OK)
		fprintf(stderr, "denoisebench tune: %s\n", err.msg);
	else
		rc = cli_suite_open("tune", file, &again, &cells, n);
	if (!rc)
		drop_trials(cells, n);
	if (!rc)
		drop_defaults(cells, *n, tuned, &ntuned, dir);
	struct suite_cell *all = rc ? NULL : realloc(cells, (*n + ntuned + 1) * sizeof *all);
	if (!rc && !all)
		rc = DB_ENOMEM;
	if (all) {
		if (ntuned) /* tuned is NULL when no group has a choice */
			memcpy(all + *n, tuned, ntuned * sizeof *all);
		cells = all, *n += ntuned;
		free(tuned), tuned = NULL, ntuned = 0;
		printf("%s/tuning.tsv written; the suite's cells and the tuned ones on test:\n",
			dir);
		fflush(stdout);
		rc = cli_run_cells("tune", cells, *n, dir, jobs, force, 1, 1, failed);
	}
	suite_free(&again);
	suite_cells_free(cells, *n);
	suite_cells_free(tuned, ntuned);
	return rc;
}

int
cmd_tune(int argc, char **argv)
{
	struct cli_run_opts o = {.jobs = 1};
	int status = cli_run_options("tune", argc, argv, usage, 0, &o);
	if (status >= 0)
		return status;
	if (!o.file)
		return cli_usage_error("tune", "which suite? denoisebench tune SUITE");
	char installed[4096], def[1024];
	const char *file = cli_share_path(installed, sizeof installed, o.file);
	const char *dir = o.dir ? o.dir : def;
	struct suite s;
	db_err err;
	size_t failed = 0, n = 0;
	int rc = suite_load(&s, file, &err);
	for (size_t i = 0; i < s.nproblems; i++)
		fprintf(stderr, "%s\n", s.problems[i]);
	if (rc == DB_OK && !s.search.budget)
		rc = db_fail(&err, DB_EINVAL, "%s has no search: block; run it with `run`", file);
	if (rc != DB_OK && !s.nproblems)
		fprintf(stderr, "denoisebench tune: %s\n", err.msg);
	snprintf(def, sizeof def, "results/%s", s.name ? s.name : "");
	if (rc == DB_OK)
		rc = search(&s, dir, o.jobs, o.force, &failed, &n);
	if (rc == DB_OK && !failed) /* a failed trial leaves its group without a choice */
		rc = final(file, dir, &s, o.jobs, o.force, &failed, &n);
	suite_free(&s);
	return rc != DB_OK ? CLI_FAILED : cli_failed_status("tune", failed, n);
}
