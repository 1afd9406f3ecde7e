/* DCF, Double Correction Framework (He et al., KDD'24), as the authors'
 * code (bruno686/DCF, loss.py PLC_uncertain_discard, main.py) computes
 * it; the paper is not in this tree.
 *
 * Per sample with label t and BCE l, at epoch e (from 0; s = e + 1, the
 * global epoch, never reset):
 *   m = (m_prev * s + d(l t)) / (s + 1),  d(x) = ln(1 + x + x^2 / 2)
 *     (the damped loss; a running mean over epochs, negatives add 0),
 *   b = c (s + c ln(2 s) / s^2) / ((n + 1) - c)   (the concentration bound),
 *   a = max(m - b, 0),
 * c = dcf_co_lambda * linspace(1, 0, epochs)[e], n = the times the sample
 * was in the batch's low group (below).  The batch's n samples sorted by
 * ascending a (ties in the order GSL's heapsort
 * leaves them: deterministic, not by position; numpy's argsort is not stable either): with eps(T) the T-CE schedule
 * (drop_rate, num_gradual, drop_exponent; methods/droprate.h) and
 * rr = dcf_relabel_ratio, the first floor((1 - eps) n) are kept, the last
 * n - floor((1 - rr eps) n) "relabelled" and kept too, the rest dropped;
 * the first floor((1 - rr eps) n) are the low group.  The code's relabelled
 * samples take their label from the unchanged train matrix, i.e. keep it
 * (dcf_relabel=keep, default: the highest-loss samples return to training
 * as they were); flip trains them as negatives, the paper's stated intent.
 * The loss is the protocol's reduction over the kept samples with their
 * (relabelled) labels, as T-CE's (a flipped positive joins the negatives'
 * mean under deca); dropped ones get dL/dz = 0.
 * State m_prev, n: the code keys it by the sample's position in the epoch's
 * shuffled loader (dcf_state=position, default), so a position inherits
 * whatever sample sat there in the previous epoch, a negative included;
 * pair keys it by the train pair (negatives: m_prev 0, n 1 always).  Every
 * dcf_time_step epochs (from epoch 0) m_prev = 0 and n = 1; at the end of
 * an epoch m_prev = this epoch's m and n += 1 for the low group.
 * Validation keeps the default criterion (the code's plain BCE).  The stats
 * hook reports, as T-CE's, the positives dropped, those of them rated below
 * noisy_below and the positives so rated seen, plus the relabelled ones. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_sort_float.h>

#include "methods/droprate.h"
#include "methods/method.h"

struct dcf {
	int by_pair, flip, time_step, epochs, epoch;
	struct droprate rate;
	double co_lambda, relabel;
	long offset; /* samples of the epoch before this batch */
	float noisy_below;
	/* since the last stats call: positives dropped, of them noisy, noisy
	 * positives seen, samples relabelled */
	long dropped, dropped_noisy, noisy_seen, relabelled;
	const csr *pos;
	size_t n_state;
	float *prev, *next;       /* m_prev of this epoch, m gathered for the next */
	float *count;             /* n */
	unsigned char *low;       /* in a low group this epoch */
	float *adj, *label;       /* the batch: a, the (relabelled) labels */
	float *kl, *kdz, *klabel; /* the kept samples' l, dz and labels */
	int *key;
	size_t *order;
	unsigned char *kept;
};

/* The state slot of sample k of the batch, or -1 (pair keying: not a
 * train pair, or a negative). */
static long
dcf_key(const struct dcf *s, const batch *b, int k)
{
	if (!s->by_pair) {
		long p = s->offset + k;
		return p < (long)s->n_state ? p : -1;
	}
	if (b->label[k] < 0.5f)
		return -1;
	int u = b->user[k];
	const int *row = s->pos->idx + s->pos->ptr[u];
	const int *p = data_int_find(row, s->pos->ptr[u + 1] - s->pos->ptr[u], b->item[k]);
	return p ? (long)(p - s->pos->idx) : -1;
}

/* Epoch boundary: the gathered means and low-group counts become the
 * state, then the time-step reset. */
static void
dcf_new_epoch(struct dcf *s, int epoch, int first)
{
	for (size_t j = 0; !first && j < s->n_state; j++) {
		s->prev[j] = s->next[j];
		s->count[j] += s->low[j];
	}
	for (size_t j = 0; j < s->n_state; j++) {
		if (epoch % s->time_step == 0) {
			s->prev[j] = 0;
			s->count[j] = 1;
		}
		/* a position the epoch does not reach keeps a zero mean, as the
		 * code's list of this epoch's means replaces the whole array */
		s->next[j] = 0;
		s->low[j] = 0;
	}
	s->epoch = epoch;
	s->offset = 0;
}

