/* The per-user metric formulas of the reference code
 * (reference/protocol.md §6.3; ADT T_CE/evaluate.py:40-87 = DeCA
 * evaluate.py:90-137).  G is the ground-truth list with duplicates, R the
 * ranked list.  All cut-offs are computed in one pass over R; every sum is
 * accumulated in rank order, as the reference accumulates it, so each
 * value at K is the same floating-point sum the reference forms.
 */
#include "eval/eval.h"

#include <math.h>

#include <gsl/gsl_sort_int.h>

const char *const metric_names[METRIC_COUNT] = {"recall", "ndcg", "precision", "mrr"};

/* hit_j = [R[j] in G]: membership, so duplicates in G do not add hits.
 * A linear scan, O(|G|) per rank and O(kmax |G|) per user: G has tens of
 * items and kmax <= 100 in every protocol, so this is a fraction of the
 * cost of scoring (measured: top-K and metrics for 707 users x 1611 items,
 * ml-100k's shape, take about 5 ms), and it needs neither allocation nor
 * a sorted copy. */
static int
metric_is_hit(int item, const int *g, int n_truth)
{
	for (int i = 0; i < n_truth; i++)
		if (g[i] == item)
			return 1;
	return 0;
}

/* Writes the four metrics at cut-off K from the prefix sums over the first
 * K ranks:
 *   Recall@K    = hits / |G|            (full |G|, duplicates counted)
 *   Precision@K = hits / K
 *   NDCG@K      = DCG / IDCG, DCG = sum_j hit_j / log2(j+2),
 *                 IDCG = sum_{j < min(K,|G|)} 1 / log2(j+2)
 *   MRR@K       = 1 / (j* + 1) for the first hit j* < K, else 0 */
static void
metric_store(double *out, int nk, int x, int K, int n_truth, int hits, double dcg, double idcg,
	double rr)
{
	out[METRIC_RECALL * nk + x] = (double)hits / n_truth;
	out[METRIC_PRECISION * nk + x] = (double)hits / K;
	out[METRIC_NDCG * nk + x] = dcg / idcg; /* idcg >= 1: K >= 1, |G| >= 1 */
	out[METRIC_MRR * nk + x] = rr;
}

void
metric_order(const int *ks, int nk, size_t *order)
{
	gsl_sort_int_index(order, ks, 1, (size_t)nk);
}

/* Ranks at or beyond kmax (a cut-off larger than the ranked list, which
 * happens only when K exceeds the number of items) count as misses:
 * Precision still divides by K and IDCG still runs to min(K, |G|).  Past
 * max(kmax, |G|) no sum changes, so the walk stops there and the larger Ks
 * take the final sums: K = 2^31 - 1 costs no more than K = kmax.
 * n_truth == 0 gives all zeros (the reference skips such users in its sums
 * but keeps them in the divisor).  Every ks[j] must be >= 1. */
void
metric_user(const int *ranked, int kmax, const int *g, int n_truth, const int *ks,
	const size_t *order, int nk, double *out)
{
	for (int x = 0; x < nk; x++)
		for (int m = 0; m < METRIC_COUNT; m++)
			out[m * nk + x] = 0;
	if (n_truth <= 0 || nk < 1)
		return;
	int kend = ks[order[nk - 1]], jend = kmax > n_truth ? kmax : n_truth;
	if (jend > kend)
		jend = kend;
	int hits = 0, next = 0; /* order[next]: the smallest K not stored yet */
	double dcg = 0, idcg = 0, rr = 0;
	for (int j = 0; j < jend; j++) {
		if (j < kmax && metric_is_hit(ranked[j], g, n_truth)) {
			dcg += 1.0 / log2(j + 2.0);
			if (hits == 0)
				rr = 1.0 / (j + 1.0);
			hits++;
		}
		if (j < n_truth)
			idcg += 1.0 / log2(j + 2.0);
		for (; next < nk && ks[order[next]] == j + 1; next++)
			metric_store(out, nk, (int)order[next], j + 1, n_truth, hits, dcg, idcg,
				rr);
	}
	for (; next < nk; next++)
		metric_store(out, nk, (int)order[next], ks[order[next]], n_truth, hits, dcg, idcg,
			rr);
}
