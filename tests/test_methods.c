/* Training methods: R-CE's and T-CE's losses against hand-computed values,
 * R-CE's detached weights (finite differences), T-CE's drop schedule, and
 * an end-to-end run of each through run_one. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "cli/cli.h"
#include "eval/eval.h"
#include "methods/method.h"
#include "nn/rng.h"
#include "rig.h"
#include "tap.h"
#include "train/train.h"

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

/* cfg: the defaults with kv; ctx over it without data, the per-sample
 * losses into sl. */
static void
method_ctx(config *cfg, struct train_ctx *ctx, const char *const *kv, float *sl)
{
	rig_config(cfg, kv);
	train_ctx_init(ctx, cfg, NULL, NULL);
	ctx->sample_loss = sl;
}

static void
test_rce(void)
{
	const char *kv[] = {"protocol=adt", "method=r-ce", "rce_beta=1", "batch_size=4", NULL};
	config cfg;
	db_err err = {{0}};
	float sl[4], dz[4], dzh[4];
	int user[4] = {0}, item[4] = {0};
	z4[0] = 0;
	z4[1] = z4[2] = (float)log(3.0);
	z4[3] = -(float)log(3.0);
	batch b = {.n = 4, .n_pos = 2, .cap = 4, .user = user, .item = item, .label = t4};
	struct train_ctx ctx;
	method_ctx(&cfg, &ctx, kv, sl);
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
 * Drops: 0 + 1 + 2 = 3, of which rated below 4: k2 twice = 2; noisy
 * positives seen: k2 in each of the three training batches = 3. */
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
	batch b = {.n = 5,
		.n_pos = 3,
		.cap = 5,
		.user = user,
		.item = item,
		.label = t,
		.rating = rating};
	struct train_ctx ctx;
	method_ctx(&cfg, &ctx, kv, sl);
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
	double st[METHOD_MAX_STATS];
	const char *names[METHOD_MAX_STATS];
	int ns = me.ops->stats(&me, st, names, METHOD_MAX_STATS);
	tap_ok(ns == 3 && !strcmp(names[0], "dropped") && !strcmp(names[1], "dropped_noisy") &&
			!strcmp(names[2], "noisy_seen"),
		"t-ce: stats names dropped, dropped_noisy, noisy_seen");
	tap_ok(ns == 3 && st[0] == 3 && st[1] == 2 && st[2] == 3,
		"t-ce: 3 training drops, 2 rated below 4, 3 noisy seen (k2 in 3 training batches; "
		"validation uncounted) (got %g, %g, %g)",
		st[0], st[1], st[2]);
	ns = me.ops->stats(&me, st, names, METHOD_MAX_STATS);
	tap_ok(ns == 3 && st[0] == 0 && st[1] == 0 && st[2] == 0,
		"t-ce: the next call counts from the previous one");
	ns = me.ops->stats(&me, st, names, 2);
	tap_ok(ns == 2, "t-ce: stats respects max");
	/* num_gradual = 0: eps_max = 0.4 at T = 0 already (L as at eps 0.4 above) */
	method_destroy(&me);
	config_free(&cfg);
	const char *kv0[] = {"protocol=adt", "drop_rate=0.4", "num_gradual=0", "batch_size=5",
		NULL};
	rig_config(&cfg, kv0);
	ctx.iteration = 0;
	tap_ok(!method_create(&me, method_find("t-ce"), &ctx, &err), "t-ce: num_gradual 0 created");
	tap_near(me.ops->loss(&me, &ctx, &b, z, dz), 0.629542, 1e-5,
		"t-ce: num_gradual 0 means eps_max from T = 0");
	method_destroy(&me);
	config_free(&cfg);
}

/* T-CE where (1 - eps) n is not whole and the ramp's divisor decides:
 * n = 20 (15 positives, z_k = -1.5 + 0.2 k, and 5 negatives at z = 0.5),
 * eps_max 0.5, num_gradual 5, T = 1: eps = 0.5 / 4 = 0.125 and
 * floor(0.875 * 20) = floor(17.5) = 17 kept, 3 dropped (k0..k2, the
 * largest losses).  ceil would keep 18, and a ramp over N = 5 (eps 0.1)
 * keeps 18 as well.  Under deca's split means (with neg_ratio = 2, which
 * T-CE must not apply: Normal's plain means) the positives' mean runs over
 * the 12 kept ones; under adt one mean over the 17 kept samples. */
