/* The newer denoising methods (issue 14): each one's weights and loss on a
 * tiny batch against values computed here from its formula, its gradient
 * against finite differences, its identity with Normal, and determinism. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "methods/method.h"
#include "nn/rng.h"
#include "rig.h"
#include "tap.h"
#include "train/train.h"

/* Three users, five items: train pairs u0 {0, 1}, u1 {2}, u2 {1, 3}. */
static const int tiny_user[5] = {0, 0, 1, 2, 2}, tiny_item[5] = {0, 1, 2, 1, 3};

static void
tiny_build(dataset *d)
{
	db_err err = {{0}};
	memset(d, 0, sizeof *d);
	d->n_users = 3;
	d->n_items = 5;
	interactions *x = &d->train;
	x->n = 5;
	x->user = calloc(5, sizeof(int));
	x->item = calloc(5, sizeof(int));
	x->value = calloc(5, sizeof(float));
	d->item_pop = calloc(5, sizeof(int));
	for (int k = 0; k < 5; k++) {
		x->user[k] = tiny_user[k];
		x->item[k] = tiny_item[k];
		x->value[k] = 5;
		d->item_pop[x->item[k]]++;
	}
	if (data_csr_build(&d->train_pos, 3, x->user, x->item, 5, 1, &err))
		tap_diag("tiny data: %s", err.msg);
}

static void
tiny_free(dataset *d)
{
	data_interactions_free(&d->train);
	data_csr_free(&d->train_pos);
	free(d->item_pop);
}

/* The batch: the five positives, then three negatives; k5 (u0, i1) is a
 * train pair drawn as a negative (deca does not reject it). */
#define NB 8
static int b_user[NB] = {0, 0, 1, 2, 2, 0, 0, 1}, b_item[NB] = {0, 1, 2, 1, 3, 1, 4, 0};
static float b_label[NB] = {1, 1, 1, 1, 1, 0, 0, 0};
static float b_z[NB];
static const batch tiny_batch =
	{.n = NB, .n_pos = 5, .cap = NB, .user = b_user, .item = b_item, .label = b_label};

static void
tiny_logits(void)
{
	const double z[NB] = {0, log(3), -log(3), 0, log(3), 0, -log(9), log(3)};
	for (int k = 0; k < NB; k++)
		b_z[k] = (float)z[k];
}

/* BCE with logits, in double from its formula. */
static double
bce(double z, double t)
{
	return t > 0.5 ? log1p(exp(-z)) : log1p(exp(z));
}

/* The tiny batch's BCE per sample. */
static void
tiny_losses(double *l)
{
	for (int k = 0; k < NB; k++)
		l[k] = bce(b_z[k], b_label[k]);
}

static const double ones[NB] = {1, 1, 1, 1, 1, 1, 1, 1};

/* A method of cfg's kv over d, its context in ctx (adt: logits, one mean). */
struct fixture {
	config cfg;
	struct train_ctx ctx;
	method me;
	float sl[NB];
};

/* Nonzero, with a failed test line naming the case what, when the method
 * of kv cannot be created. */
static int
fixture_open(struct fixture *fx, const dataset *d, const char *const *kv, const char *what)
{
	db_err err = {{0}};
	rig_config(&fx->cfg, kv);
	train_ctx_init(&fx->ctx, &fx->cfg, d, NULL);
	fx->ctx.sample_loss = fx->sl;
	fx->me = (method){NULL, NULL};
	const struct method_ops *ops = method_find(config_get(&fx->cfg, "method"));
	int rc = !ops || method_create(&fx->me, ops, &fx->ctx, &err);
	if (rc)
		tap_ok(0, "%s: created (%s)", what, err.msg);
	return rc;
}

static void
fixture_close(struct fixture *fx)
{
	method_destroy(&fx->me);
	config_free(&fx->cfg);
}

/* 1 when the hook's loss and dL/dz at epoch ep are the w-weighted batch
 * mean of BCE and w (sigmoid(z) - t) / n. */
static int
weighted_mean_is(struct fixture *fx, int ep, const double *w, const char *what)
{
	float dz[NB];
	fx->ctx.epoch = ep;
	double got = fx->me.ops->loss(&fx->me, &fx->ctx, &tiny_batch, b_z, dz), want = 0;
	int ok = 1;
	for (int k = 0; k < NB; k++) {
		want += w[k] * bce(b_z[k], b_label[k]) / NB;
		double g = w[k] * (1 / (1 + exp(-(double)b_z[k])) - b_label[k]) / NB;
		ok &= fabs(dz[k] - g) < 1e-6;
	}
	tap_ok(ok && fabs(got - want) < 1e-6, "%s: loss %.7f (want %.7f), dL/dz = w (p - t) / n",
		what, got, want);
	return ok;
}

/* The worst gap between the hook's central differences (step h) on batch b
 * at logits z0 and its dL/dz there, dz (the hook's state as it is). */
static double
fd_worst(method *me, struct train_ctx *ctx, const batch *b, const float *z0, const float *dz,
	float h)
{
	float z[NB], dzh[NB];
	double worst = 0;
	for (int k = 0; k < b->n; k++) {
		memcpy(z, z0, (size_t)b->n * sizeof *z);
		z[k] += h;
		double up = me->ops->loss(me, ctx, b, z, dzh);
		z[k] -= 2 * h;
		double dn = me->ops->loss(me, ctx, b, z, dzh);
		worst = fmax(worst, fabs((up - dn) / (2 * (double)h) - dz[k]));
	}
	return worst;
}