/* a of every sample of the batch, as above; the means gathered. */
static void
dcf_adjusted(struct dcf *s, const struct train_ctx *ctx, const batch *b, const float *l)
{
	double e = ctx->epoch, sp = e + 1;
	double c = s->co_lambda * (s->epochs > 1 ? 1 - e / (s->epochs - 1) : 1);
	for (int k = 0; k < b->n; k++) {
		long j = s->key[k] = (int)dcf_key(s, b, k);
		double x = (double)l[k] * b->label[k];
		double damped = log(1 + x + x * x / 2);
		double m = ((j >= 0 ? s->prev[j] : 0) * sp + damped) / (sp + 1);
		double n = j >= 0 ? s->count[j] : 1;
		double bound = c * (sp + c * log(2 * sp) / (sp * sp)) / ((n + 1) - c);
		s->adj[k] = (float)fmax(m - bound, 0);
		if (j >= 0)
			s->next[j] = (float)m;
	}
}

/* Marks the kept samples and the low group; a flipped relabel changes the
 * sample's label and recomputes its l and dz.  Returns the kept count. */
static int
dcf_select(struct dcf *s, const struct train_ctx *ctx, const batch *b, const float *logit, float *l,
	float *dz)
{
	int n = b->n;
	gsl_sort_float_index(s->order, s->adj, 1, (size_t)n);
	double eps = droprate_at(&s->rate, ctx->iteration);
	/* the code's int() of the same double expressions */
	int keep = (int)floor((1.0 - eps) * n);
	int high = (int)floor(((1 - s->relabel) + s->relabel * (1.0 - eps)) * n);
	int kept = 0;
	for (int j = 0; j < n; j++) {
		size_t k = s->order[j];
		s->label[k] = b->label[k];
		s->kept[k] = j < keep || j >= high;
		kept += s->kept[k];
		if (j < high && s->key[k] >= 0)
			s->low[s->key[k]] = 1;
		int pos = b->label[k] > 0.5f;
		int noisy = pos && b->rating && b->rating[k] < s->noisy_below;
		s->noisy_seen += noisy;
		s->relabelled += j >= high;
		if (!s->kept[k] && pos) {
			s->dropped++;
			s->dropped_noisy += noisy;
		}
		if (j >= high && s->flip && pos) {
			s->label[k] = 0;
			loss_bce(logit + k, s->label + k, 1, ctx->output_prob, l + k, dz + k);
		}
	}
	return kept;
}

static double
dcf_loss(method *me, const struct train_ctx *ctx, const batch *b, const float *logit, float *dlogit)
{
	struct dcf *s = me->state;
	if (ctx->epoch != s->epoch)
		dcf_new_epoch(s, ctx->epoch, s->epoch < 0);
	float *l = ctx->sample_loss;
	loss_bce(logit, b->label, b->n, ctx->output_prob, l, dlogit);
	dcf_adjusted(s, ctx, b, l);
	dcf_select(s, ctx, b, logit, l, dlogit);
	s->offset += b->n;
	/* the protocol's reduction over the kept samples alone, in batch order */
	batch kb = {.label = s->klabel};
	int m = 0;
	for (int k = 0; k < b->n; k++)
		if (s->kept[k]) {
			s->kl[m] = l[k];
			s->kdz[m] = dlogit[k];
			kb.label[m] = s->label[k];
			kb.n_pos += s->label[k] > 0.5f;
			m++;
		}
	kb.n = kb.cap = m;
	double total = loss_reduce(&kb, s->kl, s->kdz, ctx->reduction, 1);
	for (int k = 0, j = 0; k < b->n; k++)
		dlogit[k] = s->kept[k] ? s->kdz[j++] : 0;
	return total;
}