static void
test_tce_rounding(void)
{
	enum { N = 20, NP = 15 };
	float z[N], t[N], sl[N], dz[N];
	int user[N] = {0}, item[N] = {0};
	double spos = 0, sneg = 0;
	for (int k = 0; k < N; k++) {
		t[k] = k < NP;
		z[k] = k < NP ? -1.5f + 0.2f * (float)k : 0.5f;
		if (k >= NP)
			sneg += log1p(exp((double)z[k]));
		else if (k >= 3)
			spos += log1p(exp(-(double)z[k]));
	}
	batch b = {.n = N, .n_pos = NP, .cap = N, .user = user, .item = item, .label = t};
	for (int adt = 0; adt <= 1; adt++) {
		const char *kv[] = {adt ? "protocol=adt" : "protocol=deca", "output=logit",
			"drop_rate=0.5", "num_gradual=5", "batch_size=20", "neg_ratio=2", NULL};
		config cfg;
		db_err err = {{0}};
		struct train_ctx ctx;
		method_ctx(&cfg, &ctx, kv, sl);
		ctx.iteration = 1;
		method me = {NULL, NULL};
		if (method_create(&me, method_find("t-ce"), &ctx, &err)) {
			tap_ok(0, "t-ce created: %s", err.msg);
			config_free(&cfg);
			continue;
		}
		double L = me.ops->loss(&me, &ctx, &b, z, dz);
		int dropped = 0, which = 1;
		for (int k = 0; k < N; k++) {
			dropped += dz[k] == 0;
			which &= (dz[k] == 0) == (k < 3);
		}
		tap_ok(dropped == 3 && which,
			"t-ce %s: eps 0.125 of 20 drops 3 (floor 17.5; got %d)",
			adt ? "adt" : "deca", dropped);
		double want = adt ? (spos + sneg) / 17 : spos / 12 + sneg / 5;
		double dwant = adt ? -1.0 / (1 + exp((double)z[5])) / 17
				   : -1.0 / (1 + exp((double)z[5])) / 12;
		tap_ok(fabs(L - want) < 1e-5 && fabs(dz[5] - dwant) < 1e-6,
			"t-ce %s: %s (L %.6f want %.6f)", adt ? "adt" : "deca",
			adt ? "mean over the 17 kept"
			    : "mean over the 12 kept positives + plain "
			      "mean over the negatives",
			L, want);
		method_destroy(&me);
		config_free(&cfg);
	}
}

/* Every BCE method under deca reduces as Normal (protocol.md §4.1.2):
 * mean_pos + mean_neg, never NSR * mean_neg (DeCA's own loss only).  One
 * positive and two negatives at p = 1/2 with neg_ratio = 2: ln 2 + ln 2. */
static void
test_deca_neg_weight(void)
{
	static const char *const name[] = {"normal", "t-ce", "r-ce"};
	float z[3] = {0, 0, 0}, t[3] = {1, 0, 0}, sl[3], dz[3];
	int user[3] = {0}, item[3] = {0};
	batch b = {.n = 3, .n_pos = 1, .cap = 3, .user = user, .item = item, .label = t};
	for (int m = 0; m < 3; m++) {
		const char *kv[] = {"drop_rate=0", "rce_beta=0", "neg_ratio=2", NULL};
		config cfg;
		db_err err = {{0}};
		struct train_ctx ctx;
		method_ctx(&cfg, &ctx, kv, sl);
		method me = {NULL, NULL};
		int ok = !method_create(&me, method_find(name[m]), &ctx, &err);
		double L = ok ? method_loss(&me, &ctx, &b, z, dz) : NAN;
		tap_ok(ok && fabs(L - 2 * log(2.0)) < 1e-6 && fabs(dz[1] - 0.25f) < 1e-7,
			"%s (deca, neg_ratio 2): ln2 + ln2, dL/dz_neg = 1/2 / 2 (L %.6f)", name[m],
			L);
		method_destroy(&me);
		config_free(&cfg);
	}
}

/* ---- Clean, WBPR and Ensemble ----------------------------------------- */

/* A hand-made dataset: user 0 owns items {0, 3, 10, 17} rated {5, 4, 2, 5};
 * users 1..6 carry popularity: user u has item i iff t(i) = 5i mod 7 >= u.
 * So pop(i) = t(i), plus 1 for user 0's items; item 0 (t = 0) is drawable
 * only because user 0 has it. */
