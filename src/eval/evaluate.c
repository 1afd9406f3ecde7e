/* Full-ranking evaluation of a model on one split, as the reference code
 * does it (reference/protocol.md §6.1-6.3, §11).
 *
 * Users are scored in blocks of eval_block into one buffer allocated per
 * call (a model whose scores depend on the block: its score_block, users
 * in file order).  Each user's row then goes through exactly the reference's float32
 * steps: the sigmoid when the protocol ranks probabilities (DeCA), where
 * saturation makes distinct logits equal (1.0f) and the tie order decides
 * published numbers; then -9999 is *added* (not assigned) to every masked
 * item, so masked items keep their relative order below all others; then
 * the top max(K) with ties to the lowest item id.  Training-free models
 * (MostPop's counts, ItemKNN's and EASE's sums) output scores, not logits:
 * they rank by their raw scores under every protocol, since their sigmoid
 * would saturate and hand the ranking to the lowest item id.
 *
 * max(K) larger than the number of items is clamped to the number of items
 * (torch.topk would fail there); the missing ranks count as misses.  Users
 * without a mask row (mask.nrows <= user, e.g. an empty mask for a no-mask
 * variant) are not masked.
 */
#include "eval/eval.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* What every user's step needs, fixed for one eval_split call. */
struct eval_ctx {
	const dataset *d;
	const truth *t;
	const struct eval_opts *o;
	const csr *mask;
	const int *ks;
	int nk, kmax, n_items;
	int prob;      /* the sigmoid applies: output_prob and the model's output is a logit */
	int *ranked;   /* kmax */
	size_t *order; /* nk: ks by ascending K (metric_order) */
};

/* Checks the arguments; sets *kmax = max(ks), clamped to the item count. */
static int
eval_check(const model *m, const dataset *d, const truth *t, const int *ks, int nk,
	const struct eval_opts *o, int *kmax, db_err *err)
{
	if (nk < 1 || nk > EVAL_MAX_K)
		return db_fail(err, DB_EINVAL, "evaluation: %d cut-offs, expected 1 to %d", nk,
			EVAL_MAX_K);
	if (o->eval_block < 1)
		return db_fail(err, DB_EINVAL, "evaluation: eval_block %d, expected >= 1",
			o->eval_block);
	if (m->n_items < 1 || m->n_items != d->n_items)
		return db_fail(err, DB_EINVAL, "evaluation: model has %d items, data set %s has %d",
			m->n_items, d->name, d->n_items);
	if (t->n_users < 1)
		return db_fail(err, DB_EINVAL, "evaluation: no user has a ground-truth line");
	*kmax = 0;
	for (int x = 0; x < nk; x++) {
		if (ks[x] < 1)
			return db_fail(err, DB_EINVAL, "evaluation: cut-off K = %d, expected >= 1",
				ks[x]);
		if (ks[x] > *kmax)
			*kmax = ks[x];
	}
	if (*kmax > m->n_items)
		*kmax = m->n_items;
	for (int k = 0; k < t->n_users; k++)
		if (t->users[k] < 0 || t->users[k] >= m->n_users)
			return db_fail(err, DB_EINVAL,
				"evaluation: test user %d outside the model's "
				"0..%d",
				t->users[k], m->n_users - 1);
	return DB_OK;
}

/* The k-th user of the split, whose scores are row[0..n_items): rank and
 * fill out[METRIC_COUNT * nk]. */
static int
eval_user(const struct eval_ctx *c, int k, float *row, double *out, db_err *err)
{
	int u = c->t->users[k];
	if (c->prob)
		for (int i = 0; i < c->n_items; i++)
			row[i] = 1.0f / (1.0f + expf(-row[i]));
	FILE *sf = c->o->dump_scores;
	for (int i = 0; sf && i < c->n_items; i++)
		if (fprintf(sf, "%d\t%d\t%.9g\n", u, i, row[i]) < 0)
			return db_fail(err, DB_EIO, "evaluation: cannot write the score dump");
	if (u < c->mask->nrows) {
		const csr *mk = c->mask;
		for (int p = mk->ptr[u]; p < mk->ptr[u + 1]; p++)
			row[mk->idx[p]] += -9999.0f;
	}
	topk_select(row, c->n_items, c->kmax, c->ranked);
	const csr *g = &c->t->items;
	metric_user(c->ranked, c->kmax, g->idx + g->ptr[k], g->ptr[k + 1] - g->ptr[k], c->ks,
		c->order, c->nk, out);
	FILE *f = c->o->dump_topk;
	for (int j = 0; f && j < c->kmax; j++)
		if (fprintf(f, "%d\t%d\t%d\n", u, j + 1, c->ranked[j]) < 0)
			return db_fail(err, DB_EIO, "evaluation: cannot write the top-K dump");
	return DB_OK;
}

/* order[0..n_users) = the split's user positions, by first line in x when
 * given (users without a line there last, ascending), else ascending.
 * seen: n_users zeroed bytes of scratch. */
