/* Wilcoxon signed-rank test for paired samples, two-sided, with the rules of
 * R's wilcox.test(a, b, paired = TRUE) (exact = NULL, correct = TRUE).
 *
 * The differences are sorted once (gsl_sort, O(n log n)); that gives their
 * median, and merging the negative run (read backwards) with the positive run
 * orders the non-zero differences by magnitude in O(n), so ranking needs no
 * second sort.  Effect size: the matched-pairs rank-biserial correlation
 * r = (T+ − T−)/(T+ + T−) = 4V/(m(m+1)) − 1 (Kerby 2014), in [−1, 1], positive
 * when a tends to exceed b.
 */
#include "stats/stats.h"

#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort_double.h>
#include <gsl/gsl_statistics_double.h>

/* R uses the exact distribution below 50 non-zero differences */
#define WILCOXON_EXACT_MAX 49

/* Two-sided exact p-value of V for m untied ranks 1..m.  c[s] counts the
 * subsets of {1..m} whose sum is s (each sign pattern is equally likely under
 * H0), built one rank k at a time: c_k[s] = c_{k−1}[s] + c_{k−1}[s − k].
 * Counts stay below 2^49, so doubles hold them exactly.  Like R, the tail on
 * V's side of the centre m(m+1)/4 is doubled and capped at 1. */
static double
signrank_p_exact(double v, size_t m)
{
	double c[WILCOXON_EXACT_MAX * (WILCOXON_EXACT_MAX + 1) / 2 + 1] = {1};
	size_t total = m * (m + 1) / 2, x = (size_t)v;
	for (size_t k = 1; k <= m; k++)
		for (size_t s = k * (k + 1) / 2; s >= k; s--)
			c[s] += c[s - k];
	double tail = 0;
	if (v > total / 2.0) {
		for (size_t s = x; s <= total; s++)
			tail += c[s];
	} else {
		for (size_t s = 0; s <= x; s++)
			tail += c[s];
	}
	return fmin(1, 2 * tail / ldexp(1, (int)m));
}

/* Two-sided normal approximation: z = (V − m(m+1)/4 − sign·0.5)/σ with
 * σ² = m(m+1)(2m+1)/24 − Σ(t³ − t)/48 over tie groups of size t. */
static double
signrank_p_normal(double v, size_t m, double ties)
{
	double mm = (double)m;
	double z = v - mm * (mm + 1) / 4;
	double sigma = sqrt(mm * (mm + 1) * (2 * mm + 1) / 24 - ties / 48);
	z = (z - (z > 0 ? 0.5 : z < 0 ? -0.5 : 0)) / sigma;
	return 2 * gsl_cdf_ugaussian_Q(fabs(z));
}

/* From d sorted ascending, writes the non-zero values to s[0..m) ordered by
 * |d| ascending and returns m. */
static size_t
order_by_magnitude(const double *d, size_t n, double *s)
{
	size_t neg = 0, pos;
	while (neg < n && d[neg] < 0)
		neg++;
	for (pos = neg; pos < n && d[pos] == 0; pos++)
		;
	size_t i = neg, j = pos, m = 0;
	while (i > 0 || j < n) {
		if (j == n || (i > 0 && -d[i - 1] <= d[j]))
			s[m++] = d[--i];
		else
			s[m++] = d[j++];
	}
	return m;
}

/* V = Σ rank(|s_k|) over s_k > 0, with tied magnitudes sharing the average of
 * their ranks; *ties = Σ(t³ − t) over the tie groups (0 when all distinct). */
static double
signed_rank_sum(const double *s, size_t m, double *ties)
{
	double v = 0;
	*ties = 0;
	for (size_t lo = 0, hi; lo < m; lo = hi) {
		for (hi = lo + 1; hi < m && fabs(s[hi]) == fabs(s[lo]); hi++)
			;
		double rank = (double)(lo + 1 + hi) / 2, t = (double)(hi - lo);
		*ties += t * t * t - t;
		for (size_t k = lo; k < hi; k++)
			if (s[k] > 0)
				v += rank;
	}
	return v;
}

int
stats_wilcoxon_signed_rank(const double *a, const double *b, size_t n, struct stats_test *out,
	db_err *err)
{
	double *d;
	int rc = stats_differences(a, b, n, &d, err);
	if (rc)
		return rc;
	double *s = db_calloc(n, sizeof *s, err);
	if (!s) {
		free(d);
		return DB_ENOMEM;
	}
	gsl_sort(d, 1, n);
	size_t m = order_by_magnitude(d, n, s);
	double ties, v = signed_rank_sum(s, m, &ties);
	*out = (struct stats_test){.n = n,
		.n_used = m,
		.statistic = v,
		.df = NAN,
		.estimate = gsl_stats_median_from_sorted_data(d, 1, n),
		.level = NAN,
		.ci_lo = NAN,
		.ci_hi = NAN,
		.p_value = NAN,
		.effect = NAN};
	free(s);
	free(d);
	if (m == 0)
		return db_fail(err, DB_EINVAL,
			"stats_wilcoxon_signed_rank: all %zu differences are zero", n);
	out->exact = m <= WILCOXON_EXACT_MAX && m == n && ties == 0;
	out->p_value = out->exact ? signrank_p_exact(v, m) : signrank_p_normal(v, m, ties);
	out->effect = 4 * v / ((double)m * (double)(m + 1)) - 1;
	return DB_OK;
}
