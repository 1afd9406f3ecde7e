/* Per-sample losses and the batch reductions of the two protocols. */
#ifndef DB_MODELS_LOSS_H
#define DB_MODELS_LOSS_H

#include "models/model.h"

/* How a batch's per-sample losses become one number (protocol.md §4.1):
 * deca: mean over positives + neg_weight * mean over negatives, where
 *   neg_weight is 1 for Normal and every method built on its BCE (§4.1.2:
 *   plain means whatever NSR) and NSR only in DeCA's own loss (§4.6.4);
 * adt:  one mean over the whole mixed batch;
 * sum:  plain sum (CDAE). */
enum loss_reduction { REDUCE_SPLIT_MEANS, REDUCE_MEAN, REDUCE_SUM };

/* BCE per sample and its derivative w.r.t. the logit z.
 * output_prob (DeCA): p = sigmoid(z) in float32, l = -max(ln p, -100) for
 *   t = 1 (-max(ln(1-p), -100) for t = 0), and PyTorch's backward
 *   dl/dz = (p - t) * p(1-p) / max(p(1-p), 1e-12), which vanishes once p
 *   saturates to 0 or 1 in float32.
 * logit (ADT): l = max(z,0) - z t + ln(1 + e^-|z|), dl/dz = sigmoid(z) - t. */
void loss_bce(const float *z, const float *label, int n, int output_prob, float *l, float *dz);

/* Adds the plain BCE (t = 1, as loss_bce computes it) of every positive of
 * b at logits z to sum[1]/n[1] when its rating is >= noisy_below (clean) and
 * to sum[0]/n[0] when below (noisy); positives without a rating (NAN) count
 * in neither.  Before any method reweights or truncates: what the loop logs
 * as the loss of clean and noisy interactions (ADT Figs. 3, 7). */
void loss_bce_by_rating(const batch *b, const float *z, int output_prob, float noisy_below,
	double sum[2], long n[2]);

/* Reduces l[0..b->n) to the batch loss and scales dz in place to the
 * derivative of that reduced loss. */
double loss_reduce(const batch *b, const float *l, float *dz, enum loss_reduction r,
	int neg_weight);
/* The same over the samples kept after `dropped` positives were truncated
 * (their l and dz already 0; T-CE): they count in no mean. */
double loss_reduce_kept(const batch *b, const float *l, float *dz, enum loss_reduction r,
	int neg_weight, int dropped);

/* BPR over the (positive k, its r-th negative) pairs of a deca batch
 * [P positives | 1st negatives | ...], negative n_r(k) = P (1 + r) + k:
 *   L = 1/(P R) sum_{k, r} softplus(z_n - z_k)   (softplus stable),
 *   dL/dz_k = -1/(P R) sum_r sigmoid(z_n - z_k) = -(sum of its negatives'),
 * on the logits (WBPR, PLD). */
double loss_bpr_pairs(const batch *b, int neg_ratio, const float *z, float *dz);

#endif
