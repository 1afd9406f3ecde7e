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
 * each remaining index costs one comparison with the root's score, and
 * O(log k) only when it enters.  A final in-place heapsort leaves out[] best first.
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

/* Blocks of a long row whose maxima bound the k-th best from below. */
#define TOPK_MAX_BLOCKS 1024
#define TOPK_MIN_BLOCK  8

static void topk_heap(const float *score, int n, int k, int *out);

/* The floor: the k-th largest of the blocks' maxima (NaN skipped). */
float
topk_floor(const float *score, int n, int k, int *scratch)
{
	/* the longest blocks that leave 4k maxima (at most TOPK_MAX_BLOCKS):
	 * fewer maxima to rank, still few scores above their floor */
	int b = TOPK_MIN_BLOCK;
	while ((n + b - 1) / b > TOPK_MAX_BLOCKS || (n + 2 * b - 1) / (2 * b) >= 4 * k)
		b *= 2;
	int nb = (n + b - 1) / b;
	if (nb < 2 * k)
		return -INFINITY;
	float maxima[TOPK_MAX_BLOCKS];
	for (int j = 0; j < nb; j++) {
		float m[8] = {-INFINITY, -INFINITY, -INFINITY, -INFINITY, -INFINITY, -INFINITY,
			-INFINITY, -INFINITY};
		int lo = j * b, end = lo + b < n ? lo + b : n, i = lo;
		for (; i + 8 <= end; i += 8) /* in lanes, so that it vectorises */
			for (int l = 0; l < 8; l++)
				m[l] = score[i + l] > m[l] ? score[i + l] : m[l];
		for (; i < end; i++)
			m[0] = score[i] > m[0] ? score[i] : m[0];
		for (int l = 1; l < 8; l++)
			m[0] = m[l] > m[0] ? m[l] : m[0];
		maxima[j] = m[0];
	}
	topk_heap(maxima, nb, k, scratch);
	return maxima[scratch[0]];
}

/* out[0..k) = the k best indices as a heap whose root out[0] is the worst
 * of them.  1 <= k <= n. */
static void
topk_heap(const float *score, int n, int k, int *out)
{
	/* the heap starts from the first k indices, or from the first k at or
	 * above a floor: only scores above its root can enter later */
	float floor = topk_floor(score, n, k, out);
	int i = 0;
	for (int len = 0; len < k; i++)
		if (floor == -INFINITY || score[i] >= floor)
			out[len++] = i;
	for (int j = k / 2 - 1; j >= 0; j--)
		topk_sift_down(score, out, k, j);
	/* Every index still to come is above every kept one, so it loses a
	 * tie with the root: once the root is a number, an index enters
	 * exactly when its score is above the root's (a NaN never does). */
	for (; i < n && isnan(score[out[0]]); i++)
		if (topk_before(score, i, out[0])) {
			out[0] = i;
			topk_sift_down(score, out, k, 0);
		}
	float root = i < n ? score[out[0]] : 0.0f;
	for (; i < n; i++) {
		if (i % 8 == 0 && i + 8 <= n && !topk_any8(score + i, root, 0)) {
			i += 7;
			continue;
		}
		if (score[i] > root) {
			out[0] = i;
			topk_sift_down(score, out, k, 0);
			root = score[out[0]];
		}
	}
}

int
topk_kth(const float *score, int n, int k, int *scratch)
{
	if (k > n)
		k = n;
	topk_heap(score, n, k, scratch);
	return scratch[0];
}

void
topk_select(const float *score, int n, int k, int *out)
{
	if (k > n)
		k = n;
	if (k <= 0)
		return;
	topk_heap(score, n, k, out);
	/* Moving the worst to the back repeatedly leaves out[] best first. */
	for (int len = k - 1; len > 0; len--) {
		int tmp = out[0];
		out[0] = out[len];
		out[len] = tmp;
		topk_sift_down(score, out, len, 0);
	}
}
