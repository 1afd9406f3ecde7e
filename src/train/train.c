#include "train/train.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "methods/sampler.h"
#include "nn/adam.h"
#include "nn/rng.h"
#include "train/diag.h"
#include "train/select.h"
#include "util/timer.h"

_Static_assert(METHOD_MAX_STATS <= TRAIN_LOG_MAX_STATS,
	"a log point holds every counter a method reports");

/* Everything one run allocates, once, before the first batch. */
struct loop {
	sampler train, valid;
	gsl_rng *r_shuffle, *r_neg, *r_vshuffle, *r_vneg;
	batch b;
	float *logit, *dlogit, *best;
	enum config_selection rule; /* the configured one: its parameters end in ctx->f */
	/* per rule (the configured one and also's): the lowest criterion so
	 * far, the parameters then (best or also's buffer; NULL for last) and
	 * whether it holds this phase's, the iteration of the tested ones */
	struct kept {
		float *param;
		int saved;
		double best;
		long iteration;
	} keep[CONFIG_SELECT_COUNT];
	unsigned rules;  /* 1u << rule for the configured rule and also's */
	int oracle;      /* an oracle rule: index of oracle_metric in the hook's values */
	double *revised; /* selection=revised: the validation positives' losses */
	adam opt;
	struct diag_counts counts;
	double eval_seen[METHOD_MAX_STATS]; /* counts at the last evaluation point */
	/* the diag_freq series; the oracle's at the evaluation points (diag
	 * itself when the configured rule is the oracle, NULL without one) and
	 * the log it goes to */
	struct diag_state diag, odiag, *od;
	struct train_log *olog;
};

static void
loop_free(struct loop *L)
{
	sampler_free(&L->train);
	sampler_free(&L->valid);
	gsl_rng *rs[] = {L->r_shuffle, L->r_neg, L->r_vshuffle, L->r_vneg};
	for (int i = 0; i < 4; i++)
		if (rs[i])
			gsl_rng_free(rs[i]);
	batch_free(&L->b);
	free(L->logit);
	free(L->dlogit);
	free(L->best);
	free(L->revised);
	adam_free(&L->opt);
}

/* Samples in the largest batch a run under s forms (train_batch_cap_for),
 * in long: train_check refuses a run whose batches exceed TRAIN_MAX_BATCH. */
static long
batch_cap(const struct config_settings *s)
{
	long bs = s->batch_size, nr = s->neg_ratio;
	return s->protocol == PROTOCOL_ADT ? bs : bs * (1 + nr);
}

static long
batch_cap_for(const struct config_settings *s, const dataset *d)
{
	long cap = batch_cap(s);
	const struct model_ops *mo = model_find(s->model);
	if (mo && mo->user_batches && s->protocol != PROTOCOL_ADT) {
		long users = sampler_user_chunk_cap(&d->train_pos, s->batch_size, s->neg_ratio);
		if (users > cap)
			cap = users;
	}
	return cap;
}

/* Batch positions are ints, and the settings' ranges alone allow 1e11.
 * The two validation cadences would name their points differently (an
 * in-epoch point by the batches before it, an epoch end by the batches
 * done) and validate the same parameters twice: one of them at a time. */
int
train_check(const config *cfg, const dataset *d, db_err *err)
{
	struct config_settings s;
	config_settings_parse(&s, cfg);
	long samples = batch_cap_for(&s, d);
	if (samples > TRAIN_MAX_BATCH)
		return db_fail(err, DB_EINVAL,
			"batch_size %d with neg_ratio %d makes batches of %ld "
			"samples; at most %d",
			s.batch_size, s.neg_ratio, samples, TRAIN_MAX_BATCH);
	if (s.eval_freq > 0 && s.eval_epochs > 0)
		return db_fail(err, DB_EINVAL,
			"eval_freq %ld and eval_epochs %ld are both set: "
			"validate every eval_freq iterations or at every eval_epochs-th epoch end, "
			"not both (set one to 0)",
			s.eval_freq, s.eval_epochs);
	return DB_OK;
}

static int
method_draw(void *arg, int user, gsl_rng *r)
{
	method *me = arg;
	return me->ops->draw_negative(me, user, r);
}

/* The training sampler of a phase: the method's positives (or the train
 * lines), the protocol's batches, the phase's rejection rule. */
