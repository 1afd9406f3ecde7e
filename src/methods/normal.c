/* Normal training: plain BCE, reduced as the protocol reduces it
 * (protocol.md §4.1; under deca mean_pos + mean_neg, §4.1.2): the reference
 * point of every comparison. */
#include "methods/method.h"

static double
normal_loss(method *me, const struct train_ctx *ctx, const batch *b, const float *logit,
	float *dlogit)
{
	(void)me;
	loss_bce(logit, b->label, b->n, ctx->output_prob, ctx->sample_loss, dlogit);
	/* the negatives' mean unweighted whatever neg_ratio (DeCA train.py:181-190) */
	return loss_reduce(b, ctx->sample_loss, dlogit, ctx->reduction, 1);
}

const struct method_ops method_normal = {
	.name = "normal",
	.loss = normal_loss,
};
