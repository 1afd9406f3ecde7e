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
			rc = adam_create(&s->opt[i], s->m[i].n_params, &ctx->set.adam, err);
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

/* DeCA and DeCA(p) (protocol.md §4.6; defaults: the reference CLI's, §7.2). */
static const struct config_key deca_keys[] = {
	{"deca_c1", CFG_INT, "1000", NULL, 0,
		"DeCA C1: -log P(noisy negative | r = 1) of the DP term (an int in the reference)",
		CFG_RANGE(0, 1e9)},
	{"deca_c2", CFG_INT, "10", NULL, 0,
		"DeCA C2: -log P(noisy positive | r = 0) of the DN term (an int in the reference)",
		CFG_RANGE(0, 1e9)},
	{"deca_alpha", CFG_FLOAT, "1", NULL, 0,
		"DeCA agreement: alpha * KL(g||f) + (1 - alpha) * KL(f||g)", CFG_RANGE(0, 1)},
	{"deca_iterative", CFG_BOOL, "true", NULL, 0,
		"DeCA: alternate DP and DN per iteration (false: every iteration is the schedule's "
		"first "
		"type)",
		NULL},
	{"deca_schedule", CFG_CHOICE, "reference", "reference|paper", 0,
		"reference: iteration 0 'both' (with the code's positive term), then DP on odd, DN "
		"on "
		"even counts; paper: Algorithm 1, DP on even, DN on odd counts",
		NULL},
	{"deca_terms", CFG_CHOICE, "both", "both|dp|dn", 0,
		"DeCA ablation (Table 3): both = DP and DN per the schedule; dp / dn = only that "
		"term",
		NULL},
	{"deca_h_model", CFG_CHOICE, "mf", "mf|gmf|neumf", 0,
		"DeCA noise models h, h' (Tables 4, 6)", NULL},
	{"deca_dim", CFG_INT, "32", NULL, 0, "DeCA embedding size of g (deca) and h, h'",
		CFG_RANGE(1, 4096)},
	{NULL, 0, NULL, NULL, 0, NULL, NULL},
};

/* DeCA(p) alone: the cache of its pre-trained g. */
static const struct config_key decap_keys[] = {
	{"deca_pretrain_cache", CFG_BOOL, "true", NULL, CFG_NOHASH,
		"DeCA(p): reuse the pre-trained g cached under cache_dir", NULL},
	{NULL, 0, NULL, NULL, 0, NULL, NULL},
};

/* DeCA's configs.py, DeCA and DeCA(p): epochs / early_stop / C_1 / C_2 /
 * alpha / lambda0 / iterative (§7.1); DeCA(p)'s epochs and lambda0 also
 * govern the pre-training of g (§4.6.5). */
static const struct config_default deca_defaults[] = {
#define DECA(me, ds, m, ep, es, c1, c2, a, l2, it)                                                 \
	{"deca", ds, m, me, "epochs", ep}, {"deca", ds, m, me, "early_stop", es},                  \
		{"deca", ds, m, me, "deca_c1", c1}, {"deca", ds, m, me, "deca_c2", c2},            \
		{"deca", ds, m, me, "deca_alpha", a}, {"deca", ds, m, me, "l2", l2},               \
	{                                                                                          \
		"deca", ds, m, me, "deca_iterative", it                                            \
	}
	DECA("deca", "ml-100k", "gmf", "20", "false", "1000", "1000", "1", "0.1", "true"),
	DECA("deca", "ml-100k", "neumf", "100", "false", "1000", "10", "1", "0.01", "true"),
	DECA("deca", "ml-100k", "cdae", "400", "false", "1000", "100", "0.5", "1.0", "true"),
	DECA("deca", "ml-100k", "lightgcn", "150", "true", "100", "100", "0", "0.1", "true"),
	DECA("deca", "modcloth", "gmf", "40", "false", "100", "10", "0", "0.1", "true"),
	DECA("deca", "modcloth", "neumf", "40", "false", "1000", "10", "0.5", "10", "true"),
	DECA("deca", "modcloth", "cdae", "40", "true", "1000", "100", "0", "1", "true"),
	DECA("deca", "modcloth", "lightgcn", "60", "false", "1000", "10", "0", "0.1", "true"),
	DECA("deca", "adressa", "gmf", "15", "false", "100", "10", "1", "0", "true"),
	DECA("deca", "adressa", "neumf", "30", "true", "1000", "10", "0", "1", "true"),
	DECA("deca", "adressa", "cdae", "50", "false", "1000", "10", "0", "0", "true"),
	DECA("deca", "adressa", "lightgcn", "15", "true", "10", "1000", "0", "10", "true"),
	DECA("deca", "electronics", "gmf", "15", "false", "1000", "10", "1", "0.01", "true"),
	DECA("deca", "electronics", "neumf", "15", "false", "100", "10", "0.5", "1000", "true"),
	DECA("deca", "electronics", "cdae", "15", "true", "100", "10", "0", "0.1", "true"),
	DECA("deca", "electronics", "lightgcn", "10", "false", "1000", "10", "1", "0.01", "true"),
	DECA("deca-p", "ml-100k", "gmf", "20", "false", "1000", "1000", "1", "0.1", "true"),
	DECA("deca-p", "ml-100k", "neumf", "100", "true", "100", "10", "1", "0", "true"),
	DECA("deca-p", "ml-100k", "cdae", "500", "false", "1000", "10", "1", "1", "true"),
	DECA("deca-p", "ml-100k", "lightgcn", "150", "true", "1", "1", "1", "0", "true"),
	DECA("deca-p", "modcloth", "gmf", "40", "false", "100", "10", "1", "0.1", "true"),
	DECA("deca-p", "modcloth", "neumf", "40", "true", "1000", "10", "1", "10", "true"),
	DECA("deca-p", "modcloth", "cdae", "40", "true", "1000", "100", "1", "1", "true"),
	DECA("deca-p", "modcloth", "lightgcn", "60", "true", "10", "10", "0.5", "0.1", "true"),
	DECA("deca-p", "adressa", "gmf", "10", "false", "1000", "10", "1", "0.01", "true"),
	DECA("deca-p", "adressa", "neumf", "30", "true", "100", "10", "1", "1", "true"),
	DECA("deca-p", "adressa", "cdae", "50", "false", "100", "10", "1", "0", "true"),
	DECA("deca-p", "adressa", "lightgcn", "15", "true", "1000", "10", "0.5", "0.01", "false"),
	DECA("deca-p", "electronics", "gmf", "10", "false", "1000", "10", "1", "0.01", "true"),
	DECA("deca-p", "electronics", "neumf", "10", "true", "100", "10", "0", "1000", "true"),
	DECA("deca-p", "electronics", "cdae", "15", "true", "100", "10", "0", "0.1", "true"),
	DECA("deca-p", "electronics", "lightgcn", "10", "false", "1000", "10", "1", "0.01", "true"),
#undef DECA
	{NULL, NULL, NULL, NULL, NULL, NULL},
};

const struct method_ops method_deca = {
	.name = "deca",
	.display = "DeCA",
	.defaults = deca_defaults,
	.keys = CONFIG_TABLES(deca_keys),
	.create = deca_create,
	.loss = deca_loss,
	.after_step = deca_after_step,
	.destroy = deca_destroy,
};

const struct method_ops method_decap = {
	.name = "deca-p",
	.display = "DeCA(p)",
	.defaults = deca_defaults,
	.keys = CONFIG_TABLES(deca_keys, decap_keys),
	.create = decap_create,
	.loss = deca_loss,
	.after_step = deca_after_step,
	.destroy = deca_destroy,
};