static int
phase_sampler(struct loop *L, struct train_ctx *ctx, method *me, const struct train_phase *ph,
	db_err *err)
{
	int adt = ctx->protocol == PROTOCOL_ADT;
	int bs = ctx->set.batch_size;
	const interactions *src =
		me->ops->train_source ? me->ops->train_source(me, ctx) : &ctx->d->train;
	if (src->n == 0)
		return db_fail(err, DB_EINVAL, "method '%s' leaves no training interaction",
			me->ops->name);
	sampler_free(&L->train);
	enum sampler_kind kind = adt        ? SAMPLER_MIXED
		: ctx->f->ops->user_batches ? SAMPLER_USERS
					    : SAMPLER_PAIRS;
	int rc = sampler_create(&L->train, kind, ctx->d, src, bs, ctx->neg_ratio, ph->exclude_pos,
		L->r_shuffle, L->r_neg, err);
	if (!rc && me->ops->draw_negative) {
		L->train.draw = method_draw;
		L->train.draw_ctx = me;
	}
	if (!rc && kind == SAMPLER_USERS && ctx->f->ops->set_inputs)
		ctx->f->ops->set_inputs(ctx->f, &L->train.rows);
	return rc;
}

static int
loop_init(struct loop *L, struct train_ctx *ctx, method *me, const struct train_phase *ph,
	db_err *err)
{
	const dataset *d = ctx->d;
	int bs = ctx->set.batch_size;
	int rc;
	memset(L, 0, sizeof *L);
	long samples = batch_cap_for(&ctx->set, d);
	L->r_shuffle = rng_stream(ctx->seed, "train-shuffle");
	L->r_neg = rng_stream(ctx->seed, "train-negatives");
	L->r_vshuffle = rng_stream(ctx->seed, "valid-shuffle");
	L->r_vneg = rng_stream(ctx->seed, "valid-negatives");
	if (!L->r_shuffle || !L->r_neg || !L->r_vshuffle || !L->r_vneg)
		return db_fail(err, DB_ENOMEM, "out of memory (rng)");
	if ((rc = phase_sampler(L, ctx, me, ph, err)))
		return rc;
	/* validation (§2.4): one fresh negative per valid positive at every
	 * evaluation (NCFData with num_ng = NSR = 1 in both codes, whatever the
	 * training ratio), rejected against train, shuffled into mixed batches
	 * of batch_size samples: the loader's batch_size, not the deca training
	 * batch's bs * (1 + neg_ratio) */
	if (d->valid.n > 0 &&
		(rc = sampler_create(&L->valid, SAMPLER_MIXED, d, &d->valid, bs, 1, 1,
			 L->r_vshuffle, L->r_vneg, err)))
		return rc;
	/* the bound over the whole train data: a later phase (warm-up's second)
	 * may draw from more lines than the first phase's sampler */
	int cap = (int)samples;
	if (sampler_batch_cap(&L->train) > cap)
		cap = sampler_batch_cap(&L->train);
	if (d->valid.n > 0 && sampler_batch_cap(&L->valid) > cap)
		cap = sampler_batch_cap(&L->valid);
	if ((rc = batch_alloc(&L->b, cap, err)))
		return rc;
	L->logit = db_calloc((size_t)cap, sizeof(float), err);
	L->dlogit = db_calloc((size_t)cap, sizeof(float), err);
	ctx->sample_loss = db_calloc((size_t)cap, sizeof(float), err);
	L->rule = ctx->set.selection;
	if (L->rule != CONFIG_SELECT_LAST)
		L->best = db_calloc(ctx->f->n_params, sizeof(float), err);
	L->keep[L->rule].param = L->best;
	L->rules = 1u << L->rule;
	if (L->rule == CONFIG_SELECT_REVISED && d->valid.n > 0)
		L->revised = db_calloc((size_t)d->valid.n, sizeof(double), err);
	if (!L->logit || !L->dlogit || !ctx->sample_loss ||
		(L->rule != CONFIG_SELECT_LAST && !L->best) ||
		(L->rule == CONFIG_SELECT_REVISED && d->valid.n > 0 && !L->revised))
		return DB_ENOMEM;
	return adam_create(&L->opt, ctx->f->n_params, &ctx->set.adam, err);
}

/* selection=revised: the study's ERM_RE criterion over the validation
 * batches, whatever the method (its code computes it for ERM only). */
