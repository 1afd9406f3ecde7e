/* Oracle: scores each user's clean-test items 1 and every other item 0.
 * It is no recommender; it measures the best any ranking can reach under
 * the evaluation protocol (protocol.md §1.6: on ml-100k, validation items
 * that are also test items are masked, so Recall@20 cannot exceed 0.5165). */
#include <stdlib.h>
#include <string.h>

#include "models/model.h"

static int
oracle_create(model *m, const dataset *d, const struct model_args *a, db_err *err)
{
	(void)a;
	m->state = (void *)d;
	return model_alloc_params(m, err);
}

static void
oracle_init(model *m, gsl_rng *r)
{
	(void)m;
	(void)r;
}

/* Row of user u in the test truth (users ascending), or -1. */
static int
truth_row(const truth *t, int u)
{
	int lo = 0, hi = t->n_users - 1;
	while (lo <= hi) {
		int mid = lo + (hi - lo) / 2;
		if (t->users[mid] == u)
			return mid;
		if (t->users[mid] < u)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

static void
oracle_score_users(model *m, const int *users, int nu, float *out)
{
	const dataset *d = m->state;
	const truth *t = &d->test_truth;
	memset(out, 0, (size_t)nu * (size_t)m->n_items * sizeof *out);
	for (int r = 0; r < nu; r++) {
		int row = truth_row(t, users[r]);
		if (row < 0)
			continue;
		for (int k = t->items.ptr[row]; k < t->items.ptr[row + 1]; k++)
			out[(size_t)r * m->n_items + t->items.idx[k]] = 1.0f;
	}
}

static float
oracle_score(const truth *t, int u, int item)
{
	int row = truth_row(t, u);
	if (row >= 0)
		for (int k = t->items.ptr[row]; k < t->items.ptr[row + 1]; k++)
			if (t->items.idx[k] == item)
				return 1.0f;
	return 0.0f;
}

static void
oracle_forward(model *m, const batch *b, float *logit)
{
	const dataset *d = m->state;
	for (int k = 0; k < b->n; k++)
		logit[k] = oracle_score(&d->test_truth, b->user[k], b->item[k]);
}

const struct model_ops model_oracle = {
	.name = "oracle",
	.display = "Oracle",
	.trainable = 0,
	.create = oracle_create,
	.init = oracle_init,
	.forward = oracle_forward,
	.score_users = oracle_score_users,
	.score_clone = model_score_share,
};
