/* The known share of the clean training interactions (see extra.h).
 * The paper (§5.3) only says that "partial true-positive interactions have
 * already been known"; which ones is this suite's assumption: a uniform
 * sample of the lines rated >= clean_threshold, the size set by extra_share.
 * Duplicate train lines are separate lines, as everywhere else. */
#include "methods/extra.h"

#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_randist.h>

#include "nn/rng.h"

/* The extra feedback's share, read by every method that has extra feedback. */
const struct config_key method_extra_keys[] = {
	{"extra_share", CFG_FLOAT, "0.2", NULL, 0,
		"methods finetune, warmup, nmtr, nr: share of the clean train lines (third column "
		">= "
		"clean_threshold) whose label is known (the extra feedback), drawn from the stream "
		"extra-feedback",
		CFG_RANGE(0, 1)},
	{NULL, 0, NULL, NULL, 0, NULL, NULL},
};

int
extra_select(struct extra_feedback *x, const dataset *d, const config *cfg, uint64_t seed,
	db_err *err)
{
	const interactions *t = &d->train;
	double threshold = config_double(cfg, "clean_threshold");
	double share = config_double(cfg, "extra_share");
	*x = (struct extra_feedback){0};
	int n_clean, *clean;
	int rc = data_lines_at_least(t, threshold, &clean, &n_clean, err);
	if (rc)
		return rc;
	int n = (int)floor(share * n_clean + 0.5);
	if (n == 0)
		rc = db_fail(err, DB_EINVAL,
			"%s: extra_share %g of the %d train lines with a third "
			"column >= %g (clean_threshold) leaves no known interaction",
			t->path ? t->path : "train", share, n_clean, threshold);
	int *pick = rc ? NULL : db_calloc((size_t)n, sizeof(int), err);
	gsl_rng *r = pick ? rng_stream(seed, "extra-feedback") : NULL;
	x->n_known = rc ? NULL : db_calloc((size_t)d->n_users, sizeof(int), err);
	x->n_train = x->n_known ? db_calloc((size_t)d->n_users, sizeof(int), err) : NULL;
	if (!rc && (!r || !x->n_train))
		rc = db_fail(err, DB_ENOMEM, "extra feedback: out of memory");
	if (!rc) {
		/* gsl_ran_choose keeps the chosen lines in file order */
		gsl_ran_choose(r, pick, (size_t)n, clean, (size_t)n_clean, sizeof(int));
		rc = data_interactions_pick(t, pick, n, &x->known, err);
	}
	if (!rc) {
		for (int j = 0; j < n; j++)
			x->n_known[x->known.user[j]]++;
		for (int k = 0; k < t->n; k++)
			x->n_train[t->user[k]]++;
		rc = data_csr_build(&x->pos, d->n_users, x->known.user, x->known.item, n, 1, err);
	}
	if (r)
		gsl_rng_free(r);
	free(pick);
	free(clean);
	return rc;
}

void
extra_free(struct extra_feedback *x)
{
	data_interactions_pick_free(&x->known);
	data_csr_free(&x->pos);
	free(x->n_known);
	free(x->n_train);
	*x = (struct extra_feedback){0};
}

double
extra_ratio(const struct extra_feedback *x, int u)
{
	return x->n_train[u] ? (double)x->n_known[u] / x->n_train[u] : 0.0;
}
