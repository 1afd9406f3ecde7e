/* Suite files: a YAML description of a grid of runs (see README "Suites").
 *
 * suite_load parses and validates the whole file before anything runs; every
 * problem found is kept as "FILE:LINE:COLUMN: message" so that all of them can
 * be reported at once.  suite_expand turns a valid suite into cells: one
 * explicit config per (dataset, model, method, seed).
 */
#ifndef DB_SUITE_SUITE_H
#define DB_SUITE_SUITE_H

#include <stddef.h>
#include <stdio.h>

#include "config/config.h"
#include "util/status.h"

struct suite_setting {
	char *key, *val;
	size_t line, col;
};

struct suite_dataset {
	char *name, *path; /* path NULL: the built-in synthetic generator */
	int optional, missing; /* missing: optional and absent, so skipped */
	struct suite_setting *set;
	size_t nset;
};

struct suite {
	char *name;
	struct suite_dataset *data;
	size_t ndata;
	char **models, **methods;
	size_t nmodels, nmethods;
	long *seeds;
	size_t nseeds;
	struct suite_setting *set;
	size_t nset;
	char **problems; /* validation messages, FILE:LINE:COLUMN: ... */
	size_t nproblems;
};

/* Parses and validates path.  Returns DB_OK when the suite is valid; DB_EPARSE
 * when s->problems lists what is wrong (s must still be freed); another code
 * with err filled when the file cannot be read. */
int suite_load(struct suite *s, const char *path, db_err *err);
void suite_free(struct suite *s);

/* All cells of a valid suite, datasets outermost, seeds innermost. */
int suite_expand(const struct suite *s, config **cells, size_t *ncells, db_err *err);
void suite_cells_free(config *cells, size_t ncells);

/* suite_load then suite_expand; on DB_EPARSE s->problems says why. */
int suite_load_cells(struct suite *s, const char *path, config **cells, size_t *ncells, db_err *err);

/* Where a cell's result goes: DIR/DATASET/MODEL-METHOD-sSEED-HASH12.result,
 * HASH12 from the resolved configuration and the tool version, so that a
 * changed setting or a new release never reuses an old result. */
int suite_cell_path(const config *cell, const char *dir, char *path, size_t size, db_err *err);

/* The runner: forked workers, one cell each at a time.  A cell whose result
 * file exists is skipped unless force; a failed cell leaves PATH.failed with
 * its reason.  run() executes one cell in the worker; done() is called in the
 * parent after each cell finishes (status: 0 ok, 1 failed, 2 skipped). */
struct suite_progress {
	size_t done, total, running, failed;
	const config *cell;
	const char *path;
	int status;
};
typedef int (*suite_run_fn)(const config *cell, const char *out_path, db_err *err);
typedef void (*suite_done_fn)(const struct suite_progress *p, void *arg);
int suite_run(const config *cells, size_t n, const char *dir, int jobs, int force,
	suite_run_fn run, suite_done_fn done, void *arg, db_err *err);

/* Writes how external engines run the n cells of suite_path, each as
 * `EXE cell SUITE INDEX --results DIR` (INDEX from 1): format "make" (a
 * Makefile for make -j), "parallel" (one command a line) or "slurm" (a job
 * array script). */
int suite_plan_write(FILE *f, const char *format, const char *exe, const char *suite_path,
	const char *name, size_t n, const char *dir, db_err *err);

#endif
