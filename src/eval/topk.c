/* Top-K selection with a deterministic tie order (reference/protocol.md §6.2,
 * §11): the published modcloth GMF numbers depend on exact float32 ties
 * being resolved by the lowest item id, so the order is a strict total
 * order on (score, index):
 *
 *   a precedes b  <=>  score[a] > score[b], or the two are tied and a < b;
 *
 * where NaN is treated as lower than every number (including -inf) and all
 * NaNs tie with each other.  A NaN can therefore only be selected when fewer
 * than k numbers exist, and then in index order.
 *
 * out[0..k) is used as a bounded heap whose root is the worst kept index;
 * each remaining index costs one comparison with the root, and O(log k)
 * only when it enters.  A final in-place heapsort leaves out[] best first.
 * No allocation, O(n log k) worst case.  k > n is treated as k = n (only
 * out[0..n) is written); k <= 0 writes nothing.
 */
#include "eval/eval.h"

#include <math.h>

/* 1 if index a precedes index b in the order above. */
static int
topk_before(const float *s, int a, int b)
{
	float x = s[a], y = s[b];
	if (isnan(x) || isnan(y)) {
		if (isnan(x) && isnan(y))
			return a < b;
		return isnan(y);
	}
	if (x != y)
		return x > y;
	return a < b;
}

/* Restores the heap property below position i of h[0..len): every parent
 * is worse than (follows) its children, so the root is the worst kept. */
static void
topk_sift_down(const float *s, int *h, int len, int i)
{
	for (;;) {
		int c = 2 * i + 1;
		if (c >= len)
			return;
		if (c + 1 < len && topk_before(s, h[c], h[c + 1]))
			c++; /* the worse child */
		if (!topk_before(s, h[i], h[c]))
			return;
		int tmp = h[i];
		h[i] = h[c];
		h[c] = tmp;
		i = c;
	}
}

void
topk_select(const float *score, int n, int k, int *out)
{
	if (k > n)
		k = n;
	if (k <= 0)
		return;
	for (int i = 0; i < k; i++)
		out[i] = i;
	for (int i = k / 2 - 1; i >= 0; i--)
		topk_sift_down(score, out, k, i);
	for (int i = k; i < n; i++) {
		if (topk_before(score, i, out[0])) {
			out[0] = i;
			topk_sift_down(score, out, k, 0);
		}
	}
	/* Moving the worst to the back repeatedly leaves out[] best first. */
	for (int len = k - 1; len > 0; len--) {
		int tmp = out[0];
		out[0] = out[len];
		out[len] = tmp;
		topk_sift_down(score, out, len, 0);
	}
}
