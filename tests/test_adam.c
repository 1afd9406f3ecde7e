/* Adam against hand-computed PyTorch updates and against an independent
 * double-precision transcription of torch.optim.Adam. */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "config/settings.h"
#include "nn/adam.h"
#include "nn/fpenv.h"
#include "tap.h"
#include "util/simd.h"

/* torch.optim.Adam (1.9) for one scalar, in double */
static double
ref_step(double *p, double *m, double *v, double g, int t, double lr)
{
	*m = 0.9 * *m + 0.1 * g;
	*v = 0.999 * *v + 0.001 * g * g;
	double bc1 = 1 - pow(0.9, t), bc2 = 1 - pow(0.999, t);
	*p -= lr / bc1 * *m / (sqrt(*v) / sqrt(bc2) + 1e-8);
	return *p;
}

static void
test_hand_values(const struct config_adam *c)
{
	adam a;
	db_err err = {{0}};
	tap_ok(adam_create(&a, 3, c, &err) == DB_OK, "create");
	/* constant gradient: m_hat/sqrt(v_hat) = 1, so each step moves by lr:
	 * t=1: m = 0.05, v = 0.00025, m/bc1 = 0.5, sqrt(v/bc2) = 0.5 -> 1 - 0.001 */
	float p[3] = {1.0f, 1.0f, -2.0f}, g[3] = {0.5f, 0.5f, 0.0f};
	double ss = adam_step(&a, p, g, 0.0f);
	tap_near(p[0], 0.999, 1e-6, "step 1 moves by lr against the gradient");
	tap_ok(p[2] == -2.0f, "zero gradient, zero moments: no move");
	tap_near(ss, 1 + 1 + 4, 1e-12, "returns sum theta^2 before the step");
	tap_ok(g[0] == 0 && g[1] == 0, "the gradient is consumed (zeroed)");
	g[0] = g[1] = 0.5f;
	adam_step(&a, p, g, 0.0f);
	tap_near(p[0], 0.998, 1e-6, "step 2 with the same gradient moves by lr again");
	/* dense semantics: a row whose gradient is now 0 still moves while its
	 * moments are non-zero (PyTorch dense embedding gradients):
	 * t=3: m = 0.0855, v = 0.000749..., m_hat/sqrt(v_hat) = 0.5940 */
	float before = p[1];
	g[0] = 0.5f;
	adam_step(&a, p, g, 0.0f);
	tap_ok(p[1] < before, "row with zero gradient keeps moving: %.9f -> %.9f", before, p[1]);
	adam_free(&a);
}

/* decay d adds d * theta to the gradient before the update */
static void
test_decay(const struct config_adam *c)
{
	adam a, b;
	db_err err = {{0}};
	adam_create(&a, 2, c, &err);
	adam_create(&b, 2, c, &err);
	float p[2] = {0.7f, -1.3f}, q[2] = {0.7f, -1.3f};
	for (int t = 0; t < 5; t++) {
		float g[2] = {0.2f, -0.1f}, h[2];
		h[0] = g[0] + 0.25f * q[0];
		h[1] = g[1] + 0.25f * q[1];
		adam_step(&a, p, g, 0.25f);
		adam_step(&b, q, h, 0.0f);
	}
	tap_ok(p[0] == q[0] && p[1] == q[1], "fused decay = decay added to the gradient");
	adam_free(&a);
	adam_free(&b);
}

/* a gradient sequence against the double transcription of torch.optim.Adam */
static void
test_reference(const struct config_adam *c)
{
	adam a;
	db_err err = {{0}};
	adam_create(&a, 1, c, &err);
	float q = 0.3f;
	double rp = 0.3, rm = 0, rv = 0, worst = 0;
	for (int t = 1; t <= 200; t++) {
		float gt = (float)(sin(0.37 * t) * (t % 7 == 0 ? 0 : 1.5)), g = gt;
		adam_step(&a, &q, &g, 0.0f);
		ref_step(&rp, &rm, &rv, gt, t, 0.001);
		worst = fmax(worst, fabs(q - rp));
	}
	tap_ok(worst < 2e-6, "200 steps match torch.optim.Adam within float rounding (max %.2e)",
		worst);
	adam_free(&a);
}

