/* Training methods: R-CE's and T-CE's losses against hand-computed values,
 * R-CE's detached weights (finite differences), T-CE's drop schedule, and
 * an end-to-end run of each through run_one. */
#include <math.h>
#include <string.h>

#include "cli/cli.h"
#include "methods/method.h"
#include "tap.h"
#include "train/train.h"

static void
make_config(config *r, const char *const *kv)
{
	config ex;
	db_err err = {{0}};
	config_init(&ex);
	for (; *kv; kv++)
		if (config_set_kv(&ex, *kv, &err))
			printf("# bad test setting %s: %s\n", *kv, err.msg);
	config_resolve(r, &ex, &err);
	config_free(&ex);
}

/* Four samples, beta = 1, logits (output adt), one batch mean:
 *   k  t  z      p     BCE              w=p|1-p  w*BCE     w*(p-t)
 *   0  1  0      1/2   ln 2   =0.693147  1/2     0.346574  -0.25
 *   1  1  ln 3   3/4   ln 4/3 =0.287682  3/4     0.215762  -0.1875
 *   2  0  ln 3   3/4   ln 4   =1.386294  1/4     0.346574   0.1875
 *   3  0  -ln 3  1/4   ln 4/3 =0.287682  3/4     0.215762   0.1875
 * L = 1.124671 / 4 = 0.281168; dL/dz = the last column / 4. */
static float z4[4], t4[4] = {1, 1, 0, 0};
static const double dz_want[4] = {-0.0625, -0.046875, 0.046875, 0.046875};

static double
rce_at(method *me, struct train_ctx *ctx, const batch *b, int k, double h, float *dz)
{
	float z[4];
	memcpy(z, z4, sizeof z);
	z[k] += (float)h;
	return me->ops->loss(me, ctx, b, z, dz);
}

/* The same loss with the weights frozen at z4: its derivative is R-CE's. */
static double
frozen_at(const float *w, int k, double h)
{
	double s = 0;
	for (int j = 0; j < 4; j++) {
		double z = z4[j] + (j == k ? h : 0);
		double bce = t4[j] > 0.5f ? log1p(exp(-z)) : log1p(exp(z));
		s += w[j] * bce;
	}
	return s / 4;
}

static void
test_rce(void)
{
	const char *kv[] = {"protocol=adt", "method=r-ce", "rce_beta=1", "batch_size=4", NULL};
	config cfg;
	db_err err = {{0}};
	float sl[4], dz[4], dzh[4];
	int user[4] = {0}, item[4] = {0};
	make_config(&cfg, kv);
	z4[0] = 0;
	z4[1] = z4[2] = (float)log(3.0);
	z4[3] = -(float)log(3.0);
	batch b = {.n = 4, .n_pos = 2, .cap = 4, .user = user, .item = item, .label = t4};
	struct train_ctx ctx = {.cfg = &cfg, .reduction = REDUCE_MEAN, .neg_ratio = 1,
		.sample_loss = sl};
	method me = {NULL, NULL};
	tap_ok(method_find("r-ce") && !method_create(&me, method_find("r-ce"), &ctx, &err),
		"r-ce: registered and created");
	double l = rce_at(&me, &ctx, &b, 0, 0, dz);
	tap_near(l, 0.281168, 1e-5, "r-ce: weighted batch mean");
	int ok = 1;
	for (int k = 0; k < 4; k++)
		ok &= fabs(dz[k] - dz_want[k]) < 1e-6;
	tap_ok(ok, "r-ce: dL/dz = w * (p - t) / n");
	tap_near(method_valid_loss(&me, &ctx, &b, z4, dzh), 0.281168, 1e-5,
		"r-ce: adt validation criterion = the weighted loss");
	const float w[4] = {0.5f, 0.75f, 0.25f, 0.75f};
	int fd_frozen = 1, fd_full_differs = 1;
	const double h = 1e-3;
	for (int k = 0; k < 4; k++) {
		double g = (frozen_at(w, k, h) - frozen_at(w, k, -h)) / (2 * h);
		fd_frozen &= fabs(g - dz[k]) < 1e-5;
		double gf = (rce_at(&me, &ctx, &b, k, h, dzh) - rce_at(&me, &ctx, &b, k, -h, dzh)) /
			    (2 * h);
		/* through w the derivative changes by p(1-p) BCE / 4 >= 0.0135 */
		fd_full_differs &= fabs(gf - dz[k]) > 0.01;
	}
	tap_ok(fd_frozen, "r-ce: FD with the weights frozen = analytic dlogit");
	tap_ok(fd_full_differs, "r-ce: FD through the weights differs (weights detached)");
	method_destroy(&me);
	config_free(&cfg);
}