/* Softmax of -l / T over two losses, times c: the first pair's weight. */
static double
soft2(double l0, double l1, double T, double c)
{
	return c * exp(-l0 / T) / (exp(-l0 / T) + exp(-l1 / T));
}

/* The hand-computed UDT cases: temperatures linspace(1, 2), factors
 * linspace(1, 0.5) over the three users, one warm-up epoch, and the
 * setting extra (NULL: none). */
static int
udt_open(struct fixture *fx, const dataset *d, const char *extra, const char *what)
{
	const char *kv[] = {"protocol=adt", "method=udt", "batch_size=8", "udt_temp1=1",
		"udt_temp2=2", "udt_userfact1=1", "udt_userfact2=0.5", "udt_warmup=1", extra, NULL};
	return fixture_open(fx, d, kv, what);
}

/* UDT epoch mode, temperatures linspace(1, 2), factors linspace(1, 0.5)
 * over the three users.  Epoch 0 (warm-up): weights 1.  Scores for epoch 1:
 *   last: u0 = l(k6)/2 = -ln(0.9)/2, u1 = l(k7)/1 = ln 4, u2 = l(k4)/2
 *         -> order u0, u2, u1;
 *   sum:  u0 = (l0 + l1 + l5 + l6)/2 = 0.8896, u2 = (l3 + l4)/2 = 0.4904
 *         -> order u2, u0, u1.
 * Weights: softmax over each user's pairs of -l/T times c_u, times f_u; a
 * negative takes its pair's weight (k5 = u0's pair i1; k6, k7: f_u). */
static void
test_udt_epoch(const dataset *d, const char *user_loss)
{
	char ul[64];
	snprintf(ul, sizeof ul, "udt_user_loss=%s", user_loss);
	struct fixture fx;
	if (udt_open(&fx, d, ul, "udt"))
		return;
	weighted_mean_is(&fx, 0, ones, "udt warm-up epoch 0: weights 1");
	double l[NB];
	tiny_losses(l);
	int last = !strcmp(user_loss, "last");
	/* T and f of u0, u1, u2 by rank: last u0 < u2 < u1, sum u2 < u0 < u1 */
	double T0 = last ? 1 : 1.5, T2 = last ? 1.5 : 1, f0 = last ? 1 : 0.75, f2 = last ? 0.75 : 1;
	double w00 = soft2(l[0], l[1], T0, 2) * f0, w01 = soft2(l[1], l[0], T0, 2) * f0;
	double w21 = soft2(l[3], l[4], T2, 2) * f2, w23 = soft2(l[4], l[3], T2, 2) * f2;
	const double w[NB] = {w00, w01, 0.5, w21, w23, w01, f0, 0.5};
	char what[96];
	snprintf(what, sizeof what, "udt epoch 1, user_loss=%s: hand-computed weights", user_loss);
	weighted_mean_is(&fx, 1, w, what);
	fixture_close(&fx);
}

/* udt_neg_weight=one: the same epoch-1 batch with every negative at 1. */
static void
test_udt_neg_one(const dataset *d)
{
	struct fixture fx;
	if (udt_open(&fx, d, "udt_neg_weight=one", "udt neg_weight=one"))
		return;
	weighted_mean_is(&fx, 0, ones, "udt neg_weight=one, epoch 0");
	double l[NB];
	tiny_losses(l);
	const double w[NB] = {soft2(l[0], l[1], 1, 2), soft2(l[1], l[0], 1, 2), 0.5,
		soft2(l[3], l[4], 1.5, 2) * 0.75, soft2(l[4], l[3], 1.5, 2) * 0.75, 1, 1, 1};
	weighted_mean_is(&fx, 1, w, "udt neg_weight=one: negatives at weight 1");
	fixture_close(&fx);
}

/* UDT batch mode (the CDAE script): epoch-0 scores = the mean loss of each
 * user's cells, u0 (l0 + l1 + l5 + l6)/4 = 0.4448 < u2 0.4904 < u1 ln 4;
 * epoch-1 positives: softmax over the user's positives of this batch times
 * its cells / 2 (u0: 4/2, u1: 2/2, u2: 2/2) times f_u; negatives f_u. */
static void
test_udt_batch(const dataset *d)
{
	struct fixture fx;
	if (udt_open(&fx, d, "udt_weights=batch", "udt batch"))
		return;
	weighted_mean_is(&fx, 0, ones, "udt batch weights, epoch 0");
	double l[NB];
	tiny_losses(l);
	const double w[NB] = {soft2(l[0], l[1], 1, 2), soft2(l[1], l[0], 1, 2), 0.5,
		soft2(l[3], l[4], 1.5, 1) * 0.75, soft2(l[4], l[3], 1.5, 1) * 0.75, 1, 1, 0.5};
	weighted_mean_is(&fx, 1, w, "udt batch weights, epoch 1: from the batch's own losses");
	/* the weights are detached: the FD of the loss with w frozen is dz */
	float dz[NB], dzh[NB], z[NB];
	fx.me.ops->loss(&fx.me, &fx.ctx, &tiny_batch, b_z, dz);
	int fd = 1;
	for (int k = 0; k < NB; k++) {
		const double h = 1e-3;
		double up = 0, dn = 0;
		for (int j = 0; j < NB; j++) {
			up += w[j] * bce(b_z[j] + (j == k ? h : 0), b_label[j]) / NB;
			dn += w[j] * bce(b_z[j] - (j == k ? h : 0), b_label[j]) / NB;
		}
		fd &= fabs((up - dn) / (2 * h) - dz[k]) < 1e-5;
	}
	tap_ok(fd, "udt batch: FD with the weights frozen = dL/dz (weights detached)");
	/* through the weights the hook's own FD moves: a positive's weight
	 * depends on its loss */
	memcpy(z, b_z, sizeof z);
	z[0] += 1e-2f;
	double up = fx.me.ops->loss(&fx.me, &fx.ctx, &tiny_batch, z, dzh);
	z[0] -= 2e-2f;
	double dn = fx.me.ops->loss(&fx.me, &fx.ctx, &tiny_batch, z, dzh);
	tap_ok(fabs((up - dn) / 2e-2 - dz[0]) > 1e-3,
		"udt batch: FD through the weights differs from dL/dz (%g vs %g)", (up - dn) / 2e-2,
		dz[0]);
	fixture_close(&fx);
}

