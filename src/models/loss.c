#include "models/loss.h"

#include <math.h>

static float
sigmoidf(float z)
{
	return 1.0f / (1.0f + expf(-z));
}

/* fmaxf(x, floor) for a number floor, inline: x when above it, else floor
 * (also for a NaN x, as fmaxf); libm's fmaxf is a call per sample. */
static inline float
clamp_below(float x, float floor)
{
	return x > floor ? x : floor;
}

void
loss_bce(const float *z, const float *label, int n, int output_prob, float *l, float *dz)
{
	for (int k = 0; k < n; k++) {
		float t = label[k];
		if (output_prob) {
			float p = sigmoidf(z[k]);
			float lp = clamp_below(logf(p), -100.0f),
			      lq = clamp_below(logf(1.0f - p), -100.0f);
			float pq = p * (1.0f - p);
			l[k] = -(t * lp + (1.0f - t) * lq);
			dz[k] = (p - t) * pq / clamp_below(pq, 1e-12f);
		} else {
			float zk = z[k];
			l[k] = fmaxf(zk, 0.0f) - zk * t + log1pf(expf(-fabsf(zk)));
			dz[k] = sigmoidf(zk) - t;
		}
	}
}

void
loss_bce_by_rating(const batch *b, const float *z, int output_prob, float noisy_below,
	double sum[2], long n[2])
{
	for (int k = 0; k < b->n; k++) {
		float r = b->rating[k], zk = z[k];
		if (b->label[k] < 0.5f || isnan(r))
			continue;
		int clean = r >= noisy_below;
		sum[clean] += output_prob ? -clamp_below(logf(sigmoidf(zk)), -100.0f)
					  : fmaxf(zk, 0.0f) - zk + log1pf(expf(-fabsf(zk)));
		n[clean]++;
	}
}

double
loss_reduce(const batch *b, const float *l, float *dz, enum loss_reduction r, int neg_weight)
{
	return loss_reduce_kept(b, l, dz, r, neg_weight, 0);
}

double
loss_reduce_kept(const batch *b, const float *l, float *dz, enum loss_reduction r, int neg_weight,
	int dropped)
{
	double total = 0;
	int kept = b->n - dropped;
	if (r == REDUCE_SPLIT_MEANS) {
		int npos = 0, nneg = 0;
		double spos = 0, sneg = 0;
		for (int k = 0; k < b->n; k++) {
			if (b->label[k] > 0.5f) {
				npos++;
				spos += l[k];
			} else {
				nneg++;
				sneg += l[k];
			}
		}
		npos -= dropped;
		float wpos = npos > 0 ? 1.0f / (float)npos : 0.0f;
		float wneg = nneg ? (float)neg_weight / (float)nneg : 0.0f;
		for (int k = 0; k < b->n; k++)
			dz[k] *= b->label[k] > 0.5f ? wpos : wneg;
		return (npos > 0 ? spos / npos : 0) + (nneg ? neg_weight * sneg / nneg : 0);
	}
	for (int k = 0; k < b->n; k++)
		total += l[k];
	if (r == REDUCE_SUM || kept <= 0)
		return total;
	float w = 1.0f / (float)kept;
	for (int k = 0; k < b->n; k++)
		dz[k] *= w;
	return total / kept;
}

double
loss_bpr_pairs(const batch *b, int neg_ratio, const float *z, float *dz)
{
	int P = b->n_pos;
	double total = 0, w = 1.0 / ((double)P * neg_ratio);
	for (int k = 0; k < b->n; k++)
		dz[k] = 0;
	for (int r = 0; r < neg_ratio; r++) {
		for (int k = 0; k < P; k++) {
			int n = P * (1 + r) + k;
			double x = (double)z[n] - z[k]; /* -(z_pos - z_neg) */
			total += fmax(x, 0) + log1p(exp(-fabs(x)));
			double g = w / (1 + exp(-x)); /* sigmoid(x) / (P R) */
			dz[k] -= (float)g;
			dz[n] += (float)g;
		}
	}
	return total * w;
}
