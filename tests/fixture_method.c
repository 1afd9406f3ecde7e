/* A throw-away method added through the recipe in CONTRIBUTING.md, compiled
 * only into tests/test_recipe: this file, plus its row in the registry
 * (src/methods/method.c, under METHOD_TEST_FIXTURE), and nothing else.  It
 * scales Normal's loss and gradient by its own setting fixture_scale --
 * declared here with its range, 1 by default, so it must train exactly as
 * Normal does -- through its own loss hook, to exercise a method's path
 * through the loop rather than Normal's default; its default row (5 epochs
 * under the ADT protocol) shows that a method's defaults need no other file. */
#include <stdlib.h>

#include "methods/method.h"

static const struct config_key fixture_keys[] = {
	{"fixture_scale", CFG_FLOAT, "1", NULL, 0, "fixture: factor on Normal's loss",
		CFG_RANGE(0, 10)},
	{NULL, 0, NULL, NULL, 0, NULL, NULL},
};

static const struct config_default fixture_defaults[] = {
	{"adt", NULL, NULL, "fixture", "epochs", "5"},
	{NULL, NULL, NULL, NULL, NULL, NULL},
};

static int
fixture_create(method *me, const struct train_ctx *ctx, db_err *err)
{
	float *scale = db_calloc(1, sizeof *scale, err);
	if (!scale)
		return DB_ENOMEM;
	*scale = (float)config_double(ctx->cfg, "fixture_scale");
	me->state = scale;
	return DB_OK;
}

static double
fixture_loss(method *me, const struct train_ctx *ctx, const batch *b, const float *logit,
	float *dlogit)
{
	const float scale = *(const float *)me->state;
	double l = method_normal.loss(me, ctx, b, logit, dlogit);
	for (int k = 0; k < b->n; k++)
		dlogit[k] *= scale;
	return l * scale;
}

static void
fixture_destroy(method *me)
{
	free(me->state);
}

const struct method_ops method_fixture = {
	.name = "fixture",
	.display = "Fixture",
	.keys = CONFIG_TABLES(fixture_keys),
	.defaults = fixture_defaults,
	.create = fixture_create,
	.loss = fixture_loss,
	.destroy = fixture_destroy,
};
