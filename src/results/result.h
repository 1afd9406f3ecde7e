/* Result files: one per run, written atomically (temp file + rename).
 *
 * A line-oriented, tagged, TAB-separated text that awk, pandas and this
 * tool read alike; the first field of each line says what it holds:
 *   denoisebench-result  <format version>
 *   version|blas|build_flags  <value>          the tool that produced it
 *   config_hash|data_checksum <16 hex digits>
 *   config   <key> <value>                     every resolved setting
 *   data     <field> <value>                   users, items, line counts
 *   train    <field> <value>                   iterations, epochs, selection
 *   warning  <text>                            a setting that made the method
 *                                              inert or the selection impossible
 *   curve    <iteration> <epoch> <valid_loss> <train_loss> <loss_clean> <loss_noisy>
 *            (the last two: mean plain BCE of the training positives rated
 *            >= / < noisy_below since the previous point, nan when none;
 *            files before them end at train_loss)
 *   curve_stat <iteration> <name> <value>      the method's counters at the
 *                                              point (T-CE: dropped,
 *                                              dropped_noisy, noisy_seen)
 *   rating_prob <rating> <lines> <mean>        mean float32 sigmoid(z) of the
 *                                              trained model over the train
 *                                              lines of that rating
 *   metric   <split> <metric> <k> <value>      means over evaluated users
 *   ks       <split> <k1> <k2> ...             columns of the user lines
 *   user     <split> <user> <metric> <v@k1> <v@k2> ...
 *   timing   <name> <value>                    the only lines that vary
 *                                              between identical runs
 * Numbers are printed with %.17g so they read back exactly.
 */
#ifndef DB_RESULTS_RESULT_H
#define DB_RESULTS_RESULT_H

#include <stdio.h>

#include "config/config.h"
#include "data/dataset.h"
#include "eval/eval.h"
#include "train/train.h"

#define RESULT_FORMAT 1

struct run_output {
	const config *cfg; /* resolved */
	const dataset *d;
	const model *f;
	const struct train_log *log;
	/* noisy, valid may be NULL; test too in an import of another split */
	const eval_result *test, *noisy, *valid;
	const eval_rating_prob *rating_prob;     /* may be NULL */
	double seconds_eval, seconds_total;
	long peak_rss_kib;
	/* `warning` lines: settings that made the method inert or the selection
	 * impossible in this run (train_warnings) */
	const char (*warnings)[TRAIN_WARNING_LEN];
	int nwarnings;
};

int result_write(const char *path, const struct run_output *o, db_err *err);
/* Appends the file's metric lines to out as export rows
 * (dataset model method seed split metric k value config_hash). */
int result_export(FILE *out, const char *path, db_err *err);
extern const char result_export_header[];

/* (results/walk.c) Calls fn on path when it is a file (named files are
 * taken as they are), or on every result file below a directory, in name
 * order at every level; stops at the first error. */
typedef int (*result_walk_fn)(const char *file, void *arg, db_err *err);
int result_walk(const char *path, result_walk_fn fn, void *arg, db_err *err);

#endif