/* The code's default warm-up (`epoch <= 1`): epochs 0 and 1 at weight 1,
 * epoch 2 weighted. */
static void
test_udt_warmup(const dataset *d)
{
	const char *kv[] = {"protocol=adt", "method=udt", "batch_size=8", NULL};
	struct fixture fx;
	if (fixture_open(&fx, d, kv, "udt warm-up"))
		return;
	weighted_mean_is(&fx, 0, ones, "udt default warm-up, epoch 0");
	weighted_mean_is(&fx, 1, ones, "udt default warm-up, epoch 1");
	float dz[NB];
	fx.ctx.epoch = 2;
	double l = fx.me.ops->loss(&fx.me, &fx.ctx, &tiny_batch, b_z, dz), plain = 0;
	for (int k = 0; k < NB; k++)
		plain += bce(b_z[k], b_label[k]) / NB;
	tap_ok(fabs(l - plain) > 1e-3, "udt default warm-up: epoch 2 is weighted (%g vs %g)", l,
		plain);
	fixture_close(&fx);
}

/* fd_worst on the tiny batch at epoch 1, after epoch 0 (whose losses fix
 * the weights of a method that weighs from the previous epoch). */
static double
epoch1_fd_worst(struct fixture *fx)
{
	float dz[NB];
	fx->ctx.epoch = 0;
	fx->me.ops->loss(&fx->me, &fx->ctx, &tiny_batch, b_z, dz);
	fx->ctx.epoch = 1;
	fx->me.ops->loss(&fx->me, &fx->ctx, &tiny_batch, b_z, dz);
	return fd_worst(&fx->me, &fx->ctx, &tiny_batch, b_z, dz, 1e-2f);
}

/* Epoch mode: the weights of epoch 1 are fixed by epoch 0, so the hook's
 * own central differences must match its dL/dz. */
static void
test_udt_fd(const dataset *d)
{
	struct fixture fx;
	if (udt_open(&fx, d, NULL, "udt fd"))
		return;
	double worst = epoch1_fd_worst(&fx);
	tap_ok(worst < 1e-5,
		"udt epoch weights: the hook's central differences = dL/dz (worst %.2g)", worst);
	fixture_close(&fx);
}

/* EARD, factors linspace(1.5, 0.5), on the tiny batch with z3 = ln 3, so
 * that the losses are l0 = l5 = ln 2, l1 = l3 = l4 = ln 4/3, l2 = l7 = ln 4,
 * l6 = -ln 0.9.  Epoch 0 trains 7 distinct pairs (k5 overwrites k1's (0, 1)
 * with ln 2); ECDF (r - 1/2)/7, r = pairs with a loss >= l: ln 4 -> 1.5/7,
 * ln 2 -> 3.5/7, ln 4/3 -> 5.5/7, -ln 0.9 -> 6.5/7.
 * Users, last sample per batch: u0 l6 < u2 l4 < u1 l7 -> 1.5, 1, 0.5; with
 * every sample: u2 ln 4/3 < u0 0.4448 < u1 -> u2 1.5, u0 1, u1 0.5.
 * Items (both modes): i4 < i3 < i1 < i0 = i2 (tie by id) -> 1.5, 1.25, 1,
 * 0.75, 0.5. */
static void
test_eard_weights(const dataset *d, const char *entity)
{
	char el[64];
	snprintf(el, sizeof el, "eard_entity_loss=%s", entity);
	const char *kv[] = {"protocol=adt", "method=eard", "batch_size=8", "eard_warmup=1",
		"eard_lower=0.5", "eard_upper=1.5", el, NULL};
	struct fixture fx;
	if (fixture_open(&fx, d, kv, "eard"))
		return;
	b_z[3] = (float)log(3);
	weighted_mean_is(&fx, 0, ones, "eard epoch 0: weights 1");
	int last = !strcmp(entity, "last");
	double fu0 = last ? 1.5 : 1, fu1 = 0.5, fu2 = last ? 1 : 1.5;
	const double w[NB] = {3.5 / 7 * fu0 * 0.75, 3.5 / 7 * fu0 * 1, 1.5 / 7 * fu1 * 0.5,
		5.5 / 7 * fu2 * 1, 5.5 / 7 * fu2 * 1.25, 3.5 / 7 * fu0 * 1, 6.5 / 7 * fu0 * 1.5,
		1.5 / 7 * fu1 * 0.75};
	char what[96];
	snprintf(what, sizeof what, "eard epoch 1, entity_loss=%s: ECDF x user x item", entity);
	weighted_mean_is(&fx, 1, w, what);
	/* a pair the previous epoch did not train: weight 1 */
	double w2[NB];
	memcpy(w2, w, sizeof w2);
	w2[6] = 1;
	b_item[6] = 2;
	weighted_mean_is(&fx, 1, w2, "eard: a pair not trained in the previous epoch has weight 1");
	b_item[6] = 4;
	tiny_logits();
	fixture_close(&fx);
}

