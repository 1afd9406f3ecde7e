/* NMTR, neural multi-task recommendation over cascading behaviours (Gao et
 * al., TKDE 2019; the ADT papers' baseline, WSDM'21 Table 4, extended paper
 * §5.3), with two behaviours: click (every train line) and satisfaction (the
 * known extra feedback, extra.h), cascaded: the satisfaction logit is the
 * click logit plus a behaviour-specific term,
 *   z_click = f(u, i),   z_sat = f(u, i) + g(u, i),
 * and the two tasks are learnt jointly, L = L_click + nmtr_weight * L_sat.
 * Assumptions where this setting departs from the original or the text is
 * silent: NMTR shares the embeddings between behaviours and gives each its
 * own interaction function; here g is a second model of f's architecture
 * (own parameters, initialised from the stream "nmtr-init"), so the
 * sharing is through the cascade: L_sat trains f too.  L_sat is the
 * protocol's BCE and reduction over satisfaction batches from their own
 * sampler (streams "nmtr-shuffle", "nmtr-negatives"): the known lines as
 * positives, negatives redrawn while they are train positives (as
 * finetuning samples them), batch size scaled by |known| / |train| so that
 * both tasks pass over their data once per epoch.  Ranking: the target
 * behaviour, z_sat (sigmoid under output prob).  Validation: the default
 * criterion on f (the validation lines are clicks).
 *
 * How the joint gradient reaches f without a second loop: after the
 * optimiser step of iteration t (after_step) f's parameters are those that
 * iteration t + 1 will use; the satisfaction batch is forwarded and
 * backwarded there, leaving nmtr_weight * dL_sat/dtheta in f's gradient,
 * to which iteration t + 1 adds dL_click/dtheta before its one Adam step.
 * create primes the first iteration the same way.  g steps with its own
 * Adam in after_step, before the next satisfaction pass. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "methods/extra.h"
#include "methods/method.h"
#include "methods/sampler.h"
#include "nn/adam.h"
#include "nn/rng.h"

struct nmtr {
	struct extra_feedback x;
	model *f, g;
	adam opt;
	sampler es;
	gsl_rng *shuffle, *neg;
	batch eb;
	float *zf, *zg, *dz, *l;
	float weight;
	double l2;
	int output_prob;
	enum loss_reduction reduction;
	int neg_ratio;
	float *best; /* g's kept parameters (selection best) */
	model composite;
	float *score2;
};

/* Forward and backward of the next satisfaction batch at the parameters
 * of this step, after f's click backward (its activations are no longer
 * needed); f and g accumulate the gradient; returns weight * L_sat. */
static double
nmtr_before_step(method *me, const struct train_ctx *ctx)
{
	(void)ctx;
	struct nmtr *s = me->state;
	if (!sampler_next(&s->es, &s->eb)) {
		sampler_begin_epoch(&s->es);
		sampler_next(&s->es, &s->eb);
	}
	int n = s->eb.n;
	s->f->ops->forward(s->f, &s->eb, s->zf);
	s->g.ops->forward(&s->g, &s->eb, s->zg);
	for (int k = 0; k < n; k++)
		s->zf[k] += s->zg[k];
	loss_bce(s->zf, s->eb.label, n, s->output_prob, s->l, s->dz);
	double L = loss_reduce(&s->eb, s->l, s->dz, s->reduction, 1);
	for (int k = 0; k < n; k++)
		s->dz[k] *= s->weight;
	s->f->ops->backward(s->f, &s->eb, s->dz);
	s->g.ops->backward(&s->g, &s->eb, s->dz);
	return s->weight * L;
}

static void
nmtr_score_users(model *m, const int *users, int nu, float *out)
{
	struct nmtr *s = m->state;
	size_t n = (size_t)nu * (size_t)m->n_items;
	s->f->ops->score_users(s->f, users, nu, out);
	s->g.ops->score_users(&s->g, users, nu, s->score2);
	for (size_t k = 0; k < n; k++) {
		out[k] += s->score2[k];
		if (s->output_prob)
			out[k] = 1.0f / (1.0f + expf(-out[k]));
	}
}

static const struct model_ops nmtr_scorer_ops = {
	.name = "nmtr",
	.score_users = nmtr_score_users,
};