static void
scoring_order(const truth *t, const interactions *x, int *order, char *seen)
{
	int n = 0;
	for (int k = 0; x && k < x->n; k++) {
		const int *hit = data_int_find(t->users, t->n_users, x->user[k]);
		if (hit && !seen[hit - t->users]) {
			seen[hit - t->users] = 1;
			order[n++] = (int)(hit - t->users);
		}
	}
	for (int k = 0; k < t->n_users; k++)
		if (!seen[k])
			order[n++] = k;
}

/* mean = sum over all evaluated users in ascending order / their number. */
static void
eval_mean(eval_result *r)
{
	size_t stride = (size_t)METRIC_COUNT * r->nk;
	for (int m = 0; m < METRIC_COUNT; m++) {
		for (int x = 0; x < r->nk; x++) {
			double s = 0;
			for (int k = 0; k < r->n_users; k++)
				s += r->per_user[k * stride + (size_t)m * r->nk + x];
			r->mean[(size_t)m * r->nk + x] = s / r->n_users;
		}
	}
}

const char *const eval_split_names[EVAL_SPLITS] = {"test", "test_noisy", "valid"};

int
eval_split_define(const dataset *d, const config *cfg, enum eval_split_id which,
	struct eval_split_def *out)
{
	static const csr no_mask = {0};
	int cdae = !strcmp(config_get(cfg, "model"), "cdae");
	const csr *test_mask = cdae && !config_bool(cfg, "cdae_mask") ? &no_mask : &d->mask;
	switch (which) {
	case EVAL_TEST:
		*out = (struct eval_split_def){&d->test_truth, test_mask, &d->test};
		return 1;
	case EVAL_TEST_NOISY:
		*out = (struct eval_split_def){&d->noisy_truth, test_mask, &d->test_noisy};
		return d->has_test_noisy;
	case EVAL_VALID:
		*out = (struct eval_split_def){&d->valid_truth, &d->train_pos, &d->valid};
		return d->valid_truth.n_users > 0;
	case EVAL_SPLITS:
		break;
	}
	return 0;
}

int
eval_split(model *m, const dataset *d, const truth *t, const int *ks, int nk,
	const struct eval_opts *o, eval_result *res, db_err *err)
{
	memset(res, 0, sizeof *res);
	struct eval_ctx c = {d, t, o, o->mask ? o->mask : &d->mask, ks, nk, 0, m->n_items,
		o->output_prob && m->ops->trainable, NULL, NULL};
	int rc = eval_check(m, d, t, ks, nk, o, &c.kmax, err);
	if (rc)
		return rc;
	int nb = m->score_block > 0 ? m->score_block : o->eval_block;
	if (nb > t->n_users)
		nb = t->n_users;
	size_t stride = (size_t)METRIC_COUNT * nk;
	float *buf = db_calloc((size_t)nb * c.n_items, sizeof *buf, err);
	int *order = db_calloc(t->n_users, sizeof *order, err);
	int *block = db_calloc(nb, sizeof *block, err);
	char *seen = db_calloc(t->n_users, 1, err);
	c.ranked = db_calloc(c.kmax, sizeof *c.ranked, err);
	c.order = db_calloc(nk, sizeof *c.order, err);
	res->ks = db_calloc(nk, sizeof *res->ks, err);
	res->users = db_calloc(t->n_users, sizeof *res->users, err);
	res->per_user = db_calloc(t->n_users * stride, sizeof *res->per_user, err);
	res->mean = db_calloc(stride, sizeof *res->mean, err);
	if (!buf || !order || !block || !seen || !c.ranked || !c.order || !res->ks || !res->users ||
		!res->per_user || !res->mean) {
		rc = DB_ENOMEM;
		goto done;
	}
	metric_order(ks, nk, c.order);
	scoring_order(t, m->score_block > 0 ? o->lines : NULL, order, seen);
	res->nk = nk;
	memcpy(res->ks, ks, nk * sizeof *ks);
	res->n_users = t->n_users;
	memcpy(res->users, t->users, t->n_users * sizeof *res->users);
	for (int b = 0; b < t->n_users && !rc; b += nb) {
		int nu = t->n_users - b < nb ? t->n_users - b : nb;
		for (int r = 0; r < nu; r++)
			block[r] = t->users[order[b + r]];
		m->ops->score_users(m, block, nu, buf);
		for (int r = 0; r < nu && !rc; r++)
			rc = eval_user(&c, order[b + r], buf + (size_t)r * c.n_items,
				res->per_user + order[b + r] * stride, err);
	}
	if (!rc)
		eval_mean(res);
done:
	if (rc)
		eval_result_free(res);
	free(buf);
	free(order);
	free(block);
	free(seen);
	free(c.ranked);
	free(c.order);
	return rc;
}

void
eval_result_free(eval_result *r)
{
	free(r->ks);
	free(r->users);
	free(r->per_user);
	free(r->mean);
	memset(r, 0, sizeof *r);
}