static double
revised_loss(struct loop *L, struct train_ctx *ctx)
{
	model *f = ctx->f;
	double neg_sum = 0;
	long npos = 0, nneg = 0;
	sampler_begin_epoch(&L->valid);
	while (sampler_next(&L->valid, &L->b)) {
		f->ops->forward(f, &L->b, L->logit);
		loss_bce(L->logit, L->b.label, L->b.n, ctx->output_prob, ctx->sample_loss,
			L->dlogit);
		for (int k = 0; k < L->b.n; k++)
			if (L->b.label[k] > 0.5f)
				L->revised[npos++] = ctx->sample_loss[k];
			else {
				neg_sum += ctx->sample_loss[k];
				nneg++;
			}
	}
	return train_revised_criterion(L->revised, npos, neg_sum, nneg, ctx->set.revised_drop);
}

/* The model's own criterion (CDAE, §5.3; its sum over user chunks under
 * valid_reduce=mean too), else the sum over validation batches of the
 * batch criterion (§5.1, §5.2) or their mean (recsys25), or the revised
 * criterion (selection=revised), in evaluation mode. */
static double
validation_loss(struct loop *L, struct train_ctx *ctx, method *me)
{
	model *f = ctx->f;
	double total = 0;
	long nb = 0;
	if (L->rule != CONFIG_SELECT_REVISED && f->ops->valid_loss &&
		f->ops->valid_loss(f, ctx->d, &total))
		return total;
	if (f->ops->set_mode)
		f->ops->set_mode(f, 0);
	if (L->rule == CONFIG_SELECT_REVISED)
		total = revised_loss(L, ctx);
	else {
		sampler_begin_epoch(&L->valid);
		for (; sampler_next(&L->valid, &L->b); nb++) {
			f->ops->forward(f, &L->b, L->logit);
			total += method_valid_loss(me, ctx, &L->b, L->logit, L->dlogit);
		}
		if (nb && ctx->set.valid_mean)
			total /= (double)nb;
	}
	if (f->ops->set_mode)
		f->ops->set_mode(f, 1);
	return total;
}

static int
log_point(struct train_log *log, struct train_point p, db_err *err)
{
	if (log->n_points == log->cap_points) {
		int cap = log->cap_points ? 2 * log->cap_points : 64;
		struct train_point *np = realloc(log->points, (size_t)cap * sizeof *np);
		if (!np)
			return db_fail(err, DB_ENOMEM, "out of memory");
		log->points = np;
		log->cap_points = cap;
	}
	log->points[log->n_points++] = p;
	return DB_OK;
}

/* The training losses between two evaluation points: the batch losses and
 * the plain BCE of the noisy [0] and clean [1] positives. */
struct window {
	float noisy_below;
	double loss_sum, bce_sum[2];
	long loss_n, bce_n[2];
};

/* One batch: forward, loss, backward, L2 + Adam.  Returns the loss. */
static double
train_step(struct loop *L, struct train_ctx *ctx, method *me, double l2, struct window *w)
{
	model *f = ctx->f;
	/* f->grad is zero here: model_step leaves it so */
	f->ops->forward(f, &L->b, L->logit);
	/* computed once: the diagnostics window takes this batch's share of
	 * the evaluation window's sums */
	double sum0[2] = {w->bce_sum[0], w->bce_sum[1]};
	long n0[2] = {w->bce_n[0], w->bce_n[1]};
	loss_bce_by_rating(&L->b, L->logit, ctx->output_prob, w->noisy_below, w->bce_sum, w->bce_n);
	for (int k = 0; k < 2; k++)
	{
		diag_batch(&L->diag, k, w->bce_sum[k] - sum0[k], w->bce_n[k] - n0[k]);
		if (L->od == &L->odiag)
			diag_batch(&L->odiag, k, w->bce_sum[k] - sum0[k], w->bce_n[k] - n0[k]);
	}
	double loss = method_loss(me, ctx, &L->b, L->logit, L->dlogit);
	f->ops->backward(f, &L->b, L->dlogit);
	if (me->ops->before_step)
		loss += me->ops->before_step(me, ctx);
	loss += model_step(f, &L->opt, l2);
	if (me->ops->after_step)
		me->ops->after_step(me, ctx);
	return loss;
}

static double
window_mean(double sum, long n)
{
	return n ? sum / (double)n : NAN;
}

/* Logs the evaluation point at validation loss v with the window's means
 * and the method's counters, and starts the next window. */