/* g, its Adam and the satisfaction sampler. */
static int
nmtr_alloc(struct nmtr *s, const struct train_ctx *ctx, db_err *err)
{
	int cap = ctx->batch_cap, bs = ctx->set.batch_size;
	int rc = model_create(&s->g, ctx->f->ops, ctx->d, ctx->cfg, cap, ctx->set.eval_block, err);
	gsl_rng *init = rc ? NULL : rng_stream(ctx->seed, "nmtr-init");
	s->shuffle = rng_stream(ctx->seed, "nmtr-shuffle");
	s->neg = rng_stream(ctx->seed, "nmtr-negatives");
	if (rc || !init || !s->shuffle || !s->neg) {
		if (init)
			gsl_rng_free(init);
		return rc ? rc : db_fail(err, DB_ENOMEM, "nmtr: out of memory (rng)");
	}
	s->g.ops->init(&s->g, init);
	gsl_rng_free(init);
	int ebs = (int)ceil((double)bs * s->x.known.n / ctx->d->train.n);
	int adt = ctx->protocol == PROTOCOL_ADT;
	if ((rc = adam_create(&s->opt, s->g.n_params, &ctx->set.adam, err)) ||
		(rc = sampler_create(&s->es, adt ? SAMPLER_MIXED : SAMPLER_PAIRS, ctx->d,
			 &s->x.known, ebs, s->neg_ratio, 1, s->shuffle, s->neg, err)) ||
		(rc = batch_alloc(&s->eb, sampler_batch_cap(&s->es), err)))
		return rc;
	size_t ecap = (size_t)sampler_batch_cap(&s->es);
	s->zf = db_calloc(ecap, sizeof(float), err);
	s->zg = db_calloc(ecap, sizeof(float), err);
	s->dz = db_calloc(ecap, sizeof(float), err);
	s->l = db_calloc(ecap, sizeof(float), err);
	s->score2 = db_calloc((size_t)ctx->set.eval_block * (size_t)ctx->d->n_items, sizeof(float),
		err);
	if (ctx->set.keep_best)
		s->best = db_calloc(s->g.n_params, sizeof(float), err);
	if (!s->zf || !s->zg || !s->dz || !s->l || !s->score2 || (ctx->set.keep_best && !s->best))
		return db_fail(err, DB_ENOMEM, "nmtr: out of memory");
	return DB_OK;
}

static int
nmtr_create(method *me, const struct train_ctx *ctx, db_err *err)
{
	struct nmtr *s = db_calloc(1, sizeof *s, err);
	if (!s)
		return DB_ENOMEM;
	me->state = s;
	if (ctx->f->ops->user_batches)
		return db_fail(err, DB_EINVAL,
			"method nmtr needs a model trained on (user, item) "
			"samples; '%s' trains on whole users",
			ctx->f->ops->name);
	s->f = ctx->f;
	s->weight = (float)config_double(ctx->cfg, "nmtr_weight");
	s->l2 = ctx->set.l2;
	s->output_prob = ctx->output_prob;
	s->reduction = ctx->reduction;
	s->neg_ratio = ctx->neg_ratio;
	int rc = extra_select(&s->x, ctx->d, ctx->cfg, ctx->seed, err);
	if (rc || (rc = nmtr_alloc(s, ctx, err)))
		return rc;
	s->composite = (model){.ops = &nmtr_scorer_ops,
		.n_users = ctx->f->n_users,
		.n_items = ctx->f->n_items,
		.state = s};
	sampler_begin_epoch(&s->es);
	return DB_OK;
}

static void
nmtr_after_step(method *me, const struct train_ctx *ctx)
{
	(void)ctx;
	struct nmtr *s = me->state;
	model_step(&s->g, &s->opt, s->l2);
}

static void
nmtr_checkpoint(method *me, int restore)
{
	struct nmtr *s = me->state;
	if (restore)
		model_set_params(&s->g, s->best);
	else
		memcpy(s->best, s->g.param, s->g.n_params * sizeof(float));
}

static model *
nmtr_scorer(method *me)
{
	struct nmtr *s = me->state;
	return &s->composite;
}

static void
nmtr_destroy(method *me)
{
	struct nmtr *s = me->state;
	if (!s)
		return;
	extra_free(&s->x);
	model_destroy(&s->g);
	adam_free(&s->opt);
	sampler_free(&s->es);
	batch_free(&s->eb);
	if (s->shuffle)
		gsl_rng_free(s->shuffle);
	if (s->neg)
		gsl_rng_free(s->neg);
	free(s->zf);
	free(s->zg);
	free(s->dz);
	free(s->l);
	free(s->best);
	free(s->score2);
	free(s);
}

static const struct config_key nmtr_keys[] = {
	{"nmtr_weight", CFG_FLOAT, "1", NULL, 0,
		"nmtr: weight of the satisfaction (extra feedback) task beside the click task",
		CFG_RANGE(0, 1e6)},
	{NULL, 0, NULL, NULL, 0, NULL, NULL},
};

const struct method_ops method_nmtr = {
	.name = "nmtr",
	.display = "NMTR",
	.keys = CONFIG_TABLES(nmtr_keys, METHOD_EXTRA_KEYS),
	.create = nmtr_create,
	.before_step = nmtr_before_step,
	.after_step = nmtr_after_step,
	.checkpoint = nmtr_checkpoint,
	.scorer = nmtr_scorer,
	.destroy = nmtr_destroy,
};
