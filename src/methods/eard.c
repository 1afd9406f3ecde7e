/* EARD, entity-aware reweighting (Liu et al., WWW'26), as the authors'
 * code (Fammia/EARD, NCF/main.py; CDAE/main_CDAE.py) computes it; the
 * paper is not in this tree.
 *
 * Every sample's BCE l times a detached weight, reduced as the protocol
 * reduces.  The first `eard_warmup` epochs (the code: `epoch <= 1`) have
 * weight 1.  From the previous epoch:
 *   - every (user, item) pair trained, positive or negative, with its last
 *     loss; over these n pairs the ECDF weight of a pair with loss l is
 *     (r - 1/2) / n, r = #{pairs with loss >= l} (the code's searchsorted
 *     of -l, right side), so the lowest loss gets (n - 1/2) / n;
 *   - each user's and item's mean loss, ranked ascending (methods/
 *     lossrank.h): the r-th of U users gets linspace(eard_upper,
 *     eard_lower, U)[r] (lowest loss: eard_upper = the README's beta;
 *     users and items never trained rank last); items alike.
 * w(u, i) = ECDF(u, i) * f_user(u) * f_item(i), the product in double of
 * the float32 factors, rounded once; a pair not trained in the previous
 * epoch (most negatives: they are redrawn) has w = 1.  The mean loss of
 * NCF/main.py is an index assignment (`user_epoch_loss_sum[user] +=
 * loss`, counts alike): eard_entity_loss=last (default) adds per batch the
 * loss of an entity's last sample and counts 1; sum adds every sample
 * (CDAE/main_CDAE.py, the default on cdae).  eard_ecdf=false drops the
 * ECDF factor (an ablation: with both factors 1 it is Normal).
 * Validation keeps the default criterion (the code selects on recall). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "methods/lossrank.h"
#include "methods/method.h"
#include "methods/pairmap.h"

struct eard_seen {
	float loss;
	uint64_t key;
};

/* One entity kind (users or items): this epoch's sums and the factors. */
struct eard_side {
	int n;
	double *sum;
	long *cnt, *stamp;
	float *fact;
};

struct eard {
	int last_mode, ecdf, warmup, epoch;
	double lower, upper;
	long batches;
	struct eard_side side[2]; /* users, items */
	struct pairmap map;       /* val[0]: loss this epoch, val[1]: weight */
	struct eard_seen *seen;
	struct lossrank_item *rank;
	double *avg;
	float *w;
};

static int
eard_side_alloc(struct eard_side *e, int n, db_err *err)
{
	e->n = n;
	e->sum = db_calloc((size_t)n, sizeof(double), err);
	e->cnt = e->sum ? db_calloc((size_t)n, sizeof(long), err) : NULL;
	e->stamp = e->cnt ? db_calloc((size_t)n, sizeof(long), err) : NULL;
	e->fact = e->stamp ? db_calloc((size_t)n, sizeof(float), err) : NULL;
	return e->fact ? DB_OK : DB_ENOMEM;
}

static void
eard_side_free(struct eard_side *e)
{
	free(e->sum);
	free(e->cnt);
	free(e->stamp);
	free(e->fact);
}

/* The factors of one kind from its mean losses; the sums start again. */
static void
eard_side_rank(struct eard *s, struct eard_side *e)
{
	for (int k = 0; k < e->n; k++) {
		s->avg[k] = e->cnt[k] ? e->sum[k] / (double)e->cnt[k] : NAN;
		e->sum[k] = 0;
		e->cnt[k] = 0;
	}
	lossrank_linspace(s->avg, e->n, s->upper, s->lower, e->fact, s->rank);
}

/* Highest loss first (= ascending -loss, the code's sort); ties by key. */
static int
eard_seen_cmp(const void *pa, const void *pb)
{
	const struct eard_seen *a = pa, *b = pb;
	if (a->loss != b->loss)
		return a->loss > b->loss ? -1 : 1;
	return (a->key > b->key) - (a->key < b->key);
}

/* At the first batch of a new epoch: the weights of the pairs trained in
 * the previous one; every other pair is forgotten. */
static void
eard_new_epoch(struct eard *s)
{
	eard_side_rank(s, &s->side[0]);
	eard_side_rank(s, &s->side[1]);
	struct pairmap *m = &s->map;
	size_t n = 0;
	for (size_t j = 0; j < m->cap; j++)
		if (m->key[j] != PAIRMAP_EMPTY && !isnan(m->val[2 * j]))
			s->seen[n++] = (struct eard_seen){m->val[2 * j], m->key[j]};
	qsort(s->seen, n, sizeof *s->seen, eard_seen_cmp);
	pairmap_clear(m);
	for (size_t a = 0, z; a < n; a = z) {
		for (z = a + 1; z < n && s->seen[z].loss == s->seen[a].loss; z++)
			;
		/* r = z pairs have a loss >= this group's */
		float cdf = s->ecdf ? (float)(((double)z - 0.5) / (double)n) : 1.0f;
		for (size_t k = a; k < z; k++) {
			int u = (int)(s->seen[k].key / (uint64_t)m->n_items);
			int i = (int)(s->seen[k].key % (uint64_t)m->n_items);
			float *v = pairmap_get(m, u, i, 1);
			v[1] = (float)((double)cdf * s->side[0].fact[u] * s->side[1].fact[i]);
		}
	}
}

/* Adds the batch's losses to the user (e = 0) or item sums. */
static void
eard_side_add(struct eard *s, struct eard_side *e, const int *id, const float *l, int n)
{
	/* backwards, so that the first visit of an entity is its last sample */
	for (int k = n - 1; k >= 0; k--) {
		if (!s->last_mode || e->stamp[id[k]] != s->batches) {
			e->sum[id[k]] += l[k];
			e->cnt[id[k]]++;
		}
		e->stamp[id[k]] = s->batches;
	}
}

