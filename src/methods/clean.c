/* Clean training (ADT paper, Table 1): Normal training on the training lines
 * that the explicit feedback calls clean, i.e. whose third column is
 * >= clean_threshold (1-5 ratings: 4 keeps ratings 4-5, 5 keeps rating 5;
 * ADT 0/1 flags: 1).  It is an oracle reference point, not a denoiser: it
 * reads the ratings that the other methods never see.  Only the positives
 * change; evaluation still masks every train item, clean or not, and
 * negatives are still rejected (when the protocol rejects) against all of
 * them, since the loop and the evaluator read d->train_pos. */
#include <math.h>
#include <stdlib.h>

#include "methods/method.h"

struct clean {
	interactions kept;
};

static int
clean_create(method *me, const struct train_ctx *ctx, db_err *err)
{
	const interactions *x = &ctx->d->train;
	double threshold = config_double(ctx->cfg, "clean_threshold");
	struct clean *s = db_calloc(1, sizeof *s, err);
	if (!s)
		return DB_ENOMEM;
	me->state = s;
	int n, *idx;
	int rc = data_lines_at_least(x, threshold, &idx, &n, err);
	if (!rc && n == 0)
		rc = db_fail(err, DB_EINVAL,
			"%s: no training line has a third column >= %g (clean_threshold): "
			"clean training has nothing to train on",
			x->path ? x->path : "train", threshold);
	if (!rc)
		rc = data_interactions_pick(x, idx, n, &s->kept, err);
	free(idx);
	return rc;
}

static const interactions *
clean_train_source(method *me, const struct train_ctx *ctx)
{
	(void)ctx;
	const struct clean *s = me->state;
	return &s->kept;
}

static void
clean_destroy(method *me)
{
	struct clean *s = me->state;
	if (s)
		data_interactions_pick_free(&s->kept);
	free(s);
}

/* Read by the extra-feedback methods too: their known lines are clean lines. */
const struct config_key method_clean_keys[] = {
	{"clean_threshold", CFG_FLOAT, "4", NULL, 0,
		"method clean: train only on lines whose third column is >= this (4: ratings 4-5, "
		"5: rating 5; 0/1-flag datasets adressa, yelp, amazon-book: 1)",
		NULL},
	{NULL, 0, NULL, NULL, 0, NULL, NULL},
};

const struct method_ops method_clean = {
	.name = "clean",
	.display = "Clean",
	.baseline = 6,
	.keys = CONFIG_TABLES(method_clean_keys),
	.create = clean_create,
	.train_source = clean_train_source,
	.destroy = clean_destroy,
};
