/* R-CE, reweighted cross-entropy (protocol.md §4.3, ADT paper eq. 4):
 *   w = yhat^beta for t = 1, (1 - yhat)^beta for t = 0, yhat = sigmoid(z),
 *   L = reduce(w * BCE), dL/dz = reduce(w * dBCE/dz).
 * w is computed without gradient, as the reference code detaches it: it is
 * a constant in the backward.  The reduction is the protocol's: under split
 * means (deca) each weighted loss enters its own group's plain mean (the
 * weights are not renormalised), under adt one mean over the mixed batch.
 * Validation criterion: the same weighted mean under adt (ADT R_CE/main.py
 * selects on it), plain BCE under deca. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "methods/method.h"

struct rce {
	int adt;
	double beta;
	float *dz; /* validation scratch: the criterion needs no gradient */
};

static double
rce_weighted(const struct rce *s, const struct train_ctx *ctx, const batch *b, const float *logit,
	float *dlogit, enum loss_reduction r)
{
	loss_bce(logit, b->label, b->n, ctx->output_prob, ctx->sample_loss, dlogit);
	for (int k = 0; k < b->n; k++) {
		double p = 1.0 / (1.0 + exp(-(double)logit[k]));
		float w = (float)pow(b->label[k] > 0.5f ? p : 1.0 - p, s->beta);
		ctx->sample_loss[k] *= w;
		dlogit[k] *= w;
	}
	return loss_reduce(b, ctx->sample_loss, dlogit, r, 1);
}

static int
rce_create(method *me, const struct train_ctx *ctx, db_err *err)
{
	struct rce *s = db_calloc(1, sizeof *s, err);
	if (!s)
		return DB_ENOMEM;
	me->state = s;
	s->adt = ctx->protocol == PROTOCOL_ADT;
	s->beta = config_double(ctx->cfg, "rce_beta");
	s->dz = db_calloc((size_t)ctx->batch_cap, sizeof(float), err);
	return s->dz ? DB_OK : DB_ENOMEM;
}

static double
rce_loss(method *me, const struct train_ctx *ctx, const batch *b, const float *logit, float *dlogit)
{
	return rce_weighted(me->state, ctx, b, logit, dlogit, ctx->reduction);
}

static double
rce_valid_loss(method *me, const struct train_ctx *ctx, const batch *b, const float *logit)
{
	struct rce *s = me->state;
	if (s->adt)
		return rce_weighted(s, ctx, b, logit, s->dz, REDUCE_MEAN);
	return method_plain_valid_loss(ctx, b, logit, s->dz);
}

static void
rce_destroy(method *me)
{
	struct rce *s = me->state;
	if (s)
		free(s->dz);
	free(s);
}

/* Read by finetune and warmup too (their extra_base r-ce). */
const struct config_key method_rce_keys[] = {
	{"rce_beta", CFG_FLOAT, "0.1", NULL, 0, "R-CE weight exponent beta (method r-ce)",
		CFG_RANGE(0, 100)},
	{NULL, 0, NULL, NULL, 0, NULL, NULL},
};

/* R-CE beta of the ADT HEAD logs (protocol.md §7.4). */
static const struct config_default rce_defaults[] = {
	{"adt", "yelp", "gmf", "r-ce", "rce_beta", "0.2"},
	{"adt", "yelp", "neumf", "r-ce", "rce_beta", "0.2"},
	{"adt", "amazon-book", "gmf", "r-ce", "rce_beta", "0.3"},
	{"adt", "amazon-book", "neumf", "r-ce", "rce_beta", "0.25"},
	{"adt", "adressa", "gmf", "r-ce", "rce_beta", "0.2"},
	{"adt", "adressa", "neumf", "r-ce", "rce_beta", "0.25"},
	{NULL, NULL, NULL, NULL, NULL, NULL},
};

const struct method_ops method_rce = {
	.name = "r-ce",
	.display = "R-CE",
	.baseline = 4,
	.defaults = rce_defaults,
	.keys = CONFIG_TABLES(method_rce_keys),
	.create = rce_create,
	.loss = rce_loss,
	.valid_loss = rce_valid_loss,
	.destroy = rce_destroy,
};
