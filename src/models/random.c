/* Random ranking: the floor every model must clear.  Scores are a hash of
 * (seed, user, item), so the ranking is fixed by the seed and the same in
 * training-free evaluation blocks of any size. */
#include "models/model.h"
#include "util/hash.h"

#include <stdlib.h>

struct random_state {
	uint64_t seed;
};

static int
random_create(model *m, const dataset *d, const struct model_args *a, db_err *err)
{
	(void)d;
	struct random_state *s = db_calloc(1, sizeof *s, err);
	if (!s)
		return DB_ENOMEM;
	s->seed = a->seed;
	m->state = s;
	return model_alloc_params(m, err);
}

static float
score(const struct random_state *s, int u, int i)
{
	uint64_t h = hash_mix(s->seed ^ hash_mix(((uint64_t)(uint32_t)u << 32) | (uint32_t)i));
	return (float)(h >> 40) * (1.0f / 16777216.0f); /* 24 bits: exact in float */
}

static void
random_init(model *m, gsl_rng *r)
{
	(void)m;
	(void)r;
}

static void
random_forward(model *m, const batch *b, float *logit)
{
	for (int k = 0; k < b->n; k++)
		logit[k] = score(m->state, b->user[k], b->item[k]);
}

static void
random_score_users(model *m, const int *users, int nu, float *out)
{
	for (int r = 0; r < nu; r++)
		for (int i = 0; i < m->n_items; i++)
			out[(size_t)r * m->n_items + i] = score(m->state, users[r], i);
}

static void
random_destroy(model *m)
{
	free(m->state);
}

const struct model_ops model_random = {
	.name = "random",
	.display = "Random",
	.trainable = 0,
	.create = random_create,
	.init = random_init,
	.forward = random_forward,
	.score_users = random_score_users,
	.score_clone = model_score_share,
	.destroy = random_destroy,
};
