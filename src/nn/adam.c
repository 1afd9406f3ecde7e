#include "nn/adam.h"

#include <math.h>
#include <stdlib.h>

#include "nn/fpenv.h"

int
adam_create(adam *a, size_t n, const struct config_adam *h, db_err *err)
{
	a->n = n;
	a->t = 0;
	a->lr = h->lr;
	a->beta1 = h->beta1;
	a->beta2 = h->beta2;
	a->eps = h->eps;
	a->flush = h->flush;
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

double
adam_step(adam *a, float *restrict param, float *restrict grad, float decay)
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
	float *restrict m = a->m, *restrict v = a->v;
	/* ftz=update: a parameter or moment that would turn subnormal becomes 0
	 * (cold rows under L2 alone), so no later pass pays for subnormals */
	fpenv_saved fp = {0, 0};
	if (a->flush)
		fpenv_flush_begin(&fp);
	/* theta^2 is summed in LANES independent partial sums, so that the loop
	 * vectorises without reordering any float addition: the same result on
	 * every run and machine */
	enum { LANES = 16 };
	float acc[LANES] = {0};
	size_t n = a->n;
	/* full strips have a constant trip count, which GCC vectorises at -O2;
	 * the last partial strip runs the same body on fewer lanes */
	for (size_t base = 0; base < n; base += LANES) {
		float *restrict p = param + base, *restrict g = grad + base;
		float *restrict mm = m + base, *restrict vv = v + base;
#define ADAM_LANE(j)                                                                               \
	do {                                                                                       \
		float pj = p[j], gj = g[j] + decay * pj;                                           \
		acc[j] += pj * pj;                                                                 \
		mm[j] = mm[j] * b1 + c1 * gj;                                                      \
		vv[j] = vv[j] * b2 + c2 * gj * gj;                                                 \
		p[j] = pj - step * mm[j] / (sqrtf(vv[j]) / rbc2 + eps);                            \
		g[j] = 0;                                                                          \
	} while (0)
		if (n - base >= LANES)
			for (int j = 0; j < LANES; j++)
				ADAM_LANE(j);
		else
			for (int j = 0; j < (int)(n - base); j++)
				ADAM_LANE(j);
#undef ADAM_LANE
	}
	fpenv_restore(&fp);
	double ss = 0;
	for (int j = 0; j < LANES; j++)
		ss += acc[j];
	return ss;
}
