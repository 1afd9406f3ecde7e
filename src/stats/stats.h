/* Statistics for comparing runs: summaries with t-intervals, the paired t
 * test, the Wilcoxon signed-rank test and family-wise p-value adjustment.
 *
 * GSL supplies the moments, sorting and the t and normal distributions; it
 * has no paired t test, no Wilcoxon test and no p-value adjustment, so those
 * are built here on top of it.  Every test is two-sided and follows R's
 * definitions (t.test(a, b, paired = TRUE), wilcox.test(a, b, paired = TRUE),
 * p.adjust(p, "holm")), against which tests/test_stats.c checks them.
 *
 * Inputs must be finite; a NaN or infinity is rejected with DB_EINVAL rather
 * than silently dropped (R drops incomplete pairs), because a missing metric
 * in a benchmark cell is a bug to report, not a pair to skip.
 */
#ifndef DB_STATS_STATS_H
#define DB_STATS_STATS_H

#include <stddef.h>

#include "util/status.h"

/* Sample summary with a Student-t confidence interval for the mean:
 * mean ± t_{1-(1-level)/2, n-1} · sd/√n, with sd the n−1 standard deviation. */
struct stats_summary {
	size_t n;
	double mean, sd, se;
	double level; /* e.g. 0.95 */
	double ci_lo, ci_hi;
};

/* n >= 1 and 0 < level < 1.  For n = 1 the mean is x[0] and sd, se, ci_lo and
 * ci_hi are NaN (one value has no spread); the status is still DB_OK. */
int stats_summary(const double *x, size_t n, double level, struct stats_summary *out, db_err *err);

/* Allocates *d = a − b (n >= 1 values, to be freed by the caller) after
 * checking that every value is finite; the first step of both paired tests. */
int stats_differences(const double *a, const double *b, size_t n, double **d, db_err *err);

/* Result of a paired two-sided test of a against b (differences d = a − b). */
struct stats_test {
	size_t n;            /* pairs given */
	size_t n_used;       /* t: n; Wilcoxon: pairs with d != 0 */
	double statistic;    /* t, or Wilcoxon's V = sum of the ranks of |d| over d > 0 */
	double df;           /* t: n − 1; Wilcoxon: NaN */
	double p_value;      /* two-sided */
	int exact;           /* Wilcoxon: 1 if p comes from the exact null distribution */
	double estimate;     /* t: mean of d; Wilcoxon: median of d (zeros included) */
	double effect;       /* t: Cohen's d_z = mean(d)/sd(d);
	                     * Wilcoxon: matched-pairs rank-biserial r = (T+ − T−)/(T+ + T−) */
	double level;        /* t: confidence level of [ci_lo, ci_hi]; Wilcoxon: NaN */
	double ci_lo, ci_hi; /* t: t-interval of mean(d); Wilcoxon: NaN */
};

/* Paired t test: t = mean(d)/(sd(d)/√n) with n − 1 degrees of freedom,
 * p = 2·Q_t(|t|).  Needs n >= 2.  When the differences are essentially
 * constant (sd(d) = 0, or R's test sd/√n < 10·DBL_EPSILON·|mean|), t is
 * undefined: like R, this returns DB_EINVAL "data are essentially constant",
 * but out is still filled (n, df and the estimate; t, p, effect and CI NaN)
 * so a caller can show the difference it found. */
int stats_paired_t(const double *a, const double *b, size_t n, double level, struct stats_test *out,
	db_err *err);

/* Wilcoxon signed-rank test with R's default rules: zero differences are
 * dropped; |d| are ranked with average ranks for ties; the p-value is exact
 * (null distribution of V by dynamic programming over ranks 1..n_used) when
 * n_used < 50 with no ties and no zeros, otherwise the normal approximation
 * with the tie-corrected variance and a continuity correction of 0.5.
 * O(n log n) time, O(n) memory.  If every difference is zero there is nothing
 * to rank: returns DB_EINVAL with out filled (V = 0, estimate 0, p NaN). */
int stats_wilcoxon_signed_rank(const double *a, const double *b, size_t n, struct stats_test *out,
	db_err *err);

/* Family-wise adjustment of m p-values (each in [0, 1]) into adjusted[0..m),
 * which may alias p.  Holm's step-down: with p sorted ascending,
 * adj_(i) = max_{j <= i} min(1, (m − j + 1)·p_(j)), as R's p.adjust "holm".
 * Bonferroni: min(1, m·p). */
int stats_holm(const double *p, size_t m, double *adjusted, db_err *err);
int stats_bonferroni(const double *p, size_t m, double *adjusted, db_err *err);

#endif
