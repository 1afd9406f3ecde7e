/* BCE in both output modes against hand-computed values, PyTorch's
 * saturation behaviour, the protocol reductions, and a finite-difference
 * check of the reduced loss. */
#include <math.h>
#include <string.h>

#include "methods/method.h"
#include "models/loss.h"
#include "tap.h"

static void
test_bce_values(void)
{
	float z[4] = {0.0f, 0.0f, 40.0f, -120.0f}, t[4] = {1, 0, 0, 1}, l[4], dz[4];
	loss_bce(z, t, 4, 1, l, dz);
	tap_near(l[0], log(2.0), 1e-6, "prob: z=0, t=1 gives ln 2");
	tap_near(dz[0], -0.5, 1e-7, "prob: dl/dz = p - t = -0.5");
	tap_near(dz[1], 0.5, 1e-7, "prob: dl/dz = p - t = +0.5");
	/* sigmoid(40) == 1.0f: log(1-p) = -inf is clamped at -100 and PyTorch's
	 * backward (p-t)*p(1-p)/max(p(1-p),1e-12) is exactly 0 */
	tap_ok(l[2] == 100.0f && dz[2] == 0.0f,
		"prob: saturated wrong positive: loss 100, grad 0 "
		"(got %g, %g)",
		l[2], dz[2]);
	tap_ok(l[3] == 100.0f && dz[3] == 0.0f, "prob: saturated wrong negative: loss 100, grad 0");
	loss_bce(z, t, 4, 0, l, dz);
	tap_near(l[0], log(2.0), 1e-6, "logit: z=0, t=1 gives ln 2");
	tap_near(l[2], 40.0, 1e-5, "logit: no clamp, loss = z for a confident wrong negative");
	tap_near(dz[2], 1.0, 1e-7, "logit: gradient does not vanish");
	tap_near(l[3], 120.0, 1e-4, "logit: loss = -z for a confident wrong positive");
}

/* The loop's clean/noisy split: positives rated 5, 4 (clean), 2 (noisy),
 * one without a rating, and a negative (its NAN rating, its label 0):
 *   z = {2, 0, -1, 3, 1}: clean = ln(1+e^-2) + ln 2, noisy = ln(1+e) each
 * once, in both output modes, and bit for bit loss_bce's t = 1 value. */
static void
test_bce_by_rating(void)
{
	int u[5] = {0}, i[5] = {0};
	float z[5] = {2, 0, -1, 3, 1}, lab[5] = {1, 1, 1, 1, 0};
	float r[5] = {5, 4, 2, NAN, NAN}, l[5], dz[5];
	batch b = {.n = 5, .n_pos = 4, .cap = 5, .user = u, .item = i, .label = lab, .rating = r};
	for (int prob = 0; prob < 2; prob++) {
		double sum[2] = {0, 0};
		long n[2] = {0, 0};
		loss_bce_by_rating(&b, z, prob, 4.0f, sum, n);
		tap_ok(n[1] == 2 && n[0] == 1,
			"%s: 2 clean, 1 noisy, unrated and negative left out",
			prob ? "prob" : "logit");
		tap_near(sum[1], log1p(exp(-2.0)) + log(2.0), 1e-6, "clean BCE sum, hand value");
		tap_near(sum[0], log1p(exp(1.0)), 1e-6, "noisy BCE sum, hand value");
		loss_bce(z, lab, 5, prob, l, dz);
		tap_ok(sum[0] == l[2] && sum[1] == (double)l[0] + (double)l[1],
			"%s: the same float values as loss_bce", prob ? "prob" : "logit");
	}
}

