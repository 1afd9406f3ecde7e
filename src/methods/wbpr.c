/* WBPR, BPR with popularity-weighted negatives (Gantner et al. 2012, cited
 * by the DeCA paper §4.1.3: "the popular but uninteracted items are highly
 * likely to be real negative ones"; protocol.md §4.4, §10).  Neither
 * reference repository has it, so the formulas below are this suite's
 * reading, recorded here because no code can cross-check them.
 *
 * Sampling: the negative j of user u is drawn among the items u has no
 * train line for, with
 *   P(j | u) = pop(j)^gamma / sum_{i not in train(u)} pop(i)^gamma,
 * pop(j) = train lines of item j (duplicates counted), gamma = wbpr_gamma.
 * A draw from the alias table of pop^gamma over ALL items (GSL's
 * gsl_ran_discrete: O(1) per draw, built once) is rejected while it is a
 * train item of u, which gives exactly that conditional law.  Train items
 * are always rejected, whatever neg_exclude_pos says.  With gamma > 0 an
 * item without train lines has weight 0 and is never drawn; gamma = 0 is
 * uniform over every non-interacted item.
 *
 * Loss (wbpr_loss): bpr (default, the cited method) pairs positive k with
 * each of its neg_ratio negatives in the deca layout [P positives | 1st
 * negatives | ...], n_r(k) = index P(1 + r) + k, and takes the mean over
 * the P * neg_ratio pairs
 *   L = 1/(P R) sum_{k<P, r<R} softplus(-(z_k - z_{n_r(k)})),
 *   softplus(x) = max(x, 0) + ln(1 + e^-|x|)   (= -ln sigmoid(-x), stable),
 *   dL/dz_k = -1/(P R) sum_r sigmoid(z_{n_r(k)} - z_k) = -dL/dz_{n_r(k)} summed.
 * z is the model's logit; with output=prob the model's probability is
 * sigmoid(z), so BPR acts on the logit of that probability.  The mean over
 * pairs replaces the protocol's split means (there is one term per pair,
 * not a positive and a negative term).  Mixed (adt) batches and user-chunk
 * batches (CDAE) have no pairs, so bpr is refused there; bce is Normal's
 * loss on popularity negatives.
 * Validation keeps the default BCE criterion on uniform negatives: the
 * mixed validation batches have no pairs either. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* gsl_randist.h must not meet OpenBLAS's cblas.h in one unit: enums clash */
#include <gsl/gsl_randist.h>

#include "methods/method.h"

struct wbpr {
	const csr *train_pos;
	gsl_ran_discrete_t *alias;
	int bpr;
};

/* Refuses users for whom every drawable item is a train item (the rejection
 * loop would never end). */
static int
wbpr_check_users(const dataset *d, const double *w, db_err *err)
{
	int drawable = 0;
	for (int i = 0; i < d->n_items; i++)
		drawable += w[i] > 0;
	for (int u = 0; u < d->n_users; u++) {
		int mine = 0;
		for (int p = d->train_pos.ptr[u]; p < d->train_pos.ptr[u + 1]; p++)
			mine += w[d->train_pos.idx[p]] > 0;
		if (mine == drawable)
			return db_fail(err, DB_EINVAL,
				"wbpr: user %d has a train line for every item of non-zero "
				"popularity: no negative can be drawn",
				u);
	}
	return DB_OK;
}

static int
wbpr_create(method *me, const struct train_ctx *ctx, db_err *err)
{
	const dataset *d = ctx->d;
	double gamma = config_double(ctx->cfg, "wbpr_gamma");
	struct wbpr *s = db_calloc(1, sizeof *s, err);
	if (!s)
		return DB_ENOMEM;
	me->state = s;
	s->train_pos = &d->train_pos;
	s->bpr = strcmp(config_get(ctx->cfg, "wbpr_loss"), "bpr") == 0;
	if (s->bpr && ctx->protocol == PROTOCOL_ADT)
		return db_fail(err, DB_EINVAL,
			"wbpr: wbpr_loss=bpr needs the deca protocol's "
			"batches of positives and their own negatives; the adt protocol's mixed "
			"batches have no pairs (use --set wbpr_loss=bce)");
	const struct model_ops *mo = model_find(ctx->set.model);
	if (s->bpr && mo && mo->user_batches)
		return db_fail(err, DB_EINVAL,
			"wbpr: wbpr_loss=bpr needs positives paired with "
			"their own negatives; model '%s' trains on user chunks whose zero cells "
			"belong to any user of the chunk (use --set wbpr_loss=bce)",
			mo->name);
	if (s->bpr && ctx->neg_ratio < 1)
		return db_fail(err, DB_EINVAL, "wbpr: wbpr_loss=bpr needs neg_ratio >= 1");
	double *w = db_calloc((size_t)d->n_items, sizeof *w, err);
	if (!w)
		return DB_ENOMEM;
	for (int i = 0; i < d->n_items; i++)
		w[i] = pow(d->item_pop[i], gamma); /* pow(0, 0) = 1: gamma 0 is uniform */
	int rc = wbpr_check_users(d, w, err);
	if (!rc && !(s->alias = gsl_ran_discrete_preproc((size_t)d->n_items, w)))
		rc = db_fail(err, DB_ENOMEM, "wbpr: cannot build the alias table");
	free(w);
	return rc;
}

static int
wbpr_draw(method *me, int user, gsl_rng *r)
{
	const struct wbpr *s = me->state;
	for (;;) {
		int j = (int)gsl_ran_discrete(r, s->alias);
		if (!data_csr_has(s->train_pos, user, j))
			return j;
	}
}

static double
wbpr_loss(method *me, const struct train_ctx *ctx, const batch *b, const float *logit,
	float *dlogit)
{
	const struct wbpr *s = me->state;
	if (!s->bpr)
		return method_normal.loss(me, ctx, b, logit, dlogit);
	return loss_bpr_pairs(b, ctx->neg_ratio, logit, dlogit);
}

static void
wbpr_destroy(method *me)
{
	struct wbpr *s = me->state;
	if (s && s->alias)
		gsl_ran_discrete_free(s->alias);
	free(s);
}

static const struct config_key wbpr_keys[] = {
	{"wbpr_gamma", CFG_FLOAT, "1", NULL, 0,
		"method wbpr: negatives drawn among the user's non-train items with probability "
		"proportional to popularity^gamma (train lines per item); with gamma > 0 items "
		"without "
		"train lines are never drawn, gamma 0 is uniform",
		CFG_RANGE(0, 100)},
	{"wbpr_loss", CFG_CHOICE, "bpr", "bpr|bce", 0,
		"method wbpr: bpr = -ln sigmoid(z_pos - z_neg), mean over (positive, negative) "
		"pairs "
		"(deca protocol only); bce = Normal's loss on the popularity negatives",
		NULL},
	{NULL, 0, NULL, NULL, 0, NULL, NULL},
};

const struct method_ops method_wbpr = {
	.name = "wbpr",
	.display = "WBPR",
	.baseline = 2,
	.keys = CONFIG_TABLES(wbpr_keys),
	.create = wbpr_create,
	.loss = wbpr_loss,
	.draw_negative = wbpr_draw,
	.destroy = wbpr_destroy,
};
