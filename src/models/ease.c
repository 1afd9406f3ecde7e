/* EASE^R (Steck, WWW'19): the item-item model (itemknn.c) with the closed
 * form of  min_B ||X − XB||² + λ||B||²  s.t. diag(B) = 0:
 *     P = (XᵀX + λI)⁻¹,   B = I − P · diagMat(1 / diag(P)),
 * i.e. B[i, j] = −P[i, j] / P[j, j] off the diagonal and B[j, j] = 0.
 * Fitted in double (Cholesky, then the inverse from the factor), used in
 * float: score(u, ·) = X_u B. */
#include <gsl/gsl_linalg.h>
#include <stdlib.h>

#include "models/model.h"

static int
model_ease_create(model *m, const dataset *d, const struct model_args *a, db_err *err)
{
	float *W;
	int rc = item_item_create(m, d, &W, err);
	if (rc)
		return rc;
	size_t n = (size_t)m->n_items;
	double lambda = config_double(a->cfg, "ease_lambda");
	double *P = db_calloc(n * n, sizeof *P, err);
	if (!P)
		return DB_ENOMEM;
	item_item_gram(m, P);
	for (size_t i = 0; i < n; i++)
		P[i * n + i] += lambda;
	gsl_matrix_view G = gsl_matrix_view_array(P, n, n);
	if (gsl_linalg_cholesky_decomp1(&G.matrix) || gsl_linalg_cholesky_invert(&G.matrix)) {
		free(P);
		return db_fail(err, DB_EINVAL,
			"ease: XᵀX + %g I is not positive definite (items without train users "
			"need ease_lambda > 0)",
			lambda);
	}
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++)
			W[i * n + j] = i == j ? 0.0f : (float)(-P[i * n + j] / P[j * n + j]);
	free(P);
	return DB_OK;
}

static const struct config_key ease_keys[] = {
	{"ease_lambda", CFG_FLOAT, "500", NULL, 0,
		"EASE^R: L2 weight lambda of the item-item matrix", CFG_RANGE(0, 1e15)},
	{NULL, 0, NULL, NULL, 0, NULL, NULL},
};

const struct model_ops model_ease = {
	.name = "ease",
	.display = "EASE",
	.keys = CONFIG_TABLES(ease_keys),
	.trainable = 0,
	.create = model_ease_create,
	.init = item_item_init,
	.forward = item_item_forward,
	.score_users = item_item_score_users,
	.score_clone = model_score_share,
	.destroy = item_item_destroy,
};