static double
eard_loss(method *me, const struct train_ctx *ctx, const batch *b, const float *logit,
	float *dlogit)
{
	struct eard *s = me->state;
	if (s->epoch >= 0 && ctx->epoch != s->epoch)
		eard_new_epoch(s);
	s->epoch = ctx->epoch;
	float *l = ctx->sample_loss;
	loss_bce(logit, b->label, b->n, ctx->output_prob, l, dlogit);
	int weighted = ctx->epoch >= s->warmup;
	for (int k = 0; k < b->n; k++) {
		float *v = pairmap_get(&s->map, b->user[k], b->item[k], 1);
		s->w[k] = weighted && v && !isnan(v[1]) ? v[1] : 1.0f;
		if (v)
			v[0] = l[k]; /* a later occurrence of the pair wins */
	}
	s->batches++;
	eard_side_add(s, &s->side[0], b->user, l, b->n);
	eard_side_add(s, &s->side[1], b->item, l, b->n);
	for (int k = 0; k < b->n; k++) {
		l[k] *= s->w[k];
		dlogit[k] *= s->w[k];
	}
	return loss_reduce(b, l, dlogit, ctx->reduction, 1);
}

static int
eard_create(method *me, const struct train_ctx *ctx, db_err *err)
{
	const config *c = ctx->cfg;
	const dataset *d = ctx->d;
	struct eard *s = db_calloc(1, sizeof *s, err);
	if (!s)
		return DB_ENOMEM;
	me->state = s;
	s->last_mode = strcmp(config_get(c, "eard_entity_loss"), "last") == 0;
	s->ecdf = config_bool(c, "eard_ecdf");
	s->warmup = (int)config_int(c, "eard_warmup");
	s->lower = config_double(c, "eard_lower");
	s->upper = config_double(c, "eard_upper");
	s->epoch = -1;
	/* an epoch trains at most every train line with neg_ratio negatives
	 * (one under adt); the table holds the previous epoch's pairs and the
	 * current one's */
	int negs = ctx->neg_ratio > 1 ? ctx->neg_ratio : 1;
	size_t per_epoch = (size_t)d->train.n * (size_t)(1 + negs);
	size_t most = (size_t)(d->n_users > d->n_items ? d->n_users : d->n_items);
	int rc = eard_side_alloc(&s->side[0], d->n_users, err);
	if (!rc)
		rc = eard_side_alloc(&s->side[1], d->n_items, err);
	if (!rc)
		rc = pairmap_init(&s->map, 2 * per_epoch, 2, d->n_items, err);
	if (rc)
		return rc;
	s->seen = db_calloc(2 * per_epoch, sizeof *s->seen, err);
	s->rank = s->seen ? db_calloc(most, sizeof *s->rank, err) : NULL;
	s->avg = s->rank ? db_calloc(most, sizeof *s->avg, err) : NULL;
	s->w = s->avg ? db_calloc((size_t)ctx->batch_cap, sizeof *s->w, err) : NULL;
	return s->w ? DB_OK : DB_ENOMEM;
}

static void
eard_destroy(method *me)
{
	struct eard *s = me->state;
	if (s) {
		eard_side_free(&s->side[0]);
		eard_side_free(&s->side[1]);
		pairmap_free(&s->map);
		free(s->seen);
		free(s->rank);
		free(s->avg);
		free(s->w);
	}
	free(s);
}

/* Defaults are the authors' code's; hashed only when set, so that adding
 * them left every earlier cell's id as it was. */
static const struct config_key eard_keys[] = {
	{"eard_lower", CFG_FLOAT, "0.5", NULL, CFG_HASH_SET,
		"eard: factor of the user (item) with the highest mean loss, alpha (code "
		"--factor_lower; its config.conf's 0.5)",
		CFG_RANGE(0, 1e6)},
	{"eard_upper", CFG_FLOAT, "1.5", NULL, CFG_HASH_SET,
		"eard: factor of the user (item) with the lowest mean loss, beta (code "
		"--factor_upper; "
		"its config.conf's 1.5)",
		CFG_RANGE(0, 1e6)},
	{"eard_warmup", CFG_INT, "2", NULL, CFG_HASH_SET,
		"eard: epochs trained with weight 1 before the reweighting starts (code: epoch <= "
		"1)",
		CFG_RANGE(1, 1e6)},
	{"eard_entity_loss", CFG_CHOICE, "last", "last|sum", CFG_HASH_SET,
		"eard: a batch adds to a user's (item's) loss sum and count its last sample only "
		"(NCF/main.py's index assignment) or every sample (CDAE/main_CDAE.py; the default "
		"on "
		"cdae)",
		NULL},
	{"eard_ecdf", CFG_BOOL, "true", NULL, CFG_HASH_SET,
		"eard: multiply by the ECDF weight of the pair's loss (false: entity factors only, "
		"an "
		"ablation)",
		NULL},
	{NULL, 0, NULL, NULL, 0, NULL, NULL},
};

/* EARD's CDAE script sums every sample into the entity losses. */
static const struct config_default eard_defaults[] = {
	{NULL, NULL, "cdae", "eard", "eard_entity_loss", "sum"},
	{NULL, NULL, NULL, NULL, NULL, NULL},
};

const struct method_ops method_eard = {
	.name = "eard",
	.display = "EARD",
	.baseline = 8,
	.defaults = eard_defaults,
	.keys = CONFIG_TABLES(eard_keys),
	.create = eard_create,
	.loss = eard_loss,
	.destroy = eard_destroy,
};