/* EARD epoch 1: its weights are fixed by epoch 0, so the hook's own
 * central differences must match its dL/dz. */
static void
test_eard_fd(const dataset *d)
{
	const char *kv[] = {"protocol=adt", "method=eard", "batch_size=8", "eard_warmup=1", NULL};
	struct fixture fx;
	if (fixture_open(&fx, d, kv, "eard fd"))
		return;
	double worst = epoch1_fd_worst(&fx);
	tap_ok(worst < 1e-5, "eard epoch 1: the hook's central differences = dL/dz (worst %.2g)",
		worst);
	fixture_close(&fx);
}

/* DCF: eps 0.25 from the start, rr 0.5, so of n = 8 sorted by the adjusted
 * loss a the first floor(0.75 n) = 6 are kept, the 7th dropped, the 8th
 * (n - floor(0.875 n) = 1) relabelled and kept; c = 0.1 linspace(1, 0, 3).
 * Epoch 0 (s = 1, c = 0.1, m_prev 0, n 1): m = d(l)/2, negatives 0; the
 * positives' l: k4 0.127 < k1 0.288 < k3 0.474 < k0 ln 2 < k2 ln 4, so k0
 * is dropped and k2 relabelled.
 * Epoch 1 (s = 2, c = 0.05) on a reshuffled batch: position 2 now holds a
 * negative, the pair (1, 2) sits at position 5 with z = -0.5, the rest as
 * before.  By position the negative inherits k2's mean, a = 0.351 (n = 1),
 * above every positive but (0, 0)'s 0.405: position 2 is dropped.  By pair
 * the negative has a = 0 and (1, 2) keeps its mean: a = 0.649 is the 8th,
 * (0, 0) at position 0 the 7th: position 0 is dropped.  With time_step 1
 * the state restarts at epoch 1: a = max(d/3 - 0.0517, 0), position 0
 * (0.168) is the 7th and dropped. */
static int d_user0[NB] = {0, 0, 1, 2, 2, 0, 0, 1}, d_item0[NB] = {0, 1, 2, 1, 3, 1, 4, 0};
static int d_user1[NB] = {0, 0, 0, 2, 2, 1, 0, 1}, d_item1[NB] = {0, 1, 1, 1, 3, 2, 4, 0};
static float d_label0[NB] = {1, 1, 1, 1, 1, 0, 0, 0}, d_label1[NB] = {1, 1, 0, 1, 1, 1, 0, 0};
static float d_rating0[NB] = {2, 5, 4, 5, 3, NAN, NAN, NAN};
static float d_z0[NB], d_z1[NB];
static const batch dcf_b0 = {.n = NB,
	.n_pos = 5,
	.cap = NB,
	.user = d_user0,
	.item = d_item0,
	.label = d_label0,
	.rating = d_rating0};

static void
dcf_logits(void)
{
	const double z0[NB] = {0, log(3), -log(3), 0.5, 2, 0, -log(9), log(3)};
	for (int k = 0; k < NB; k++) {
		d_z0[k] = (float)z0[k];
		d_z1[k] = (float)z0[k];
	}
	d_z1[2] = 0;
	d_z1[5] = -0.5f;
}

/* 1 when the hook's loss and dL/dz are the batch mean over every sample
 * but `dropped`, with label t (flip: sample `flip` as a negative). */
static int
kept_mean_is(struct fixture *fx, int ep, const batch *b, const float *z, int dropped, int flip,
	const char *what)
{
	float dz[NB];
	fx->ctx.epoch = ep;
	double got = fx->me.ops->loss(&fx->me, &fx->ctx, b, z, dz), want = 0;
	int ok = 1;
	for (int k = 0; k < NB; k++) {
		double t = k == flip ? 0 : b->label[k];
		double g = k == dropped ? 0 : (1 / (1 + exp(-(double)z[k])) - t) / (NB - 1);
		want += k == dropped ? 0 : bce(z[k], t) / (NB - 1);
		ok &= fabs(dz[k] - g) < 1e-6;
	}
	tap_ok(ok && fabs(got - want) < 1e-6, "%s: loss %.7f (want %.7f), sample %d dropped", what,
		got, want, dropped);
	return ok;
}

/* The hand-computed DCF cases: eps 0.25 from the start, rr 0.5, c 0.1 over
 * 3 epochs, and the settings x1, x2 (NULL: none). */
static int
dcf_open(struct fixture *fx, const dataset *d, const char *x1, const char *x2, const char *what)
{
	const char *kv[] = {"protocol=adt", "method=dcf", "batch_size=8", "drop_rate=0.25",
		"num_gradual=0", "dcf_relabel_ratio=0.5", "dcf_co_lambda=0.1", "epochs=3", x1, x2,
		NULL};
	return fixture_open(fx, d, kv, what);
}