#define HM_USERS 7
#define HM_ITEMS 30
static const int hm_own[4] = {0, 3, 10, 17};
static const float hm_own_rating[4] = {5, 4, 2, 5};

static int
hm_t(int i)
{
	return (5 * i) % 7;
}

static int
hm_build(dataset *d)
{
	db_err err = {{0}};
	int n = 0, cap = 4 + HM_ITEMS * 6;
	memset(d, 0, sizeof *d);
	d->n_users = HM_USERS;
	d->n_items = HM_ITEMS;
	interactions *x = &d->train;
	x->user = calloc((size_t)cap, sizeof(int));
	x->item = calloc((size_t)cap, sizeof(int));
	x->value = calloc((size_t)cap, sizeof(float));
	d->item_pop = calloc(HM_ITEMS, sizeof(int));
	for (int k = 0; k < 4; k++, n++) {
		x->user[n] = 0;
		x->item[n] = hm_own[k];
		x->value[n] = hm_own_rating[k];
	}
	for (int u = 1; u < HM_USERS; u++)
		for (int i = 0; i < HM_ITEMS; i++)
			if (hm_t(i) >= u) {
				x->user[n] = u;
				x->item[n] = i;
				x->value[n++] = 3;
			}
	x->n = n;
	for (int k = 0; k < n; k++)
		d->item_pop[x->item[k]]++;
	return data_csr_build(&d->train_pos, HM_USERS, x->user, x->item, n, 1, &err);
}

static void
hm_free(dataset *d)
{
	data_interactions_free(&d->train);
	data_csr_free(&d->train_pos);
	free(d->item_pop);
}

static void
test_clean(void)
{
	dataset d;
	db_err err = {{0}};
	config cfg;
	method me = {NULL, NULL};
	hm_build(&d);
	struct train_ctx ctx;
	const char *k4[] = {"method=clean", NULL};
	rig_config(&cfg, k4);
	train_ctx_init(&ctx, &cfg, &d, NULL);
	tap_ok(config_double(&cfg, "clean_threshold") == 4, "clean: deca default threshold 4");
	int rc = method_create(&me, method_find("clean"), &ctx, &err);
	const interactions *src = rc ? NULL : me.ops->train_source(&me, &ctx);
	/* ratings >= 4: user 0's 5, 4, 5 and every popularity line (3) goes */
	tap_ok(src && src->n == 3 && src->item[0] == 0 && src->item[1] == 3 && src->item[2] == 17 &&
			src->user[2] == 0 && src->value[1] == 4,
		"clean: threshold 4 keeps the lines rated 4 and 5, in file order");
	method_destroy(&me);
	config_free(&cfg);
	const char *k5[] = {"method=clean", "clean_threshold=5", NULL};
	rig_config(&cfg, k5);
	rc = method_create(&me, method_find("clean"), &ctx, &err);
	src = rc ? NULL : me.ops->train_source(&me, &ctx);
	tap_ok(src && src->n == 2 && src->item[0] == 0 && src->item[1] == 17,
		"clean: threshold 5 keeps the rating-5 lines");
	method_destroy(&me);
	config_free(&cfg);
	const char *k6[] = {"method=clean", "clean_threshold=6", NULL};
	rig_config(&cfg, k6);
	rc = method_create(&me, method_find("clean"), &ctx, &err);
	tap_ok(rc == DB_EINVAL && strstr(err.msg, "clean_threshold"),
		"clean: nothing left is refused (%s)", err.msg);
	method_destroy(&me);
	config_free(&cfg);
	const char *ka[] = {"method=clean", "protocol=adt", "dataset=yelp", NULL};
	rig_config(&cfg, ka);
	tap_ok(config_double(&cfg, "clean_threshold") == 1,
		"clean: threshold 1 on ADT's 0/1-flag datasets (yelp)");
	config_free(&cfg);
	const char *km[] = {"method=clean", "protocol=adt", "dataset=ml-100k", NULL};
	rig_config(&cfg, km);
	tap_ok(config_double(&cfg, "clean_threshold") == 4,
		"clean: threshold 4 on ml-100k's ratings under adt too");
	config_free(&cfg);
	hm_free(&d);
}

