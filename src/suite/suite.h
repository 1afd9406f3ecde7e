/* Suite files: a YAML description of a grid of runs (see README "Suites").
 *
 * suite_load parses and validates the whole file before anything runs; every
 * problem found is kept as "FILE:LINE:COLUMN: message" so that all of them can
 * be reported at once.  suite_expand turns a valid suite into cells: one
 * explicit config per (dataset, model, method, swept values, seed).
 */
#ifndef DB_SUITE_SUITE_H
#define DB_SUITE_SUITE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "config/config.h"
#include "util/status.h"

/* One key of a `settings:` block (one value), of a `sweep:` block (one
 * cell per value) or of a `search:` block (sweep SUITE_SEARCH: the values a
 * tuning trial draws from, a list or a range lo..hi on a scale). */
enum { SUITE_SEARCH = 2 };
enum suite_scale { SUITE_LIST, SUITE_LIN, SUITE_LOG };
struct suite_setting {
	char *key;
	char **vals;
	size_t nvals;
	int sweep;
	enum suite_scale scale; /* a search key's */
	double lo, hi;          /* its range (scale LIN or LOG) */
	size_t points;          /* grid points of a range */
	size_t line, col;
};

/* The suite's `search:` options (README "Tuning"): trials per searched
 * (dataset, model, method), drawn as a grid or at random from the stream
 * named by seed, each trained with the first `seeds` seeds and scored on
 * validation by the target (valid:METRIC@K, higher better; valid_loss,
 * lower better). */
struct suite_search {
	size_t budget, nseeds;
	int random;
	unsigned long seed;
	int loss;   /* target valid_loss */
	int metric; /* else: metric_names index and K on the valid split */
	int k;
	char *target;     /* as written */
	size_t line, col; /* of the suite's search: mapping */
};

/* The settings and sweeps of one level of the suite (general, a dataset, a
 * model, a method, a cell rule). */
struct suite_level {
	struct suite_setting *set;
	size_t nset;
};

struct suite_dataset {
	char *name, *path;     /* path NULL: the built-in synthetic generator */
	int optional, missing; /* missing: optional and absent, so skipped */
	struct suite_level lv;
};

/* A model or method of the matrix with its own settings. */
struct suite_entry {
	char *name;
	struct suite_level lv;
	size_t line, col; /* of its name, for messages */
};

/* A `cells:` entry: settings for the cells it matches (NULL matches any). */
struct suite_rule {
	char *dataset, *model, *method;
	struct suite_level lv;
};

/* An `exclude:` entry: the cells it matches are not part of the suite.
 * Empty name lists match any; values (KEY: V or KEY: [V, ...]) match a cell
 * whose setting KEY is one of the values. */
struct suite_exclude {
	char **datasets, **models, **methods;
	size_t ndatasets, nmodels, nmethods;
	struct suite_level values;
	size_t line, col;
};

/* Cells per suite unless the suite's `max_cells:` says otherwise. */
#define SUITE_MAX_CELLS 100000

/* A published number the report compares against (README "Suites",
 * `reference:`); dataset, model and method use this tool's names. */
struct suite_reference_row {
	char *paper, *table, *dataset, *model, *method, *metric;
	int k;
	double mean, sd;
	int has_sd;
};

struct suite {
	char *name;
	struct suite_dataset *data;
	size_t ndata;
	struct suite_entry *models, *methods;
	size_t nmodels, nmethods;
	long *seeds;
	size_t nseeds;
	struct suite_level lv; /* the suite's own settings and sweeps */
	struct suite_rule *rules;
	size_t nrules;
	struct suite_exclude *excludes;
	size_t nexcludes;
	size_t max_cells; /* 0: SUITE_MAX_CELLS */
	struct suite_reference_row *refs;
	size_t nrefs;
	struct suite_search search; /* budget 0: no search */
	char **problems;            /* validation messages, FILE:LINE:COLUMN: ... */
	size_t nproblems;
};

/* Parses and validates path.  Returns DB_OK when the suite is valid; DB_EPARSE
 * when s->problems lists what is wrong (s must still be freed); another code
 * with err filled when the file cannot be read. */
int suite_load(struct suite *s, const char *path, db_err *err);
/* suite_load for readers of the suite's names and reference rows only
 * (report): dataset paths are kept as written, ${VAR} unexpanded, and
 * neither the environment nor the directories need to exist. */
int suite_load_labels(struct suite *s, const char *path, db_err *err);
void suite_free(struct suite *s);

/* The published row for (dataset, model, method, metric, k), or NULL. */
const struct suite_reference_row *suite_reference_find(const struct suite *s, const char *dataset,
	const char *model, const char *method, const char *metric, int k);

/* One cell: its explicit settings (config_resolve adds the defaults), the
 * swept values that tell it from its siblings, and its data's checksum. */
struct suite_cell {
	config cfg;
	char *label;            /* "key=value,key=value" of the swept settings, or "" */
	uint64_t data_checksum; /* data_dir_checksum of the dataset; 0: synthetic */
};

/* All cells of a valid suite: the tuning trials first (suite_expand_trials),
 * then the ordinary cells: datasets, models, methods, swept values (the
 * first swept key outermost), seeds innermost, less those an `exclude:` rule
 * matches (suite_load has refused suites of more than max_cells).  A cell's settings are, later
 * winning: the suite's, the dataset's, the model's, the method's, then each
 * matching `cells:` rule in file order. */
