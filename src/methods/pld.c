/* PLD, personal-loss resampling (Zhang et al., WWW'25), as the authors'
 * code (Kaike-Zhang/PLD, utls/trainer.py PLDCFTrainer) computes it; the
 * paper is not in this tree.
 *
 * Loss: BPR over the deca batch's (positive, negative) pairs
 * (loss_bpr_pairs; pld_loss=bpr, the code's), or Normal's BCE (pld_loss=
 * bce, so that PLD can sit beside the pointwise methods; with pld_begin >=
 * epochs it is then Normal bit for bit).  For the first `pld_begin` (5)
 * epochs the loop's pairs train as they are.  From then on each positive
 * slot of user u is resampled: `pld_candidates` (K = 5) items are drawn
 * from u's distinct train items (without replacement, with replacement
 * when u has fewer than K, as np.random.choice), each candidate's loss l_c
 * is taken at the current parameters without gradient (BPR: softplus(z_neg
 * - z_c) against the slot's first negative, as the code pairs all K with
 * the one negative; bce: the candidate's BCE), and one candidate is drawn
 * with probability softmax(-l_c / pld_temp) (tau = 0.1) from the stream
 * `pld-resample`; the batch of the drawn positives and the loop's negatives
 * is forwarded, reduced and backwarded in before_step, the loop's own batch
 * contributing nothing (its dL/dz is 0).  The code draws a uniform random
 * user per slot and rejects negatives against the train items; here the
 * users and negatives are the loop's (the protocol's sampler; deca rejects
 * with neg_exclude_pos=true).  Pairs need deca batches of pointwise
 * samples: adt and user-chunk models (CDAE, where the authors did not run
 * it) are refused.  Validation keeps the default criterion. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* gsl_randist.h must not meet OpenBLAS's cblas.h in one unit: enums clash */
#include <gsl/gsl_randist.h>

#include "methods/method.h"
#include "nn/rng.h"

struct pld {
	int bpr, begin, K, neg_ratio, output_prob, active;
	double temp;
	enum loss_reduction reduction;
	const csr *pos;
	model *f;
	gsl_rng *r;
	batch pb, cb;   /* the resampled batch; a chunk of candidates */
	int *cand;      /* K candidates per positive slot */
	float *zc, *lc; /* their logits and losses */
	float *zneg;    /* the slot's first negative's logit */
	float *z, *dz, *l;
};

/* Draws the K candidates of slot k's user. */
static void
pld_candidates(struct pld *s, int u, int *out)
{
	int a = s->pos->ptr[u], c = s->pos->ptr[u + 1] - a;
	int *row = s->pos->idx + a;
	if (c >= s->K)
		gsl_ran_choose(s->r, out, (size_t)s->K, row, (size_t)c, sizeof(int));
	else
		gsl_ran_sample(s->r, out, (size_t)s->K, row, (size_t)c, sizeof(int));
}

/* The losses of every candidate of the P slots, forwarded in chunks of
 * the model's batch capacity. */
static void
pld_candidate_losses(struct pld *s, int P)
{
	int total = P * s->K;
	for (int off = 0; off < total; off += s->cb.cap) {
		int n = total - off < s->cb.cap ? total - off : s->cb.cap;
		for (int j = 0; j < n; j++) {
			s->cb.user[j] = s->pb.user[(off + j) / s->K];
			s->cb.item[j] = s->cand[off + j];
			s->cb.label[j] = 1;
		}
		s->cb.n = s->cb.n_pos = n;
		s->f->ops->forward(s->f, &s->cb, s->zc + off);
		loss_bce(s->zc + off, s->cb.label, n, s->output_prob, s->lc + off, s->dz);
	}
	for (int j = 0; s->bpr && j < total; j++) {
		double x = (double)s->zneg[j / s->K] - s->zc[j];
		s->lc[j] = (float)(fmax(x, 0) + log1p(exp(-fabs(x))));
	}
}

/* One of the K candidates by softmax(-l / tau). */
static int
pld_draw(struct pld *s, const float *l)
{
	double lmin = l[0], sum = 0, p[64];
	for (int c = 1; c < s->K; c++)
		lmin = fmin(lmin, l[c]);
	for (int c = 0; c < s->K; c++)
		sum += p[c] = exp((lmin - l[c]) / s->temp);
	double x = gsl_rng_uniform(s->r) * sum;
	for (int c = 0; c < s->K - 1; c++)
		if ((x -= p[c]) < 0)
			return c;
	return s->K - 1;
}

static double
pld_reduce(const struct pld *s, const batch *b, const float *z, float *dz, float *l)
{
	if (s->bpr)
		return loss_bpr_pairs(b, s->neg_ratio, z, dz);
	loss_bce(z, b->label, b->n, s->output_prob, l, dz);
	return loss_reduce(b, l, dz, s->reduction, 1);
}

static double
pld_loss(method *me, const struct train_ctx *ctx, const batch *b, const float *logit, float *dlogit)
{
	struct pld *s = me->state;
	s->active = ctx->epoch >= s->begin;
	if (!s->active)
		return pld_reduce(s, b, logit, dlogit, ctx->sample_loss);
	/* keep the batch for before_step; the slot's first negative is at P + k */
	memcpy(s->pb.user, b->user, (size_t)b->n * sizeof(int));
	memcpy(s->pb.item, b->item, (size_t)b->n * sizeof(int));
	memcpy(s->pb.label, b->label, (size_t)b->n * sizeof(float));
	s->pb.n = b->n;
	s->pb.n_pos = b->n_pos;
	memcpy(s->zneg, logit + b->n_pos, (size_t)b->n_pos * sizeof(float));
	memset(dlogit, 0, (size_t)b->n * sizeof(float));
	return 0;
}