/* BPR, P = 2 positives, R = 2 negatives each, layout
 * [p0 p1 | n00 n01 | n10 n11], z = {0, ln3 | 0, 0 | ln3, -ln3};
 * pair (k, r): x = z_neg - z_pos, loss ln(1 + e^x), dL/dx = sigmoid(x)/4:
 *   (0,0) x = 0      ln 2    = 0.693147  1/2  /4 = 0.125
 *   (1,0) x = -ln3   ln 4/3  = 0.287682  1/4  /4 = 0.0625
 *   (0,1) x = ln3    ln 4    = 1.386294  3/4  /4 = 0.1875
 *   (1,1) x = -ln9   ln 10/9 = 0.105361  1/10 /4 = 0.025
 * L = 2.472484 / 4 = 0.618121; dz_p0 = -(0.125 + 0.1875), dz_p1 =
 * -(0.0625 + 0.025), each negative +its pair's value. */
static void
test_bpr_values(void)
{
	dataset d;
	db_err err = {{0}};
	config cfg;
	method me = {NULL, NULL};
	float l3 = (float)log(3.0), z[6] = {0, l3, 0, 0, l3, -l3}, dz[6], sl[6];
	float label[6] = {1, 1, 0, 0, 0, 0};
	int user[6] = {0}, item[6] = {0};
	batch b = {.n = 6, .n_pos = 2, .cap = 6, .user = user, .item = item, .label = label};
	hm_build(&d);
	const char *kv[] = {"method=wbpr", "neg_ratio=2", NULL};
	rig_config(&cfg, kv);
	struct train_ctx ctx;
	train_ctx_init(&ctx, &cfg, &d, NULL);
	ctx.sample_loss = sl;
	int rc = method_create(&me, method_find("wbpr"), &ctx, &err);
	tap_ok(!rc, "wbpr: registered and created");
	tap_near(rc ? NAN : me.ops->loss(&me, &ctx, &b, z, dz), 0.618121, 1e-6,
		"wbpr: BPR mean over the (positive, r-th negative) pairs");
	const double want[6] = {-0.3125, -0.0875, 0.125, 0.0625, 0.1875, 0.025};
	int ok = !rc;
	for (int k = 0; k < 6 && !rc; k++)
		ok &= fabs(dz[k] - want[k]) < 1e-7;
	tap_ok(ok, "wbpr: dL/dz by hand (positives collect their R pairs)");
	/* far-apart logits: softplus form neither overflows nor loses the tail */
	float zf[6] = {0, 200, 200, -200, 0, 0};
	double big = rc ? NAN : me.ops->loss(&me, &ctx, &b, zf, dz);
	tap_near(big, (200.0 + log1p(exp(-200.0)) + 0 + log(2.0) + log1p(exp(-200.0))) / 4, 1e-9,
		"wbpr: stable for |z_pos - z_neg| = 200");
	method_destroy(&me);
	config_free(&cfg);
	const char *kb[] = {"method=wbpr", "wbpr_loss=bce", "neg_ratio=2", NULL};
	rig_config(&cfg, kb);
	train_ctx_init(&ctx, &cfg, &d, NULL);
	ctx.sample_loss = sl;
	float dzn[6];
	double l_n = method_normal.loss(&me, &ctx, &b, z, dzn);
	rc = method_create(&me, method_find("wbpr"), &ctx, &err);
	tap_ok(!rc && me.ops->loss(&me, &ctx, &b, z, dz) == l_n && !memcmp(dz, dzn, sizeof dz),
		"wbpr: wbpr_loss=bce is Normal's loss");
	method_destroy(&me);
	config_free(&cfg);
	const char *ka[] = {"method=wbpr", "protocol=adt", NULL};
	rig_config(&cfg, ka);
	train_ctx_init(&ctx, &cfg, &d, NULL);
	rc = method_create(&me, method_find("wbpr"), &ctx, &err);
	tap_ok(rc == DB_EINVAL && strstr(err.msg, "wbpr_loss=bce"),
		"wbpr: bpr under adt refused (%s)", err.msg);
	method_destroy(&me);
	config_free(&cfg);
	hm_free(&d);
}

/* Chi-square statistic of counts against probabilities over items. */
static double
chisq(const long *count, const double *p, int n, long draws, int *df)
{
	double x2 = 0;
	*df = -1;
	for (int i = 0; i < n; i++) {
		if (p[i] == 0)
			continue;
		double e = p[i] * draws;
		x2 += (count[i] - e) * (count[i] - e) / e;
		++*df;
	}
	return x2;
}

