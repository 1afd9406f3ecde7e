/* Matrix factorisation as in the DeCA reference code (protocol.md §3.2):
 * z = P[u] · Q[i], no biases, both tables N(0, 0.01²).  DeCA uses it as the
 * auxiliary model g, as the noise models h1 and h2, and as a target model.
 * Returns the logit; the sigmoid is applied by the loss and evaluation.
 *
 * Shapes: B samples, f factors; P [n_users x f], Q [n_items x f].
 */
#include <stdlib.h>

#include "models/model.h"
#include "nn/blas.h"

struct mf {
	int f;
	size_t p, q; /* tensor offsets (param may be reallocated or copied) */
	float *rows; /* eval_block x f: P[users] gathered for one sgemm */
};

static int
model_mf_create(model *m, const dataset *d, const struct model_args *a, db_err *err)
{
	(void)d;
	/* forward and backward need no workspace, whatever a->batch_cap */
	struct mf *s = db_calloc(1, sizeof *s, err);
	if (!s)
		return DB_ENOMEM;
	m->state = s;
	s->f = a->factors; /* config keeps it in [1, 4096] */
	s->p = model_add_tensor(m, "embed_user.weight", m->n_users, s->f);
	s->q = model_add_tensor(m, "embed_item.weight", m->n_items, s->f);
	int rc = model_alloc_params(m, err);
	if (rc)
		return rc;
	s->rows = db_calloc((size_t)a->eval_block * s->f, sizeof(float), err);
	return s->rows ? DB_OK : DB_ENOMEM;
}

static void
model_mf_init(model *m, gsl_rng *r)
{
	init_normal(m->param, m->n_params, 0.01, r); /* P then Q, both N(0, 0.01²) */
}

/* z[k] = P[u_k] · Q[i_k] */
static void
model_mf_forward(model *m, const batch *b, float *logit)
{
	const struct mf *s = m->state;
	const float *P = m->param + s->p, *Q = m->param + s->q;
	for (int k = 0; k < b->n; k++)
		logit[k] = cblas_sdot(s->f, P + (size_t)b->user[k] * s->f, 1,
			Q + (size_t)b->item[k] * s->f, 1);
}

/* dP[u_k] += dz[k] Q[i_k],  dQ[i_k] += dz[k] P[u_k]; sequential over k, so
 * repeated users and items accumulate. */
static void
model_mf_backward(model *m, const batch *b, const float *dz)
{
	const struct mf *s = m->state;
	const float *P = m->param + s->p, *Q = m->param + s->q;
	float *dP = m->grad + s->p, *dQ = m->grad + s->q;
	for (int k = 0; k < b->n; k++) {
		size_t u = (size_t)b->user[k] * s->f, i = (size_t)b->item[k] * s->f;
		cblas_saxpy(s->f, dz[k], Q + i, 1, dP + u, 1);
		cblas_saxpy(s->f, dz[k], P + u, 1, dQ + i, 1);
	}
}

/* out = P[users] Qᵀ, one sgemm per block */
static void
model_mf_score_users(model *m, const int *users, int nu, float *out)
{
	const struct mf *s = m->state;
	const float *P = m->param + s->p;
	for (int r = 0; r < nu; r++)
		for (int j = 0; j < s->f; j++)
			s->rows[(size_t)r * s->f + j] = P[(size_t)users[r] * s->f + j];
	cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, nu, m->n_items, s->f, 1.0f, s->rows,
		s->f, m->param + s->q, s->f, 0.0f, out, m->n_items);
}

static void
model_mf_destroy(model *m)
{
	struct mf *s = m->state;
	if (s)
		free(s->rows);
	free(s);
	m->state = NULL;
}

/* A scorer of its own: the offsets copied, rows its own. */
static int
model_mf_score_clone(model *m, int block, model *c, db_err *err)
{
	const struct mf *s = m->state;
	struct mf *t = db_calloc(1, sizeof *t, err);
	*c = *m;
	c->state = t;
	if (!t)
		return DB_ENOMEM;
	*t = *s;
	t->rows = db_calloc((size_t)block * s->f, sizeof(float), err);
	return t->rows ? DB_OK : DB_ENOMEM;
}

const struct model_ops model_mf = {
	.name = "mf",
	.display = "MF",
	.trainable = 1,
	.create = model_mf_create,
	.init = model_mf_init,
	.forward = model_mf_forward,
	.backward = model_mf_backward,
	.score_users = model_mf_score_users,
	.score_clone = model_mf_score_clone,
	.score_clone_free = model_mf_destroy, /* a clone owns what destroy frees */
	.destroy = model_mf_destroy,
};
