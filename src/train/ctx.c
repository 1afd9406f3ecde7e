#include "train/train.h"

#include <string.h>

/* DeCA(p) pre-trains g with a nested run of the loop; only g's parameters
 * matter to it. */
static int
loop_run(struct train_ctx *ctx, method *me, db_err *err)
{
	struct train_log log;
	int rc = train_run(ctx, me, &log, NULL, NULL, err);
	if (!rc)
		train_log_free(&log);
	return rc;
}

static const struct train_loop train_loop = {train_batch_cap_for, loop_run};

void
train_ctx_init(struct train_ctx *ctx, const config *cfg, const dataset *d, model *f)
{
	const struct model_ops *mo = model_find(config_get(cfg, "model"));
	enum config_protocol protocol = config_protocol(cfg);
	int adt = protocol == PROTOCOL_ADT;
	*ctx = (struct train_ctx){.cfg = cfg, .d = d, .f = f, .protocol = protocol,
		.seed = (uint64_t)config_int(cfg, "seed"),
		.output_prob = !strcmp(config_get(cfg, "output"), "prob"),
		.reduction = adt ? REDUCE_MEAN : mo && mo->user_batches ? REDUCE_SUM : REDUCE_SPLIT_MEANS,
		.neg_ratio = (int)config_int(cfg, "neg_ratio"),
		.batch_cap = train_batch_cap_for(cfg, d), .loop = &train_loop};
}
