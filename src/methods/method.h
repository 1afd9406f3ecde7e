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
#include "config/settings.h"
#include "data/dataset.h"
#include "models/loss.h"
#include "models/model.h"
#include "results/train_log.h"
#include "util/status.h"

typedef struct method method;
struct train_ctx;

/* What the loop lends a method (train_ctx_init fills ctx->loop), so that
 * methods sit below the loop that drives them. */
struct train_loop {
	/* Samples in the largest batch a run under cfg forms on d (a method's
	 * derived configuration; ctx->batch_cap is the run's own). */
	int (*batch_cap)(const config *cfg, const dataset *d);
	/* Trains ctx->f with me, the log discarded (DeCA(p)'s pre-training). */
	int (*run)(struct train_ctx *ctx, method *me, db_err *err);
};

/* What the loop shares with the method at every hook; train_ctx_init
 * (train/train.h) fills it once from the resolved configuration: cfg for
 * the method's own keys (parsed in its create), set for every other
 * setting, typed; seed, protocol, output_prob and neg_ratio repeat set's. */
struct train_ctx {
	const config *cfg;
	struct config_settings set;
	const dataset *d;
	model *f; /* the target model */
	uint64_t seed;
	long iteration;          /* global batch counter, from 0, never reset */
	int epoch;               /* within the phase, from 0 */
	int phase, phase_epochs; /* the method's training phase (from 0) and its epochs */
	enum config_protocol protocol;
	int output_prob; /* 1: DeCA sigmoid outputs; 0: ADT logits */
	enum loss_reduction reduction;
	int neg_ratio;
	float *sample_loss; /* scratch: per-sample losses, one per batch slot */
	int batch_cap;      /* samples in the run's largest batch (train or validation) */
	const struct train_loop *loop;
};

/* Most counters a method's stats hook reports. */
#define METHOD_MAX_STATS 8

struct method {
	const struct method_ops *ops;
	void *state;
};

/* One phase of a multi-phase method (finetuning, warm-up training). */
struct train_phase {
	int epochs;      /* epochs of the phase */
	int exclude_pos; /* 1: negatives are redrawn while they are train positives */
};

struct method_ops {
	const char *name;
	/* The papers' spelling ("T-CE", "DeCA(p)"): how reference rows name it. */
	const char *display;
	/* > 0: its place among the default baselines of the LaTeX tables (the
	 * papers' comparisons' methods that they do not propose). */
	int baseline;
	/* The settings it reads beyond those of every run: the key tables it
	 * names, CONFIG_TABLES(t1, ...), each declared once in the file of the
	 * method that owns it (T-CE's are read by finetune and warmup too).
	 * `check` refuses a swept or method-level value of a key that some
	 * method reads on a method that does not.  NULL: none (Normal). */
	const struct config_key *const *keys;
	/* The authors' defaults for it, per protocol, dataset and model (rows
	 * that name this method; rows naming none apply to every method, as
	 * Normal's do, and a method's own rows win).  NULL: none. */
	const struct config_default *defaults;
	/* A setting that names another method whose default rows apply too
	 * (finetune and warmup: extra_base, the ADT loss of their phase). */
	const char *defaults_from;
	/* Optional: allocate state and extra models. */
	int (*create)(method *me, const struct train_ctx *ctx, db_err *err);
	/* Training loss of a batch (without the target's L2), dlogit = dL/dz;
	 * NULL: Normal's (methods that change only data or models). */
	double (*loss)(method *me, const struct train_ctx *ctx, const batch *b, const float *logit,
		float *dlogit);
	/* Optional: validation criterion of a batch; default: BCE, batch mean. */
	double (*valid_loss)(method *me, const struct train_ctx *ctx, const batch *b,
		const float *logit);
	/* Optional: after f's backward, before its step: extra terms of the
	 * same step that need f's forward on other samples (NMTR's second
	 * task) accumulate into f->grad here; returns their loss. */
	double (*before_step)(method *me, const struct train_ctx *ctx);
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
	/* Optional: training in phases run back to back on the same parameters.
	 * Asked before phase k = 0, 1, ...: returns 0 when there is no phase k,
	 * else 1 with *ph filled (preset to epochs and neg_exclude_pos of the
	 * config); train_source is asked again for every phase.  Each phase
	 * starts a fresh Adam (the papers' phases are separate optimisations from
	 * the previous phase's parameters) and a fresh model selection; under
	 * best selection the phase's best parameters start the next phase.
	 * Without the hook there is one phase with the config's values. */
	int (*phase)(method *me, const struct train_ctx *ctx, int k, struct train_phase *ph);
	/* Optional: the method's counters over the training since its previous
	 * call (the loop calls it at every evaluation point and logs them with
	 * the point, e.g. T-CE's drops for ADT Fig. 9): writes at most max values
	 * to out and their names (static strings, the same at every call) to
	 * names; returns how many. */
	int (*stats)(method *me, double *out, const char **names, int max);
	/* Optional: up to max warnings about its settings in a run of
	 * `iterations` batches that would leave it inert (T-CE's ramp longer
	 * than the run); `check` says them and result files record them, after
	 * which train_warnings adds the protocol's.  Parses what it needs from
	 * cfg (no run exists yet); returns how many it wrote. */
	int (*warnings)(const config *cfg, long iterations, char (*out)[TRAIN_WARNING_LEN],
		int max);
	void (*destroy)(method *me);
};

/* 1 when key is method-specific (some method lists it) and me does not
 * read it; 0 otherwise.  readers receives "m1, m2" (the methods that do). */
int method_ignores(const struct method_ops *me, const char *key, char *readers, size_t size);

/* The i-th method of the registry, NULL past the last. */
const struct method_ops *method_at(size_t i);
/* By command-line name or alias (the extended paper's DPI = deca, DVAE = deca-p). */
const struct method_ops *method_find(const char *name);
/* The registry's name for a name or alias, or NULL when unknown. */
const char *method_canonical(const char *name);
/* "normal|..." (canonical names) */
const char *method_names(void);
int method_create(method *me, const struct method_ops *ops, const struct train_ctx *ctx,
	db_err *err);
void method_destroy(method *me);
/* The validation criterion of a batch: the method's, or plain BCE mean. */
double method_valid_loss(method *me, const struct train_ctx *ctx, const batch *b,
	const float *logit, float *scratch_dz);
/* The method's training loss of a batch, or Normal's when it has none. */
double method_loss(method *me, const struct train_ctx *ctx, const batch *b, const float *logit,
	float *dlogit);
/* The default criterion, for hooks that keep it in some protocols. */
double method_plain_valid_loss(const struct train_ctx *ctx, const batch *b, const float *logit,
	float *scratch_dz);

/* Normal, the loss other methods build on (Ensemble, WBPR's bce, DeCA(p)'s
 * pre-training); every other method is reached through the registry
 * (method_find), which alone declares them (methods/method.c). */
extern const struct method_ops method_normal;
/* Key tables that other methods read too (finetune, warmup: T-CE's and
 * R-CE's; the extra-feedback methods: Clean's, see extra.h). */
extern const struct config_key method_tce_keys[], method_rce_keys[], method_clean_keys[];
/* Ensemble's second member (tests). */
model *method_ensemble_twin(method *me);
struct extra_feedback;
/* The known interactions of a finetune or warmup method (tests). */
const struct extra_feedback *method_staged_extra(const method *me);

#endif
