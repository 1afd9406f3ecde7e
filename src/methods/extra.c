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

static int
extra_alloc(struct extra_feedback *x, int n, int n_users, db_err *err)
{
	interactions *k = &x->known;
	k->n = n;
	k->user = db_calloc((size_t)n, sizeof(int), err);
	k->item = db_calloc((size_t)n, sizeof(int), err);
	k->value = db_calloc((size_t)n, sizeof(float), err);
	x->n_known = db_calloc((size_t)n_users, sizeof(int), err);
	x->n_train = db_calloc((size_t)n_users, sizeof(int), err);
	return k->user && k->item && k->value && x->n_known && x->n_train ? DB_OK : DB_ENOMEM;
}

/* The indices of the clean train lines; *n their number. */
static int *
clean_lines(const interactions *t, double threshold, int *n, db_err *err)
{
	int *idx = db_calloc((size_t)t->n + 1, sizeof(int), err);
	*n = 0;
	for (int k = 0; idx && k < t->n; k++)
		if (t->value[k] >= threshold) /* NAN (no third column) is never clean */
			idx[(*n)++] = k;
	return idx;
}

int
extra_select(struct extra_feedback *x, const dataset *d, const config *cfg, uint64_t seed,
	db_err *err)
{
	const interactions *t = &d->train;
	double threshold = config_double(cfg, "clean_threshold");
	double share = config_double(cfg, "extra_share");
	*x = (struct extra_feedback){0};
	int n_clean;
	int *clean = clean_lines(t, threshold, &n_clean, err);
	if (!clean)
		return DB_ENOMEM;
	int n = (int)floor(share * n_clean + 0.5);
	int rc = DB_OK;
	if (n == 0)
		rc = db_fail(err, DB_EINVAL, "%s: extra_share %g of the %d train lines with a third "
			"column >= %g (clean_threshold) leaves no known interaction",
			t->path ? t->path : "train", share, n_clean, threshold);
	int *pick = rc ? NULL : db_calloc((size_t)n, sizeof(int), err);
	gsl_rng *r = pick ? rng_stream(seed, "extra-feedback") : NULL;
	if (!rc && (!r || extra_alloc(x, n, d->n_users, err)))
		rc = db_fail(err, DB_ENOMEM, "extra feedback: out of memory");
	if (!rc) {
		/* gsl_ran_choose keeps the chosen lines in file order */
		gsl_ran_choose(r, pick, (size_t)n, clean, (size_t)n_clean, sizeof(int));
		for (int j = 0; j < n; j++) {
			x->known.user[j] = t->user[pick[j]];
			x->known.item[j] = t->item[pick[j]];
			x->known.value[j] = t->value[pick[j]];
			x->n_known[t->user[pick[j]]]++;
		}
		for (int k = 0; k < t->n; k++)
			x->n_train[t->user[k]]++;
		x->known.path = t->path;
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
	free(x->known.user);
	free(x->known.item);
	free(x->known.value);
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
