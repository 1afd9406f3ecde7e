#include "nn/adam.h"

#include <math.h>
#include <stdlib.h>

#include "nn/fpenv.h"
#include "util/simd.h"

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

/* The element-wise pass of one step over [0, n), see adam_step; sum
 * theta^2 into acc.  theta^2 is summed in ADAM_LANES independent partial
 * sums, so that the loop vectorises without reordering any float addition:
 * the same result on every run and machine, at any vector width. */
enum { ADAM_LANES = 16 };
struct adam_consts {
	float b1, c1, b2, c2, step, rbc2, eps, decay;
};

static inline __attribute__((always_inline)) void
adam_pass_body(size_t n, float *restrict param, float *restrict grad, float *restrict m,
	float *restrict v, const struct adam_consts *k, float *restrict acc)
{
	const float b1 = k->b1, c1 = k->c1, b2 = k->b2, c2 = k->c2, step = k->step;
	const float rbc2 = k->rbc2, eps = k->eps, decay = k->decay;
	/* full strips have a constant trip count, which GCC vectorises at -O2;
	 * the last partial strip runs the same body on fewer lanes */
	for (size_t base = 0; base < n; base += ADAM_LANES) {
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
		if (n - base >= ADAM_LANES)
			for (int j = 0; j < ADAM_LANES; j++)
				ADAM_LANE(j);
		else
			for (int j = 0; j < (int)(n - base); j++)
				ADAM_LANE(j);
#undef ADAM_LANE
	}
}

static void
adam_pass_baseline(size_t n, float *param, float *grad, float *m, float *v,
	const struct adam_consts *k, float *acc)
{
	adam_pass_body(n, param, grad, m, v, k, acc);
}

/* ... and at the wider widths of util/simd.h, which give the same bits */
#ifdef DB_SIMD_WIDE
DB_TARGET_AVX2 static void
adam_pass_avx2(size_t n, float *param, float *grad, float *m, float *v, const struct adam_consts *k,
	float *acc)
{
	adam_pass_body(n, param, grad, m, v, k, acc);
}

DB_TARGET_AVX512 static void
adam_pass_avx512(size_t n, float *param, float *grad, float *m, float *v,
	const struct adam_consts *k, float *acc)
{
	adam_pass_body(n, param, grad, m, v, k, acc);
}
#endif

double
adam_step(adam *a, float *restrict param, float *restrict grad, float decay)
{
	a->t++;
	/* bias corrections in double, as PyTorch computes them in Python floats;
	 * the element-wise update in float32, as PyTorch's CPU kernels do */
	double bc1 = 1.0 - pow(a->beta1, (double)a->t);
	double bc2 = 1.0 - pow(a->beta2, (double)a->t);
	struct adam_consts k = {(float)a->beta1, (float)(1.0 - a->beta1), (float)a->beta2,
		(float)(1.0 - a->beta2), (float)(a->lr / bc1), (float)sqrt(bc2), (float)a->eps,
		decay};
	/* ftz=update: a parameter or moment that would turn subnormal becomes 0
	 * (cold rows under L2 alone), so no later pass pays for subnormals */
	fpenv_saved fp = {0, 0};
	if (a->flush)
		fpenv_flush_begin(&fp);
	float acc[ADAM_LANES] = {0};
	enum simd_width w = simd_width();
	SIMD_CALL(w, adam_pass, a->n, param, grad, a->m, a->v, &k, acc);
	fpenv_restore(&fp);
	double ss = 0;
	for (int j = 0; j < ADAM_LANES; j++)
		ss += acc[j];
	return ss;
}