/* User 0's negatives follow pop^gamma among its non-train items: a
 * chi-square goodness of fit at a fixed seed, never a train item or an item
 * of zero popularity; the same test on a uniform sampler over the same
 * support fails, so the test has power. */
static void
test_wbpr_sampler(const char *gamma)
{
	enum { DRAWS = 40000 };
	dataset d;
	db_err err = {{0}};
	config cfg;
	method me = {NULL, NULL};
	long count[HM_ITEMS] = {0}, ucount[HM_ITEMS] = {0};
	double p[HM_ITEMS], sum = 0;
	hm_build(&d);
	char g[64];
	snprintf(g, sizeof g, "wbpr_gamma=%s", gamma);
	const char *kv[] = {"method=wbpr", g, NULL};
	rig_config(&cfg, kv);
	struct train_ctx ctx;
	train_ctx_init(&ctx, &cfg, &d, NULL);
	if (method_create(&me, method_find("wbpr"), &ctx, &err)) {
		tap_ok(0, "wbpr: create (%s)", err.msg);
		hm_free(&d);
		config_free(&cfg);
		return;
	}
	for (int i = 0; i < HM_ITEMS; i++) {
		p[i] = data_csr_has(&d.train_pos, 0, i) ? 0 : pow(d.item_pop[i], atof(gamma));
		sum += p[i];
	}
	gsl_rng *r = rng_stream(11, "test-wbpr"), *ru = rng_stream(11, "test-uniform");
	int bad = 0, support = 0;
	for (int i = 0; i < HM_ITEMS; i++)
		support += p[i] > 0;
	for (long n = 0; n < DRAWS; n++) {
		int j = me.ops->draw_negative(&me, 0, r);
		count[j]++;
		bad += p[j] == 0;
		int k = (int)gsl_rng_uniform_int(ru, (unsigned long)support);
		for (int i = 0; i < HM_ITEMS; i++)
			if (p[i] > 0 && k-- == 0) {
				ucount[i]++;
				break;
			}
	}
	for (int i = 0; i < HM_ITEMS; i++)
		p[i] /= sum;
	int df, udf;
	double x2 = chisq(count, p, HM_ITEMS, DRAWS, &df);
	double ux2 = chisq(ucount, p, HM_ITEMS, DRAWS, &udf);
	double q = gsl_cdf_chisq_Q(x2, df), uq = gsl_cdf_chisq_Q(ux2, udf);
	tap_ok(!bad, "wbpr gamma %s: %d draws, none a train item or of zero popularity", gamma,
		DRAWS);
	tap_ok(q > 1e-3, "wbpr gamma %s: chi-square fit to pop^gamma, %d df, p = %.3g", gamma, df,
		q);
	tap_ok(uq < 1e-9, "wbpr gamma %s: a uniform sampler fails the same test (p = %.3g)", gamma,
		uq);
	gsl_rng_free(r);
	gsl_rng_free(ru);
	method_destroy(&me);
	config_free(&cfg);
	hm_free(&d);
}

/* A user who has every item of non-zero popularity cannot get a negative:
 * popularity is rewritten to 1 on user 1's items and 0 elsewhere. */
static void
test_wbpr_refusal(void)
{
	dataset d;
	db_err err = {{0}};
	config cfg;
	method me = {NULL, NULL};
	hm_build(&d);
	for (int i = 0; i < HM_ITEMS; i++)
		d.item_pop[i] = data_csr_has(&d.train_pos, 1, i);
	const char *kv[] = {"method=wbpr", NULL};
	rig_config(&cfg, kv);
	struct train_ctx ctx;
	train_ctx_init(&ctx, &cfg, &d, NULL);
	int rc = method_create(&me, method_find("wbpr"), &ctx, &err);
	tap_ok(rc == DB_EINVAL && strstr(err.msg, "user 1"),
		"wbpr: a user with every drawable item is refused (%s)", err.msg);
	method_destroy(&me);
	config_free(&cfg);
	const char *k0[] = {"method=wbpr", "wbpr_gamma=0", NULL};
	rig_config(&cfg, k0);
	train_ctx_init(&ctx, &cfg, &d, NULL);
	tap_ok(!method_create(&me, method_find("wbpr"), &ctx, &err),
		"wbpr: gamma 0 draws zero-popularity items too, so the user is served");
	method_destroy(&me);
	config_free(&cfg);
	hm_free(&d);
}

