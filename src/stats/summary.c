/* Sample summary with a Student-t confidence interval, and the input checks
 * shared by the paired tests. */
#include "stats/stats.h"

#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>

static int
check_finite(const double *x, size_t n, const char *what, db_err *err)
{
	for (size_t i = 0; i < n; i++)
		if (!isfinite(x[i]))
			return db_fail(err, DB_EINVAL, "%s %zu is %g, not a finite number", what, i,
				x[i]);
	return DB_OK;
}

int
stats_summary(const double *x, size_t n, double level, struct stats_summary *out, db_err *err)
{
	if (n == 0)
		return db_fail(err, DB_EINVAL, "stats_summary: no values to summarise");
	if (!(level > 0 && level < 1))
		return db_fail(err, DB_EINVAL,
			"stats_summary: confidence level %g is not in (0, 1)", level);
	int rc = check_finite(x, n, "stats_summary: value", err);
	if (rc)
		return rc;
	*out = (struct stats_summary){.n = n,
		.level = level,
		.mean = gsl_stats_mean(x, 1, n),
		.sd = NAN,
		.se = NAN,
		.ci_lo = NAN,
		.ci_hi = NAN};
	if (n < 2)
		return DB_OK;
	out->sd = gsl_stats_sd_m(x, 1, n, out->mean);
	out->se = out->sd / sqrt((double)n);
	/* upper (1 − level)/2 quantile of t_{n−1}: 2.776 for n = 5 at 95 % */
	double half = gsl_cdf_tdist_Qinv((1 - level) / 2, (double)(n - 1)) * out->se;
	out->ci_lo = out->mean - half;
	out->ci_hi = out->mean + half;
	return DB_OK;
}

int
stats_differences(const double *a, const double *b, size_t n, double **d, db_err *err)
{
	*d = NULL;
	if (n == 0)
		return db_fail(err, DB_EINVAL, "paired test: no pairs given");
	double *diff = db_calloc(n, sizeof *diff, err);
	if (!diff)
		return DB_ENOMEM;
	for (size_t i = 0; i < n; i++)
		diff[i] = a[i] - b[i];
	/* a non-finite a[i] or b[i], or an overflowing difference, shows up here */
	int rc = check_finite(diff, n, "paired test: a - b, element", err);
	if (rc) {
		free(diff);
		return rc;
	}
	*d = diff;
	return DB_OK;
}
