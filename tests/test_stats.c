/* Statistics module against R 4.2 reference values.  R is not a dependency:
 * the values below were computed once with Rscript under options(digits = 15)
 * and format(x, digits = 15); each block shows the R call that produced them,
 * and hand derivations where the numbers are small enough to check on paper. */
#include <math.h>
#include <string.h>
#include <time.h>

#include "stats/stats.h"
#include "tap.h"

#define REL 1e-9

/* |got − want| <= rel·|want| */
static int
near_rel(double got, double want, double rel, const char *what)
{
	return tap_ok(fabs(got - want) <= rel * fabs(want), "%s: got %.15g, want %.15g (rel %.0e)",
		what, got, want, rel);
}

static void
test_summary(void)
{
	/* x <- c(2.1, 3.4, 1.9, 5.6, 4.2); mean(x); sd(x); sd(x)/sqrt(5)
	 * t.test(x)$conf.int; t.test(x, conf.level = 0.90)$conf.int
	 * mean = 17.2/5 = 3.44 */
	const double x[] = {2.1, 3.4, 1.9, 5.6, 4.2};
	struct stats_summary s;
	db_err err;
	tap_ok(stats_summary(x, 5, 0.95, &s, &err) == DB_OK, "summary: ok");
	tap_ok(s.n == 5, "summary: n");
	near_rel(s.mean, 3.44, REL, "summary: mean");
	near_rel(s.sd, 1.53394915169963, 1e-13, "summary: sd (n - 1)");
	near_rel(s.se, 0.6860029154457, 1e-12, "summary: se");
	near_rel(s.ci_lo, 1.53535056325937, REL, "summary: 95% CI low");
	near_rel(s.ci_hi, 5.34464943674063, REL, "summary: 95% CI high");
	stats_summary(x, 5, 0.90, &s, &err);
	near_rel(s.ci_lo, 1.97754688929637, REL, "summary: 90% CI low");
	near_rel(s.ci_hi, 4.90245311070363, REL, "summary: 90% CI high");

	tap_ok(stats_summary(x, 1, 0.95, &s, &err) == DB_OK && s.mean == 2.1 && isnan(s.sd) &&
			isnan(s.se) && isnan(s.ci_lo) && isnan(s.ci_hi),
		"summary: n = 1 gives the value as mean, NaN spread");
	tap_ok(stats_summary(x, 0, 0.95, &s, &err) == DB_EINVAL, "summary: n = 0 rejected");
	tap_ok(stats_summary(x, 5, 1.0, &s, &err) == DB_EINVAL, "summary: level 1 rejected");
	const double bad[] = {1, NAN, 3};
	tap_ok(stats_summary(bad, 3, 0.95, &s, &err) == DB_EINVAL && strstr(err.msg, "value 1"),
		"summary: NaN rejected, position named (%s)", err.msg);
}

/* Student's sleep data (R's `sleep`, Cushny & Peebles), the classic paired t
 * example: extra hours of sleep under drug 1 and drug 2 for 10 patients. */
static const double sleep1[] = {0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0};
static const double sleep2[] = {1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4};

static void
test_paired_t(void)
{
	/* with(sleep, t.test(extra[group == 1], extra[group == 2], paired = TRUE)):
	 * t = -4.0621, df = 9, p-value = 0.002833, mean difference -1.58,
	 * 95 % CI -2.4598858 -0.7001142 (printed in ?t.test); full digits below.
	 * d_z: mean(d)/sd(d) */
	struct stats_test t;
	db_err err;
	tap_ok(stats_paired_t(sleep1, sleep2, 10, 0.95, &t, &err) == DB_OK, "t: sleep ok");
	near_rel(t.statistic, -4.06212768338204, REL, "t: sleep t");
	tap_ok(t.df == 9 && t.n == 10 && t.n_used == 10, "t: sleep df = 9");
	near_rel(t.p_value, 0.00283289019738427, 1e-8, "t: sleep p");
	near_rel(t.estimate, -1.58, 1e-12, "t: sleep mean difference");
	near_rel(t.ci_lo, -2.459885763276982, REL, "t: sleep 95% CI low");
	near_rel(t.ci_hi, -0.700114236723018, REL, "t: sleep 95% CI high");
	near_rel(t.effect, -1.28455756259105, 1e-12, "t: sleep Cohen's d_z");
	/* t.test(..., conf.level = 0.99)$conf.int */
	stats_paired_t(sleep1, sleep2, 10, 0.99, &t, &err);
	near_rel(t.ci_lo, -2.844051885104825, REL, "t: sleep 99% CI low");
	near_rel(t.ci_hi, -0.315948114895175, REL, "t: sleep 99% CI high");
	/* swapping a and b negates t and keeps p */
	stats_paired_t(sleep2, sleep1, 10, 0.95, &t, &err);
	near_rel(t.statistic, 4.06212768338204, REL, "t: swapped t");
	near_rel(t.p_value, 0.00283289019738427, 1e-8, "t: swapped p");
}