static void
test_reductions(void)
{
	/* 2 positives (losses 1, 3) and 3 negatives (losses 2, 4, 6) */
	int u[5] = {0}, i[5] = {0};
	float lab[5] = {1, 1, 0, 0, 0}, l[5] = {1, 3, 2, 4, 6}, dz[5];
	batch b = {.n = 5, .n_pos = 2, .cap = 5, .user = u, .item = i, .label = lab};
	for (int k = 0; k < 5; k++)
		dz[k] = 1;
	tap_near(loss_reduce(&b, l, dz, REDUCE_SPLIT_MEANS, 1), 2.0 + 4.0, 1e-12,
		"deca: mean over positives + mean over negatives");
	tap_ok(dz[0] == 0.5f && dz[2] == 1.0f / 3.0f, "deca: gradients scaled by 1/|P| and 1/|N|");
	for (int k = 0; k < 5; k++)
		dz[k] = 1;
	tap_near(loss_reduce(&b, l, dz, REDUCE_SPLIT_MEANS, 2), 2.0 + 8.0, 1e-12,
		"deca: the negatives' mean weighted by neg_weight (DeCA's NSR)");
	for (int k = 0; k < 5; k++)
		dz[k] = 1;
	tap_near(loss_reduce(&b, l, dz, REDUCE_MEAN, 1), 16.0 / 5, 1e-12, "adt: one pooled mean");
	tap_ok(dz[4] == 0.2f, "adt: gradients scaled by 1/n");
	for (int k = 0; k < 5; k++)
		dz[k] = 1;
	tap_near(loss_reduce(&b, l, dz, REDUCE_SUM, 1), 16.0, 1e-12, "sum");
	tap_ok(dz[4] == 1.0f, "sum: gradients unscaled");
}

/* d(reduced loss)/dz_k by central differences, for both output modes. */
static void
test_fd(void)
{
	enum { N = 6 };
	int u[N] = {0}, it[N] = {0};
	float lab[N] = {1, 1, 1, 0, 0, 0}, z[N] = {0.3f, -1.2f, 2.0f, 0.7f, -0.4f, 1.9f};
	float l[N], dz[N], l2[N], dz2[N];
	batch b = {.n = N, .n_pos = 3, .cap = N, .user = u, .item = it, .label = lab};
	for (int prob = 0; prob <= 1; prob++)
		for (int r = REDUCE_SPLIT_MEANS; r <= REDUCE_SUM; r++) {
			loss_bce(z, lab, N, prob, l, dz);
			loss_reduce(&b, l, dz, (enum loss_reduction)r, 1);
			double worst = 0;
			for (int k = 0; k < N; k++) {
				float zp[N], zm[N];
				memcpy(zp, z, sizeof z);
				memcpy(zm, z, sizeof z);
				zp[k] += 1e-2f;
				zm[k] -= 1e-2f;
				loss_bce(zp, lab, N, prob, l2, dz2);
				double fp = loss_reduce(&b, l2, dz2, (enum loss_reduction)r, 1);
				loss_bce(zm, lab, N, prob, l2, dz2);
				double fm = loss_reduce(&b, l2, dz2, (enum loss_reduction)r, 1);
				worst = fmax(worst, fabs((fp - fm) / 2e-2 - dz[k]));
			}
			tap_ok(worst < 1e-4,
				"finite differences, %s output, reduction %d (max err %.1e)",
				prob ? "prob" : "logit", r, worst);
		}
}

static void
test_normal(void)
{
	const struct method_ops *n = method_find("normal");
	float lab[3] = {1, 0, 0}, z[3] = {0, 0, 0}, dz[3], scratch[3];
	int u[3] = {0}, i[3] = {0};
	batch b = {.n = 2, .n_pos = 1, .cap = 3, .user = u, .item = i, .label = lab};
	struct train_ctx ctx = {.output_prob = 1,
		.reduction = REDUCE_SPLIT_MEANS,
		.neg_ratio = 1,
		.sample_loss = scratch};
	method me = {n, NULL};
	tap_near(n->loss(&me, &ctx, &b, z, dz), 2 * log(2.0), 1e-6,
		"normal (deca): ln2 + ln2 for one positive and one negative at z = 0");
	/* DeCA train.py:181-190: plain means whatever NSR (§4.1.2) */
	b.n = 3;
	ctx.neg_ratio = 2;
	tap_near(n->loss(&me, &ctx, &b, z, dz), 2 * log(2.0), 1e-6,
		"normal (deca, NSR 2): still ln2 + ln2, the negatives' mean not multiplied by NSR");
}

int
main(void)
{
	test_bce_values();
	test_bce_by_rating();
	test_reductions();
	test_fd();
	test_normal();
	return tap_done();
}