static int
take_point(struct loop *L, struct train_log *log, method *me, const struct train_ctx *ctx,
	double v, struct window *w, db_err *err)
{
	struct train_point p = {ctx->iteration, ctx->epoch + 1, v,
		window_mean(w->loss_sum, w->loss_n), window_mean(w->bce_sum[1], w->bce_n[1]),
		window_mean(w->bce_sum[0], w->bce_n[0]), {0}};
	diag_counts_take(&L->counts, me, log);
	diag_counts_since(&L->counts, L->eval_seen, p.stat, log->n_stats);
	*w = (struct window){.noisy_below = w->noisy_below};
	return log_point(log, p, err);
}

/* Model selection state of the protocols (the rules' own: L->keep). */
struct selection {
	int early_stop, rounds, increases;
	double last;
};

/* Rule r keeps the parameters when criterion c is strictly the lowest so
 * far (adt §5.1, recsys25: the first minimum, as pandas' idxmin). */
static void
select_keep(struct loop *L, enum config_selection r, struct train_ctx *ctx, method *me, double c)
{
	struct kept *k = &L->keep[r];
	if (k->param && c < k->best) {
		k->best = c;
		memcpy(k->param, ctx->f->param, ctx->f->n_params * sizeof(float));
		if (r == L->rule && me->ops->checkpoint)
			me->ops->checkpoint(me, 0);
		k->saved = 1;
		k->iteration = ctx->iteration;
	}
}

/* Validation bookkeeping at an evaluation point with validation loss v and
 * selection criterion c; returns 1 to stop.  deca (§5.2): count increases
 * over the immediately preceding loss, cumulatively, and stop at the
 * rounds-th when early stopping is on. */
static int
select_update(struct selection *s, struct loop *L, struct train_ctx *ctx, method *me, double v,
	double c)
{
	for (int r = 0; r < CONFIG_SELECT_COUNT; r++)
		if (L->rules >> r & 1)
			select_keep(L, r, ctx, me, r == CONFIG_SELECT_ORACLE ? c : v);
	if (v > s->last)
		s->increases++;
	s->last = v;
	return s->early_stop && s->increases >= s->rounds;
}

/* selection=oracle: a diagnostics point with the test metrics now (after
 * `done` batches); its criterion is minus oracle_metric, so that the
 * first best test value wins. */
static int
oracle_point(struct loop *L, method *me, struct train_ctx *ctx, long done, double *c, db_err *err)
{
	struct train_log *log = L->olog;
	int n = log->n_diag;
	int rc = diag_point(L->od, log, me, ctx, done, 1, err);
	if (!rc && log->n_diag == n + 1)
		*c = -log->diag[n].test[L->oracle];
	return rc;
}

/* An evaluation point after `done` batches: validation, its curve line and
 * the selection; *stop = 1 to stop early. */
static int
eval_point(struct loop *L, struct train_ctx *ctx, method *me, struct selection *sel,
	struct window *w, struct train_log *log, long done, int *stop, db_err *err)
{
	double t = timer_now(), c = INFINITY;
	/* before take_point: the method's counters go to the curve line */
	int rc = L->od ? oracle_point(L, me, ctx, done, &c, err) : DB_OK;
	double v = validation_loss(L, ctx, me);
	log->seconds_valid += timer_now() - t;
	if (!rc)
		rc = take_point(L, log, me, ctx, v, w, err);
	if (rc)
		return rc;
	*stop = select_update(sel, L, ctx, me, v, c);
	log->stopped_early = *stop;
	return DB_OK;
}

