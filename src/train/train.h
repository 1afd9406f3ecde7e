/* The one training loop (protocol.md §2, §5): epochs of batches from the
 * protocol's sampler, the method's loss, the target's L2 and dense Adam,
 * validation every eval_freq iterations, early stopping (deca) or
 * best-validation checkpoint selection (adt).  A method with a phase hook
 * (finetuning, warm-up) gets the loop once per phase, back to back. */
#ifndef DB_TRAIN_TRAIN_H
#define DB_TRAIN_TRAIN_H

#include "methods/method.h"

struct train_point {
	long iteration;    /* batches done when the validation loss was taken */
	int epoch;
	double valid_loss;
	double train_loss; /* mean batch loss since the previous point */
	/* mean plain BCE of the training positives since the previous point
	 * rated >= noisy_below (clean) and below it (noisy), before the method
	 * truncates or weights them (loss_bce_by_rating); NAN when none */
	double loss_clean, loss_noisy;
	double stat[METHOD_MAX_STATS]; /* the method's counters (stats hook) */
};

/* A diagnostics point (diag_freq, separate from validation): the window's
 * means since the previous diagnostics point, the method's counters over
 * it, and the hook's test metrics (diag_test) of the parameters then. */
enum { TRAIN_DIAG_MAX_TEST = 16 };
struct train_diag_point {
	long iteration; /* batches done */
	int epoch;
	double train_loss, loss_clean, loss_noisy;
	double stat[METHOD_MAX_STATS];
	double test[TRAIN_DIAG_MAX_TEST];
};

/* Observer that measures the model at a diagnostics point (the test
 * Recall/NDCG of DeCA Fig. 3): fills out[0..n_test) with the values named
 * metric[j] at cut-off k[j].  It must leave every state training reads as
 * it found it (run_one restores CDAE's corruption stream). */
struct train_diag_hook {
	int (*measure)(void *arg, double *out, db_err *err);
	void *arg;
	int n_test;
	const char *metric[TRAIN_DIAG_MAX_TEST];
	int k[TRAIN_DIAG_MAX_TEST];
};

struct train_log {
	int n_points, cap_points;
	struct train_point *points;
	int n_diag, cap_diag;
	struct train_diag_point *diag;
	const struct train_diag_hook *diag_hook; /* names of the test values; may be NULL */
	int n_stats;                              /* values in each point's stat */
	const char *stat_names[METHOD_MAX_STATS];
	long iterations;
	int epochs_run;
	int stopped_early;
	long selected_iteration; /* iteration of the tested parameters */
	long samples;            /* training samples seen */
	double seconds_train, seconds_valid;
};

/* Observer of progress (display); may be NULL. */
typedef void (*train_progress_fn)(void *arg, const struct train_ctx *ctx,
	const struct train_log *log);

/* Trains ctx->f with method me under ctx->cfg.  On return ctx->f holds the
 * parameters that the protocol tests. */
int train_run(struct train_ctx *ctx, method *me, struct train_log *log,
	train_progress_fn progress, void *progress_arg, db_err *err);
/* train_run with diagnostics measured by hook (NULL: the windows only). */
int train_run_diag(struct train_ctx *ctx, method *me, struct train_log *log,
	train_progress_fn progress, void *progress_arg, const struct train_diag_hook *hook,
	db_err *err);
void train_log_free(struct train_log *log);

/* Samples in the largest batch a run under cfg forms (train or validation),
 * for models that train on pairs; a user-chunk model's (CDAE) batches
 * depend on the data: train_batch_cap_for covers both. */
int train_batch_cap(const config *cfg);
int train_batch_cap_for(const config *cfg, const dataset *d);

/* (diag.c) Iterations between diagnostics points of a phase of
 * `iterations` batches: diag_freq, or when it is 0 about 50 points over
 * the phase; 0 when diag_freq < 0 (none). */
long train_diag_freq(const config *cfg, long iterations);

/* (warn.c) Batches per epoch of the protocol's sampler for train_lines
 * positives of `users` users (user_batches: a user-chunk model). */
long train_epoch_batches(const config *cfg, long train_lines, long users, int user_batches);
/* Up to max warnings about a resolved cfg whose run has `iterations`
 * batches: T-CE's ramp longer than the run, validation rarer than the run,
 * validation off under selection=best; returns how many. */
enum { TRAIN_WARNING_LEN = 256 };
int train_warnings(const config *cfg, long iterations, char (*out)[TRAIN_WARNING_LEN], int max);

#endif