static int
dcf_create(method *me, const struct train_ctx *ctx, db_err *err)
{
	const config *c = ctx->cfg;
	const dataset *d = ctx->d;
	struct dcf *s = db_calloc(1, sizeof *s, err);
	if (!s)
		return DB_ENOMEM;
	me->state = s;
	s->by_pair = strcmp(config_get(c, "dcf_state"), "pair") == 0;
	s->flip = strcmp(config_get(c, "dcf_relabel"), "flip") == 0;
	s->time_step = (int)config_int(c, "dcf_time_step");
	s->co_lambda = config_double(c, "dcf_co_lambda");
	s->relabel = config_double(c, "dcf_relabel_ratio");
	droprate_parse(&s->rate, c);
	s->epochs = ctx->set.epochs;
	s->noisy_below = (float)ctx->set.noisy_below;
	s->pos = &d->train_pos;
	s->epoch = -1;
	/* position keying: an epoch has at most every train line with its
	 * neg_ratio negatives (one under adt) */
	int negs = ctx->neg_ratio > 1 ? ctx->neg_ratio : 1;
	s->n_state = s->by_pair ? (size_t)d->train_pos.ptr[d->n_users]
				: (size_t)d->train.n * (size_t)(1 + negs);
	size_t N = s->n_state ? s->n_state : 1, cap = (size_t)ctx->batch_cap;
	s->prev = db_calloc(N, sizeof(float), err);
	s->next = s->prev ? db_calloc(N, sizeof(float), err) : NULL;
	s->count = s->next ? db_calloc(N, sizeof(float), err) : NULL;
	s->low = s->count ? db_calloc(N, 1, err) : NULL;
	s->adj = s->low ? db_calloc(cap, sizeof(float), err) : NULL;
	s->label = s->adj ? db_calloc(cap, sizeof(float), err) : NULL;
	s->kl = s->label ? db_calloc(cap, sizeof(float), err) : NULL;
	s->kdz = s->kl ? db_calloc(cap, sizeof(float), err) : NULL;
	s->klabel = s->kdz ? db_calloc(cap, sizeof(float), err) : NULL;
	s->key = s->klabel ? db_calloc(cap, sizeof(int), err) : NULL;
	s->order = s->key ? db_calloc(cap, sizeof(size_t), err) : NULL;
	s->kept = s->order ? db_calloc(cap, 1, err) : NULL;
	return s->kept ? DB_OK : DB_ENOMEM;
}

static int
dcf_stats(method *me, double *out, const char **names, int max)
{
	static const char *const name[] = {"dropped", "dropped_noisy", "noisy_seen", "relabelled"};
	struct dcf *s = me->state;
	const long v[] = {s->dropped, s->dropped_noisy, s->noisy_seen, s->relabelled};
	int n = max < 4 ? max : 4;
	for (int i = 0; i < n; i++) {
		out[i] = (double)v[i];
		names[i] = name[i];
	}
	s->dropped = s->dropped_noisy = s->noisy_seen = s->relabelled = 0;
	return n;
}

static void
dcf_destroy(method *me)
{
	struct dcf *s = me->state;
	if (s) {
		free(s->prev);
		free(s->next);
		free(s->count);
		free(s->low);
		free(s->adj);
		free(s->label);
		free(s->kl);
		free(s->kdz);
		free(s->klabel);
		free(s->key);
		free(s->order);
		free(s->kept);
	}
	free(s);
}

/* Defaults are the authors' code's; hashed only when set, so that adding
 * them left every earlier cell's id as it was. */
static const struct config_key dcf_keys[] = {
	{"dcf_co_lambda", CFG_FLOAT, "1e-4", NULL, CFG_HASH_SET,
		"dcf: sigma^2 of the concentration bound (code --co_lambda), decayed linearly to 0 "
		"over the epochs",
		CFG_RANGE(0, 0.5)},
	{"dcf_relabel_ratio", CFG_FLOAT, "0.05", NULL, CFG_HASH_SET,
		"dcf: share rr of the drop rate whose highest-loss samples are relabelled (code "
		"--relabel_ratio)",
		CFG_RANGE(0, 1)},
	{"dcf_time_step", CFG_INT, "3", NULL, CFG_HASH_SET,
		"dcf: epochs between resets of the running mean and the selection counts (code "
		"--time_step)",
		CFG_RANGE(1, 1e6)},
	{"dcf_state", CFG_CHOICE, "position", "position|pair", CFG_HASH_SET,
		"dcf: running means keyed by the sample's position in the epoch's shuffled batches "
		"(the code's) or by the train pair",
		NULL},
	{"dcf_relabel", CFG_CHOICE, "keep", "keep|flip", CFG_HASH_SET,
		"dcf: relabelled samples keep their label (the code reads it back from the "
		"unchanged "
		"train matrix) or train as negatives (the paper's stated intent)",
		NULL},
	{NULL, 0, NULL, NULL, 0, NULL, NULL},
};

/* DCF's drop schedule is T-CE's: the same ramp under deca. */
static const struct config_default dcf_defaults[] = {
	{"deca", NULL, NULL, "dcf", "num_gradual", "400"},
	{NULL, NULL, NULL, NULL, NULL, NULL},
};

/* T-CE's ramp longer than the run: few samples dropped or relabelled. */
static int
dcf_warnings(const config *cfg, long iterations, char (*out)[TRAIN_WARNING_LEN], int max)
{
	return droprate_warning(cfg, iterations, "DCF", ", so DCF stays close to normal", out, max);
}

const struct method_ops method_dcf = {
	.name = "dcf",
	.display = "DCF",
	.baseline = 9,
	.defaults = dcf_defaults,
	.keys = CONFIG_TABLES(method_tce_keys, dcf_keys),
	.create = dcf_create,
	.loss = dcf_loss,
	.stats = dcf_stats,
	.warnings = dcf_warnings,
	.destroy = dcf_destroy,
};
