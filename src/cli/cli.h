/* Command-line layer: the only code that prints to the user and chooses
 * exit statuses.  One file per command, each a row of cli_commands. */
#ifndef DB_CLI_CLI_H
#define DB_CLI_CLI_H

#include <stdio.h>

#include "config/config.h"
#include "eval/eval.h"
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
int cli_usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The summary of one run that commands print. */
struct run_summary {
	char model[32], method[32], dataset[128];
	int nk, ks[EVAL_MAX_K];
	double test[METRIC_COUNT][EVAL_MAX_K];
	int test_users;
	double seconds_train, seconds_per_epoch, seconds_eval;
	int epochs;
	long iterations;
};

/* The single-run path shared by `train` and the default job: resolve the
 * configuration, load (or synthesise) the data, train, evaluate, write the
 * result file (out_path may be NULL) and the top-K dump (may be NULL). */
int run_one(const config *explicit_, const char *out_path, const char *dump_path,
	struct run_summary *sum, db_err *err);

/* Writes a summary table of runs to f. */
void cli_print_summaries(FILE *f, const struct run_summary *s, int n);

#endif
