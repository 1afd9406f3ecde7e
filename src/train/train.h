/* The one training loop (protocol.md §2, §5): epochs of batches from the
 * protocol's sampler, the method's loss, the target's L2 and dense Adam,
 * validation every eval_freq iterations, early stopping (deca) or
 * best-validation checkpoint selection (adt).  A method with a phase hook
 * (finetuning, warm-up) gets the loop once per phase, back to back. */
#ifndef DB_TRAIN_TRAIN_H
#define DB_TRAIN_TRAIN_H

#include "config/settings.h"
#include "methods/method.h"
#include "results/train_log.h"

/* Observer of progress (display); may be NULL. */
typedef void (
	*train_progress_fn)(void *arg, const struct train_ctx *ctx, const struct train_log *log);

/* Trains ctx->f with method me under ctx->cfg, which train_check passed
 * (the runner checks a cell before it allocates its model; the loop's
 * nested run checks its own configuration).  On return ctx->f holds the
 * parameters that the protocol tests. */
int train_run(struct train_ctx *ctx, method *me, struct train_log *log, train_progress_fn progress,
	void *progress_arg, db_err *err);
/* More selection rules from the same training (a suite's cells that differ
 * only in `selection` share one, README "Shared training"): rules best,
 * last and oracle beside ctx->set.selection, which must be best or last.
 * For every rule r in mask the loop keeps r's parameters in param[r] (the
 * caller's, n_params floats) and its iteration in selected_iteration[r];
 * an oracle's diagnostics points (at the evaluation points, with hook's
 * test metrics) go to olog's diag series, the configured rule's
 * (diag_freq) to log's as always.  Single-phase methods without a
 * checkpoint hook only (train_share_rule). */
struct train_also {
	unsigned mask; /* 1u << CONFIG_SELECT_x */
	float *param[CONFIG_SELECT_COUNT];
	long selected_iteration[CONFIG_SELECT_COUNT];
	struct train_log *olog; /* with CONFIG_SELECT_ORACLE: its diag series */
};
/* train_run with diagnostics measured by hook (NULL: the windows only) and
 * the parameters of the rules of also (NULL: the configured rule's only). */
int train_run_diag(struct train_ctx *ctx, method *me, struct train_log *log,
	train_progress_fn progress, void *progress_arg, const struct train_diag_hook *hook,
	struct train_also *also, db_err *err);
/* 1 when one training of a method of ops mt configured with rule can give
 * several rules' parameters: one phase, no checkpoint of its own state, a
 * rule of best or last. */
int train_share_rule(const struct method_ops *mt, enum config_selection rule);
void train_log_free(struct train_log *log);

/* Fills ctx for training f on d under the resolved cfg: the seed, the
 * protocol's output and reduction (adt: one mean; deca: split means, sums
 * for a model trained on user chunks, DeCA's CDAE loop, protocol.md
 * §4.1.3), neg_ratio, the batch capacity and the loop's services.  The CLI,
 * the runner and the tests build every context through it (train/ctx.c). */
void train_ctx_init(struct train_ctx *ctx, const config *cfg, const dataset *d, model *f);

/* Samples in the largest batch a run under cfg forms (train or validation),
 * for models that train on pairs; a user-chunk model's (CDAE) batches
 * depend on the data: train_batch_cap_for covers both. */
int train_batch_cap(const config *cfg);
/* The most samples in a batch: train_check refuses larger batches, and the
 * caps above never exceed it. */
#define TRAIN_MAX_BATCH (1 << 30)
int train_batch_cap_for(const config *cfg, const dataset *d);
/* DB_EINVAL, with the values, when a run under cfg on d would form batches
 * of more than TRAIN_MAX_BATCH samples or set both validation cadences
 * (eval_freq, eval_epochs); before anything is allocated. */
int train_check(const config *cfg, const dataset *d, db_err *err);

/* (diag.c) Iterations between diagnostics points of a phase of
 * `iterations` batches: diag_freq, or when it is 0 about 50 points over
 * the phase; 0 when diag_freq < 0 (none). */
long train_diag_freq(const struct config_settings *s, long iterations);

/* (warn.c) Batches per epoch of the protocol's sampler for train_lines
 * positives of `users` users (user_batches: a user-chunk model). */
long train_epoch_batches(const config *cfg, long train_lines, long users, int user_batches);
/* The same from the parsed settings (a run's ctx->set). */
long train_epoch_batches_of(const struct config_settings *s, long train_lines, long users,
	int user_batches);
/* Up to max warnings about a resolved cfg whose run has `iterations`
 * batches: the method's own (method_ops.warnings: T-CE's ramp longer than
 * the run), then validation rarer than the run, validation off under
 * selection=best, selection=oracle; returns how many. */
int train_warnings(const config *cfg, long iterations, char (*out)[TRAIN_WARNING_LEN], int max);

#endif
