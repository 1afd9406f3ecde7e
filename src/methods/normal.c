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

/* DeCA's configs.py, Normal baseline: epochs / early_stop / lambda0
 * (protocol.md §7.1).  The paper trains its other baselines (T-CE, R-CE,
 * WBPR, Ensemble, Clean) with the Normal settings of the cell, so these rows
 * name no method: they are every method's defaults, and a method's own rows
 * (DeCA's and DeCA(p)'s set all three keys of these cells) win. */
static const struct config_default normal_defaults[] = {
#define NORMAL(ds, m, ep, es, l2)                                                                  \
	{"deca", ds, m, NULL, "epochs", ep}, {"deca", ds, m, NULL, "early_stop", es},              \
	{                                                                                          \
		"deca", ds, m, NULL, "l2", l2                                                      \
	}
	NORMAL("ml-100k", "gmf", "20", "true", "0.1"),
	NORMAL("ml-100k", "neumf", "100", "true", "0.01"),
	NORMAL("modcloth", "gmf", "40", "true", "0.1"),
	NORMAL("modcloth", "neumf", "40", "true", "10"),
	NORMAL("adressa", "gmf", "10", "true", "0.01"),
	NORMAL("adressa", "neumf", "10", "true", "1"),
	NORMAL("electronics", "gmf", "10", "true", "0.01"),
	NORMAL("electronics", "neumf", "10", "false", "100"),
	NORMAL("ml-100k", "lightgcn", "200", "true", "0.01"),
	NORMAL("modcloth", "lightgcn", "40", "false", "0.1"),
	NORMAL("adressa", "lightgcn", "15", "false", "0.01"),
	NORMAL("electronics", "lightgcn", "10", "false", "0.01"),
	NORMAL("ml-100k", "cdae", "200", "false", "1.0"),
	NORMAL("modcloth", "cdae", "40", "false", "1"),
	NORMAL("adressa", "cdae", "50", "true", "1"),
	NORMAL("electronics", "cdae", "15", "false", "0.1"),
#undef NORMAL
	{NULL, NULL, NULL, NULL, NULL, NULL},
};

const struct method_ops method_normal = {
	.name = "normal",
	.display = "Normal",
	.baseline = 1,
	.defaults = normal_defaults,
	.loss = normal_loss,
};
