#include "nn/adam.h"

#include <math.h>
#include <stdlib.h>

int
adam_create(adam *a, size_t n, const config *cfg, db_err *err)
{
	a->n = n;
	a->t = 0;
	a->lr = config_double(cfg, "lr");
	a->beta1 = config_double(cfg, "adam_beta1");
	a->beta2 = config_double(cfg, "adam_beta2");
	a->eps = config_double(cfg, "adam_eps");
	a->m = db_calloc(n, sizeof(float), err);
	a->v = db_calloc(n, sizeof(float), err);
	if (!a->m || !a->v) {
		adam_free(a);
		return DB_ENOMEM;
	}
	return DB_OK;
}

void
adam_free(adam *a)
{
	free(a->m);
	free(a->v);
	a->m = a->v = NULL;
}

void
adam_step(adam *a, float *param, const float *grad)
{
	a->t++;
	/* bias corrections in double, as PyTorch computes them in Python floats;
	 * the element-wise update in float32, as PyTorch's CPU kernels do */
	double bc1 = 1.0 - pow(a->beta1, (double)a->t);
	double bc2 = 1.0 - pow(a->beta2, (double)a->t);
	const float b1 = (float)a->beta1, c1 = (float)(1.0 - a->beta1);
	const float b2 = (float)a->beta2, c2 = (float)(1.0 - a->beta2);
	const float step = (float)(a->lr / bc1), rbc2 = (float)sqrt(bc2);
	const float eps = (float)a->eps;
	float *m = a->m, *v = a->v;
	for (size_t i = 0; i < a->n; i++) {
		float g = grad[i];
		m[i] = m[i] * b1 + c1 * g;
		v[i] = v[i] * b2 + c2 * g * g;
		param[i] -= step * m[i] / (sqrtf(v[i]) / rbc2 + eps);
	}
}
