/* UDT, Unified Denoising Training (Chua et al., RecSys'24), as the authors'
 * code (hyNTU/UDT) computes it; the paper is not in this tree, so every
 * switch below names the code's behaviour as its default.
 *
 * Every sample's BCE l (the protocol's BCE) is multiplied by a detached
 * weight w and reduced as the protocol reduces (under deca the weighted
 * losses enter the split means, as R-CE's).  For the first `udt_warmup`
 * epochs w = 1 (the code: `epoch <= 1`).  Users are ranked by a loss score
 * (ascending; methods/lossrank.h): the r-th of U users gets the temperature
 * T_u = linspace(udt_temp1, udt_temp2, U)[r] and the factor
 * f_u = linspace(udt_userfact1, udt_userfact2, U)[r].
 *
 * udt_weights=epoch (NCF/main.py, GMF and NeuMF): from the previous epoch.
 *   Score of u = the summed losses of u's samples / |train items of u|; the
 *   code's `user_loss[user] += loss` is an index assignment, so with
 *   udt_user_loss=last (default) a batch adds only the loss of u's last
 *   sample in it (positive or negative); sum adds every sample's.  The last
 *   loss l_ui of every train pair, then per user over its c_u train items
 *     w_ui = softmax_i(-l_ui / T_u) * c_u * f_u,
 *   an unseen pair (l = inf) or a weight that underflows to 0 in float32
 *   taking 1 * f_u (the code's `ui_factor[ui_factor == 0] = 1`).  A sample
 *   reads the weight of its (user, item) pair: a negative that is no train
 *   pair gets f_u, one that is (deca's unrejected negatives) the pair's
 *   weight; udt_neg_weight=one gives every negative w = 1 instead.
 * udt_weights=batch (CDAE/main_CDAE.py; the default on user-chunk models):
 *   the positives' weights come from the current batch, detached: over u's
 *   positives in the batch w = softmax(-l / T_u) * (u's cells in the batch)
 *   / 2 * f_u, negatives f_u (or 1); the score of u is the mean loss of its
 *   cells in the last batch that held u, kept across epochs (users without
 *   train items: NAN, ranked last).
 * Validation keeps the default criterion (the code selects on recall). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "methods/lossrank.h"
#include "methods/method.h"

struct udt {
	int batch_mode, user_sum, neg_one, warmup, norm_pos;
	double temp[2], fact[2];
	const csr *pos;
	int n_users, epoch;     /* the epoch whose losses are being gathered */
	int ranked;             /* temperature and factor assigned */
	float *loss, *weight;   /* per train pair (slot of pos) */
	double *score;          /* per user: the ranking score being gathered */
	float *temp_u, *fact_u; /* per user: T_u, f_u from the last ranking */
	long *stamp;            /* per user: the batch that last touched it */
	struct lossrank_item *rank;
	float *w; /* the batch's weights */
	long batches;
	float *bmin;          /* batch mode, per user: the lowest positive loss */
	double *bsum, *bloss; /* ... sum of exp, summed loss of its cells */
	int *bcells, *bpos;
};

/* The slot of train pair (u, i) in pos, or -1. */
static long
udt_slot(const struct udt *s, int u, int i)
{
	const int *row = s->pos->idx + s->pos->ptr[u];
	const int *p = data_int_find(row, s->pos->ptr[u + 1] - s->pos->ptr[u], i);
	return p ? (long)(p - s->pos->idx) : -1;
}

/* w_ui of one user's train pairs from their last losses, as above. */
static void
udt_user_weights(struct udt *s, int u)
{
	int a = s->pos->ptr[u], c = s->pos->ptr[u + 1] - a;
	float lmin = INFINITY;
	for (int k = a; k < a + c; k++)
		lmin = fminf(lmin, s->loss[k]);
	double T = s->temp_u[u], sum = 0;
	for (int k = a; isfinite(lmin) && k < a + c; k++)
		sum += exp((lmin - (double)s->loss[k]) / T);
	for (int k = a; k < a + c; k++) {
		/* every pair unseen: the code's softmax is NaN; weight f_u here */
		double e = isfinite(lmin) ? exp((lmin - (double)s->loss[k]) / T) : 0;
		float w = (float)(e ? e / sum * c : 0);
		s->weight[k] = (w == 0 ? 1.0f : w) * s->fact_u[u];
		s->loss[k] = INFINITY;
	}
}

/* At the first batch of a new epoch: rank the users by the gathered
 * scores and, in epoch mode, turn the gathered losses into weights. */
static void
udt_new_epoch(struct udt *s)
{
	if (!s->batch_mode)
		for (int u = 0; u < s->n_users; u++) {
			int c = s->pos->ptr[u + 1] - s->pos->ptr[u];
			s->score[u] = c ? s->score[u] / c : NAN;
		}
	lossrank_linspace(s->score, s->n_users, s->temp[0], s->temp[1], s->temp_u, s->rank);
	lossrank_linspace(s->score, s->n_users, s->fact[0], s->fact[1], s->fact_u, s->rank);
	s->ranked = 1;
	if (!s->batch_mode)
		for (int u = 0; u < s->n_users; u++) {
			udt_user_weights(s, u);
			s->score[u] = 0;
		}
}