static int
run_epochs(struct loop *L, struct train_ctx *ctx, method *me, const struct train_phase *ph,
	struct train_log *log, train_progress_fn progress, void *parg, db_err *err)
{
	int epochs = ph->epochs;
	long eval_freq = ctx->set.eval_freq;
	long eval_epochs = ctx->set.eval_epochs;
	double l2 = ctx->set.l2;
	struct selection sel = {.early_stop = ctx->set.early_stop,
		.rounds = ctx->set.early_stop_rounds,
		.last = 1e9};
	for (int r = 0; r < CONFIG_SELECT_COUNT; r++)
		L->keep[r].best = INFINITY;
	struct window w = {.noisy_below = (float)ctx->set.noisy_below};
	int stop = 0;
	for (int epoch = 0; epoch < epochs && !stop; epoch++) {
		ctx->epoch = epoch;
		sampler_begin_epoch(&L->train);
		while (!stop && sampler_next(&L->train, &L->b)) {
			double loss = train_step(L, ctx, me, l2, &w);
			if (!isfinite(loss))
				return db_fail(err, DB_EDIVERGE,
					"training diverged at iteration %ld (epoch %d): loss %g",
					ctx->iteration, epoch + 1, loss);
			w.loss_sum += loss;
			w.loss_n++;
			diag_loss(&L->diag, loss);
			if (L->od == &L->odiag)
				diag_loss(&L->odiag, loss);
			log->samples += L->b.n;
			/* before the evaluation point of the same batch: the
			 * counters it takes are then those since this point */
			int rc = diag_point(&L->diag, log, me, ctx, ctx->iteration + 1, 0, err);
			if (rc)
				return rc;
			/* the reference tests `count % eval_freq == 0 and count != 0`
			 * after the step of batch `count` and validates (T-CE with
			 * eps(count)), then increments count; its CDAE loop drops
			 * `count != 0` (§5.3) */
			long count = ctx->iteration;
			if (L->valid.order && eval_freq > 0 && count % eval_freq == 0 &&
				(count || ctx->f->ops->user_batches)) {
				if ((rc = eval_point(L, ctx, me, &sel, &w, log, count + 1, &stop,
					     err)))
					return rc;
				if (progress)
					progress(parg, ctx, log);
			}
			ctx->iteration++;
		}
		/* recsys25: validation and test after the epoch, count = the
		 * batches done (EvalDenoisingRec main.py, code/DeCA/train.py) */
		if (!stop && L->valid.order && eval_epochs > 0 && (epoch + 1) % eval_epochs == 0) {
			int rc = eval_point(L, ctx, me, &sel, &w, log, ctx->iteration, &stop, err);
			if (rc)
				return rc;
		}
		log->epochs_run++;
		if (progress)
			progress(parg, ctx, log);
	}
	/* the oracle's last candidate: the final parameters, when batches
	 * followed the last evaluation point */
	double c = INFINITY;
	int rc = L->od == &L->diag ? DB_OK : diag_point(&L->diag, log, me, ctx, ctx->iteration, 1, err);
	if (!rc && L->od)
		rc = oracle_point(L, me, ctx, ctx->iteration, &c, err);
	if (!rc && c < INFINITY)
		select_keep(L, CONFIG_SELECT_ORACLE, ctx, me, c);
	return rc;
}

/* Phase k of the method (the config's epochs and rejection rule preset);
 * 0 when there is none. */
static int
phase_get(const struct train_ctx *ctx, method *me, int k, struct train_phase *ph)
{
	ph->epochs = ctx->set.epochs;
	ph->exclude_pos = ctx->set.neg_exclude_pos;
	return me->ops->phase ? me->ops->phase(me, ctx, k, ph) : k == 0;
}

/* Later phases: the new phase's sampler and a fresh Adam. */
static int
phase_reset(struct loop *L, struct train_ctx *ctx, method *me, const struct train_phase *ph,
	db_err *err)
{
	int rc = phase_sampler(L, ctx, me, ph, err);
	adam_free(&L->opt);
	return rc ? rc : adam_create(&L->opt, ctx->f->n_params, &ctx->set.adam, err);
}

/* End of a phase: the parameters the protocol selects (the best-validation
 * ones of this phase, else the last). */
static void
select_restore(struct loop *L, struct train_ctx *ctx, method *me, struct train_log *log,
	struct train_also *also)
{
	for (int r = 0; also && r < CONFIG_SELECT_COUNT; r++) {
		struct kept *k = &L->keep[r];
		if (!(also->mask >> r & 1) || r == (int)L->rule)
			continue;
		if (!k->saved) { /* last, or a rule that never kept: the final ones */
			memcpy(also->param[r], ctx->f->param, ctx->f->n_params * sizeof(float));
			k->iteration = ctx->iteration;
		}
		also->selected_iteration[r] = k->iteration;
	}
	struct kept *k = &L->keep[L->rule];
	if (k->saved) {
		model_set_params(ctx->f, k->param);
		if (me->ops->checkpoint)
			me->ops->checkpoint(me, 1);
		log->selected_iteration = k->iteration;
	} else {
		log->selected_iteration = ctx->iteration;
	}
	if (also)
		also->selected_iteration[L->rule] = log->selected_iteration;
}

int
train_run(struct train_ctx *ctx, method *me, struct train_log *log, train_progress_fn progress,
	void *progress_arg, db_err *err)
{
	return train_run_diag(ctx, me, log, progress, progress_arg, NULL, NULL, err);
}

