/* Selection rules (train/select.h). */
#include "train/select.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_sort.h>

double
train_revised_criterion(double *pos, long npos, double neg_sum, long nneg, double drop)
{
	gsl_sort(pos, 1, (size_t)npos);
	long keep = (long)floor((1.0 - drop) * (double)npos);
	/* Python: (sum(label1_losses) + sum(label0_losses)) / (len + len) */
	double pos_sum = 0;
	for (long j = 0; j < keep; j++)
		pos_sum += pos[j];
	return keep + nneg > 0 ? (pos_sum + neg_sum) / (double)(keep + nneg) : NAN;
}

int
train_oracle_index(const char *want, const struct train_diag_hook *hook, db_err *err)
{
	const char *at = strchr(want, '@');
	char *end = NULL;
	long k = at ? strtol(at + 1, &end, 10) : 0;
	if (!at || at == want || !end || *end || end == at + 1) {
		db_fail(err, DB_EINVAL, "oracle_metric '%s': expected METRIC@K, e.g. ndcg@20",
			want);
		return -1;
	}
	if (!hook) {
		db_fail(err, DB_EINVAL,
			"selection=oracle needs the test split ranked at every "
			"evaluation point (a run through train, run or cell)");
		return -1;
	}
	for (int j = 0; j < hook->n_test; j++)
		if (hook->k[j] == k && strlen(hook->metric[j]) == (size_t)(at - want) &&
			!strncmp(hook->metric[j], want, (size_t)(at - want)))
			return j;
	char ks[128] = "";
	for (int j = 0, n = 0; j < hook->n_test / 2 && n < (int)sizeof ks; j++)
		n += snprintf(ks + n, sizeof ks - (size_t)n, "%s%d", j ? "," : "", hook->k[j]);
	db_fail(err, DB_EINVAL,
		"oracle_metric '%s': expected recall@K or ndcg@K with K among "
		"ks (%s)",
		want, ks);
	return -1;
}