/* Epoch mode: gathers this batch's losses; w from the previous epoch. */
static void
udt_epoch_batch(struct udt *s, const batch *b, const float *l, float *w, int weighted)
{
	for (int k = 0; k < b->n; k++) {
		int u = b->user[k], pos = b->label[k] > 0.5f;
		long slot = udt_slot(s, u, b->item[k]);
		w[k] = !weighted || (!pos && s->neg_one) ? 1.0f
			: slot >= 0                      ? s->weight[slot]
							 : s->fact_u[u];
		if (pos && slot >= 0)
			s->loss[slot] = l[k]; /* a later occurrence of the pair wins */
	}
	/* backwards, so that the first visit of u is its last sample */
	s->batches++;
	for (int k = b->n - 1; k >= 0; k--) {
		int u = b->user[k];
		if (s->user_sum || s->stamp[u] != s->batches)
			s->score[u] += l[k];
		s->stamp[u] = s->batches;
	}
}

/* Batch mode: w from the softmax over each user's positives of this batch. */
static void
udt_chunk_batch(struct udt *s, const batch *b, const float *l, float *w, int weighted)
{
	s->batches++;
	for (int k = 0; k < b->n; k++) {
		int u = b->user[k];
		if (s->stamp[u] != s->batches) {
			s->stamp[u] = s->batches;
			s->bmin[u] = INFINITY;
			s->bsum[u] = s->bloss[u] = 0;
			s->bcells[u] = s->bpos[u] = 0;
		}
		s->bcells[u]++;
		s->bloss[u] += l[k];
		if (b->label[k] > 0.5f) {
			s->bmin[u] = fminf(s->bmin[u], l[k]);
			s->bpos[u]++;
		}
	}
	for (int k = 0; k < b->n; k++)
		if (b->label[k] > 0.5f)
			s->bsum[b->user[k]] +=
				exp((s->bmin[b->user[k]] - (double)l[k]) / s->temp_u[b->user[k]]);
	for (int k = 0; k < b->n; k++) {
		int u = b->user[k];
		s->score[u] = s->bloss[u] / s->bcells[u];
		if (!weighted) {
			w[k] = 1;
		} else if (b->label[k] > 0.5f) {
			double soft = exp((s->bmin[u] - (double)l[k]) / s->temp_u[u]) / s->bsum[u];
			double norm = s->norm_pos ? s->bpos[u] : s->bcells[u] / 2.0;
			w[k] = (float)(soft * norm) * s->fact_u[u];
		} else {
			w[k] = s->neg_one ? 1.0f : s->fact_u[u];
		}
	}
}

static int
udt_create(method *me, const struct train_ctx *ctx, db_err *err)
{
	const config *c = ctx->cfg;
	struct udt *s = db_calloc(1, sizeof *s, err);
	if (!s)
		return DB_ENOMEM;
	me->state = s;
	s->batch_mode = strcmp(config_get(c, "udt_weights"), "batch") == 0;
	s->user_sum = strcmp(config_get(c, "udt_user_loss"), "sum") == 0;
	s->neg_one = strcmp(config_get(c, "udt_neg_weight"), "one") == 0;
	s->norm_pos = strcmp(config_get(c, "udt_batch_norm"), "positives") == 0;
	s->warmup = (int)config_int(c, "udt_warmup");
	s->temp[0] = config_double(c, "udt_temp1");
	s->temp[1] = config_double(c, "udt_temp2");
	s->fact[0] = config_double(c, "udt_userfact1");
	s->fact[1] = config_double(c, "udt_userfact2");
	s->pos = &ctx->d->train_pos;
	s->n_users = ctx->d->n_users;
	s->epoch = -1;
	size_t U = (size_t)s->n_users, P = (size_t)s->pos->ptr[s->n_users];
	s->loss = db_calloc(P ? P : 1, sizeof(float), err);
	s->weight = s->loss ? db_calloc(P ? P : 1, sizeof(float), err) : NULL;
	s->score = s->weight ? db_calloc(U, sizeof(double), err) : NULL;
	s->temp_u = s->score ? db_calloc(U, sizeof(float), err) : NULL;
	s->fact_u = s->temp_u ? db_calloc(U, sizeof(float), err) : NULL;
	s->stamp = s->fact_u ? db_calloc(U, sizeof(long), err) : NULL;
	s->bmin = s->stamp ? db_calloc(U, sizeof(float), err) : NULL;
	s->bsum = s->bmin ? db_calloc(U, sizeof(double), err) : NULL;
	s->bloss = s->bsum ? db_calloc(U, sizeof(double), err) : NULL;
	s->bcells = s->bloss ? db_calloc(U, sizeof(int), err) : NULL;
	s->bpos = s->bcells ? db_calloc(U, sizeof(int), err) : NULL;
	s->rank = s->bpos ? db_calloc(U, sizeof *s->rank, err) : NULL;
	s->w = s->rank ? db_calloc((size_t)ctx->batch_cap, sizeof(float), err) : NULL;
	if (!s->w)
		return DB_ENOMEM;
	for (size_t k = 0; k < P; k++)
		s->loss[k] = INFINITY;
	for (int u = 0; s->batch_mode && u < s->n_users; u++)
		if (s->pos->ptr[u + 1] == s->pos->ptr[u])
			s->score[u] = NAN;
	return DB_OK;
}