static void
test_dcf(const dataset *d, const char *state, const char *time_step, int drop1)
{
	char st[64], ts[64];
	snprintf(st, sizeof st, "dcf_state=%s", state);
	snprintf(ts, sizeof ts, "dcf_time_step=%s", time_step);
	struct fixture fx;
	if (dcf_open(&fx, d, st, ts, "dcf"))
		return;
	const batch b1 = {.n = NB,
		.n_pos = 6,
		.cap = NB,
		.user = d_user1,
		.item = d_item1,
		.label = d_label1};
	char what[96];
	snprintf(what, sizeof what, "dcf %s, epoch 0: the 7th by adjusted loss dropped", state);
	/* k0 (rated 2, or 5 under pair keying) dropped, k2 relabelled; rated
	 * below 4: k4 and k0 when it is */
	int k0_noisy = strcmp(state, "pair") != 0;
	d_rating0[0] = k0_noisy ? 2 : 5;
	kept_mean_is(&fx, 0, &dcf_b0, d_z0, 0, -1, what);
	double v[METHOD_MAX_STATS];
	const char *names[METHOD_MAX_STATS];
	int ns = fx.me.ops->stats(&fx.me, v, names, METHOD_MAX_STATS);
	tap_ok(ns == 4 && !strcmp(names[0], "dropped") && v[0] == 1 && v[1] == k0_noisy &&
			v[2] == 1 + k0_noisy && v[3] == 1,
		"dcf %s stats: dropped %g, dropped noisy %g, noisy seen %g, relabelled %g", state,
		v[0], v[1], v[2], v[3]);
	snprintf(what, sizeof what, "dcf %s, time_step %s, epoch 1: state carried", state,
		time_step);
	kept_mean_is(&fx, 1, &b1, d_z1, drop1, -1, what);
	fixture_close(&fx);
}

/* dcf_relabel=flip: the 8th of epoch 0 (k2) trains as a negative. */
static void
test_dcf_flip(const dataset *d)
{
	struct fixture fx;
	if (dcf_open(&fx, d, "dcf_relabel=flip", NULL, "dcf flip"))
		return;
	kept_mean_is(&fx, 0, &dcf_b0, d_z0, 0, 2,
		"dcf relabel=flip: the highest-loss positive as a "
		"negative");
	fixture_close(&fx);
}

/* Four-sample batches [P, Q, negative, negative] with eps 0.25 and no
 * relabel: the one of P, Q with the larger adjusted loss a is dropped.
 * The positives' BCE is set through z = -ln(e^l - 1). */
struct dcf_step {
	int epoch, pair; /* pair 0: P = (0, 0), Q = (2, 1); 1: (0, 1), (2, 3) */
	double lp, lq;
};

/* Runs the steps; returns a string of the dropped positive per step. */
static void
dcf_steps(struct fixture *fx, const struct dcf_step *st, int n, char *out)
{
	static int user[2][4] = {{0, 2, 0, 1}, {0, 2, 1, 2}},
		   item[2][4] = {{0, 1, 4, 0}, {1, 3, 0, 0}};
	static float label[4] = {1, 1, 0, 0};
	for (int j = 0; j < n; j++) {
		batch b = {.n = 4,
			.n_pos = 2,
			.cap = 4,
			.user = user[st[j].pair],
			.item = item[st[j].pair],
			.label = label};
		float z[4] = {(float)-log(expm1(st[j].lp)), (float)-log(expm1(st[j].lq)), 0, 0},
		      dz[4];
		fx->ctx.epoch = st[j].epoch;
		fx->me.ops->loss(&fx->me, &fx->ctx, &b, z, dz);
		out[j] = dz[0] == 0 && dz[1] != 0 ? 'P' : dz[1] == 0 && dz[0] != 0 ? 'Q' : '?';
	}
	out[n] = '\0';
}

/* The steps under co_lambda co and the settings set (drop_rate,
 * dcf_relabel_ratio, dcf_state, epochs), against the dropped positives. */
static void
dcf_witness(const dataset *d, const char *co, const char *const set[4], const struct dcf_step *st,
	int n, const char *want, const char *what)
{
	char c[64], got[16];
	snprintf(c, sizeof c, "dcf_co_lambda=%s", co);
	const char *kv[] = {"protocol=adt", "method=dcf", "batch_size=4", "num_gradual=0", c,
		set[0], set[1], set[2], set[3], NULL};
	struct fixture fx;
	if (fixture_open(&fx, d, kv, "dcf witness"))
		return;
	dcf_steps(&fx, st, n, got);
	tap_ok(!strcmp(got, want), "dcf %s: dropped %s (want %s)", what, got, want);
	fixture_close(&fx);
}

/* eps 0.25, no relabel: of [P, Q, -, -] the larger a is dropped.
 * Damping: epoch 0 l = 3 vs 2.5 drops P; epoch 1 l = 0.1 vs 0.5: damped
 * means (2 d(3)/2 + d(0.1))/3 = 0.745 < (2 d(2.5)/2 + d(0.5))/3 = 0.792
 * drop Q (undamped: 1.033 > 1.0 would drop P).
 * Positions: two batches an epoch; epoch 0 drops P of the first (l 3 vs
 * 0.1) and Q of the second (0.1 vs 3); epoch 1 reverses the current losses
 * (0.1 vs 1 and 1 vs 0.1) and each position's own history drops P, then Q
 * (read from the other batch's positions: Q, then P).
 * Bound: eps 0.5, rr 0.4 keep 2, drop the 3rd, relabel the 4th (outside
 * the low group, so its n stays).  c = 0.5 (0.4995 at epoch 1).  Epoch 0
 * l = 3 vs 2.5: Q dropped, P relabelled (n_P = 1, n_Q = 2); epoch 1 l = 1
 * both: m 1.019 vs 0.936, the bound 0.724 (n = 1) vs 0.434 (n = 2) leaves
 * a 0.295 vs 0.501: P is dropped (without the bound, with both n = 1 or
 * with its sign flipped, Q again).  Over 2 epochs c decays to 0 at epoch 1:
 * no bound, Q again. */