/* Gradients of order eps = 1e-8, where sqrt(v_hat) ~ eps and so where eps
 * sits decides the step: PyTorch adds it after the bias correction,
 * sqrt(v)/sqrt(1-b2^t) + eps (TensorFlow's eps-hat form, sqrt(v) + eps
 * before the correction, moves ~3x less at t = 1, and more later).  From
 * theta = 0 each float32 step is exact to its own rounding, so the
 * comparison is relative to the displacement. */
static void
test_tiny_gradients(const struct config_adam *c)
{
	adam a;
	db_err err = {{0}};
	adam_create(&a, 1, c, &err);
	float q = 0;
	double rp = 0, rm = 0, rv = 0, worst = 0;
	for (int t = 1; t <= 100; t++) {
		float gt = (float)(1e-8 * (1.2 + sin(0.37 * t)) * (t % 9 == 0 ? 0 : 1)), g = gt;
		adam_step(&a, &q, &g, 0.0f);
		ref_step(&rp, &rm, &rv, gt, t, 0.001);
		worst = fmax(worst, fabs(q - rp) / fabs(rp));
	}
	tap_ok(worst < 1e-4 && fabs(rp) > 1e-3,
		"gradients ~1e-8: 100 steps match torch's eps placement (max rel %.2e, theta %.4g)",
		worst, rp);
	adam_free(&a);
}

/* ftz=update: the step flushes (a subnormal gradient reads as 0, a moment
 * that would turn subnormal becomes 0) and gives the caller back gradual
 * underflow; without the flag both stay subnormal. */
static void
test_update_flush(const struct config_adam *c)
{
	struct config_adam on = *c, off = *c;
	on.flush = 1;
	off.flush = 0;
	volatile float tiny = FLT_MIN;
	db_err e = {{0}};
	adam a, b;
	adam_create(&a, 2, &on, &e);
	adam_create(&b, 2, &off, &e);
	/* element 0: theta 0 and a subnormal gradient; element 1: theta = 2 FLT_MIN under
	 * decay 1, so m = 0.1 g = 0.2 FLT_MIN */
	float pa[2] = {0, 2 * FLT_MIN}, pb[2] = {0, 2 * FLT_MIN};
	float ga[2] = {FLT_MIN / 8, 0}, gb[2] = {FLT_MIN / 8, 0};
	adam_step(&a, pa, ga, 1.0f);
	adam_step(&b, pb, gb, 1.0f);
	tap_ok(a.m[0] == 0 && a.m[1] == 0, "update flush: subnormal gradient and moment become 0");
	tap_ok(b.m[0] > 0 && b.m[1] > 0 && b.m[1] < FLT_MIN,
		"no flush: the same step keeps both subnormal");
	tap_ok(!fpenv_ftz_on() && tiny * 0.5f > 0,
		"update flush: the caller keeps gradual underflow");
	adam_free(&a);
	adam_free(&b);
}

/* FTZ/DAZ: a subnormal result becomes 0, a subnormal input reads as 0, in
 * Adam's kernel too; restoring gives back gradual underflow. */
static void
test_ftz(const struct config_adam *flushing)
{
	struct config_adam off = *flushing, *c = &off;
	off.flush = 0;
	volatile float tiny = FLT_MIN, sub = FLT_MIN / 4;
	fpenv_saved old;
	db_err e = {{0}};
	if (getenv("DB_VALGRIND")) { /* .ci/run's valgrind pass */
		tap_skip("ftz/daz: valgrind does not emulate the MXCSR flush modes");
		return;
	}
	tap_ok(tiny * 0.5f > 0 && !fpenv_ftz_on(), "default: gradual underflow");
	tap_ok(fpenv_ftz(1, &old, &e) == DB_OK && fpenv_ftz_on(), "ftz on");
	tap_ok(tiny * 0.5f == 0, "ftz: a subnormal product is flushed to 0");
	tap_ok(sub * 1.0f == 0, "daz: a subnormal input reads as 0");
	adam a;
	float p = 1, g = FLT_MIN / 8;
	adam_create(&a, 1, c, &e);
	adam_step(&a, &p, &g, 0.0f);
	tap_ok(a.m[0] == 0, "ftz: Adam takes a subnormal gradient as 0");
	adam_free(&a);
	fpenv_restore(&old);
	tap_ok(tiny * 0.5f > 0 && !fpenv_ftz_on(), "restore: gradual underflow again");
	adam_create(&a, 1, c, &e);
	g = FLT_MIN / 8;
	adam_step(&a, &p, &g, 0.0f);
	tap_ok(a.m[0] > 0, "without ftz Adam moves on a subnormal gradient");
	adam_free(&a);
}

