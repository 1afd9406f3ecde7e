/* Command-line layer: the only code that prints to the user and chooses
 * exit statuses.  One file per command, each a row of cli_commands. */
#ifndef DB_CLI_CLI_H
#define DB_CLI_CLI_H

#include <stdio.h>

#include "config/config.h"
#include "eval/eval.h"
#include "suite/suite.h"
#include "util/status.h"

struct cli_command {
	const char *name;
	const char *summary;
	int (*run)(int argc, char **argv);
};

extern const struct cli_command cli_commands[];

/* Exit statuses: 0 ok, 1 the run failed, 2 bad usage or input. */
enum { CLI_OK = 0, CLI_FAILED = 1, CLI_USAGE = 2 };

/* Prints "denoisebench: <msg>" to stderr and returns the exit status for code. */
int cli_error(int code, const db_err *err);
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The options train and import share for a cell's settings: -d data,
 * -m model, -s seed, -p protocol, -k ks (the setting of that name) and
 * -S KEY=VALUE, into ex.  Returns 1 when c is one of them, with the
 * config's status in *rc; 0 for any other option. */
int cli_cell_option(config *ex, int c, const char *arg, int *rc, db_err *err);

/* The console columns of a summary: its first RUN_SUMMARY_KS cut-offs (the
 * result file has every K; cli_print_summaries says how many it leaves out). */
#define RUN_SUMMARY_KS 16

/* The summary of one run that commands print. */
struct run_summary {
	char model[32], method[32], dataset[128];
	int nk_all, nk, ks[RUN_SUMMARY_KS]; /* nk: the first min(nk_all, RUN_SUMMARY_KS) */
	double test[METRIC_COUNT][RUN_SUMMARY_KS];
	int test_users;
	double seconds_train, seconds_per_epoch, seconds_eval;
	int epochs;
	long iterations;
	/* how training ended: early stop at stop_epoch of phase_epochs (in
	 * phase stop_phase, from 0) after `rounds` validation-loss increases */
	int trained, stopped_early, stop_phase, stop_epoch, phase_epochs, rounds;
};

/* What a run is given beside its settings, none of it in the result's
 * numbers: the optional files of the test evaluation (each NULL: none),
 * the top-K lists (--dump-topk) and every item's ranked score
 * (--dump-scores); the evaluations' worker processes and the threads of the
 * target model's splittable passes (--threads; <= 1: one), recorded in a
 * timing line only. */
struct run_opts {
	const char *topk, *scores;
	int threads;
};

/* The single-run path shared by `train` and the default job: resolve the
 * configuration, load (or synthesise) the data, train, evaluate, write the
 * result file (out_path may be NULL) and the dumps (may be NULL). */
int run_one(const config *explicit_, const char *out_path, const struct run_opts *dumps,
	struct run_summary *sum, db_err *err);
/* run_one that also writes a line per validation point and epoch to log
 * (a suite cell's PATH.log; NULL: none). */
int run_one_log(const config *explicit_, const char *out_path, const struct run_opts *dumps,
	FILE *log, struct run_summary *sum, db_err *err);
/* run_one_log of n cells that differ only in `selection` (the first best
 * or last, the others best, last or oracle, README "Shared training"), from
 * one training: cell i's result file into outs[i], each the file the cell
 * alone writes but for its timing lines; *sum and the dumps are the
 * first's; *written: how many files, from the first, were written (all of
 * them unless it fails).  DB_EINVAL when the cells differ otherwise or the
 * method cannot share (train_share_rule). */
#define RUN_SHARED_MAX 3
int run_shared_log(const config *const *cells, const char *const *outs, int n,
	const struct run_opts *dumps, FILE *log, struct run_summary *sum, int *written,
	db_err *err);

/* Suite commands (suite_open.c): load and expand a suite, printing its
 * problems, the optional datasets skipped and the data that differ from their
 * manifest; returns the suite_load_cells code.  s and cells must be freed. */
int cli_suite_open(const char *cmd, const char *path, struct suite *s, struct suite_cell **cells,
	size_t *n);
/* Runs cells into dir with run's progress lines and, when table, its
 * closing table (cmd_run.c); *failed: the cells that failed.  share: cells
 * that differ only in selection share one training (run_shareable).
 * cli_failed_status: run's exit status for that count, said on stderr. */
int cli_run_cells(const char *cmd, const struct suite_cell *cells, size_t n, const char *dir,
	int jobs, int force, int share, int table, size_t *failed);
int cli_failed_status(const char *cmd, size_t failed, size_t n);
/* The options of run and tune (cmd_run.c): SUITE once, anywhere; --jobs N
 * (1 to 256), --results DIR, --force and, when only, --only KEY=V1,V2...
 * (at most 16) into o, which holds the defaults.  -1 when the command goes
 * on, else its exit status (help()'s for --help, or a usage error said). */
struct cli_run_opts {
	const char *file, *dir;
	int jobs, force, nonly;
	int no_share; /* run --no-share: every cell its own training */
	const char *only[16];
};
int cli_run_options(const char *cmd, int argc, char **argv, int (*help)(void), int only,
	struct cli_run_opts *o);
/* The runner's cell function: run_shared_log without a summary. */
int cli_run_cell(const config *const *cells, const char *const *outs, int n, int threads, FILE *log,
	int *written, db_err *err);
/* The runner's share function (suite_share_fn): cell b's rule + 1 when it
 * can come from cell a's training (run_shared_log), else 0. */
int run_shareable(const config *a, const config *b);
/* DIR/NAME.manifest into out, DIR from $DENOISEBENCH_MANIFESTS or else
 * fallback; 0 when it does not fit. */
int cli_manifest_path(char *out, size_t size, const char *name, const char *fallback);

/* Loads the configured data directory (the `data` setting), or writes the
 * built-in synthetic dataset to a temporary directory and loads that. */
int run_load_data(dataset *d, const config *cfg, db_err *err);

/* rel from the working directory when it exists there, else from the
 * installed data directory (PKGDATADIR/rel) when that exists, else rel
 * itself (so errors name what the user gave); out holds the installed path. */
const char *cli_share_path(char *out, size_t size, const char *rel);

/* The pivot table of the result files under paths (cmd_summary.c): metric
 * columns as METRIC@K, none: recall and ndcg at the largest K. */
int cli_print_pivot(FILE *f, char *const *paths, size_t npaths, char *const *metrics,
	size_t nmetrics, int markdown, db_err *err);

/* Writes a summary table of runs to f. */
void cli_print_summaries(FILE *f, const struct run_summary *s, int n);

#endif