static void
test_dcf_witnesses(const dataset *d)
{
	const char *const plain[4] = {"drop_rate=0.25", "dcf_relabel_ratio=0", "dcf_state=pair",
		"epochs=1000"};
	const struct dcf_step damp[] = {{0, 0, 3, 2.5}, {1, 0, 0.1, 0.5}};
	dcf_witness(d, "1e-4", plain, damp, 2, "PQ", "damping d(x) = ln(1 + x + x^2/2)");
	const char *const bypos[4] = {"drop_rate=0.25", "dcf_relabel_ratio=0", "dcf_state=position",
		"epochs=1000"};
	const struct dcf_step pos[] = {{0, 0, 3, 0.1}, {0, 1, 0.1, 3}, {1, 0, 0.1, 1},
		{1, 1, 1, 0.1}};
	dcf_witness(d, "1e-4", bypos, pos, 4, "PQPQ", "positions count across batches");
	const char *const relabel[4] = {"drop_rate=0.5", "dcf_relabel_ratio=0.4", "dcf_state=pair",
		"epochs=1000"};
	const struct dcf_step bound[] = {{0, 0, 3, 2.5}, {1, 0, 1, 1}};
	dcf_witness(d, "0.5", relabel, bound, 2, "QP", "concentration bound and counts");
	const char *const decay[4] = {"drop_rate=0.5", "dcf_relabel_ratio=0.4", "dcf_state=pair",
		"epochs=2"};
	dcf_witness(d, "0.5", decay, bound, 2, "QQ", "co_lambda decays to 0 at the last epoch");
}

/* Pair keying leaves the selection of an epoch fixed, so the hook's own
 * central differences must match dL/dz (dropped samples: 0). */
static void
test_dcf_fd(const dataset *d)
{
	struct fixture fx;
	if (dcf_open(&fx, d, "dcf_state=pair", NULL, "dcf fd"))
		return;
	float dz[NB];
	fx.ctx.epoch = 0;
	fx.me.ops->loss(&fx.me, &fx.ctx, &dcf_b0, d_z0, dz);
	double worst = fd_worst(&fx.me, &fx.ctx, &dcf_b0, d_z0, dz, 1e-3f);
	tap_ok(worst < 1e-4, "dcf: the hook's central differences = dL/dz (worst %.2g)", worst);
	fixture_close(&fx);
}

/* PLD on the tiny data with a GMF from the init stream; deca layout. */
struct pld_fixture {
	config cfg;
	struct train_ctx ctx;
	model f;
	method me;
	float sl[NB];
};

static int
pld_open(struct pld_fixture *px, const dataset *d, const char *const *kv)
{
	db_err err = {{0}};
	rig_config(&px->cfg, kv);
	int rc = model_create(&px->f, model_find("gmf"), d, &px->cfg, train_batch_cap(&px->cfg), 16,
		&err);
	if (!rc) {
		gsl_rng *r = rng_stream(7, "init");
		px->f.ops->init(&px->f, r);
		gsl_rng_free(r);
		/* logits far enough apart that a loss names its candidate */
		for (size_t j = 0; j < px->f.n_params; j++)
			px->f.param[j] *= 12;
		train_ctx_init(&px->ctx, &px->cfg, d, &px->f);
		px->ctx.sample_loss = px->sl;
		px->me = (method){NULL, NULL};
		rc = method_create(&px->me, method_find("pld"), &px->ctx, &err);
	}
	if (rc)
		tap_diag("pld: %s", err.msg);
	return rc;
}

static void
pld_close(struct pld_fixture *px)
{
	method_destroy(&px->me);
	model_destroy(&px->f);
	config_free(&px->cfg);
}

static double
softplus(double x)
{
	return x > 0 ? x + log1p(exp(-x)) : log1p(exp(x));
}

/* The model's logits of user u's items it[0..n) (a batch of positives). */
static void
pld_logits(struct pld_fixture *px, int u, const int *it, int n, float *z)
{
	int user[4] = {u, u, u, u}, item[4];
	float label[4] = {1, 1, 1, 1};
	memcpy(item, it, (size_t)n * sizeof(int));
	batch b = {.n = n, .n_pos = n, .cap = 4, .user = user, .item = item, .label = label};
	px->f.ops->forward(&px->f, &b, z);
}

/* Before pld_begin: BPR over the batch's pairs, by hand, with its gradient
 * against central differences of the hook. */
static void
test_pld_bpr(const dataset *d)
{
	const char *kv[] = {"method=pld", "batch_size=2", NULL};
	struct pld_fixture px;
	if (pld_open(&px, d, kv)) {
		tap_ok(0, "pld: created");
		return;
	}
	int user[4] = {0, 2, 0, 2}, item[4] = {0, 1, 4, 0};
	float label[4] = {1, 1, 0, 0}, z[4] = {0.5f, -1, 1.5f, 0.25f}, dz[4];
	batch b = {.n = 4, .n_pos = 2, .cap = 4, .user = user, .item = item, .label = label};
	px.ctx.epoch = 0;
	double got = px.me.ops->loss(&px.me, &px.ctx, &b, z, dz);
	double want = (softplus(1.5 - 0.5) + softplus(0.25 + 1)) / 2;
	double g0 = -1 / (1 + exp(-(1.5 - 0.5))) / 2;
	tap_ok(fabs(got - want) < 1e-6 && fabs(dz[0] - g0) < 1e-6 && fabs(dz[2] + g0) < 1e-6,
		"pld before pld_begin: BPR mean over the pairs %.7f (want %.7f)", got, want);
	double worst = fd_worst(&px.me, &px.ctx, &b, z, dz, 1e-2f);
	tap_ok(worst < 1e-5, "pld BPR: central differences = dL/dz (worst %.2g)", worst);
	tap_ok(px.me.ops->before_step(&px.me, &px.ctx) == 0,
		"pld before pld_begin: nothing is resampled");
	pld_close(&px);
}

