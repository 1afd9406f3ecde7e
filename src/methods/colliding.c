/* Colliding inference (extended ADT paper §3.4.2, Eq. 8); see extra.h.
 * Assumptions where the paper is silent: w_j = 1/|N| (as the issue and the
 * paper's experiments state); neighbours are searched among all users, the
 * user excluded; the user representation of a model with several user
 * tables (NeuMF: GMF and MLP) is their concatenation; LightGCN's is its
 * layer-0 table; the neighbours' scores are taken from the final model
 * (after ADT), as Eq. 8 combines prediction scores after ADT. */
#include "methods/extra.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "eval/eval.h"
#include "methods/method.h"
#include "nn/blas.h"

/* The user tables: tensors named *user* with one row per user. */
static int
user_tables(const model *f, int *dim)
{
	int n = 0;
	*dim = 0;
	for (int t = 0; t < f->n_tensors; t++)
		if (strstr(f->tensor[t].name, "user") && (int)f->tensor[t].rows == f->n_users) {
			*dim += (int)f->tensor[t].cols;
			n++;
		}
	return n;
}

int
colliding_create(struct colliding *c, const struct train_ctx *ctx, const struct extra_feedback *x,
	db_err *err)
{
	const config *cfg = ctx->cfg;
	model *f = ctx->f;
	*c = (struct colliding){.f = f,
		.x = x,
		.n_nb = (int)config_int(cfg, "collide_n"),
		.lambda = (float)config_double(cfg, "collide_lambda"),
		.threshold = config_double(cfg, "collide_threshold"),
		.output_prob = ctx->output_prob,
		.block = ctx->set.eval_block};
	c->composite =
		(model){.ops = NULL, .n_users = f->n_users, .n_items = f->n_items, .state = c};
	if (c->n_nb > f->n_users - 1)
		c->n_nb = f->n_users - 1;
	if (c->lambda >= 1.0f)
		return DB_OK; /* plain scores: no representation needed */
	if (!user_tables(f, &c->dim))
		return db_fail(err, DB_EINVAL,
			"colliding inference (collide_lambda %g < 1) needs "
			"user representations, and model '%s' has no user embedding table (a "
			"tensor "
			"named *user* with one row per user); use collide_lambda=1",
			(double)c->lambda, f->ops->name);
	size_t nu = (size_t)f->n_users, ni = (size_t)f->n_items;
	c->rep = db_calloc(nu * (size_t)c->dim, sizeof(float), err);
	c->sim = db_calloc(nu, sizeof(float), err);
	c->nb = db_calloc((size_t)c->n_nb + 1, sizeof(int), err);
	c->nb_score = db_calloc((size_t)c->block * ni, sizeof(float), err);
	c->acc = db_calloc(ni, sizeof(float), err);
	if (!c->rep || !c->sim || !c->nb || !c->nb_score || !c->acc)
		return db_fail(err, DB_ENOMEM, "colliding inference: out of memory");
	return DB_OK;
}

void
colliding_snapshot(struct colliding *c)
{
	if (!c->rep)
		return;
	const model *f = c->f;
	int off = 0;
	for (int t = 0; t < f->n_tensors; t++) {
		const struct param_tensor *p = &f->tensor[t];
		if (!strstr(p->name, "user") || (int)p->rows != f->n_users)
			continue;
		for (size_t u = 0; u < p->rows; u++)
			memcpy(c->rep + u * (size_t)c->dim + off,
				f->param + p->offset + u * p->cols, p->cols * sizeof(float));
		off += (int)p->cols;
	}
}

int
colliding_neighbours(struct colliding *c, int u)
{
	int nu = c->f->n_users;
	cblas_sgemv(CblasRowMajor, CblasNoTrans, nu, c->dim, 1.0f, c->rep, c->dim,
		c->rep + (size_t)u * c->dim, 1, 0.0f, c->sim, 1);
	c->sim[u] = -INFINITY;
	topk_select(c->sim, nu, c->n_nb, c->nb);
	return c->n_nb;
}

/* The evaluator's float32 probability, so that lambda = 1 is exact. */
static void
to_prob(float *row, size_t n)
{
	for (size_t i = 0; i < n; i++)
		row[i] = 1.0f / (1.0f + expf(-row[i]));
}

/* row <- lambda row + (1 - lambda) mean of the neighbours' rows. */
static void
collide_row(struct colliding *c, int u, float *row)
{
	size_t ni = (size_t)c->f->n_items;
	int n = colliding_neighbours(c, u);
	memset(c->acc, 0, ni * sizeof(float));
	for (int s = 0; s < n; s += c->block) {
		int cnt = n - s < c->block ? n - s : c->block;
		c->f->ops->score_users(c->f, c->nb + s, cnt, c->nb_score);
		for (int j = 0; j < cnt; j++) {
			float *r = c->nb_score + (size_t)j * ni;
			if (c->output_prob)
				to_prob(r, ni);
			for (size_t i = 0; i < ni; i++)
				c->acc[i] += r[i];
		}
	}
	float w = (1.0f - c->lambda) / (float)n;
	for (size_t i = 0; i < ni; i++)
		row[i] = c->lambda * row[i] + w * c->acc[i];
}

static void
collide_score_users(model *m, const int *users, int nu, float *out)
{
	struct colliding *c = m->state;
	size_t ni = (size_t)m->n_items;
	c->f->ops->score_users(c->f, users, nu, out);
	for (int r = 0; r < nu; r++) {
		float *row = out + (size_t)r * ni;
		if (c->output_prob)
			to_prob(row, ni);
		if (c->rep && c->n_nb > 0 && extra_ratio(c->x, users[r]) < c->threshold)
			collide_row(c, users[r], row);
	}
}

static const struct model_ops colliding_ops = {
	.name = "colliding",
	.score_users = collide_score_users,
};

model *
colliding_model(struct colliding *c)
{
	c->composite.ops = &colliding_ops;
	return &c->composite;
}

void
colliding_free(struct colliding *c)
{
	free(c->rep);
	free(c->sim);
	free(c->nb);
	free(c->nb_score);
	free(c->acc);
	c->rep = c->sim = c->nb_score = c->acc = NULL;
	c->nb = NULL;
}