static float
prob32(float z)
{
	return 1.0f / (1.0f + expf(-z));
}

enum { ENS_NU = 3 };
static const int ens_users[ENS_NU] = {0, 7, 42};

/* The members' logits and the composite's scores for ens_users. */
static void
ens_scores(method *me, model *f, float *a, float *b, float *out)
{
	model *twin = method_ensemble_twin(me), *comp = me->ops->scorer(me);
	f->ops->score_users(f, ens_users, ENS_NU, a);
	twin->ops->score_users(twin, ens_users, ENS_NU, b);
	comp->ops->score_users(comp, ens_users, ENS_NU, out);
}

/* Trained in lockstep: f exactly as under Normal, the twin moved away from
 * its own initialisation; prob = the exact mean of float32 probabilities;
 * the validation criterion = BCE of that mean; checkpoints of the twin. */
static void
test_ensemble_training(const dataset *d)
{
	const char *ke[] = {"method=ensemble", "epochs=2", "seed=3", "eval_freq=2", NULL};
	const char *kn[] = {"method=normal", "epochs=2", "seed=3", "eval_freq=2", NULL};
	config ce, cn;
	model f, fn, init;
	method me = {NULL, NULL}, mn = {NULL, NULL};
	db_err err = {{0}};
	rig_config(&ce, ke);
	rig_config(&cn, kn);
	if (rig_train(d, &ce, &f, &me) || rig_train(d, &cn, &fn, &mn)) {
		tap_ok(0, "ensemble: trains");
		return;
	}
	model *twin = method_ensemble_twin(&me);
	size_t bytes = f.n_params * sizeof(float);
	tap_ok(!memcmp(f.param, fn.param, bytes),
		"ensemble: f trained bit-identically to Normal (the twin has its own streams)");
	model_create(&init, f.ops, d, &ce, 8, 8, &err);
	gsl_rng *r = rng_stream(3, "ensemble-init");
	init.ops->init(&init, r);
	gsl_rng_free(r);
	tap_ok(memcmp(twin->param, init.param, bytes) != 0, "ensemble: the twin was trained");
	tap_ok(memcmp(twin->param, f.param, bytes) != 0, "ensemble: the twin differs from f");
	size_t n = (size_t)d->n_items;
	float *a = malloc(ENS_NU * n * sizeof *a), *b = malloc(ENS_NU * n * sizeof *b);
	float *c = malloc(ENS_NU * n * sizeof *c);
	ens_scores(&me, &f, a, b, c);
	int exact = 1;
	for (size_t j = 0; j < ENS_NU * n; j++)
		exact &= c[j] == (prob32(a[j]) + prob32(b[j])) / 2;
	tap_ok(exact, "ensemble prob: score = mean of the members' float32 probabilities");
	/* validation criterion on 4 samples: user 0, items 0..3, t = 1 1 0 0 */
	int user[4] = {0, 0, 0, 0}, item[4] = {0, 1, 2, 3};
	float label[4] = {1, 1, 0, 0}, z1[4], z2[4];
	batch vb = {.n = 4, .n_pos = 2, .cap = 4, .user = user, .item = item, .label = label};
	f.ops->forward(&f, &vb, z1);
	twin->ops->forward(twin, &vb, z2);
	double want = 0;
	for (int k = 0; k < 4; k++) {
		double q = (1 / (1 + exp(-(double)z1[k])) + 1 / (1 + exp(-(double)z2[k]))) / 2;
		want -= (label[k] > 0.5f ? log(q) : log(1 - q)) / 4;
	}
	struct train_ctx ctx = {.cfg = &ce, .d = d, .f = &f, .output_prob = 1};
	tap_near(me.ops->valid_loss(&me, &ctx, &vb, z1), want, 1e-9,
		"ensemble: validation criterion = BCE of the mean probability");
	free(a);
	free(b);
	free(c);
	model_destroy(&init);
	method_destroy(&me);
	method_destroy(&mn);
	model_destroy(&f);
	model_destroy(&fn);
	config_free(&ce);
	config_free(&cn);
}

/* logit: ranking = that of z1 + z2 (scaling by 1/2 is exact); rank: score =
 * 1 - (pos1 + pos2) / (2n), positions counted by brute force among the
 * user's non-train items (higher score first, ties by lower id). */
