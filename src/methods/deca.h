/* DeCA and DeCA(p) (protocol.md §4.6), split over three files:
 * deca_terms.c  the per-sample loss terms and the DP/DN schedule (pure
 *               functions of probabilities and the iteration counter);
 * deca_pretrain.c  DeCA(p)'s pre-trained, cached, frozen g;
 * deca.c        the method_ops: the extra models, the loss hook, stepping.
 */
#ifndef DB_METHODS_DECA_H
#define DB_METHODS_DECA_H

#include "methods/method.h"

/* The kind of an iteration: which likelihood term and which noise model. */
enum deca_step { DECA_DP, DECA_DN, DECA_BOTH };

struct deca_schedule {
	int paper;     /* deca_schedule=paper: Algorithm 1's parity, no "both" step */
	int iterative; /* deca_iterative */
	int terms;     /* deca_terms: DECA_BOTH (alternate), DECA_DP or DECA_DN only */
};

struct deca_coef {
	double alpha, c1, c2;
};

/* One sample's probabilities f, g, h1, h2 (h1 = P(noisy positive | r = 0),
 * h2 = P(positive | r = 1)) and its observed label. */
struct deca_sample {
	double f, g, h1, h2;
	int positive;
};

/* The sample's loss and its derivatives w.r.t. the four probabilities. */
struct deca_grad {
	double loss, df, dg, dh1, dh2;
};

/* Reads deca_schedule, deca_iterative, deca_terms. */
void deca_schedule_read(struct deca_schedule *s, const config *cfg);
/* The kind of the iteration with global counter `count` (from 0). */
enum deca_step deca_step_at(const struct deca_schedule *s, long count);
/* Which noise models an iteration of this kind involves (and steps). */
int deca_uses_h1(enum deca_step t);
int deca_uses_h2(enum deca_step t);
/* Per-sample loss A + T of §4.6.3 and its derivatives. */
void deca_term(const struct deca_coef *c, enum deca_step t, const struct deca_sample *s,
	struct deca_grad *out);

/* DeCA(p)'s g: a model of f's architecture that starts from f's current
 * parameters and is trained with Normal training under ctx->cfg's DeCA(p)
 * epochs and l2 (§4.6.5), or loaded from the cache when an identical run
 * already trained it.  *trained = 1 when it was trained here. */
int deca_pretrain(model *g, const struct train_ctx *ctx, int *trained, db_err *err);
/* The cache file of the g that deca_pretrain would train under ctx; 0 and
 * an empty path when caching is off or no cache directory is known. */
int deca_cache_path(const struct train_ctx *ctx, char *path, size_t n, db_err *err);

/* Test access: the method's model "g", "h1" or "h2" (NULL if absent), and
 * whether deca-p trained its g (1) or loaded it from the cache (0). */
model *method_deca_model(method *me, const char *which);
int method_deca_pretrained(const method *me);

#endif
