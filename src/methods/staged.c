/* Finetuning and warm-up training (extended ADT paper §3.4.1): two phases of
 * the one loop (method hook `phase`) on the same parameters, one over the
 * implicit feedback with ADT (T-CE or R-CE, key extra_base), one over the
 * known extra feedback (extra.h) with plain BCE:
 *   finetune: ADT for `epochs`, then the extra feedback for `extra_epochs`;
 *   warmup:   the extra feedback for `extra_epochs`, then ADT for `epochs`.
 * In the extra phase the positives are the known lines only and every
 * negative is redrawn while it is a train positive of the user: "only the
 * interactions which are not in D-bar are sampled" (§3.4.1).
 * Assumptions where the paper is silent: each phase is its own optimisation
 * (a fresh Adam, a fresh model selection under the protocol's rule, the
 * validation criterion of the phase's loss: the base's in the ADT phase,
 * plain BCE in the extra phase); the ADT phase's schedule (T-CE's drop-rate
 * ramp) counts iterations from the start of that phase, since warm-up only
 * changes ADT's initialisation; extra_epochs defaults to 10.
 * Warm-up ranks through colliding inference (extra.h; collide_lambda = 1,
 * the default, is the plain ranking), with the user representations kept at
 * the end of the warm-up phase.  The bases (T-CE, R-CE) are loss-only
 * methods: their loss, validation and stats hooks are all that is
 * delegated. */
#include <stdlib.h>
#include <string.h>

#include "methods/extra.h"
#include "methods/method.h"

struct staged {
	int warmup;      /* phase order: 0 ADT first (finetune), 1 extra first */
	int extra_phase; /* the current phase is the extra one */
	int extra_epochs;
	long phase_start; /* ctx->iteration when the ADT phase began */
	method base, plain;
	struct extra_feedback x;
	struct colliding ci;
	float *dz; /* validation scratch */
};

static int
staged_create(method *me, const struct train_ctx *ctx, int warmup, db_err *err)
{
	const config *c = ctx->cfg;
	struct staged *s = db_calloc(1, sizeof *s, err);
	if (!s)
		return DB_ENOMEM;
	me->state = s;
	s->warmup = warmup;
	s->extra_epochs = (int)config_int(c, "extra_epochs");
	s->plain = (method){&method_normal, NULL};
	if (!warmup && config_double(c, "collide_lambda") < 1)
		return db_fail(err, DB_EINVAL,
			"colliding inference (collide_lambda < 1) uses the "
			"user representations after warm-up training: use method warmup");
	int rc = method_create(&s->base, method_find(config_get(c, "extra_base")), ctx, err);
	if (rc || (rc = extra_select(&s->x, ctx->d, c, ctx->seed, err)))
		return rc;
	if (warmup && (rc = colliding_create(&s->ci, ctx, &s->x, err)))
		return rc;
	s->dz = db_calloc((size_t)ctx->batch_cap, sizeof(float), err);
	return s->dz ? DB_OK : DB_ENOMEM;
}

static int
finetune_create(method *me, const struct train_ctx *ctx, db_err *err)
{
	return staged_create(me, ctx, 0, err);
}

static int
warmup_create(method *me, const struct train_ctx *ctx, db_err *err)
{
	return staged_create(me, ctx, 1, err);
}

static int
staged_phase(method *me, const struct train_ctx *ctx, int k, struct train_phase *ph)
{
	struct staged *s = me->state;
	if (k > 1)
		return 0;
	/* warm-up's second phase starts from the warmed-up representations */
	if (s->warmup && k == 1)
		colliding_snapshot(&s->ci);
	s->extra_phase = (k == 0) == s->warmup;
	if (s->extra_phase) {
		ph->epochs = s->extra_epochs;
		ph->exclude_pos = 1;
	} else {
		s->phase_start = ctx->iteration;
	}
	return 1;
}

static const interactions *
staged_source(method *me, const struct train_ctx *ctx)
{
	struct staged *s = me->state;
	if (s->extra_phase)
		return &s->x.known;
	return &ctx->d->train;
}

/* The context the base method sees: iterations counted from its phase. */
static struct train_ctx
base_ctx(const struct staged *s, const struct train_ctx *ctx)
{
	struct train_ctx tc = *ctx;
	tc.iteration -= s->phase_start;
	return tc;
}