int suite_expand(const struct suite *s, struct suite_cell **cells, size_t *ncells, db_err *err);
/* Only the tuning trials: per searched (dataset, model, method) in matrix
 * order, trial 1..budget, each with the search seeds, eval_test=false (the
 * test split is never opened: their data checksum covers train and valid
 * only) and eval_valid_rank=true under a valid:METRIC target. */
int suite_expand_trials(const struct suite *s, struct suite_cell **cells, size_t *ncells,
	db_err *err);
/* The trial cells of one group (labels "trial=N,KEY=V,..."). */
int suite_expand_group_trials(const struct suite *s, size_t d, size_t m, size_t t,
	struct suite_cell **cells, size_t *ncells, db_err *err);
/* The tuned cells of one searched group: the ordinary cells with the
 * search keys set to vals (one per search key, in merged order), every
 * seed, appended to *cells. */
int suite_expand_tuned(const struct suite *s, size_t d, size_t m, size_t t, char *const *vals,
	struct suite_cell **cells, size_t *ncells, db_err *err);

/* After the trials ran into dir: each searched group's best trial on the
 * validation target (ties: the first), DIR/tuning.tsv written atomically
 * (README "Tuning"), and the tuned cells (every seed, test evaluated) in
 * *tuned.  A missing or unreadable trial result is an error naming it. */
int suite_tune(const struct suite *s, const char *dir, struct suite_cell **tuned, size_t *ntuned,
	db_err *err);

/* The trials of one (dataset, model, method): n rows of nkeys values (the
 * search keys in merged order), deterministic given the suite. */
struct suite_trials {
	size_t n, nkeys;
	const struct suite_setting **keys;
	char **v; /* v[trial * nkeys + key] */
};
/* tr->n is 0 when the group has no search keys. */
int suite_trials_make(const struct suite *s, size_t d, size_t m, size_t t, struct suite_trials *tr,
	db_err *err);
void suite_trials_free(struct suite_trials *tr);
void suite_cells_free(struct suite_cell *cells, size_t ncells);

/* Keeps, in order, the cells whose setting KEY is one of the values of
 * filter "KEY=V1,V2,..." and frees the others; *n becomes the count kept. */
int suite_cells_select(struct suite_cell *cells, size_t *n, const char *filter, db_err *err);

/* suite_load then suite_expand; on DB_EPARSE s->problems says why. */
int suite_load_cells(struct suite *s, const char *path, struct suite_cell **cells, size_t *ncells,
	db_err *err);

/* Where a cell's result goes: DIR/DATASET/MODEL-METHOD[-LABEL]-sSEED-HASH12.result,
 * HASH12 from the resolved configuration, the data checksum and the tool
 * version, so that a changed setting, changed data or a new release never
 * reuses an old result. */
int suite_cell_path(const struct suite_cell *cell, const char *dir, char *path, size_t size,
	db_err *err);

/* The runner: forked workers, one cell each at a time.  A cell whose result
 * file exists is skipped unless force; a failed cell leaves PATH.failed with
 * its reason.  run() executes one cell in the worker and may write progress
 * lines to log (PATH.log); done() is called in the parent after each cell
 * finishes (status: 0 ok, 1 failed, 2 skipped) and about once a second while
 * cells run (status 3, a tick: running_paths holds the `running` result paths
 * whose logs say how far each cell is; cell and path are NULL).
 * Thread budget: a cell launched while fewer than jobs cells are left to
 * launch (itself and the later ones without a result file, or all with
 * force) gets jobs / left threads, integer division, else one; fixed at
 * launch, so the tail of a suite uses the slots that would sit idle.  The
 * budget changes only timing lines. */
struct suite_progress {
	size_t done, total, running, failed;
	const struct suite_cell *cell;
	const char *path;
	int status;
	const char *const *running_paths;
};
/* status: 0 done, 1 failed, 2 skipped (result exists), 3 a progress tick,
 * 4 waiting (another run holds the cell's lock; then 0-2 follow). */
/* threads: the cells' thread budget (suite_run's launch rule); n cells
 * from one training (share said so, the first the one share was asked
 * about) or one; their results into out_paths, in order: *written says how
 * many were written when it fails. */
typedef int (*suite_run_fn)(const config *const *cells, const char *const *out_paths, int n,
	int threads, FILE *log, int *written, db_err *err);
/* > 0 when cell b can come from cell a's training: a key, distinct for
 * cells that can share a's training together (their rule); 0 otherwise. */
typedef int (*suite_share_fn)(const config *a, const config *b);
/* Most cells of one shared training: the rules best, last and oracle. */
#define SUITE_SHARE_MAX 3
typedef void (*suite_done_fn)(const struct suite_progress *p, void *arg);
/* share: NULL, or cells still to run that it pairs with the launched cell
 * (up to SUITE_SHARE_MAX in all, later in the list, written with the same
 * settings but for selection, whose locks are free) run in the launched
 * cell's worker, from its training. */
int suite_run(const struct suite_cell *cells, size_t n, const char *dir, int jobs, int force,
	suite_run_fn run, suite_share_fn share, suite_done_fn done, void *arg, db_err *err);
/* DB_EINVAL unless DENOISEBENCH_IDENTITY is unset, commit or release. */
int suite_identity_check(db_err *err);

/* Writes how external engines run the n cells of suite_path, each as
 * `EXE cell SUITE INDEX --results DIR` (INDEX from 1): format "make" (a
 * Makefile for make -j), "parallel" (one command a line) or "slurm" (a job
 * array script). */
int suite_plan_write(FILE *f, const char *format, const char *exe, const char *suite_path,
	const char *name, size_t n, const char *dir, db_err *err);

#endif
