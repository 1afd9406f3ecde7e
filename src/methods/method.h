/* The training-method interface.
 *
 * The one training loop (train/train.c) owns batching, the target model's
 * forward/backward, L2 and the optimiser step; a method only turns the
 * target's logits into a loss and dL/dz, and may own extra models (DeCA's
 * g, h, h'; Ensemble's twin) that it forwards, backwards and steps in its
 * hooks.  Adding a method = one file with a `const struct method_ops` and
 * one row in the registry (methods/method.c); no method owns a loop.
 */
#ifndef DB_METHODS_METHOD_H
#define DB_METHODS_METHOD_H

#include <stdint.h>

#include <gsl/gsl_rng.h>

#include "config/config.h"
#include "data/dataset.h"
#include "methods/loss.h"
#include "models/model.h"
#include "util/status.h"

/* What the loop shares with the method at every hook. */
struct train_ctx {
	const config *cfg;
	const dataset *d;
	model *f;               /* the target model */
	uint64_t seed;
	long iteration;         /* global batch counter, from 0, never reset */
	int epoch;
	int output_prob;        /* 1: DeCA sigmoid outputs; 0: ADT logits */
	enum loss_reduction reduction;
	int neg_ratio;
	float *sample_loss;     /* scratch: per-sample losses, one per batch slot */
};

typedef struct method {
	const struct method_ops *ops;
	void *state;
} method;

struct method_ops {
	const char *name;
	/* Optional: allocate state and extra models. */
	int (*create)(method *me, const struct train_ctx *ctx, db_err *err);
	/* Training loss of a batch (without the target's L2), dlogit = dL/dz. */
	double (*loss)(method *me, const struct train_ctx *ctx, const batch *b,
		const float *logit, float *dlogit);
	/* Optional: validation criterion of a batch; default: BCE, batch mean. */
	double (*valid_loss)(method *me, const struct train_ctx *ctx, const batch *b,
		const float *logit);
	/* Optional: after the target's optimiser step (step own models, schedules). */
	void (*after_step)(method *me, const struct train_ctx *ctx);
	/* Optional: the positives to train on instead of ctx->d->train (Clean);
	 * evaluation still masks every train item. */
	const interactions *(*train_source)(method *me, const struct train_ctx *ctx);
	/* Optional: draws a training negative for user (WBPR's popularity
	 * sampling); the sampler still applies the protocol's rejection rule. */
	int (*draw_negative)(method *me, int user, gsl_rng *r);
	/* Optional: under best-validation selection, keep (restore = 0) or bring
	 * back (restore = 1) the method's own models with the target's. */
	void (*checkpoint)(method *me, int restore);
	/* Optional: the model evaluation ranks instead of f (Ensemble); its
	 * score_users writes final ranking scores (no sigmoid is applied). */
	model *(*scorer)(method *me);
	void (*destroy)(method *me);
};

/* By command-line name or alias (the extended paper's DPI = deca, DVAE = deca-p). */
const struct method_ops *method_find(const char *name);
/* "normal|..." (canonical names) */
const char *method_names(void);
int method_create(method *me, const struct method_ops *ops, const struct train_ctx *ctx,
	db_err *err);
void method_destroy(method *me);
/* The validation criterion of a batch: the method's, or plain BCE mean. */
double method_valid_loss(method *me, const struct train_ctx *ctx, const batch *b,
	const float *logit, float *scratch_dz);

extern const struct method_ops method_normal;
extern const struct method_ops method_rce;
extern const struct method_ops method_tce;
/* T-CE's cumulative training drops: all, and those rated below noisy_below. */
void method_tce_drops(const method *me, long *dropped, long *dropped_noisy);

#endif