static int
brute_position(const float *z, const dataset *d, int u, int i)
{
	int pos = 0;
	for (int j = 0; j < d->n_items; j++)
		pos += !data_csr_has(&d->train_pos, u, j) &&
			(z[j] > z[i] || (z[j] == z[i] && j < i));
	return pos;
}

static void
test_ensemble_combine(const dataset *d, const char *combine)
{
	char cc[64];
	snprintf(cc, sizeof cc, "ensemble_combine=%s", combine);
	const char *kv[] = {"method=ensemble", "epochs=1", "seed=5", cc, NULL};
	config cfg;
	model f;
	method me = {NULL, NULL};
	rig_config(&cfg, kv);
	if (rig_train(d, &cfg, &f, &me)) {
		tap_ok(0, "ensemble %s: trains", combine);
		return;
	}
	int n = d->n_items, same = 1;
	float *a = malloc(ENS_NU * (size_t)n * sizeof *a),
	      *b = malloc(ENS_NU * (size_t)n * sizeof *b);
	float *c = malloc(ENS_NU * (size_t)n * sizeof *c), *sum = malloc((size_t)n * sizeof *sum);
	int *r1 = malloc((size_t)n * sizeof *r1), *r2 = malloc((size_t)n * sizeof *r2);
	ens_scores(&me, &f, a, b, c);
	for (int k = 0; k < ENS_NU; k++) {
		const float *ak = a + (size_t)k * n, *bk = b + (size_t)k * n,
			    *ck = c + (size_t)k * n;
		int u = ens_users[k];
		if (!strcmp(combine, "logit")) {
			for (int i = 0; i < n; i++)
				sum[i] = ak[i] + bk[i];
			topk_select(sum, n, n, r1);
			topk_select(ck, n, n, r2);
			same &= !memcmp(r1, r2, (size_t)n * sizeof *r1);
			continue;
		}
		for (int i = 0; i < n; i++) {
			if (data_csr_has(&d->train_pos, u, i))
				continue;
			int p = brute_position(ak, d, u, i) + brute_position(bk, d, u, i);
			same &= ck[i] == (float)(1.0 - p / (2.0 * n));
		}
	}
	tap_ok(same, "ensemble %s: %s", combine,
		!strcmp(combine, "logit") ? "ranking = ranking of the summed logits"
					  : "score = 1 - mean non-train rank position / n");
	free(a);
	free(b);
	free(c);
	free(sum);
	free(r1);
	free(r2);
	method_destroy(&me);
	model_destroy(&f);
	config_free(&cfg);
}

/* Under best selection the twin is snapshotted and restored with f. */
static void
test_ensemble_checkpoint(const dataset *d)
{
	const char *kv[] = {"method=ensemble", "protocol=adt", "epochs=1", NULL};
	config cfg;
	model f;
	method me = {NULL, NULL};
	rig_config(&cfg, kv);
	if (rig_train(d, &cfg, &f, &me)) {
		tap_ok(0, "ensemble checkpoint: trains");
		return;
	}
	model *twin = method_ensemble_twin(&me);
	size_t bytes = twin->n_params * sizeof(float);
	float *kept = malloc(bytes);
	me.ops->checkpoint(&me, 0);
	memcpy(kept, twin->param, bytes);
	twin->param[0] += 1;
	twin->param[twin->n_params - 1] -= 1;
	me.ops->checkpoint(&me, 1);
	tap_ok(!memcmp(kept, twin->param, bytes), "ensemble: checkpoint restores the twin");
	free(kept);
	method_destroy(&me);
	model_destroy(&f);
	config_free(&cfg);
}

/* At eps = 0 and beta = 0 the denoising losses are Normal's, reduced the
 * same way: the trained parameters must agree bit for bit. */
static void
test_zero_rate_is_normal(const dataset *d, const char *name, const char *zero)
{
	char m[64];
	snprintf(m, sizeof m, "method=%s", name);
	const char *kt[] = {m, zero, "epochs=2", "seed=3", "eval_freq=2", NULL};
	const char *kn[] = {"method=normal", "epochs=2", "seed=3", "eval_freq=2", NULL};
	config ct, cn;
	model ft, fn;
	method mt = {NULL, NULL}, mn = {NULL, NULL};
	rig_config(&ct, kt);
	rig_config(&cn, kn);
	int ok = !rig_train(d, &ct, &ft, &mt) && !rig_train(d, &cn, &fn, &mn);
	tap_ok(ok && !memcmp(ft.param, fn.param, ft.n_params * sizeof(float)),
		"%s with %s trains bit-identically to Normal (deca split means)", name, zero);
	method_destroy(&mt);
	method_destroy(&mn);
	model_destroy(&ft);
	model_destroy(&fn);
	config_free(&ct);
	config_free(&cn);
}