/* Every vector width of the pass gives the baseline's bits (util/simd.h):
 * 3 steps over n = 16k + 13 parameters (a partial last strip), values,
 * gradients and decay over many magnitudes, subnormal ones among them
 * (with and without the update flush), compared bit for bit with the
 * returned sum of squares. */
static void
test_widths(const struct config_adam *c)
{
	enum { N = 16 * 40 + 13, STEPS = 3 };
	static const char *const widths[] = {"baseline", "avx2", "native"};
	float p[3][N], ss[3];
	adam a[3];
	db_err err = {{0}};
	static const enum simd_width want[] = {SIMD_BASELINE, SIMD_AVX2, SIMD_AVX512};
	int ran[3];
	for (int w = 0; w < 3; w++) {
		setenv("DENOISEBENCH_SIMD", widths[w], 1);
		ran[w] = simd_width() == want[w];
		if (adam_create(&a[w], N, c, &err)) {
			tap_ok(0, "adam_create: %s", err.msg);
			while (w-- > 0)
				adam_free(&a[w]);
			unsetenv("DENOISEBENCH_SIMD");
			return;
		}
		unsigned x = 12345;
		for (int j = 0; j < N; j++) {
			x = x * 1103515245u + 12345u;
			p[w][j] = ldexpf((float)(x >> 8) / 16777216.0f - 0.5f, -(int)(x % 140));
		}
		for (int t = 0; t < STEPS; t++) {
			float g[N];
			for (int j = 0; j < N; j++) {
				x = x * 1103515245u + 12345u;
				g[j] = ldexpf((float)(x >> 8) / 16777216.0f - 0.5f,
					-(int)(x % 150));
			}
			ss[w] = (float)adam_step(&a[w], p[w], g, 1e-3f);
		}
	}
	unsetenv("DENOISEBENCH_SIMD");
	for (int w = 1; w < 3; w++)
		if (!ran[w])
			tap_skip("this CPU (or build) has no wider vector width to compare");
		else
			tap_ok(!memcmp(p[0], p[w], sizeof p[0]) &&
					!memcmp(a[0].m, a[w].m, N * sizeof(float)) &&
					!memcmp(a[0].v, a[w].v, N * sizeof(float)) &&
					ss[0] == ss[w],
				"flush %d: %s width gives the baseline's parameters, moments and "
				"sum of squares",
				c->flush, widths[w]);
	for (int w = 0; w < 3; w++)
		adam_free(&a[w]);
}

int
main(void)
{
	/* the keys' defaults: lr 0.001, betas 0.9 and 0.999, eps 1e-8 */
	config c;
	struct config_settings s;
	config_init(&c);
	config_settings_parse(&s, &c);
	test_hand_values(&s.adam);
	test_decay(&s.adam);
	test_reference(&s.adam);
	test_tiny_gradients(&s.adam);
	struct config_adam gradual = s.adam;
	gradual.flush = 0;
	test_widths(&gradual);
	test_widths(&s.adam);
#ifdef __x86_64__
	tap_ok(s.ftz == CONFIG_FTZ_UPDATE && s.adam.flush, "default ftz: update (x86-64)");
#endif
	if (getenv("DB_VALGRIND")) /* .ci/run's valgrind pass */
		tap_skip("update flush: valgrind does not emulate the MXCSR flush modes");
	else
		test_update_flush(&s.adam);
	test_ftz(&s.adam);
	config_free(&c);
	return tap_done();
}