static void
test_paired_t_degenerate(void)
{
	struct stats_test t;
	db_err err;
	/* t.test(c(2,3,4), c(1,2,3), paired = TRUE): "data are essentially constant" */
	const double a[] = {2, 3, 4}, b[] = {1, 2, 3};
	tap_ok(stats_paired_t(a, b, 3, 0.95, &t, &err) == DB_EINVAL &&
			strstr(err.msg, "essentially constant"),
		"t: constant differences rejected (%s)", err.msg);
	tap_ok(t.estimate == 1 && isnan(t.statistic) && isnan(t.p_value) && isnan(t.ci_lo),
		"t: constant differences still report the estimate 1, t and p NaN");
	/* R gives t = NaN, p = NA for identical samples (0/0) */
	tap_ok(stats_paired_t(a, a, 3, 0.95, &t, &err) == DB_EINVAL && t.estimate == 0 &&
			isnan(t.p_value),
		"t: identical samples rejected, estimate 0");
	tap_ok(stats_paired_t(a, b, 1, 0.95, &t, &err) == DB_EINVAL, "t: n = 1 rejected");
	const double inf[] = {1, INFINITY, 3};
	tap_ok(stats_paired_t(a, inf, 3, 0.95, &t, &err) == DB_EINVAL, "t: infinity rejected");
}

static void
test_wilcoxon_exact(void)
{
	/* Hollander & Wolfe's depression data, the example of ?wilcox.test:
	 * wilcox.test(x, y, paired = TRUE): V = 40, p-value = 0.0390625 (exact);
	 * x - y = .952 -.147 1.022 .43 .62 .59 .49 -.08 .01: distinct, no zeros;
	 * the negatives -.08 and -.147 have ranks 2 and 3, so V = 45 - 5 = 40 and
	 * p = 2·P(V <= 5) = 2·10/512 (subsets of 1..9 with sum <= 5: 10).
	 * rank-biserial r = 4·40/(9·10) − 1 = 7/9; median(x - y) = 0.49. */
	const double x[] = {1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30};
	const double y[] = {0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29};
	struct stats_test w;
	db_err err;
	tap_ok(stats_wilcoxon_signed_rank(x, y, 9, &w, &err) == DB_OK, "wilcoxon: exact ok");
	tap_ok(w.statistic == 40 && w.exact && w.n_used == 9, "wilcoxon: V = 40, exact");
	near_rel(w.p_value, 0.0390625, 1e-12, "wilcoxon: exact p = 20/512");
	near_rel(w.effect, 7.0 / 9, 1e-12, "wilcoxon: rank-biserial 7/9");
	near_rel(w.estimate, 0.49, 1e-12, "wilcoxon: median difference");
	/* wilcox.test(y, x, paired = TRUE): V = 5, same p (lower tail) */
	stats_wilcoxon_signed_rank(y, x, 9, &w, &err);
	tap_ok(w.statistic == 5 && w.exact, "wilcoxon: swapped V = 5");
	near_rel(w.p_value, 0.0390625, 1e-12, "wilcoxon: swapped exact p");

	/* wilcox.test(c(1,2,3), c(0,0,6), paired = TRUE): V = 3 at the centre,
	 * 2·P(V <= 3) = 2·5/8 capped: p = 1.  wilcox.test(2, 1, ...): V = 1, p = 1 */
	const double c1[] = {1, 2, 3}, c2[] = {0, 0, 6};
	stats_wilcoxon_signed_rank(c1, c2, 3, &w, &err);
	tap_ok(w.statistic == 3 && w.exact && w.p_value == 1, "wilcoxon: p capped at 1");
	stats_wilcoxon_signed_rank(c1 + 1, c1, 1, &w, &err);
	tap_ok(w.statistic == 1 && w.exact && w.p_value == 1, "wilcoxon: n = 1, p = 1");
}

