/* Paired two-sided t test on the differences d = a − b (R: t.test(a, b,
 * paired = TRUE)), reporting the mean difference with its t-interval and
 * Cohen's d_z as the effect size. */
#include "stats/stats.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>

int
stats_paired_t(const double *a, const double *b, size_t n, double level, struct stats_test *out,
	db_err *err)
{
	if (n < 2)
		return db_fail(err, DB_EINVAL, "stats_paired_t: %zu pair(s), need at least 2", n);
	double *d;
	int rc = stats_differences(a, b, n, &d, err);
	if (rc)
		return rc;
	struct stats_summary s;
	rc = stats_summary(d, n, level, &s, err);
	free(d);
	if (rc)
		return rc;
	*out = (struct stats_test){.n = n,
		.n_used = n,
		.df = (double)(n - 1),
		.exact = 0,
		.estimate = s.mean,
		.level = level,
		.statistic = NAN,
		.p_value = NAN,
		.effect = NAN,
		.ci_lo = NAN,
		.ci_hi = NAN};
	/* R's criterion, plus sd = 0 (all differences equal, 0/0 in R) */
	if (s.sd == 0 || s.se < 10 * DBL_EPSILON * fabs(s.mean))
		return db_fail(err, DB_EINVAL,
			"stats_paired_t: data are essentially constant (%zu differences, "
			"mean %g, sd %g)",
			n, s.mean, s.sd);
	out->statistic = s.mean / s.se;
	out->p_value = 2 * gsl_cdf_tdist_Q(fabs(out->statistic), out->df);
	out->effect = s.mean / s.sd;
	out->ci_lo = s.ci_lo;
	out->ci_hi = s.ci_hi;
	return DB_OK;
}
