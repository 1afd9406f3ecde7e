/* A throw-away method added through the recipe in CONTRIBUTING.md, compiled
 * only into tests/test_recipe: this file, plus its row in the registry
 * (src/methods/method.c, under METHOD_TEST_FIXTURE), and nothing else.  It
 * scales Normal's loss and gradient by 1 -- so it must train exactly as
 * Normal does -- through its own loss hook, to exercise a method's path
 * through the loop rather than Normal's default. */
#include "methods/method.h"

static double
fixture_loss(method *me, const struct train_ctx *ctx, const batch *b, const float *logit,
	float *dlogit)
{
	const float scale = 1.0f;
	double l = method_normal.loss(me, ctx, b, logit, dlogit);
	for (int k = 0; k < b->n; k++)
		dlogit[k] *= scale;
	return l * scale;
}

const struct method_ops method_fixture = {
	.name = "fixture",
	.loss = fixture_loss,
};
