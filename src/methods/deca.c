/* DeCA and DeCA(p) as methods of the one loop (protocol.md §4.6).
 *
 * f is the loop's target; the method owns g, h1, h2, each with its own Adam
 * (lr as f's, no L2: the L2 term covers f only, §4.6.4).  The loss hook
 * forwards g and the noise models the iteration involves on the same batch,
 * turns the four probabilities into the per-sample terms (deca_terms.c),
 * reduces them as the protocol reduces f's loss (mean over positives +
 * neg_ratio * mean over negatives; CDAE's user batches without neg_ratio),
 * returns dL/dz for f and backwards g, h1, h2 with their own dL/dz.
 * after_step steps them as the reference does (DeCA train.py:134-150): h1
 * unless the iteration is DN, h2 unless it is DP, g always for DeCA and
 * never for DeCA(p), whose g is frozen (its outputs carry no gradient).
 * Every model's output is read as sigmoid(z): the DeCA loss is defined on
 * probabilities, whatever `output` says about ranking.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "methods/deca.h"
#include "nn/adam.h"
#include "nn/rng.h"

enum { DECA_G, DECA_H1, DECA_H2, DECA_NMODELS };
static const char *const deca_model_names[DECA_NMODELS] = {"g", "h1", "h2"};

struct deca {
	int frozen_g, pretrained, cap;
	struct deca_schedule sched;
	struct deca_coef coef;
	enum deca_step step; /* the kind of the iteration in progress */
	model m[DECA_NMODELS];
	adam opt[DECA_NMODELS];
	float *z[DECA_NMODELS], *dz[DECA_NMODELS];
};

static float
deca_sigmoid(float z)
{
	return 1.0f / (1.0f + expf(-z));
}

/* The config of an auxiliary model: the cell's, with deca_dim factors. */
static int
aux_config(config *out, const config *cfg, db_err *err)
{
	int rc = config_copy(out, cfg, err);
	return rc ? rc : config_set(out, "factors", config_get(cfg, "deca_dim"), err);
}

/* Creates and initialises model i of architecture ops from its own stream. */
static int
aux_create(struct deca *s, int i, const struct model_ops *ops, const struct train_ctx *ctx,
	const config *acfg, db_err *err)
{
	int rc = model_create(&s->m[i], ops, ctx->d, acfg, s->cap, 1, err);
	if (rc)
		return rc;
	char purpose[32];
	snprintf(purpose, sizeof purpose, "deca-%s-init", deca_model_names[i]);
	gsl_rng *r = rng_stream(ctx->seed, purpose);
	if (!r)
		return db_fail(err, DB_ENOMEM, "out of memory (rng)");
	ops->init(&s->m[i], r);
	gsl_rng_free(r);
	return DB_OK;
}

static int
deca_buffers(struct deca *s, db_err *err)
{
	for (int i = 0; i < DECA_NMODELS; i++) {
		s->z[i] = db_calloc((size_t)s->cap, sizeof(float), err);
		s->dz[i] = db_calloc((size_t)s->cap, sizeof(float), err);
		if (!s->z[i] || !s->dz[i])
			return DB_ENOMEM;
	}
	return DB_OK;
}

/* Everything but g, whose origin differs between the two methods. */
static int
deca_create_common(method *me, const struct train_ctx *ctx, int frozen_g, db_err *err)
{
	struct deca *s = db_calloc(1, sizeof *s, err);
	if (!s)
		return DB_ENOMEM;
	me->state = s;
	s->frozen_g = frozen_g;
	s->cap = ctx->batch_cap;
	deca_schedule_read(&s->sched, ctx->cfg);
	s->coef = (struct deca_coef){config_double(ctx->cfg, "deca_alpha"),
		(double)config_int(ctx->cfg, "deca_c1"), (double)config_int(ctx->cfg, "deca_c2")};
	config acfg;
	int rc = aux_config(&acfg, ctx->cfg, err);
	const struct model_ops *h = model_find(config_get(ctx->cfg, "deca_h_model"));
	for (int i = DECA_H1; !rc && i <= DECA_H2; i++)
		rc = aux_create(s, i, h, ctx, &acfg, err);
	if (!rc && !frozen_g)
		rc = aux_create(s, DECA_G, model_find("mf"), ctx, &acfg, err);
	config_free(&acfg);
	for (int i = 0; !rc && i < DECA_NMODELS; i++)
		if (!frozen_g || i != DECA_G)
			rc = adam_create(&s->opt[i], s->m[i].n_params, ctx->cfg, err);
	return rc ? rc : deca_buffers(s, err);
}

static int
deca_create(method *me, const struct train_ctx *ctx, db_err *err)
{
	return deca_create_common(me, ctx, 0, err);
}

