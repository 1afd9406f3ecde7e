/* Ensemble: two models of f's architecture, ranked by a combination of
 * their predictions.  The DeCA paper only says it "aggregates the results
 * from two models with different random seeds" (§4.1.3) and neither
 * reference repository has it (protocol.md §4.5, §10), so everything below
 * is this suite's assumption:
 *  - the members are f and a twin made here, initialised from the stream
 *    (seed, "ensemble-init") instead of (seed, "init"), with its own
 *    negatives (seed, "ensemble-negatives"), its own Adam and the same l2;
 *    the two are trained in lockstep by the one loop on the same positives
 *    in the same order (a "different seed" for init and negatives, not for
 *    the shuffle), each with Normal's loss;
 *  - ensemble_combine: prob (default) ranks by the mean of the two float32
 *    probabilities sigmoid(z); logit by the mean of the logits; rank by the
 *    mean of the two per-user rank positions among the user's non-train
 *    items (train items are masked by every evaluation);
 *  - the validation criterion (early stopping, best selection) is the BCE,
 *    batch mean, of the combined probability: the mean probability for prob
 *    and rank (ranks need the whole catalogue), sigmoid(mean logit) for
 *    logit; under best selection the twin is kept and restored with f.
 * The training loss reported to the loop is the sum of the members' losses,
 * so that the divergence check covers both. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "methods/ensemble.h"
#include "nn/rng.h"

/* The twin's negatives: the protocol's draw (uniform over all items,
 * rejected against the user's train items when neg_exclude_pos, always
 * for a user-chunk model's zero cells, which may then repeat within a
 * batch unlike f's) from the twin's own stream, in the negative slots of a
 * copy of the batch. */
static void
ens_redraw(struct ensemble *s, const batch *b)
{
	batch *c = &s->bb;
	c->n = b->n;
	c->n_pos = b->n_pos;
	memcpy(c->user, b->user, (size_t)b->n * sizeof *c->user);
	memcpy(c->item, b->item, (size_t)b->n * sizeof *c->item);
	memcpy(c->label, b->label, (size_t)b->n * sizeof *c->label);
	memcpy(c->rating, b->rating, (size_t)b->n * sizeof *c->rating);
	for (int k = 0; k < b->n; k++) {
		if (b->label[k] > 0.5f)
			continue;
		int j;
		do
			j = (int)gsl_rng_uniform_int(s->neg, (unsigned long)s->d->n_items);
		while (s->exclude && data_csr_has(&s->d->train_pos, b->user[k], j));
		c->item[k] = j;
	}
}

static int
ens_alloc(struct ensemble *s, const struct train_ctx *ctx, db_err *err)
{
	size_t cap = (size_t)ctx->batch_cap, ni = (size_t)s->d->n_items;
	size_t block = (size_t)ctx->set.eval_block;
	if (s->f->score_block > 0) /* CDAE scores fixed blocks (§6.5) */
		block = (size_t)s->f->score_block;
	int rc = batch_alloc(&s->bb, (int)cap, err);
	if (rc || (rc = adam_create(&s->opt, s->twin.n_params, &ctx->set.adam, err)))
		return rc;
	s->neg = rng_stream(s->seed, "ensemble-negatives");
	s->z2 = db_calloc(cap, sizeof(float), err);
	s->dz2 = db_calloc(cap, sizeof(float), err);
	s->sl2 = db_calloc(cap, sizeof(float), err);
	s->score2 = db_calloc(block * ni, sizeof(float), err);
	s->order = db_calloc(ni, sizeof(size_t), err);
	if (ctx->set.keep_best)
		s->best = db_calloc(s->twin.n_params, sizeof(float), err);
	if (!s->neg || !s->z2 || !s->dz2 || !s->sl2 || !s->score2 || !s->order ||
		(ctx->set.keep_best && !s->best))
		return db_fail(err, DB_ENOMEM, "ensemble: out of memory");
	return DB_OK;
}

