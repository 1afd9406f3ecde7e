/* Scaffolding shared by the C test programs: a resolved configuration from
 * "key=value" pairs, the built-in synthetic dataset in a temporary
 * directory, and a run through run_one.  It prints TAP comments only, never
 * a test line: the test counter lives in each program's copy of tap.h. */
#ifndef DB_TESTS_RIG_H
#define DB_TESTS_RIG_H

#include "cli/cli.h"
#include "config/config.h"
#include "data/dataset.h"

/* r = the defaults resolved with the NULL-terminated pairs kv; a bad pair
 * is reported and left out, so the test that relies on it fails. */
int rig_config(config *r, const char *const *kv);

/* The pairs kv as explicit settings through run_one, without result file
 * or dump. */
int rig_run(const char *const *kv, struct run_summary *sum, db_err *err);
/* rig_run; 1 when it completes with at least one cutoff and every test
 * metric finite.  *out is zeroed first (out->method is "" after a failed
 * run) and a failure's message is printed. */
int rig_run_finite(const char *const *kv, struct run_summary *out);

/* Trains f (created here, initialised from the seed's "init" stream) with
 * cfg's model and method on d through the loop; me is created here too.
 * The caller destroys both, whatever the status (a failure is printed). */
struct model;
struct method; /* by tag: test_report and test_rules name variables model and method */
int rig_train(const dataset *d, const config *cfg, struct model *f, struct method *me);

/* Closes the memory stream mem (open_memstream(body, len)) and writes its
 * text to path sealed as a result file (result_seal); frees *body. */
void rig_seal(const char *path, FILE *mem, char **body, size_t *len);

/* dir: a mkdtemp template, replaced by the directory made.  Writes the
 * default synthetic data there under the directory's own name (so that
 * data=DIR finds it) and loads it into d; on failure nothing is left. */
int rig_synthetic(dataset *d, char *dir, db_err *err);
/* dir: a mkdtemp template, replaced by the directory made.  Writes
 * NAME.train.rating, NAME.valid.rating and NAME.test.negative from text[0..2]
 * there (NAME: the directory's base name) and loads them into d; on failure
 * nothing is left. */
int rig_data(dataset *d, char *dir, const char *const text[3], db_err *err);
/* data_free(d), then rig_remove_dir(dir). */
void rig_synthetic_free(dataset *d, const char *dir);
/* The files in dir, then dir: the tests' temporary directories are flat. */
void rig_remove_dir(const char *dir);
/* Brute force top-K: k times the best index not yet taken, in topk_select's
 * order (NaN below every number; ties and NaNs by lower index); used: n
 * bytes of scratch. */
void rig_topk_naive(const float *s, int n, int k, int *out, char *used);

#endif