static void
test_wilcoxon_ties_zeros(void)
{
	/* d = a - b = 0 1 -1 2 2 3 -3 4 0 5 2.5 -2: two zeros dropped (m = 10),
	 * |d| ranks: 1,1 -> 1.5; 2,2,2 -> 4; 2.5 -> 6; 3,3 -> 7.5; 4 -> 9; 5 -> 10
	 * V = 1.5 + 4 + 4 + 6 + 7.5 + 9 + 10 = 42; ties Σ(t³−t) = 6 + 24 + 6 = 36
	 * σ² = 10·11·21/24 − 36/48 = 95.5; z = (42 − 27.5 − 0.5)/√95.5
	 * wilcox.test(a, b, paired = TRUE): V = 42, p-value = 0.151970858343946
	 * rank-biserial 4·42/110 − 1 = 29/55; median(a - b) = 1.5 */
	const double a[] = {3, 5, 4, 7, 6, 9, 2, 8, 4, 10, 5.5, 1};
	const double b[] = {3, 4, 5, 5, 4, 6, 5, 4, 4, 5, 3, 3};
	struct stats_test w;
	db_err err;
	tap_ok(stats_wilcoxon_signed_rank(a, b, 12, &w, &err) == DB_OK, "wilcoxon ties: ok");
	tap_ok(w.statistic == 42 && !w.exact && w.n == 12 && w.n_used == 10,
		"wilcoxon ties: V = 42 over 10 non-zero pairs, normal approximation");
	near_rel(w.p_value, 0.151970858343946, REL, "wilcoxon ties: p");
	near_rel(w.effect, 29.0 / 55, 1e-12, "wilcoxon ties: rank-biserial 29/55");
	tap_ok(w.estimate == 1.5, "wilcoxon ties: median difference 1.5 (zeros kept)");
	/* wilcox.test(b, a, paired = TRUE): V = 13 = 55 − 42, same p */
	stats_wilcoxon_signed_rank(b, a, 12, &w, &err);
	tap_ok(w.statistic == 13, "wilcoxon ties: swapped V = 13");
	near_rel(w.p_value, 0.151970858343946, REL, "wilcoxon ties: swapped p");

	/* ties but no zeros, small n: d = 1 1 -1 2 3 -> ranks 2,2,2,4,5, V = 13;
	 * R still uses the normal approximation: p-value = 0.169564145190563 */
	const double c[] = {1.5, 2.5, 0.5, 4, 3}, e[] = {0.5, 1.5, 1.5, 2, 0};
	stats_wilcoxon_signed_rank(c, e, 5, &w, &err);
	tap_ok(w.statistic == 13 && !w.exact, "wilcoxon ties only: V = 13, not exact");
	near_rel(w.p_value, 0.169564145190563, REL, "wilcoxon ties only: p");

	/* all differences zero: R reports V = 0, p = NA */
	tap_ok(stats_wilcoxon_signed_rank(a, a, 12, &w, &err) == DB_EINVAL && w.statistic == 0 &&
			w.n_used == 0 && isnan(w.p_value),
		"wilcoxon: all-zero differences rejected (%s)", err.msg);
	tap_ok(stats_wilcoxon_signed_rank(a, b, 0, &w, &err) == DB_EINVAL, "wilcoxon: n = 0");
	const double nan[] = {3, 4, NAN};
	tap_ok(stats_wilcoxon_signed_rank(a, nan, 3, &w, &err) == DB_EINVAL,
		"wilcoxon: NaN rejected");
}