/* From pld_begin on, one slot of u0 (train items 0 and 1, K = 2: both are
 * candidates) with the negative i4: the step's loss is softplus(z4 - z_c)
 * of the drawn candidate c, drawn with probability softmax(-l / tau).  At
 * tau 1e-6 it is the candidate with the higher logit; at tau 0.002 the
 * frequency of i0 over 4000 steps is within 4 sigma of its probability.
 * u1 has one train item (2): drawn with replacement, always it. */
static void
test_pld_resample(const dataset *d, const char *temp)
{
	char t[64];
	snprintf(t, sizeof t, "pld_temp=%s", temp);
	const char *kv[] = {"method=pld", "batch_size=2", "pld_begin=1", "pld_candidates=2", t,
		NULL};
	struct pld_fixture px;
	if (pld_open(&px, d, kv)) {
		tap_ok(0, "pld: created");
		return;
	}
	int user[2] = {0, 0}, item[2] = {0, 4}, user1[2] = {1, 1}, item1[2] = {2, 4};
	float label[2] = {1, 0}, zc[3], z[2], dz[2];
	const int it[3] = {0, 1, 4}, it1[2] = {2, 4};
	pld_logits(&px, 0, it, 3, zc);
	pld_logits(&px, 0, item, 2, z); /* the batch's logits: the loss reads its negative's */
	double l0 = softplus(zc[2] - zc[0]), l1 = softplus(zc[2] - zc[1]);
	double tau = atof(temp), p0 = 1 / (1 + exp((l0 - l1) / tau));
	batch b = {.n = 2, .n_pos = 1, .cap = 2, .user = user, .item = item, .label = label};
	px.ctx.epoch = 1;
	const int N = tau < 1e-3 ? 50 : 4000;
	int n0 = 0, other = 0;
	for (int j = 0; j < N; j++) {
		px.me.ops->loss(&px.me, &px.ctx, &b, z, dz);
		double L = px.me.ops->before_step(&px.me, &px.ctx);
		n0 += fabs(L - l0) < 1e-6;
		other += fabs(L - l0) >= 1e-6 && fabs(L - l1) >= 1e-6;
	}
	double sd = sqrt(N * p0 * (1 - p0)) + 1e-9;
	tap_ok(!other && fabs(n0 - N * p0) <= 4 * sd + 0.5,
		"pld tau %s: i0 drawn %d of %d times, softmax(-l/tau) gives %.1f (l %.4f vs %.4f)",
		temp, n0, N, N * p0, l0, l1);
	pld_logits(&px, 1, it1, 2, zc);
	pld_logits(&px, 1, item1, 2, z);
	batch b1 = {.n = 2, .n_pos = 1, .cap = 2, .user = user1, .item = item1, .label = label};
	px.me.ops->loss(&px.me, &px.ctx, &b1, z, dz);
	memset(px.f.grad, 0, px.f.n_params * sizeof(float));
	tap_near(px.me.ops->before_step(&px.me, &px.ctx), softplus(zc[1] - zc[0]), 1e-6,
		"pld: a user with fewer than K items draws them with replacement");
	int moved = 0;
	for (size_t j = 0; j < px.f.n_params; j++)
		moved += px.f.grad[j] != 0;
	tap_ok(moved > 0, "pld: the resampled batch's gradient is in f (%d entries)", moved);
	pld_close(&px);
}

/* PLD's refusals: adt's mixed batches and CDAE's user chunks have no pairs. */
static void
test_pld_refusals(const dataset *d)
{
	const char *ka[] = {"method=pld", "protocol=adt", NULL};
	struct pld_fixture px;
	tap_ok(pld_open(&px, d, ka) != 0, "pld under adt is refused");
	pld_close(&px);
}

/* 1 when the runs of ka and kb end with bit-identical parameters. */
static int
same_params(const dataset *d, const char *const *ka, const char *const *kb)
{
	config ca, cb;
	model fa, fb;
	method ma = {NULL, NULL}, mb = {NULL, NULL};
	rig_config(&ca, ka);
	rig_config(&cb, kb);
	int ok = !rig_train(d, &ca, &fa, &ma) && !rig_train(d, &cb, &fb, &mb) &&
		fa.n_params == fb.n_params &&
		!memcmp(fa.param, fb.param, fa.n_params * sizeof(float));
	method_destroy(&ma);
	method_destroy(&mb);
	model_destroy(&fa);
	model_destroy(&fb);
	config_free(&ca);
	config_free(&cb);
	return ok;
}

/* Identity (temperatures -> infinity, factors 1: every weight 1) and
 * determinism, end to end on the synthetic data; model m. */
static void
test_udt_training(const dataset *d, const char *m)
{
	char mm[64];
	snprintf(mm, sizeof mm, "model=%s", m);
	/* cdae weighs from the batch: times the user's positives, not cells / 2 */
	const char *ki[] = {"method=udt", mm, "udt_temp1=1e30", "udt_temp2=1e30", "udt_userfact1=1",
		"udt_userfact2=1", "epochs=4", "seed=3", "eval_freq=2", "udt_batch_norm=positives",
		NULL};
	const char *kn[] = {"method=normal", mm, "epochs=4", "seed=3", "eval_freq=2", NULL};
	tap_ok(same_params(d, ki, kn),
		"udt %s, temperature 1e30 and user factors 1: bit-identical to Normal", m);
	const char *ku[] = {"method=udt", mm, "epochs=4", "seed=3", "eval_freq=2", NULL};
	tap_ok(same_params(d, ku, ku), "udt %s: the same seed gives the same parameters", m);
	tap_ok(!same_params(d, ku, kn), "udt %s: the default weights move the parameters", m);
}