static double
staged_loss(method *me, const struct train_ctx *ctx, const batch *b, const float *logit,
	float *dlogit)
{
	struct staged *s = me->state;
	if (s->extra_phase)
		return method_normal.loss(&s->plain, ctx, b, logit, dlogit);
	struct train_ctx tc = base_ctx(s, ctx);
	return method_loss(&s->base, &tc, b, logit, dlogit);
}

static double
staged_valid_loss(method *me, const struct train_ctx *ctx, const batch *b, const float *logit)
{
	struct staged *s = me->state;
	struct train_ctx tc = base_ctx(s, ctx);
	return method_valid_loss(s->extra_phase ? &s->plain : &s->base, &tc, b, logit, s->dz);
}

static int
staged_stats(method *me, double *out, const char **names, int max)
{
	struct staged *s = me->state;
	return s->base.ops->stats ? s->base.ops->stats(&s->base, out, names, max) : 0;
}

static model *
warmup_scorer(method *me)
{
	struct staged *s = me->state;
	return colliding_model(&s->ci);
}

static void
staged_destroy(method *me)
{
	struct staged *s = me->state;
	if (!s)
		return;
	method_destroy(&s->base);
	extra_free(&s->x);
	colliding_free(&s->ci);
	free(s->dz);
	free(s);
}

const struct extra_feedback *
method_staged_extra(const method *me)
{
	const struct staged *s = me->state;
	return &s->x;
}

/* Both staged methods' own keys; they also read the keys of their extra_base
 * (T-CE's or R-CE's) and those of the extra feedback. */
static const struct config_key staged_keys[] = {
	{"extra_epochs", CFG_INT, "10", NULL, 0,
		"finetune, warmup: epochs of the phase on the extra feedback", CFG_RANGE(0, 1e6)},
	{"extra_base", CFG_CHOICE, "t-ce", "t-ce|r-ce", 0,
		"finetune, warmup: the ADT loss of the phase on the implicit feedback", NULL},
	{NULL, 0, NULL, NULL, 0, NULL, NULL},
};

/* Warm-up's colliding inference (colliding.c). */
static const struct config_key warmup_keys[] = {
	{"collide_n", CFG_INT, "10", NULL, 0,
		"warmup, colliding inference: neighbours |N| (most similar users after warm-up)",
		CFG_RANGE(1, 1e6)},
	{"collide_lambda", CFG_FLOAT, "1", NULL, 0,
		"warmup, colliding inference: weight lambda of the user's own scores (1: plain "
		"ranking, no colliding inference)",
		CFG_RANGE(0, 1)},
	{"collide_threshold", CFG_FLOAT, "0.1", NULL, 0,
		"warmup, colliding inference: applied to users whose known/train line ratio is "
		"below "
		"this",
		CFG_RANGE(0, 1e9)},
	{NULL, 0, NULL, NULL, 0, NULL, NULL},
};

/* The warnings of the extra_base loss of the ADT phase (T-CE's ramp). */
static int
staged_warnings(const config *cfg, long iterations, char (*out)[TRAIN_WARNING_LEN], int max)
{
	const struct method_ops *base = method_find(config_get(cfg, "extra_base"));
	return base && base->warnings ? base->warnings(cfg, iterations, out, max) : 0;
}

const struct method_ops method_finetune = {
	.name = "finetune",
	.display = "Finetuning",
	.defaults_from = "extra_base",
	.keys = CONFIG_TABLES(staged_keys, METHOD_EXTRA_KEYS, method_tce_keys, method_rce_keys),
	.create = finetune_create,
	.loss = staged_loss,
	.valid_loss = staged_valid_loss,
	.train_source = staged_source,
	.phase = staged_phase,
	.stats = staged_stats,
	.warnings = staged_warnings,
	.destroy = staged_destroy,
};

const struct method_ops method_warmup = {
	.name = "warmup",
	.display = "Warm-up",
	.defaults_from = "extra_base",
	.keys = CONFIG_TABLES(staged_keys, warmup_keys, METHOD_EXTRA_KEYS, method_tce_keys,
		method_rce_keys),
	.create = warmup_create,
	.loss = staged_loss,
	.valid_loss = staged_valid_loss,
	.train_source = staged_source,
	.phase = staged_phase,
	.stats = staged_stats,
	.warnings = staged_warnings,
	.scorer = warmup_scorer,
	.destroy = staged_destroy,
};