/* T-CE, eps_max 0.4, num_gradual 5: eps(T) = 0.4 T / 4, so eps(0) = 0,
 * eps(2) = 0.2, eps(T >= 5) = 0.4.  Five samples (logits):
 *   k  t  z      BCE              rating
 *   0  1  0      ln 2   =0.693147  5
 *   1  1  ln 3   ln 4/3 =0.287682  4
 *   2  1  -ln 3  ln 4   =1.386294  2
 *   3  0  1      ln(1+e)=1.313262  -
 *   4  0  -ln 3  ln 4/3 =0.287682  -
 * eps 0:   keep 5, L = 3.968067 / 5 = 0.793613
 * eps 0.2: keep floor(0.8*5) = 4, drop k2: L = 2.581773 / 4 = 0.645443,
 *          dz = (p - t) / 4 = {-0.125, -0.0625, 0, sigma(1)/4 = 0.182765, 0.0625}
 * eps 0.4: keep 3, drop k2 and k0 (the negative k3 stays although its loss
 *          exceeds k0's): L = 1.888626 / 3 = 0.629542.
 * Drops: 0 + 1 + 2 = 3, of which rated below 4: k2 twice = 2. */
static void
test_tce(void)
{
	const char *kv[] = {"protocol=adt", "method=t-ce", "drop_rate=0.4", "num_gradual=5",
		"noisy_below=4", "batch_size=5", NULL};
	config cfg;
	db_err err = {{0}};
	float sl[5], dz[5], t[5] = {1, 1, 1, 0, 0}, rating[5] = {5, 4, 2, NAN, NAN};
	float l3 = (float)log(3.0), z[5] = {0, l3, -l3, 1, -l3};
	int user[5] = {0}, item[5] = {0};
	make_config(&cfg, kv);
	batch b = {.n = 5, .n_pos = 3, .cap = 5, .user = user, .item = item, .label = t,
		.rating = rating};
	struct train_ctx ctx = {.cfg = &cfg, .reduction = REDUCE_MEAN, .neg_ratio = 1,
		.sample_loss = sl};
	method me = {NULL, NULL};
	tap_ok(method_find("t-ce") && !method_create(&me, method_find("t-ce"), &ctx, &err),
		"t-ce: registered and created");
	ctx.iteration = 0;
	tap_near(me.ops->loss(&me, &ctx, &b, z, dz), 0.793613, 1e-5, "t-ce: T = 0 drops nothing");
	ctx.iteration = 2;
	tap_near(me.ops->loss(&me, &ctx, &b, z, dz), 0.645443, 1e-5,
		"t-ce: mid-ramp eps 0.2 drops the worst positive");
	const double want[5] = {-0.125, -0.0625, 0, 0.182765, 0.0625};
	int ok = 1;
	for (int k = 0; k < 5; k++)
		ok &= fabs(dz[k] - want[k]) < 2e-6;
	tap_ok(ok, "t-ce: dz = (p - t) / n_keep, 0 for the dropped sample");
	ctx.iteration = 7;
	tap_near(me.ops->loss(&me, &ctx, &b, z, dz), 0.629542, 1e-5,
		"t-ce: after the ramp eps_max drops two positives, keeps the negatives");
	tap_ok(dz[0] == 0 && dz[2] == 0 && dz[3] != 0, "t-ce: dropped ones get no gradient");
	tap_near(method_valid_loss(&me, &ctx, &b, z, dz), 0.629542, 1e-5,
		"t-ce: adt validation = the truncated loss at the current eps");
	long dropped, noisy;
	method_tce_drops(&me, &dropped, &noisy);
	tap_ok(dropped == 3 && noisy == 2, "t-ce: 3 training drops, 2 rated below 4 (got %ld, %ld)",
		dropped, noisy);
	/* num_gradual = 0: eps_max = 0.4 at T = 0 already (L as at eps 0.4 above) */
	method_destroy(&me);
	config_free(&cfg);
	const char *kv0[] = {"protocol=adt", "drop_rate=0.4", "num_gradual=0", "batch_size=5",
		NULL};
	make_config(&cfg, kv0);
	ctx.iteration = 0;
	tap_ok(!method_create(&me, method_find("t-ce"), &ctx, &err), "t-ce: num_gradual 0 created");
	tap_near(me.ops->loss(&me, &ctx, &b, z, dz), 0.629542, 1e-5,
		"t-ce: num_gradual 0 means eps_max from T = 0");
	method_destroy(&me);
	config_free(&cfg);
}

/* Each method end to end on the built-in synthetic data. */
static void
test_end_to_end(const char *name)
{
	char m[64];
	snprintf(m, sizeof m, "method=%s", name);
	const char *kv[] = {m, "epochs=2", "seed=3", NULL};
	config ex;
	db_err err = {{0}};
	struct run_summary sum;
	config_init(&ex);
	for (const char *const *p = kv; *p; p++)
		config_set_kv(&ex, *p, &err);
	int rc = run_one(&ex, NULL, NULL, &sum, &err);
	if (rc)
		tap_diag("run failed: %s", err.msg);
	int finite = !rc && sum.nk > 0;
	for (int i = 0; finite && i < METRIC_COUNT; i++)
		for (int k = 0; k < sum.nk; k++)
			finite &= isfinite(sum.test[i][k]);
	tap_ok(finite && !strcmp(sum.method, name), "%s: run_one completes, finite metrics", name);
	config_free(&ex);
}

int
main(void)
{
	test_rce();
	test_tce();
	test_end_to_end("r-ce");
	test_end_to_end("t-ce");
	return tap_done();
}
