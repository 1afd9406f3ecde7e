/* T-CE, truncated cross-entropy (protocol.md §4.2, ADT paper eq. 3).
 * Drop rate from the global iteration counter T:
 *   eps(T) = eps_max^exponent * T / (num_gradual - 1)  for T < num_gradual
 *            (numpy linspace from 0 with the endpoint, as the reference),
 *   eps(T) = eps_max                                     otherwise
 * (num_gradual = 0: eps = eps_max from the start).  In a batch of n samples
 * (the WHOLE batch) the n - floor((1 - eps) n) samples with the largest key
 * BCE * t are dropped, so only positives go; L = mean BCE over the kept
 * samples (under both protocols, as the reference computes it), dL/dz = 0
 * for the dropped ones.  Validation: the same truncated mean with the current
 * eps under adt (ADT T_CE/main.py:169), plain BCE under deca.
 * Positives whose rating is below `noisy_below` are noisy (1-5 ratings:
 * default 4, i.e. below the clean threshold; ADT's 0/1 flags: 1); the stats
 * hook reports the drops, the noisy drops and the noisy positives seen. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_sort_float.h>

#include "methods/droprate.h"
#include "methods/method.h"

struct tce {
	int adt;
	struct droprate rate;
	double noisy_below;
	float *key, *dz; /* sort keys; validation scratch */
	size_t *order;
	/* training since the last stats call: positives dropped, of them rated
	 * below noisy_below, and positives rated below noisy_below seen */
	long dropped, dropped_noisy, noisy_seen;
};

static double
tce_rate(const struct tce *s, long T)
{
	return droprate_at(&s->rate, T);
}

/* Truncated BCE reduced as the protocol reduces; counts drops when asked
 * (a negative's rating is NAN: never below noisy_below). */
static double
tce_truncated(struct tce *s, const struct train_ctx *ctx, const batch *b, const float *logit,
	float *dz, int count)
{
	int n = b->n;
	float *l = ctx->sample_loss;
	loss_bce(logit, b->label, n, ctx->output_prob, l, dz);
	for (int k = 0; k < n; k++)
		s->key[k] = l[k] * b->label[k];
	for (int k = 0; count && b->rating && k < n; k++)
		s->noisy_seen += b->rating[k] < s->noisy_below;
	gsl_sort_float_index(s->order, s->key, 1, (size_t)n);
	int keep = (int)floor((1.0 - tce_rate(s, ctx->iteration)) * n);
	for (int j = keep; j < n; j++) {
		size_t k = s->order[j];
		dz[k] = 0;
		l[k] = 0;
		if (count) {
			s->dropped++;
			s->dropped_noisy += b->rating && b->rating[k] < s->noisy_below;
		}
	}
	/* deca's split means count only the kept positives, so that eps = 0 is
	 * exactly Normal training; one mean over the whole batch would halve the
	 * data gradient against the same L2 and, at ml-100k GMF's lambda = 0.1,
	 * collapse the embeddings (measured: R@20 0.022 vs 0.091) */
	return loss_reduce_kept(b, l, dz, ctx->reduction, 1, n - keep);
}

static int
tce_create(method *me, const struct train_ctx *ctx, db_err *err)
{
	struct tce *s = db_calloc(1, sizeof *s, err);
	if (!s)
		return DB_ENOMEM;
	me->state = s;
	size_t cap = (size_t)ctx->batch_cap;
	s->adt = ctx->protocol == PROTOCOL_ADT;
	droprate_parse(&s->rate, ctx->cfg);
	s->noisy_below = ctx->set.noisy_below;
	s->key = db_calloc(cap, sizeof(float), err);
	s->dz = s->key ? db_calloc(cap, sizeof(float), err) : NULL;
	s->order = s->dz ? db_calloc(cap, sizeof(size_t), err) : NULL;
	return s->order ? DB_OK : DB_ENOMEM;
}

static double
tce_loss(method *me, const struct train_ctx *ctx, const batch *b, const float *logit, float *dlogit)
{
	return tce_truncated(me->state, ctx, b, logit, dlogit, 1);
}

static double
tce_valid_loss(method *me, const struct train_ctx *ctx, const batch *b, const float *logit)
{
	struct tce *s = me->state;
	if (s->adt)
		return tce_truncated(s, ctx, b, logit, s->dz, 0);
	return method_plain_valid_loss(ctx, b, logit, s->dz);
}

static void
tce_destroy(method *me)
{
	struct tce *s = me->state;
	if (s) {
		free(s->key);
		free(s->dz);
		free(s->order);
	}
	free(s);
}

/* The data of ADT Fig. 9: precision = dropped_noisy / dropped, recall =
 * dropped_noisy / noisy_seen over each stretch between evaluations. */
static int
tce_stats(method *me, double *out, const char **names, int max)
{
	static const char *const name[] = {"dropped", "dropped_noisy", "noisy_seen"};
	struct tce *s = me->state;
	const long v[] = {s->dropped, s->dropped_noisy, s->noisy_seen};
	int n = max < 3 ? max : 3;
	for (int i = 0; i < n; i++) {
		out[i] = (double)v[i];
		names[i] = name[i];
	}
	s->dropped = s->dropped_noisy = s->noisy_seen = 0;
	return n;
}

/* A ramp longer than the run leaves T-CE near Normal; finetune and warmup
 * say it through their extra_base t-ce. */
static int
tce_warnings(const config *cfg, long iterations, char (*out)[TRAIN_WARNING_LEN], int max)
{
	return droprate_warning(cfg, iterations, "T-CE", ", so T-CE stays close to normal", out,
		max);
}

/* Read by finetune and warmup too (their extra_base t-ce). */
const struct config_key method_tce_keys[] = {
	{"drop_rate", CFG_FLOAT, "0.2", NULL, 0, "T-CE maximum drop rate eps_max (method t-ce)",
		CFG_RANGE(0, 0.99)},
	{"num_gradual", CFG_INT, "30000", NULL, 0,
		"T-CE iterations of the drop-rate ramp (0: eps_max from the start)",
		CFG_RANGE(0, 1e12)},
	{"drop_exponent", CFG_FLOAT, "1", NULL, 0, "T-CE ramp exponent on eps_max",
		CFG_RANGE(0, 100)},
	{NULL, 0, NULL, NULL, 0, NULL, NULL},
};

/* T-CE (eps_max, num_gradual) of the ADT HEAD logs (protocol.md §7.4); on the
 * DeCA datasets (~40 iterations per epoch) the ramp spans ~10 epochs. */
static const struct config_default tce_defaults[] = {
	{"adt", "yelp", "gmf", "t-ce", "drop_rate", "0.1"},
	{"adt", "amazon-book", "gmf", "t-ce", "drop_rate", "0.1"},
	{"adt", "adressa", "gmf", "t-ce", "drop_rate", "0.05"},
	{"adt", "adressa", "neumf", "t-ce", "num_gradual", "1000"},
	{"deca", NULL, NULL, "t-ce", "num_gradual", "400"},
	{NULL, NULL, NULL, NULL, NULL, NULL},
};

const struct method_ops method_tce = {
	.name = "t-ce",
	.display = "T-CE",
	.baseline = 3,
	.defaults = tce_defaults,
	.keys = CONFIG_TABLES(method_tce_keys),
	.create = tce_create,
	.loss = tce_loss,
	.valid_loss = tce_valid_loss,
	.stats = tce_stats,
	.warnings = tce_warnings,
	.destroy = tce_destroy,
};
