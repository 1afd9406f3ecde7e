#include "train/train.h"

#include <string.h>

/* DeCA(p) pre-trains g with a nested run of the loop; only g's parameters
 * matter to it.  Its derived configuration is checked as the cell's was
 * (a refusal there names the derived settings). */
static int
loop_run(struct train_ctx *ctx, method *me, db_err *err)
{
	struct train_log log;
	int rc = train_check(ctx->cfg, ctx->d, err);
	if (!rc)
		rc = train_run(ctx, me, &log, NULL, NULL, err);
	if (!rc)
		train_log_free(&log);
	return rc;
}

static const struct train_loop train_loop = {train_batch_cap_for, loop_run};

void
train_ctx_init(struct train_ctx *ctx, const config *cfg, const dataset *d, model *f)
{
	memset(ctx, 0, sizeof *ctx);
	ctx->cfg = cfg;
	config_settings_parse(&ctx->set, cfg);
	const struct model_ops *mo = model_find(ctx->set.model);
	ctx->d = d;
	ctx->f = f;
	ctx->protocol = ctx->set.protocol;
	ctx->seed = ctx->set.seed;
	ctx->output_prob = ctx->set.output_prob;
	if (ctx->protocol == PROTOCOL_ADT)
		ctx->reduction = REDUCE_MEAN;
	else /* DeCA's CDAE loop sums (protocol.md §4.1.3) */
		ctx->reduction = mo && mo->user_batches ? REDUCE_SUM : REDUCE_SPLIT_MEANS;
	ctx->neg_ratio = ctx->set.neg_ratio;
	ctx->batch_cap = train_batch_cap_for(cfg, d);
	ctx->loop = &train_loop;
}