static double
udt_loss(method *me, const struct train_ctx *ctx, const batch *b, const float *logit, float *dlogit)
{
	struct udt *s = me->state;
	/* the weights of an epoch come from the one before: rank at its end */
	if (s->epoch >= 0 && ctx->epoch != s->epoch)
		udt_new_epoch(s);
	s->epoch = ctx->epoch;
	float *l = ctx->sample_loss, *w = s->w;
	loss_bce(logit, b->label, b->n, ctx->output_prob, l, dlogit);
	int weighted = ctx->epoch >= s->warmup && s->ranked;
	if (s->batch_mode)
		udt_chunk_batch(s, b, l, w, weighted);
	else
		udt_epoch_batch(s, b, l, w, weighted);
	for (int k = 0; k < b->n; k++) {
		l[k] *= w[k];
		dlogit[k] *= w[k];
	}
	return loss_reduce(b, l, dlogit, ctx->reduction, 1);
}

static void
udt_destroy(method *me)
{
	struct udt *s = me->state;
	if (s) {
		free(s->loss);
		free(s->weight);
		free(s->score);
		free(s->temp_u);
		free(s->fact_u);
		free(s->stamp);
		free(s->bmin);
		free(s->bsum);
		free(s->bloss);
		free(s->bcells);
		free(s->bpos);
		free(s->rank);
		free(s->w);
	}
	free(s);
}

/* Defaults are the authors' code's; hashed only when set, so that adding
 * them left every earlier cell's id as it was. */
static const struct config_key udt_keys[] = {
	{"udt_temp1", CFG_FLOAT, "0.2", NULL, CFG_HASH_SET,
		"udt: softmax temperature of the user with the lowest loss (code --temp1; linear "
		"in "
		"the loss rank up to udt_temp2)",
		CFG_RANGE(1e-6, 1e30)},
	{"udt_temp2", CFG_FLOAT, "0.5", NULL, CFG_HASH_SET,
		"udt: softmax temperature of the user with the highest loss (code --temp2)",
		CFG_RANGE(1e-6, 1e30)},
	{"udt_userfact1", CFG_FLOAT, "0.5", NULL, CFG_HASH_SET,
		"udt: user factor of the user with the lowest loss (code --userfact1)",
		CFG_RANGE(0, 1e6)},
	{"udt_userfact2", CFG_FLOAT, "0", NULL, CFG_HASH_SET,
		"udt: user factor of the user with the highest loss (code --userfact2)",
		CFG_RANGE(0, 1e6)},
	{"udt_warmup", CFG_INT, "2", NULL, CFG_HASH_SET,
		"udt: epochs trained with weight 1 before the reweighting starts (code: epoch <= "
		"1)",
		CFG_RANGE(1, 1e6)},
	{"udt_weights", CFG_CHOICE, "epoch", "epoch|batch", CFG_HASH_SET,
		"udt: epoch = positives' weights from the previous epoch's losses (NCF/main.py); "
		"batch "
		"= from the current batch (CDAE/main_CDAE.py; the default on cdae)",
		NULL},
	{"udt_user_loss", CFG_CHOICE, "last", "last|sum", CFG_HASH_SET,
		"udt, epoch weights: a batch adds to a user's loss score the loss of its last "
		"sample "
		"only (the code's index assignment) or of every sample",
		NULL},
	{"udt_neg_weight", CFG_CHOICE, "pair", "pair|one", CFG_HASH_SET,
		"udt: a negative takes its (user, item) pair's weight as the code's table does "
		"(the "
		"user factor unless it is a train pair), or 1",
		NULL},
	{"udt_batch_norm", CFG_CHOICE, "cells", "cells|positives", CFG_HASH_SET,
		"udt, batch weights: the softmax over a user's positives times its cells in the "
		"batch "
		"/ 2 (the code's, = its positives at one negative each) or times its positives",
		NULL},
	{NULL, 0, NULL, NULL, 0, NULL, NULL},
};

/* UDT's CDAE script weighs from the current batch. */
static const struct config_default udt_defaults[] = {
	{NULL, NULL, "cdae", "udt", "udt_weights", "batch"},
	{NULL, NULL, NULL, NULL, NULL, NULL},
};

const struct method_ops method_udt = {
	.name = "udt",
	.display = "UDT",
	.baseline = 7,
	.defaults = udt_defaults,
	.keys = CONFIG_TABLES(udt_keys),
	.create = udt_create,
	.loss = udt_loss,
	.destroy = udt_destroy,
};
