/* NR, negative feedback re-weighting (Wen et al., RecSys'19, "Leveraging
 * post-click feedback for content recommendations"; the ADT papers' baseline,
 * WSDM'21 Table 4, extended paper §5.3).  Wen et al. train on three kinds of
 * interactions: click-complete (positive), click-skip and non-click (both
 * negative, with different weights).  With the extra feedback of extra.h:
 *   - a known train interaction (u, i) is click-complete: label 1, weight 1;
 *   - any other train line is click-skip, since the extra feedback does not
 *     vouch for it: label 0, weight nr_skip_weight;
 *   - the sampled negatives are non-clicks: label 0, weight 1; they are
 *     redrawn while they are train positives (a phase with exclude_pos), so
 *     that no click is counted as a non-click.
 * This is why NR "will lose extensive positive training interactions" (the
 * extended paper, §5.3): unknown clean clicks become weighted negatives.
 * The batch is the protocol's over all train lines; the weighted BCE is
 * reduced as the protocol reduces (the skip samples stay in the positive
 * slots of deca's split means).  Validation: the default criterion (plain
 * BCE on the validation clicks).  nr_skip_weight defaults to 0.4, the value
 * in the usage example of Wen et al.'s code (p_n_ratio). */
#include <stdlib.h>

#include "methods/extra.h"
#include "methods/method.h"

struct nr {
	struct extra_feedback x;
	float skip_weight;
	float *label, *weight; /* the relabelled batch */
};

static int
nr_create(method *me, const struct train_ctx *ctx, db_err *err)
{
	struct nr *s = db_calloc(1, sizeof *s, err);
	if (!s)
		return DB_ENOMEM;
	me->state = s;
	s->skip_weight = (float)config_double(ctx->cfg, "nr_skip_weight");
	size_t cap = (size_t)ctx->batch_cap;
	s->label = db_calloc(cap, sizeof(float), err);
	s->weight = db_calloc(cap, sizeof(float), err);
	if (!s->label || !s->weight)
		return DB_ENOMEM;
	return extra_select(&s->x, ctx->d, ctx->cfg, ctx->seed, err);
}

/* One phase of the config's epochs, negatives outside the train positives. */
static int
nr_phase(method *me, const struct train_ctx *ctx, int k, struct train_phase *ph)
{
	(void)me;
	(void)ctx;
	ph->exclude_pos = 1;
	return k == 0;
}

static double
nr_loss(method *me, const struct train_ctx *ctx, const batch *b, const float *logit, float *dlogit)
{
	struct nr *s = me->state;
	for (int k = 0; k < b->n; k++) {
		int click = b->label[k] > 0.5f;
		int known = click && data_csr_has(&s->x.pos, b->user[k], b->item[k]);
		s->label[k] = (float)known;
		s->weight[k] = click && !known ? s->skip_weight : 1.0f;
	}
	loss_bce(logit, s->label, b->n, ctx->output_prob, ctx->sample_loss, dlogit);
	for (int k = 0; k < b->n; k++) {
		ctx->sample_loss[k] *= s->weight[k];
		dlogit[k] *= s->weight[k];
	}
	return loss_reduce(b, ctx->sample_loss, dlogit, ctx->reduction, 1);
}

static void
nr_destroy(method *me)
{
	struct nr *s = me->state;
	if (!s)
		return;
	extra_free(&s->x);
	free(s->label);
	free(s->weight);
	free(s);
}

static const struct config_key nr_keys[] = {
	{"nr_skip_weight", CFG_FLOAT, "0.4", NULL, 0,
		"nr: weight of a train line without extra feedback, taken as a negative",
		CFG_RANGE(0, 1e6)},
	{NULL, 0, NULL, NULL, 0, NULL, NULL},
};

const struct method_ops method_nr = {
	.name = "nr",
	.display = "NR",
	.keys = CONFIG_TABLES(nr_keys, METHOD_EXTRA_KEYS),
	.create = nr_create,
	.loss = nr_loss,
	.phase = nr_phase,
	.destroy = nr_destroy,
};
