/* ItemKNN, and what every item-item model shares (EASE^R in ease.c).
 *
 * An item-item model scores user u with the rows of one n_items x n_items
 * matrix W selected by u's distinct train items I_u (X_u the binary train
 * row):  score(u, ·) = X_u W = Σ_{j ∈ I_u} W[j, ·].  It is fitted in create
 * from the training matrix and has no parameters (trainable = 0).
 *
 * ItemKNN: cosine similarity with shrinkage over the binary train matrix,
 * sim(i, j) = |U_i ∩ U_j| / (sqrt|U_i| sqrt|U_j| + shrink), j ≠ i; each
 * item i keeps its knn_k most similar items j, W[j, i] = sim(i, j).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_sort_double.h>

#include "models/model.h"
#include "nn/blas.h"

struct item_item {
	const csr *x; /* d->train_pos: the dataset outlives its models, as for CDAE/LightGCN */
	float *W;     /* n_items x n_items */
};

int
item_item_create(model *m, const dataset *d, float **W, db_err *err)
{
	int rc = model_alloc_params(m, err); /* empty, as for MostPop */
	if (rc)
		return rc;
	struct item_item *s = db_calloc(1, sizeof *s, err);
	if (!s)
		return DB_ENOMEM;
	m->state = s;
	s->x = &d->train_pos;
	s->W = db_calloc((size_t)m->n_items * m->n_items, sizeof(float), err);
	if (!s->W)
		return DB_ENOMEM;
	*W = s->W;
	return DB_OK;
}

/* C = XᵀX (C[i, j] = |U_i ∩ U_j|, C[i, i] = |U_i|), counted pair by pair
 * over each user's train items: Σ_u |I_u|² additions (~20M on ml-100k,
 * ~0.3M on modcloth) instead of the n_users · n_items² of an ssyrk over the
 * dense matrix (2.3e10 on modcloth, 4.6e12 on adressa).  Counts are exact
 * integers in double. */
void
item_item_gram(const model *m, double *C)
{
	const struct item_item *s = m->state;
	size_t n = (size_t)m->n_items;
	memset(C, 0, n * n * sizeof *C);
	for (int u = 0; u < s->x->nrows; u++)
		for (int p = s->x->ptr[u]; p < s->x->ptr[u + 1]; p++) {
			double *row = C + (size_t)s->x->idx[p] * n;
			for (int q = s->x->ptr[u]; q < s->x->ptr[u + 1]; q++)
				row[s->x->idx[q]] += 1;
		}
}

/* Nothing to initialise: the model is fitted in create. */
void
item_item_init(model *m, gsl_rng *r)
{
	(void)m;
	(void)r;
}

/* z[k] = Σ_{j ∈ I_u} W[j, i_k], in the order score_users adds them */
void
item_item_forward(model *m, const batch *b, float *logit)
{
	const struct item_item *s = m->state;
	size_t n = (size_t)m->n_items;
	for (int k = 0; k < b->n; k++) {
		int u = b->user[k];
		float z = 0;
		for (int p = s->x->ptr[u]; p < s->x->ptr[u + 1]; p++)
			z += s->W[(size_t)s->x->idx[p] * n + b->item[k]];
		logit[k] = z;
	}
}

/* out[r, ·] = Σ_{j ∈ I_u} W[j, ·], one saxpy per train item: |I_u| · n_items
 * operations per user, where an sgemm over the dense block of X rows costs
 * n_items² (adressa: 6,596 items, ~2 train items per user). */
void
item_item_score_users(model *m, const int *users, int nu, float *out)
{
	const struct item_item *s = m->state;
	int n = m->n_items;
	memset(out, 0, (size_t)nu * n * sizeof *out);
	for (int r = 0; r < nu; r++)
		for (int p = s->x->ptr[users[r]]; p < s->x->ptr[users[r] + 1]; p++)
			cblas_saxpy(n, 1.0f, s->W + (size_t)s->x->idx[p] * n, 1,
				out + (size_t)r * n, 1);
}

void
item_item_destroy(model *m)
{
	struct item_item *s = m->state;
	if (s) {
		free(s->W);
	}
	free(s);
	m->state = NULL;
}

/* sim[j] = C[i, j] / (sqrt C[i, i] sqrt C[j, j] + shrink) for j ≠ i, 0 for
 * j = i and where the denominator is 0 (an item without train users). */
static void
similarity_row(const double *C, const double *root, size_t n, size_t i, double shrink, double *sim)
{
	for (size_t j = 0; j < n; j++) {
		double den = root[i] * root[j] + shrink;
		sim[j] = j != i && den > 0 ? C[i * n + j] / den : 0;
	}
}

/* W[j, i] = sim(i, j) for the knn_k largest sim(i, ·); at a tie on the
 * k-th place gsl_sort_largest_index keeps the lower item id. */
static int
model_itemknn_create(model *m, const dataset *d, const struct model_args *a, db_err *err)
{
	float *W;
	int rc = item_item_create(m, d, &W, err);
	if (rc)
		return rc;
	size_t n = (size_t)m->n_items, k = (size_t)config_int(a->cfg, "knn_k");
	double shrink = config_double(a->cfg, "knn_shrink");
	if (k > n)
		k = n;
	double *C = db_calloc(n * n, sizeof *C, err), *root = db_calloc(n, sizeof *root, err),
	       *sim = db_calloc(n, sizeof *sim, err);
	size_t *top = db_calloc(k + 1, sizeof *top, err);
	if (!C || !root || !sim || !top) {
		rc = DB_ENOMEM;
		goto done;
	}
	item_item_gram(m, C);
	for (size_t i = 0; i < n; i++)
		root[i] = sqrt(C[i * n + i]);
	for (size_t i = 0; i < n; i++) {
		similarity_row(C, root, n, i, shrink, sim);
		gsl_sort_largest_index(top, k, sim, 1, n);
		for (size_t t = 0; t < k; t++)
			W[top[t] * n + i] = (float)sim[top[t]];
	}
done:
	free(C);
	free(root);
	free(sim);
	free(top);
	return rc;
}

static const struct config_key itemknn_keys[] = {
	{"knn_k", CFG_INT, "100", NULL, 0, "ItemKNN: neighbours kept per item",
		CFG_RANGE(1, 2147483647.0)},
	{"knn_shrink", CFG_FLOAT, "0", NULL, 0,
		"ItemKNN: shrinkage added to the cosine denominator sqrt|U_i| sqrt|U_j|",
		CFG_RANGE(0, 1e12)},
	{NULL, 0, NULL, NULL, 0, NULL, NULL},
};

const struct model_ops model_itemknn = {
	.name = "itemknn",
	.display = "ItemKNN",
	.keys = CONFIG_TABLES(itemknn_keys),
	.trainable = 0,
	.create = model_itemknn_create,
	.init = item_item_init,
	.forward = item_item_forward,
	.score_users = item_item_score_users,
	.score_clone = model_score_share,
	.destroy = item_item_destroy,
};