/* EARD without the ECDF factor and with both entity factors 1 is Normal;
 * the same seed twice gives the same bits. */
static void
test_eard_training(const dataset *d, const char *m)
{
	char mm[64];
	snprintf(mm, sizeof mm, "model=%s", m);
	const char *ki[] = {"method=eard", mm, "eard_ecdf=false", "eard_lower=1", "eard_upper=1",
		"epochs=4", "seed=3", "eval_freq=2", NULL};
	const char *kn[] = {"method=normal", mm, "epochs=4", "seed=3", "eval_freq=2", NULL};
	tap_ok(same_params(d, ki, kn), "eard %s, no ECDF and factors 1: bit-identical to Normal",
		m);
	const char *ke[] = {"method=eard", mm, "epochs=4", "seed=3", "eval_freq=2", NULL};
	tap_ok(same_params(d, ke, ke), "eard %s: the same seed gives the same parameters", m);
	tap_ok(!same_params(d, ke, kn), "eard %s: the default weights move the parameters", m);
}

/* PLD with its BCE loss before it resamples is Normal; determinism. */
static void
test_pld_training(const dataset *d)
{
	const char *ki[] = {"method=pld", "pld_loss=bce", "pld_begin=4", "epochs=4", "seed=3",
		"eval_freq=2", NULL};
	const char *kn[] = {"method=normal", "epochs=4", "seed=3", "eval_freq=2", NULL};
	tap_ok(same_params(d, ki, kn),
		"pld, bce loss, pld_begin >= epochs: bit-identical to "
		"Normal");
	const char *kb[] = {"method=pld", "pld_loss=bce", "pld_begin=1", "epochs=4", "seed=3",
		"eval_freq=2", NULL};
	tap_ok(!same_params(d, kb, kn),
		"pld, bce loss, resampling from epoch 1: moves the "
		"parameters");
	const char *ke[] = {"method=pld", "pld_begin=1", "epochs=4", "seed=3", "eval_freq=2", NULL};
	tap_ok(same_params(d, ke, ke), "pld: the same seed gives the same parameters");
	const char *kc[] = {"method=pld", "model=cdae", "epochs=1", NULL};
	config cc;
	model fc;
	method mc = {NULL, NULL};
	rig_config(&cc, kc);
	tap_ok(rig_train(d, &cc, &fc, &mc) != 0, "pld on cdae (user chunks) is refused");
	method_destroy(&mc);
	model_destroy(&fc);
	config_free(&cc);
}

/* DCF without drops and relabels is Normal; determinism. */
static void
test_dcf_training(const dataset *d, const char *m, const char *state)
{
	char mm[64], st[64];
	snprintf(mm, sizeof mm, "model=%s", m);
	snprintf(st, sizeof st, "dcf_state=%s", state);
	const char *ki[] = {"method=dcf", mm, st, "drop_rate=0", "dcf_relabel_ratio=0", "epochs=4",
		"seed=3", "eval_freq=2", NULL};
	const char *kn[] = {"method=normal", mm, "epochs=4", "seed=3", "eval_freq=2", NULL};
	tap_ok(same_params(d, ki, kn),
		"dcf %s %s, drop_rate 0, no relabel: bit-identical to "
		"Normal",
		m, state);
	const char *ke[] = {"method=dcf", mm, st, "epochs=4", "seed=3", "eval_freq=2", NULL};
	tap_ok(same_params(d, ke, ke), "dcf %s %s: the same seed gives the same parameters", m,
		state);
	tap_ok(!same_params(d, ke, kn), "dcf %s %s: the default drops move the parameters", m,
		state);
}

int
main(void)
{
	dataset tiny;
	tiny_build(&tiny);
	tiny_logits();
	test_udt_epoch(&tiny, "last");
	test_udt_epoch(&tiny, "sum");
	test_udt_neg_one(&tiny);
	test_udt_batch(&tiny);
	test_udt_fd(&tiny);
	test_udt_warmup(&tiny);
	test_eard_weights(&tiny, "last");
	test_eard_weights(&tiny, "sum");
	test_eard_fd(&tiny);
	dcf_logits();
	test_dcf(&tiny, "position", "3", 2);
	test_dcf(&tiny, "pair", "3", 0);
	test_dcf(&tiny, "position", "1", 0);
	test_dcf_flip(&tiny);
	test_dcf_fd(&tiny);
	test_dcf_witnesses(&tiny);
	test_pld_bpr(&tiny);
	test_pld_resample(&tiny, "1e-6");
	test_pld_resample(&tiny, "0.002");
	test_pld_refusals(&tiny);
	tiny_free(&tiny);
	char dir[] = "/tmp/db-test-newmethods-XXXXXX";
	db_err err = {{0}};
	dataset d;
	if (rig_synthetic(&d, dir, &err)) {
		tap_ok(0, "synthetic data (%s)", err.msg);
		return tap_done();
	}
	test_udt_training(&d, "gmf");
	test_udt_training(&d, "cdae");
	test_eard_training(&d, "gmf");
	test_eard_training(&d, "cdae");
	test_dcf_training(&d, "gmf", "position");
	test_dcf_training(&d, "gmf", "pair");
	test_dcf_training(&d, "cdae", "position");
	test_pld_training(&d);
	rig_synthetic_free(&d, dir);
	return tap_done();
}