static int
decap_create(method *me, const struct train_ctx *ctx, db_err *err)
{
	int rc = deca_create_common(me, ctx, 1, err);
	struct deca *s = me->state;
	return rc ? rc : deca_pretrain(&s->m[DECA_G], ctx, &s->pretrained, err);
}

/* Whether model i receives gradient and is stepped in this iteration
 * (DeCA train.py:134-150). */
static int
deca_trains(const struct deca *s, int i)
{
	if (i == DECA_G)
		return !s->frozen_g;
	return i == DECA_H1 ? deca_uses_h1(s->step) : deca_uses_h2(s->step);
}

/* Forwards the auxiliary models of this iteration and fills the per-sample
 * loss, dlogit (f) and the auxiliaries' dz, all before the reduction. */
static void
deca_samples(struct deca *s, const struct train_ctx *ctx, const batch *b, const float *logit,
	float *dlogit)
{
	/* g always (frozen or not), the noise models of this iteration's terms */
	int use[DECA_NMODELS] = {1, deca_uses_h1(s->step), deca_uses_h2(s->step)};
	for (int i = 0; i < DECA_NMODELS; i++)
		if (use[i])
			s->m[i].ops->forward(&s->m[i], b, s->z[i]);
	for (int k = 0; k < b->n; k++) {
		float p[DECA_NMODELS + 1] = {deca_sigmoid(logit[k])};
		for (int i = 0; i < DECA_NMODELS; i++)
			p[i + 1] = use[i] ? deca_sigmoid(s->z[i][k]) : 0.5f; /* 0.5: unused */
		struct deca_sample in = {p[0], p[1], p[2], p[3], b->label[k] > 0.5f};
		struct deca_grad o;
		deca_term(&s->coef, s->step, &in, &o);
		ctx->sample_loss[k] = (float)o.loss;
		/* dp/dz = p (1 - p), as torch's sigmoid backward computes it */
		double d[DECA_NMODELS + 1] = {o.df, o.dg, o.dh1, o.dh2};
		dlogit[k] = (float)(d[0] * p[0] * (1.0 - p[0]));
		for (int i = 0; i < DECA_NMODELS; i++)
			s->dz[i][k] = (float)(d[i + 1] * p[i + 1] * (1.0 - p[i + 1]));
	}
}

static double
deca_loss(method *me, const struct train_ctx *ctx, const batch *b, const float *logit,
	float *dlogit)
{
	struct deca *s = me->state;
	if (b->n > s->cap)
		return NAN; /* cannot happen: the loop's batches are at most ctx->batch_cap */
	s->step = deca_step_at(&s->sched, ctx->iteration);
	deca_samples(s, ctx, b, logit, dlogit);
	/* CDAE (§4.6.4): mean_P + mean_N, no NSR factor */
	int nr = ctx->f->ops->user_batches ? 1 : ctx->neg_ratio;
	enum loss_reduction red = ctx->f->ops->user_batches ? REDUCE_SPLIT_MEANS : ctx->reduction;
	double loss = loss_reduce(b, ctx->sample_loss, dlogit, red, nr);
	for (int i = 0; i < DECA_NMODELS; i++)
		if (deca_trains(s, i)) {
			loss_reduce(b, ctx->sample_loss, s->dz[i], red, nr);
			s->m[i].ops->backward(&s->m[i], b, s->dz[i]);
		}
	return loss;
}

static void
deca_after_step(method *me, const struct train_ctx *ctx)
{
	(void)ctx;
	struct deca *s = me->state;
	for (int i = 0; i < DECA_NMODELS; i++)
		if (deca_trains(s, i))
			model_step(&s->m[i], &s->opt[i], 0.0);
}

static void
deca_destroy(method *me)
{
	struct deca *s = me->state;
	if (!s)
		return;
	for (int i = 0; i < DECA_NMODELS; i++) {
		model_destroy(&s->m[i]);
		adam_free(&s->opt[i]);
		free(s->z[i]);
		free(s->dz[i]);
	}
	free(s);
	me->state = NULL;
}

model *
method_deca_model(method *me, const char *which)
{
	struct deca *s = me->state;
	for (int i = 0; i < DECA_NMODELS; i++)
		if (!strcmp(which, deca_model_names[i]))
			return s->m[i].ops ? &s->m[i] : NULL;
	return NULL;
}

int
method_deca_pretrained(const method *me)
{
	const struct deca *s = me->state;
	return s->pretrained;
}

const struct method_ops method_deca = {
	.name = "deca",
	.keys = METHOD_KEYS_DECA,
	.create = deca_create,
	.loss = deca_loss,
	.after_step = deca_after_step,
	.destroy = deca_destroy,
};

const struct method_ops method_decap = {
	.name = "deca-p",
	.keys = METHOD_KEYS_DECA " deca_pretrain_cache",
	.create = decap_create,
	.loss = deca_loss,
	.after_step = deca_after_step,
	.destroy = deca_destroy,
};
