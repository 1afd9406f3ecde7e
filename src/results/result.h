/* Result files: one per run, written atomically (temp file + rename).
 *
 * A line-oriented, tagged, TAB-separated text that awk, pandas and this
 * tool read alike; the first field of each line says what it holds:
 *   denoisebench-result  <format version>     (2; 1 had no `end` line)
 *   version|tool|blas|build_flags  <value>     the tool that produced it;
 *                                              tool: the release and the
 *                                              build's commit (git describe);
 *                                              blas: the BLAS, its version and
 *                                              the CPU kernel OpenBLAS chose
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
 *   diag     <iterations done> <epoch> <train_loss> <loss_clean> <loss_noisy>
 *            a diagnostics point (diag_freq): means over the batches since
 *            the previous one; the protocol never reads them
 *   diag_stat <iterations done> <name> <value> the method's counters over them
 *   diag_test <iterations done> <metric> <k> <value>  (diag_test) the test
 *                                              split ranked at that point
 *   pred     <user> <item> <rating> <clean|noisy> <prob>  (dump_preds) the
 *                                              trained model's P(r=1) of a
 *                                              chosen train line
 *   rating_prob <rating> <lines> <mean>        mean float32 sigmoid(z) of the
 *                                              trained model over the train
 *                                              lines of that rating
 *   metric   <split> <metric> <k> <value>      means over evaluated users
 *   ks       <split> <k1> <k2> ...             columns of the user lines
 *   user     <split> <user> <metric> <v@k1> <v@k2> ...
 *   timing   <name> <value>                    the only lines that vary
 *                                              between identical runs
 *   end      <lines above> <SHA-256 of every byte above, hex>
 *                                              always last: a file cut at a
 *                                              line or edited is refused
 * Numbers are printed with %.17g so they read back exactly.
 */
#ifndef DB_RESULTS_RESULT_H
#define DB_RESULTS_RESULT_H

#include <stdio.h>

#include "config/config.h"
#include "data/dataset.h"
#include "eval/eval.h"
#include "models/model.h"
#include "results/train_log.h"

#define RESULT_FORMAT 2

struct run_output {
	const config *cfg; /* resolved */
	const dataset *d;
	const model *f;
	const struct train_log *log;
	/* noisy, valid may be NULL; test too in an import of another split */
	const eval_result *test, *noisy, *valid;
	const eval_rating_prob *rating_prob; /* may be NULL */
	const eval_preds *preds;             /* may be NULL */
	double seconds_eval, seconds_total;
	long peak_rss_kib, worker_peak_rss_kib; /* the run's; its largest evaluation worker's */
	/* `warning` lines: settings that made the method inert or the selection
	 * impossible in this run (train_warnings) */
	const char (*warnings)[TRAIN_WARNING_LEN];
	int nwarnings;
	int threads; /* the run's thread budget (run_opts; < 1: one) */
};

/* The tool's identity: "RELEASE-COMMIT" (git describe at build time). */
extern const char result_tool_id[];

int result_write(const char *path, const struct run_output *o, db_err *err);
/* Writes the n bytes of body (whole lines) and the closing `end` line. */
int result_seal(FILE *out, const char *body, size_t n);
void result_sha256_hex(const char *data, size_t n, char hex[65]);

/* (results/read.c) The one reader.  Checks line 1 (magic, format), the
 * closing line (count, SHA-256) and every line's tag and fields against
 * one table before fn sees any line; fn then gets lines 2.. up to the
 * closing line, split at TABs.  Errors name path:line of the first problem.
 * result_read_buffer reads len bytes of buf (no nul needed) named path. */
struct result_line {
	const char *path;
	long lineno;
	char **f; /* f[0] the tag */
	int n;
};
typedef int (*result_line_fn)(const struct result_line *l, void *arg, db_err *err);
int result_read(const char *path, result_line_fn fn, void *arg, db_err *err);
int result_read_buffer(const char *path, const char *buf, size_t len, result_line_fn fn, void *arg,
	db_err *err);
/* Appends the file's metric lines to out as export rows
 * (dataset model method seed split metric k value config_hash). */
int result_export(FILE *out, const char *path, db_err *err);
extern const char result_export_header[];

/* (results/walk.c) Calls fn on path when it is a file (named files are
 * taken as they are), or on every regular file named *.result below a
 * directory, in name order at every level; stops at the first error. */
typedef int (*result_walk_fn)(const char *file, void *arg, db_err *err);
int result_walk(const char *path, result_walk_fn fn, void *arg, db_err *err);

#endif
