/* Family-wise error control across the comparisons of one table: Holm's
 * step-down adjustment and Bonferroni's single step (R: p.adjust). */
#include "stats/stats.h"

#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_sort_double.h>

static int
check_p(const double *p, size_t m, const char *who, db_err *err)
{
	if (m == 0)
		return db_fail(err, DB_EINVAL, "%s: no p-values given", who);
	for (size_t i = 0; i < m; i++)
		if (!(p[i] >= 0 && p[i] <= 1))
			return db_fail(err, DB_EINVAL, "%s: p-value %zu is %g, not in [0, 1]", who,
				i, p[i]);
	return DB_OK;
}

int
stats_holm(const double *p, size_t m, double *adjusted, db_err *err)
{
	int rc = check_p(p, m, "stats_holm", err);
	if (rc)
		return rc;
	size_t *order = db_calloc(m, sizeof *order, err);
	if (!order)
		return DB_ENOMEM;
	gsl_sort_index(order, p, 1, m);
	/* the running maximum keeps the adjusted values monotone in p; each index
	 * is read before it is written, so adjusted may alias p */
	double run = 0;
	for (size_t j = 0; j < m; j++) {
		size_t i = order[j];
		run = fmax(run, fmin(1, (double)(m - j) * p[i]));
		adjusted[i] = run;
	}
	free(order);
	return DB_OK;
}

int
stats_bonferroni(const double *p, size_t m, double *adjusted, db_err *err)
{
	int rc = check_p(p, m, "stats_bonferroni", err);
	if (rc)
		return rc;
	for (size_t i = 0; i < m; i++)
		adjusted[i] = fmin(1, (double)m * p[i]);
	return DB_OK;
}