static int
ens_create(method *me, const struct train_ctx *ctx, db_err *err)
{
	const config *c = ctx->cfg;
	struct ensemble *s = db_calloc(1, sizeof *s, err);
	if (!s)
		return DB_ENOMEM;
	me->state = s;
	s->f = ctx->f;
	s->d = ctx->d;
	s->seed = ctx->seed;
	s->l2 = ctx->set.l2;
	/* a user-chunk model's (CDAE's) zero cells are never positives */
	s->exclude = ctx->set.neg_exclude_pos ||
		(ctx->f->ops->user_batches && ctx->protocol != PROTOCOL_ADT);
	s->combine = ensemble_combine_parse(config_get(c, "ensemble_combine"));
	/* the twin's own CDAE corruption: a "different seed" must not replay
	 * f's dropout masks */
	config tc;
	int rc = config_copy(&tc, c, err);
	if (!rc)
		rc = config_set(&tc, "cdae_stream", "cdae-corruption-ensemble", err);
	if (!rc)
		rc = model_create(&s->twin, ctx->f->ops, ctx->d, &tc, ctx->batch_cap,
			ctx->set.eval_block, err);
	config_free(&tc);
	if (rc)
		return rc;
	gsl_rng *init = rng_stream(ctx->seed, "ensemble-init");
	if (!init)
		return db_fail(err, DB_ENOMEM, "ensemble: out of memory (rng)");
	s->twin.ops->init(&s->twin, init);
	gsl_rng_free(init);
	ensemble_scorer_init(s);
	return ens_alloc(s, ctx, err);
}

/* f's Normal loss, then the twin's on the same positives, own negatives. */
static double
ens_loss(method *me, const struct train_ctx *ctx, const batch *b, const float *logit, float *dlogit)
{
	struct ensemble *s = me->state;
	double lf = method_normal.loss(me, ctx, b, logit, dlogit);
	struct train_ctx tc = *ctx;
	tc.f = &s->twin;
	tc.sample_loss = s->sl2;
	ens_redraw(s, b);
	s->twin.ops->forward(&s->twin, &s->bb, s->z2);
	double lt = method_normal.loss(me, &tc, &s->bb, s->z2, s->dz2);
	s->twin.ops->backward(&s->twin, &s->bb, s->dz2);
	return lf + lt;
}

static void
ens_after_step(method *me, const struct train_ctx *ctx)
{
	(void)ctx;
	struct ensemble *s = me->state;
	model_step(&s->twin, &s->opt, s->l2);
}

/* Batch mean of -max(ln q, -100) (t = 1) or -max(ln(1 - q), -100) (t = 0)
 * for the combined probability q, clamped as PyTorch's BCELoss. */
static double
ens_valid_loss(method *me, const struct train_ctx *ctx, const batch *b, const float *logit)
{
	(void)ctx;
	struct ensemble *s = me->state;
	s->twin.ops->forward(&s->twin, b, s->z2);
	double total = 0;
	for (int k = 0; k < b->n; k++) {
		double q = ensemble_prob(s->combine, logit[k], s->z2[k]);
		double lq = b->label[k] > 0.5f ? log(q) : log1p(-q);
		total -= fmax(lq, -100.0);
	}
	return b->n ? total / b->n : 0;
}

static void
ens_checkpoint(method *me, int restore)
{
	struct ensemble *s = me->state;
	if (restore)
		model_set_params(&s->twin, s->best);
	else
		memcpy(s->best, s->twin.param, s->twin.n_params * sizeof(float));
}

static model *
ens_scorer(method *me)
{
	struct ensemble *s = me->state;
	return &s->composite;
}

static void
ens_destroy(method *me)
{
	struct ensemble *s = me->state;
	if (!s)
		return;
	model_destroy(&s->twin);
	adam_free(&s->opt);
	batch_free(&s->bb);
	if (s->neg)
		gsl_rng_free(s->neg);
	free(s->z2);
	free(s->dz2);
	free(s->sl2);
	free(s->score2);
	free(s->order);
	free(s->best);
	free(s);
}

model *
method_ensemble_twin(method *me)
{
	struct ensemble *s = me->state;
	return &s->twin;
}

static const struct config_key ensemble_keys[] = {
	{"ensemble_combine", CFG_CHOICE, "prob", "prob|logit|rank", 0,
		"method ensemble: rank by the mean of the two models' probabilities, of their "
		"logits, "
		"or of their per-user rank positions",
		NULL},
	{NULL, 0, NULL, NULL, 0, NULL, NULL},
};

const struct method_ops method_ensemble = {
	.name = "ensemble",
	.display = "Ensemble",
	.baseline = 5,
	.keys = CONFIG_TABLES(ensemble_keys),
	.create = ens_create,
	.loss = ens_loss,
	.valid_loss = ens_valid_loss,
	.after_step = ens_after_step,
	.checkpoint = ens_checkpoint,
	.scorer = ens_scorer,
	.destroy = ens_destroy,
};
