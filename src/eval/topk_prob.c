/* The top-K of a row ranked by probability without a sigmoid per item.
 *
 * The evaluation ranks p = eval_sigmoid(z) + (masked ? -9999 : 0) in
 * float32, ties to the lowest item id (eval/evaluate.c).  Computing p for
 * every item was most of a GMF or CDAE evaluation.  Here it is computed for
 * a few items only, with the same result, because eval_sigmoid is monotone
 * (z <= z' gives p <= p') over every float32: tests/test_metrics.c checks
 * that exhaustively against this libm.  So, while at least k items are
 * unmasked numbers (masked items end near -9999 and NaNs last, below them):
 *
 *   1. for a logit t with at least k unmasked logits >= t (a floor from
 *      topk_floor, else the k-th best logit), the k best have p >= s, the
 *      p of t: no item with p < s is in the top-K;
 *   2. the items with p >= s are exactly those with z >= z_lo, the least
 *      float32 with p >= s (a bisection over the ordered floats);
 *   3. the top-K of those candidates by (p, item id) is the answer.
 *
 * Candidates are few (the floor's blocks) unless the sigmoid saturates
 * (p = 1.0f ties above z ~ 16.6), and then they are the tied items the
 * ranking needs.
 */
#include "eval/eval.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

/* The float32 order as integers: a < b (numbers) <=> key(a) < key(b);
 * -0 and +0 share key 0, which reads back as +0. */
static int64_t
float_key(float f)
{
	uint32_t u;
	memcpy(&u, &f, sizeof u);
	return u >> 31 ? -(int64_t)(u & 0x7fffffffu) : (int64_t)u;
}

static float
key_float(int64_t k)
{
	uint32_t u = k < 0 ? (uint32_t)-k | 0x80000000u : (uint32_t)k;
	float f;
	memcpy(&f, &u, sizeof f);
	return f;
}

/* The least float32 z with eval_sigmoid(z) >= s, given eval_sigmoid(hi) >= s. */
static float
least_logit(float s, float hi)
{
	int64_t lo = float_key(-INFINITY), up = float_key(hi);
	while (lo < up) {
		int64_t mid = lo + (up - lo) / 2;
		if (eval_sigmoid(key_float(mid)) >= s)
			up = mid;
		else
			lo = mid + 1;
	}
	return key_float(lo);
}

int
topk_select_prob(float *z, int n, const int *mask, int n_mask, int k, int *out, float *cand_p,
	int *cand_i)
{
	if (k > n)
		k = n;
	if (k <= 0)
		return 1;
	if (n_mask > n)
		return 0;
	/* masked items out of the way (as NaN, last); kept in cand_p for the
	 * caller's full path, restored in reverse so that a repeated id ends
	 * with its own logit */
	for (int p = 0; p < n_mask; p++) {
		cand_p[p] = z[mask[p]];
		z[mask[p]] = NAN;
	}
	/* t: a number with at least k unmasked logits >= it (a floor of the
	 * row, else the k-th best logit itself) */
	float t = topk_floor(z, n, k, out);
	if (t == -INFINITY)
		t = z[topk_kth(z, n, k, out)];
	if (isnan(t)) {
		for (int p = n_mask - 1; p >= 0; p--)
			z[mask[p]] = cand_p[p];
		return 0;
	}
	float z_lo = least_logit(eval_sigmoid(t), t);
	int nc = 0;
	for (int i = 0; i < n; i++) {
		if (i % 8 == 0 && i + 8 <= n && !topk_any8(z + i, z_lo, 1)) {
			i += 7; /* one test per 8 below z_lo */
			continue;
		}
		if (z[i] >= z_lo) {
			cand_p[nc] = eval_sigmoid(z[i]);
			cand_i[nc++] = i;
		}
	}
	/* candidates are in item order, so a tie still goes to the lower id */
	topk_select(cand_p, nc, k, out);
	for (int j = 0; j < k; j++)
		out[j] = cand_i[out[j]];
	return 1;
}
