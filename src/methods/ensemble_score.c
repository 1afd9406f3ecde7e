/* Ensemble's final ranking scores (see ensemble.c for the assumptions).
 * The evaluator ranks these scores descending, ties by the lower item id,
 * after adding -9999 to masked items, and applies no sigmoid. */
#include <math.h>
#include <string.h>

#include <gsl/gsl_heapsort.h>

#include "methods/ensemble.h"

enum ensemble_combine
ensemble_combine_parse(const char *name)
{
	if (!strcmp(name, "logit"))
		return ENS_LOGIT;
	if (!strcmp(name, "rank"))
		return ENS_RANK;
	return ENS_PROB;
}

double
ensemble_prob(enum ensemble_combine c, float z1, float z2)
{
	if (c == ENS_LOGIT)
		return 1.0 / (1.0 + exp(-0.5 * ((double)z1 + z2)));
	return 0.5 * (1.0 / (1.0 + exp(-(double)z1)) + 1.0 / (1.0 + exp(-(double)z2)));
}

/* The evaluator's float32 probability, so that prob averages exactly what
 * each member alone would be ranked by. */
static float
prob32(float z)
{
	return 1.0f / (1.0f + expf(-z));
}

/* Higher score first, then the lower item id (the evaluator's tie rule):
 * a and b point into one row, so their address order is the item order. */
static int
by_score_desc(const void *a, const void *b)
{
	float x = *(const float *)a, y = *(const float *)b;
	if (x != y)
		return x > y ? -1 : 1;
	const char *pa = a, *pb = b;
	return (pa > pb) - (pa < pb);
}

/* row[i] <- the position (0 = first) of item i in the member's ranking of
 * user u's items, train items last: they are masked by every evaluation,
 * so how a member orders them must not shift the others' positions. */
static void
rank_positions(struct ensemble *s, int u, float *row)
{
	const csr *tp = &s->d->train_pos;
	size_t n = (size_t)s->d->n_items;
	if (u < tp->nrows)
		for (int p = tp->ptr[u]; p < tp->ptr[u + 1]; p++)
			row[tp->idx[p]] = -INFINITY;
	gsl_heapsort_index(s->order, row, n, sizeof *row, by_score_desc);
	for (size_t j = 0; j < n; j++)
		row[s->order[j]] = (float)j; /* exact below 2^24 items */
}

static void
combine_row(struct ensemble *s, int u, float *a, float *b)
{
	size_t n = (size_t)s->d->n_items;
	switch (s->combine) {
	case ENS_PROB:
		for (size_t i = 0; i < n; i++)
			a[i] = (prob32(a[i]) + prob32(b[i])) * 0.5f;
		break;
	case ENS_LOGIT:
		for (size_t i = 0; i < n; i++)
			a[i] = (a[i] + b[i]) * 0.5f;
		break;
	case ENS_RANK:
		/* mean position m in [0, n): score 1 - m / n, in (0, 1], is
		 * descending in m and stays above every masked score */
		rank_positions(s, u, a);
		rank_positions(s, u, b);
		for (size_t i = 0; i < n; i++)
			a[i] = (float)(1.0 - ((double)a[i] + b[i]) / (2.0 * (double)n));
		break;
	}
}

static void
ens_score_users(model *m, const int *users, int nu, float *out)
{
	struct ensemble *s = m->state;
	size_t n = (size_t)m->n_items;
	s->f->ops->score_users(s->f, users, nu, out);
	s->twin.ops->score_users(&s->twin, users, nu, s->score2);
	for (int r = 0; r < nu; r++)
		combine_row(s, users[r], out + (size_t)r * n, s->score2 + (size_t)r * n);
}

static const struct model_ops ensemble_scorer_ops = {
	.name = "ensemble",
	.score_users = ens_score_users,
};

void
ensemble_scorer_init(struct ensemble *s)
{
	s->composite = (model){.ops = &ensemble_scorer_ops,
		.n_users = s->f->n_users,
		.n_items = s->f->n_items,
		.score_block = s->f->score_block,
		.state = s};
}