static void
test_wilcoxon_exact_boundary(void)
{
	/* i <- 1:50; a <- (i * 37) %% 101; b <- rep(40 + sqrt(2), 50): distinct
	 * |d| (a tie would need two integers summing to 80 + 2√2), no zeros.
	 * wilcox.test(a[1:49], b[1:49], paired = TRUE): V = 827, p = 0.0324235374005539
	 * (exact; exact = FALSE would give 0.0332773462029315)
	 * wilcox.test(a, b, paired = TRUE): n = 50 -> normal: V = 851, p = 0.0397682182809695 */
	double a[50], b[50];
	for (int i = 1; i <= 50; i++) {
		a[i - 1] = (i * 37) % 101;
		b[i - 1] = 40 + sqrt(2.0);
	}
	struct stats_test w;
	db_err err;
	stats_wilcoxon_signed_rank(a, b, 49, &w, &err);
	tap_ok(w.statistic == 827 && w.exact, "wilcoxon n = 49: V = 827, exact");
	near_rel(w.p_value, 0.0324235374005539, REL, "wilcoxon n = 49: exact p");
	near_rel(w.estimate, 8.58578643762691, 1e-12, "wilcoxon n = 49: median difference");
	/* wilcox.test(b[1:49], a[1:49], paired = TRUE): V = 398 = 1225 − 827 */
	stats_wilcoxon_signed_rank(b, a, 49, &w, &err);
	tap_ok(w.statistic == 398 && w.exact, "wilcoxon n = 49 swapped: V = 398");
	near_rel(w.p_value, 0.0324235374005539, REL, "wilcoxon n = 49 swapped: exact p");
	stats_wilcoxon_signed_rank(a, b, 50, &w, &err);
	tap_ok(w.statistic == 851 && !w.exact, "wilcoxon n = 50: V = 851, normal");
	near_rel(w.p_value, 0.0397682182809695, REL, "wilcoxon n = 50: normal p");
}

static void
test_large(void)
{
	/* i <- 1:2000; a <- ((i * 7919) %% 2003) / 1000
	 * b <- ((i * 104729) %% 1999) / 1000 + 0.05   (2 zero differences, ties)
	 * wilcox.test(a, b, paired = TRUE): V = 944571, p-value = 0.0365268201448586
	 * median(a - b) = -0.047
	 * t.test(a, b, paired = TRUE): t = -2.68946933140292, p = 0.00721605991737961,
	 * mean difference -0.046529, CI -0.0804577804339887 -0.0126002195660113 */
	enum { N = 2000 };
	static double a[N], b[N];
	for (long i = 1; i <= N; i++) {
		a[i - 1] = (double)((i * 7919) % 2003) / 1000;
		b[i - 1] = (double)((i * 104729) % 1999) / 1000 + 0.05;
	}
	struct stats_test w, t;
	db_err err;
	tap_ok(stats_wilcoxon_signed_rank(a, b, N, &w, &err) == DB_OK && w.statistic == 944571 &&
			!w.exact && w.n_used == N - 2,
		"large: V = 944571 over 1998 non-zero pairs");
	near_rel(w.p_value, 0.0365268201448586, REL, "large: wilcoxon p");
	near_rel(w.estimate, -0.047, 1e-12, "large: median difference");
	tap_ok(stats_paired_t(a, b, N, 0.95, &t, &err) == DB_OK, "large: t ok");
	near_rel(t.statistic, -2.68946933140292, REL, "large: t");
	near_rel(t.p_value, 0.00721605991737961, REL, "large: t p");
	near_rel(t.estimate, -0.046529, 1e-12, "large: mean difference");
	near_rel(t.ci_lo, -0.0804577804339887, REL, "large: CI low");
	near_rel(t.ci_hi, -0.0126002195660113, REL, "large: CI high");
}