static void
test_ensemble(void)
{
	char dir[] = "/tmp/db-test-methods-XXXXXX";
	db_err err = {{0}};
	dataset d;
	if (rig_synthetic(&d, dir, &err)) {
		tap_ok(0, "ensemble: synthetic data (%s)", err.msg);
		return;
	}
	test_zero_rate_is_normal(&d, "t-ce", "drop_rate=0");
	test_zero_rate_is_normal(&d, "r-ce", "rce_beta=0");
	test_ensemble_training(&d);
	test_ensemble_combine(&d, "logit");
	test_ensemble_combine(&d, "rank");
	test_ensemble_checkpoint(&d);
	rig_synthetic_free(&d, dir);
}

/* Each method end to end on the built-in synthetic data. */
static void
test_end_to_end(const char *name)
{
	char m[64];
	snprintf(m, sizeof m, "method=%s", name);
	const char *kv[] = {m, "epochs=2", "seed=3", NULL};
	struct run_summary sum;
	int finite = rig_run_finite(kv, &sum);
	tap_ok(finite && !strcmp(sum.method, name), "%s: run_one completes, finite metrics", name);
}

/* The protocol's rule lives in train_ctx_init alone: adt reduces by one
 * mean with logits, deca by split means with probabilities, and DeCA's CDAE
 * loop (a user-chunk model) sums; a hand-built context cannot create a
 * method. */
static void
test_ctx_init(void)
{
	static const struct {
		const char *protocol, *model;
		enum loss_reduction want;
		int prob;
	} c[] = {{"deca", "gmf", REDUCE_SPLIT_MEANS, 1}, {"deca", "cdae", REDUCE_SUM, 1},
		{"adt", "gmf", REDUCE_MEAN, 0}, {"adt", "cdae", REDUCE_MEAN, 0}};
	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
		char p[64], m[64];
		snprintf(p, sizeof p, "protocol=%s", c[i].protocol);
		snprintf(m, sizeof m, "model=%s", c[i].model);
		const char *kv[] = {p, m, "neg_ratio=3", "batch_size=5", NULL};
		config cfg;
		dataset d;
		struct train_ctx ctx;
		rig_config(&cfg, kv);
		hm_build(&d);
		train_ctx_init(&ctx, &cfg, &d, NULL);
		tap_ok(ctx.reduction == c[i].want && ctx.output_prob == c[i].prob &&
				ctx.neg_ratio == 3 && ctx.loop &&
				ctx.batch_cap == train_batch_cap_for(&cfg, &d),
			"train_ctx_init %s %s: reduction %d output_prob %d batch_cap %d",
			c[i].protocol, c[i].model, (int)ctx.reduction, ctx.output_prob,
			ctx.batch_cap);
		hm_free(&d);
		config_free(&cfg);
	}
	config cfg;
	db_err err = {{0}};
	method me = {NULL, NULL};
	rig_config(&cfg, (const char *[]){"method=t-ce", NULL});
	struct train_ctx hand = {.cfg = &cfg, .reduction = REDUCE_SPLIT_MEANS, .neg_ratio = 1};
	tap_ok(method_create(&me, method_find("t-ce"), &hand, &err) == DB_EINVAL &&
			strstr(err.msg, "train_ctx_init"),
		"a context not filled by train_ctx_init is refused (%s)", err.msg);
	config_free(&cfg);
}

int
main(void)
{
	test_ctx_init();
	test_rce();
	test_tce();
	test_tce_rounding();
	test_deca_neg_weight();
	test_end_to_end("r-ce");
	test_end_to_end("t-ce");
	test_clean();
	test_bpr_values();
	test_wbpr_sampler("1");
	test_wbpr_sampler("2");
	test_wbpr_refusal();
	test_ensemble();
	test_end_to_end("clean");
	test_end_to_end("wbpr");
	test_end_to_end("ensemble");
	return tap_done();
}
