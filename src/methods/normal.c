/* Normal training: plain BCE, reduced as the protocol reduces it
 * (protocol.md §4.1): the reference point of every comparison. */
#include "methods/method.h"

static double
normal_loss(method *me, const struct train_ctx *ctx, const batch *b, const float *logit,
	float *dlogit)
{
	(void)me;
	loss_bce(logit, b->label, b->n, ctx->output_prob, ctx->sample_loss, dlogit);
	return loss_reduce(b, ctx->sample_loss, dlogit, ctx->reduction, ctx->neg_ratio);
}

const struct method_ops method_normal = {
	.name = "normal",
	.loss = normal_loss,
};