static void
test_speed(void)
{
	/* 200 000 pairs: O(n log n) takes milliseconds, a quadratic ranking would
	 * take minutes.  V(a, b) + V(b, a) = m(m + 1)/2 checks the ranking. */
	enum { N = 200000 };
	static double a[N], b[N];
	for (long i = 0; i < N; i++) {
		a[i] = (double)((i * 7919) % 10007) / 100;
		b[i] = (double)((i * 104729) % 9973) / 100;
	}
	struct stats_test w, u;
	db_err err;
	clock_t t0 = clock();
	int rc = stats_wilcoxon_signed_rank(a, b, N, &w, &err);
	double sec = (double)(clock() - t0) / CLOCKS_PER_SEC;
	stats_wilcoxon_signed_rank(b, a, N, &u, &err);
	double m = (double)w.n_used;
	tap_ok(rc == DB_OK && w.statistic + u.statistic == m * (m + 1) / 2 &&
			w.p_value == u.p_value,
		"speed: V + V' = m(m+1)/2 over %zu non-zero pairs", w.n_used);
	tap_ok(sec < 5, "speed: %d pairs ranked in %.3f s CPU", N, sec);
}

static void
test_holm(void)
{
	/* p.adjust(c(0.01, 0.04, 0.03, 0.005, 0.5, 0.2), "holm"):
	 *   sorted 0.005·6, 0.01·5, 0.03·4, 0.04·3, 0.2·2, 0.5·1
	 *   = 0.03 0.05 0.12 0.12 0.4 0.5  ->  0.05 0.12 0.12 0.03 0.50 0.40
	 * p.adjust(..., "bonferroni"): 0.06 0.24 0.18 0.03 1.00 1.00 */
	const double p[] = {0.01, 0.04, 0.03, 0.005, 0.5, 0.2};
	const double holm[] = {0.05, 0.12, 0.12, 0.03, 0.5, 0.4};
	const double bonf[] = {0.06, 0.24, 0.18, 0.03, 1, 1};
	double adj[6];
	db_err err;
	char what[64];
	tap_ok(stats_holm(p, 6, adj, &err) == DB_OK, "holm: ok");
	for (int i = 0; i < 6; i++) {
		snprintf(what, sizeof what, "holm: p[%d]", i);
		near_rel(adj[i], holm[i], 1e-14, what);
	}
	tap_ok(stats_bonferroni(p, 6, adj, &err) == DB_OK, "bonferroni: ok");
	for (int i = 0; i < 6; i++) {
		snprintf(what, sizeof what, "bonferroni: p[%d]", i);
		near_rel(adj[i], bonf[i], 1e-14, what);
	}
	/* p.adjust(c(0.3, 0.6, 0.02, 0.9, 0.25), "holm") = 0.1 1 1 1 1 (R):
	 * 0.02·5 = 0.1, 0.25·4 = 1, then 0.3·3 = 0.9 is raised to 1 (monotone),
	 * 0.6·2 = 1.2 capped.  Computed in place (adjusted aliases p). */
	double q[] = {0.3, 0.6, 0.02, 0.9, 0.25};
	int rc = stats_holm(q, 5, q, &err);
	tap_ok(rc == DB_OK && fabs(q[2] - 0.1) < 1e-15 && q[0] == 1 && q[1] == 1 && q[3] == 1 &&
			q[4] == 1,
		"holm: capped at 1, monotone, in place: %g %g %g %g %g", q[0], q[1], q[2], q[3],
		q[4]);
	const double bad[] = {0.1, 1.5};
	tap_ok(stats_holm(bad, 2, adj, &err) == DB_EINVAL && strstr(err.msg, "p-value 1"),
		"holm: p > 1 rejected (%s)", err.msg);
	tap_ok(stats_bonferroni(p, 0, adj, &err) == DB_EINVAL, "bonferroni: m = 0 rejected");
}

int
main(void)
{
	test_summary();
	test_paired_t();
	test_paired_t_degenerate();
	test_wilcoxon_exact();
	test_wilcoxon_ties_zeros();
	test_wilcoxon_exact_boundary();
	test_large();
	test_speed();
	test_holm();
	return tap_done();
}
