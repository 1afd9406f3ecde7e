/* Selection rules (train/select.h). */
#include "train/select.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_sort.h>

enum train_selection
train_selection(const config *cfg)
{
	static const char *const names[] = {"last", "best", "revised", "oracle"};
	const char *s = config_get(cfg, "selection");
	for (int i = 0; i < 4; i++)
		if (!strcmp(s, names[i]))
			return (enum train_selection)i;
	return SELECT_LAST; /* config_set admits only the key's choices */
}

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
train_oracle_index(const config *cfg, const struct train_diag_hook *hook, db_err *err)
{
	const char *want = config_get(cfg, "oracle_metric");
	const char *at = strchr(want, '@');
	char *end = NULL;
	long k = at ? strtol(at + 1, &end, 10) : 0;
	if (!at || at == want || !end || *end || end == at + 1) {
		db_fail(err, DB_EINVAL, "oracle_metric '%s': expected METRIC@K, e.g. ndcg@20", want);
		return -1;
	}
	if (!hook) {
		db_fail(err, DB_EINVAL, "selection=oracle needs the test split ranked at every "
			"evaluation point (a run through train, run or cell)");
		return -1;
	}
	for (int j = 0; j < hook->n_test; j++)
		if (hook->k[j] == k && strlen(hook->metric[j]) == (size_t)(at - want) &&
		    !strncmp(hook->metric[j], want, (size_t)(at - want)))
			return j;
	db_fail(err, DB_EINVAL, "oracle_metric '%s': expected recall@K or ndcg@K with K among "
		"ks (%s)", want, config_get(cfg, "ks"));
	return -1;
}
