/* MostPop: every user gets the items ranked by train popularity
 * (d->item_pop, duplicates counted).  No parameters and no gradients
 * (trainable = 0); evaluation breaks ties by the lower item id. */
#include <stdlib.h>
#include <string.h>

#include "models/model.h"

struct mostpop {
	float *pop; /* n_items: a copy, so the model does not outlive the dataset's array */
};

static int
model_mostpop_create(model *m, const dataset *d, const struct model_args *a, db_err *err)
{
	(void)a;
	/* empty param/grad buffers, so code that walks them needs no special case */
	int rc = model_alloc_params(m, err);
	if (rc)
		return rc;
	struct mostpop *s = db_calloc(1, sizeof *s, err);
	if (!s)
		return DB_ENOMEM;
	m->state = s;
	if (!(s->pop = db_calloc((size_t)m->n_items, sizeof(float), err)))
		return DB_ENOMEM;
	for (int i = 0; i < m->n_items; i++)
		s->pop[i] = (float)d->item_pop[i]; /* exact below 2^24 interactions */
	return DB_OK;
}

/* Nothing to initialise; no backward either (trainable = 0). */
static void
model_mostpop_init(model *m, gsl_rng *r)
{
	(void)m;
	(void)r;
}

/* z[k] = pop[i_k], whoever the user */
static void
model_mostpop_forward(model *m, const batch *b, float *logit)
{
	const struct mostpop *s = m->state;
	for (int k = 0; k < b->n; k++)
		logit[k] = s->pop[b->item[k]];
}

static void
model_mostpop_score_users(model *m, const int *users, int nu, float *out)
{
	const struct mostpop *s = m->state;
	(void)users;
	for (int r = 0; r < nu; r++)
		memcpy(out + (size_t)r * m->n_items, s->pop, (size_t)m->n_items * sizeof *out);
}

static void
model_mostpop_destroy(model *m)
{
	struct mostpop *s = m->state;
	if (s)
		free(s->pop);
	free(s);
	m->state = NULL;
}

const struct model_ops model_mostpop = {
	.name = "mostpop",
	.display = "MostPop",
	.trainable = 0,
	.create = model_mostpop_create,
	.init = model_mostpop_init,
	.forward = model_mostpop_forward,
	.score_users = model_mostpop_score_users,
	.score_clone = model_score_share,
	.destroy = model_mostpop_destroy,
};
