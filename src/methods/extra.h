/* Extra feedback (extended ADT paper, §3.4 and §5.3): a share of the clean
 * training interactions is "known" to be true positives; the rest of the
 * training data stays implicit.  Shared by the methods that use it
 * (finetune, warmup: staged.c; nmtr.c; nr.c) and by colliding inference
 * (colliding.c), the warm-up's scorer. */
#ifndef DB_METHODS_EXTRA_H
#define DB_METHODS_EXTRA_H

#include "config/config.h"
#include "data/dataset.h"
#include "models/model.h"
#include "util/status.h"

/* The settings of the extra feedback (extra.c), read by every method that
 * has it: its share, and the clean lines it is drawn from (Clean's
 * clean_threshold); a method names them as CONFIG_TABLES(..., METHOD_EXTRA_KEYS). */
extern const struct config_key method_extra_keys[];
#define METHOD_EXTRA_KEYS method_extra_keys, method_clean_keys

struct extra_feedback {
	interactions known; /* the known train lines, in train-file order */
	csr pos;            /* per user: sorted distinct known items */
	int *n_known;       /* per user: known lines */
	int *n_train;       /* per user: train lines (the implicit feedback) */
};

/* Draws round(extra_share * C) of the C train lines whose third column is
 * >= clean_threshold, uniformly without replacement, from the stream
 * (seed, "extra-feedback"): the same seed gives the same set. */
int extra_select(struct extra_feedback *x, const dataset *d, const config *cfg, uint64_t seed,
	db_err *err);
void extra_free(struct extra_feedback *x);
/* |known lines of u| / |train lines of u| (0 for a user without train lines):
 * the paper's user ratio (§5.3). */
double extra_ratio(const struct extra_feedback *x, int u);

/* Colliding inference (paper §3.4.2, Eq. 8), the scorer of warm-up training:
 * for a user whose extra_ratio is below collide_threshold,
 *   score = lambda * own + (1 - lambda) * (1/|N|) sum_{j in N} score_j,
 * N = the collide_n users (self excluded) with the largest inner product of
 * user representations taken after the warm-up phase (the rows of every
 * user table of the model, concatenated); other users keep their own
 * scores.  Scores are what the protocol ranks: float32 sigmoid(z) under
 * output prob, z under logit, so lambda = 1 reproduces the plain ranking
 * bit for bit. */
struct colliding {
	model *f;
	model composite; /* what evaluation ranks */
	const struct extra_feedback *x;
	int n_nb, output_prob;
	float lambda;
	double threshold;
	int dim;               /* representation size: the user tables' columns */
	float *rep;            /* n_users x dim, set by colliding_snapshot */
	float *sim;            /* n_users: one user's similarities */
	int *nb;               /* n_nb: one user's neighbours */
	float *nb_score, *acc; /* eval_block x n_items; n_items */
	int block;
};

struct train_ctx;
/* For ctx->f, with ctx's output and eval_block and its own keys parsed
 * from ctx->cfg.  Refuses (lambda < 1) a model without a user table: a
 * tensor whose name contains "user" with one row per user. */
int colliding_create(struct colliding *c, const struct train_ctx *ctx,
	const struct extra_feedback *x, db_err *err);
/* Keeps f's current user representations (call after the warm-up phase). */
void colliding_snapshot(struct colliding *c);
/* The model that evaluation ranks. */
model *colliding_model(struct colliding *c);
/* The neighbours of u (n_nb of them, most similar first, ties to the lower
 * id) into c->nb; returns their number.  For tests. */
int colliding_neighbours(struct colliding *c, int u);
void colliding_free(struct colliding *c);

#endif