/* The resampled batch's loss and gradient at the parameters of this step. */
static double
pld_before_step(method *me, const struct train_ctx *ctx)
{
	(void)ctx;
	struct pld *s = me->state;
	if (!s->active)
		return 0;
	int P = s->pb.n_pos;
	for (int k = 0; k < P; k++)
		pld_candidates(s, s->pb.user[k], s->cand + (size_t)k * s->K);
	pld_candidate_losses(s, P);
	for (int k = 0; k < P; k++)
		s->pb.item[k] = s->cand[k * s->K + pld_draw(s, s->lc + (size_t)k * s->K)];
	s->f->ops->forward(s->f, &s->pb, s->z);
	double L = pld_reduce(s, &s->pb, s->z, s->dz, s->l);
	s->f->ops->backward(s->f, &s->pb, s->dz);
	return L;
}

/* Pairs need deca batches of positives and their own negatives. */
static int
pld_check(const struct train_ctx *ctx, db_err *err)
{
	const struct model_ops *mo = model_find(ctx->set.model);
	if (ctx->protocol == PROTOCOL_ADT)
		return db_fail(err, DB_EINVAL,
			"pld: resampling a positive needs the deca "
			"protocol's batches of positives and their own negatives; the %s "
			"protocol trains pld in ADT's mixed batches, which have none",
			ctx->set.recsys25 ? "recsys25" : "adt");
	if (mo && mo->user_batches)
		return db_fail(err, DB_EINVAL,
			"pld: model '%s' trains on user chunks, whose "
			"zero cells belong to no positive (the authors ran MF, NeuMF, LightGCN)",
			mo->name);
	if (ctx->neg_ratio < 1)
		return db_fail(err, DB_EINVAL, "pld: needs neg_ratio >= 1");
	return DB_OK;
}

static int
pld_create(method *me, const struct train_ctx *ctx, db_err *err)
{
	int rc = pld_check(ctx, err);
	if (rc)
		return rc;
	struct pld *s = db_calloc(1, sizeof *s, err);
	if (!s)
		return DB_ENOMEM;
	me->state = s;
	const config *c = ctx->cfg;
	s->bpr = strcmp(config_get(c, "pld_loss"), "bpr") == 0;
	s->begin = (int)config_int(c, "pld_begin");
	s->K = (int)config_int(c, "pld_candidates");
	s->temp = config_double(c, "pld_temp");
	s->neg_ratio = ctx->neg_ratio;
	s->output_prob = ctx->output_prob;
	s->reduction = ctx->reduction;
	s->pos = &ctx->d->train_pos;
	s->f = ctx->f;
	size_t cap = (size_t)ctx->batch_cap, many = cap * (size_t)s->K;
	if ((rc = batch_alloc(&s->pb, ctx->batch_cap, err)) ||
		(rc = batch_alloc(&s->cb, ctx->batch_cap, err)))
		return rc;
	s->cand = db_calloc(many, sizeof(int), err);
	s->zc = s->cand ? db_calloc(many, sizeof(float), err) : NULL;
	s->lc = s->zc ? db_calloc(many, sizeof(float), err) : NULL;
	s->zneg = s->lc ? db_calloc(cap, sizeof(float), err) : NULL;
	s->z = s->zneg ? db_calloc(cap, sizeof(float), err) : NULL;
	s->dz = s->z ? db_calloc(cap, sizeof(float), err) : NULL;
	s->l = s->dz ? db_calloc(cap, sizeof(float), err) : NULL;
	if (!s->l)
		return DB_ENOMEM;
	s->r = rng_stream(ctx->seed, "pld-resample");
	return s->r ? DB_OK : db_fail(err, DB_ENOMEM, "pld: no random stream");
}

static void
pld_destroy(method *me)
{
	struct pld *s = me->state;
	if (s) {
		batch_free(&s->pb);
		batch_free(&s->cb);
		free(s->cand);
		free(s->zc);
		free(s->lc);
		free(s->zneg);
		free(s->z);
		free(s->dz);
		free(s->l);
		if (s->r)
			gsl_rng_free(s->r);
	}
	free(s);
}

/* Defaults are the authors' code's (meta_config.py, model_config.py);
 * hashed only when set, so that adding them left every earlier cell's id
 * as it was. */
static const struct config_key pld_keys[] = {
	{"pld_candidates", CFG_INT, "5", NULL, CFG_HASH_SET,
		"pld: candidate positives drawn per slot from the user's train items (code "
		"--item_num)",
		CFG_RANGE(1, 64)},
	{"pld_temp", CFG_FLOAT, "0.1", NULL, CFG_HASH_SET,
		"pld: temperature tau of the resampling softmax(-loss / tau) (code --temp)",
		CFG_RANGE(1e-6, 1e30)},
	{"pld_begin", CFG_INT, "5", NULL, CFG_HASH_SET,
		"pld: epochs trained on the loop's pairs before the resampling starts (code "
		"begin_adv)",
		CFG_RANGE(0, 1e6)},
	{"pld_loss", CFG_CHOICE, "bpr", "bpr|bce", CFG_HASH_SET,
		"pld: bpr = -ln sigmoid(z_pos - z_neg) over the (positive, negative) pairs (the "
		"code's); bce = Normal's loss on the resampled positives",
		NULL},
	{NULL, 0, NULL, NULL, 0, NULL, NULL},
};

const struct method_ops method_pld = {
	.name = "pld",
	.display = "PLD",
	.baseline = 10,
	.keys = CONFIG_TABLES(pld_keys),
	.create = pld_create,
	.loss = pld_loss,
	.before_step = pld_before_step,
	.destroy = pld_destroy,
};