/* The oracle's series and the rules of also (phase 0, before training). */
static int
rules_init(struct loop *L, struct train_ctx *ctx, struct train_log *log,
	const struct train_diag_hook *hook, struct train_also *also, db_err *err)
{
	if (also) {
		L->rules |= also->mask;
		for (int r = 0; r < CONFIG_SELECT_COUNT; r++)
			if (also->mask >> r & 1 && r != (int)L->rule)
				L->keep[r].param = r == CONFIG_SELECT_LAST ? NULL : also->param[r];
	}
	L->od = L->rule == CONFIG_SELECT_ORACLE         ? &L->diag
		: L->rules >> CONFIG_SELECT_ORACLE & 1 ? &L->odiag
						       : NULL;
	L->olog = L->od == &L->odiag ? also->olog : log;
	if (!L->od)
		return DB_OK;
	L->od->hook = hook;
	L->olog->diag_hook = hook;
	L->oracle = train_oracle_index(ctx->set.oracle_metric, hook, err);
	return L->oracle < 0 ? DB_EINVAL : diag_at_eval(L->od);
}

int
train_share_rule(const struct method_ops *mt, enum config_selection rule)
{
	return !mt->phase && !mt->checkpoint &&
		(rule == CONFIG_SELECT_BEST || rule == CONFIG_SELECT_LAST);
}

int
train_run_diag(struct train_ctx *ctx, method *me, struct train_log *log, train_progress_fn progress,
	void *progress_arg, const struct train_diag_hook *hook, struct train_also *also,
	db_err *err)
{
	struct loop L;
	struct train_phase ph;
	memset(log, 0, sizeof *log);
	memset(&L, 0, sizeof L);
	if (also && (!train_share_rule(me->ops, ctx->set.selection) ||
			     also->mask >> CONFIG_SELECT_REVISED & 1))
		return db_fail(err, DB_EINVAL,
			"shared training: method %s, selection %s: expected a one-phase method "
			"without a checkpoint, selection best or last, and no revised rule",
			me->ops->name, config_get(ctx->cfg, "selection"));
	double t0 = timer_now();
	int rc = DB_OK;
	for (int k = 0; !rc && phase_get(ctx, me, k, &ph); k++) {
		ctx->phase = k;
		ctx->phase_epochs = ph.epochs;
		rc = k ? phase_reset(&L, ctx, me, &ph, err) : loop_init(&L, ctx, me, &ph, err);
		/* the configured series measures the test only when asked to */
		L.diag.hook = L.rule == CONFIG_SELECT_ORACLE || ctx->set.diag_test ? hook : NULL;
		log->diag_hook = L.diag.hook;
		L.diag.counts = L.odiag.counts = &L.counts;
		if (!rc) {
			diag_phase(&L.diag, ctx, me, &ph);
			diag_phase(&L.odiag, ctx, me, &ph);
		}
		if (!rc)
			rc = rules_init(&L, ctx, log, hook, also, err);
		log->selected_iteration = 0;
		for (int r = 0; r < CONFIG_SELECT_COUNT; r++)
			L.keep[r].saved = 0;
		if (!rc)
			rc = run_epochs(&L, ctx, me, &ph, log, progress, progress_arg, err);
		if (!rc)
			select_restore(&L, ctx, me, log, also);
	}
	log->iterations = ctx->iteration;
	log->seconds_train = timer_now() - t0 - log->seconds_valid;
	if (ctx->f->ops->set_inputs) /* the sampler's rows go with the loop */
		ctx->f->ops->set_inputs(ctx->f, NULL);
	loop_free(&L);
	free(ctx->sample_loss);
	ctx->sample_loss = NULL;
	return rc;
}

void
train_log_free(struct train_log *log)
{
	free(log->points);
	free(log->diag);
	memset(log, 0, sizeof *log);
}

int
train_batch_cap(const config *cfg)
{
	struct config_settings s;
	config_settings_parse(&s, cfg);
	long cap = batch_cap(&s);
	return cap < TRAIN_MAX_BATCH ? (int)cap : TRAIN_MAX_BATCH;
}

int
train_batch_cap_for(const config *cfg, const dataset *d)
{
	struct config_settings s;
	config_settings_parse(&s, cfg);
	long cap = batch_cap_for(&s, d);
	return cap < TRAIN_MAX_BATCH ? (int)cap : TRAIN_MAX_BATCH;
}
