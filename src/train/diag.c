/* Diagnostics points (train/diag.h).  Nothing here draws from a stream
 * training uses or writes a parameter: the window repeats the loop's
 * plain-BCE pass, the counters are taken from running totals (diag.h), and the
 * hook restores what it touches. */
#include "train/diag.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* About this many points over a phase when diag_freq is 0. */
enum { DIAG_AUTO_POINTS = 50 };

long
train_diag_freq(const struct config_settings *s, long iterations)
{
	long f = s->diag_freq;
	if (f < 0)
		return 0;
	if (f > 0)
		return f;
	/* rounded up: at most DIAG_AUTO_POINTS points, and at least half as
	 * many once the phase has that many batches */
	long auto_f = (iterations + DIAG_AUTO_POINTS - 1) / DIAG_AUTO_POINTS;
	return auto_f > 0 ? auto_f : 1;
}

void
diag_phase(struct diag_state *s, const struct train_ctx *ctx, method *me,
	const struct train_phase *ph)
{
	const interactions *src =
		me->ops->train_source ? me->ops->train_source(me, ctx) : &ctx->d->train;
	long per_epoch = train_epoch_batches_of(&ctx->set, src->n, ctx->d->n_users,
		ctx->f->ops->user_batches);
	s->freq = train_diag_freq(&ctx->set, per_epoch * ph->epochs);
}

void
diag_batch(struct diag_state *s, int cls, double sum, long n)
{
	s->bce_sum[cls] += sum;
	s->bce_n[cls] += n;
}

static double
mean_of(double sum, long n)
{
	return n ? sum / (double)n : NAN;
}

static int
append(struct train_log *log, const struct train_diag_point *p, db_err *err)
{
	if (log->n_diag == log->cap_diag) {
		int cap = log->cap_diag ? 2 * log->cap_diag : 64;
		struct train_diag_point *np = realloc(log->diag, (size_t)cap * sizeof *np);
		if (!np)
			return db_fail(err, DB_ENOMEM, "out of memory");
		log->diag = np;
		log->cap_diag = cap;
	}
	log->diag[log->n_diag++] = *p;
	return DB_OK;
}

int
diag_point(struct diag_state *s, struct train_log *log, method *me, const struct train_ctx *ctx,
	long done, int flush, db_err *err)
{
	if (!s->freq || !s->loss_n || (!flush && (s->at_eval || done % s->freq)))
		return DB_OK;
	struct train_diag_point p = {done, ctx->epoch + 1, mean_of(s->loss_sum, s->loss_n),
		mean_of(s->bce_sum[1], s->bce_n[1]), mean_of(s->bce_sum[0], s->bce_n[0]), {0}, {0}};
	diag_counts_take(s->counts, me, log);
	diag_counts_since(s->counts, s->seen, p.stat, log->n_stats);
	int rc = s->hook && s->hook->measure ? s->hook->measure(s->hook->arg, p.test, err) : 0;
	s->loss_sum = s->bce_sum[0] = s->bce_sum[1] = 0;
	s->loss_n = s->bce_n[0] = s->bce_n[1] = 0;
	return rc ? rc : append(log, &p, err);
}

int
diag_at_eval(struct diag_state *s)
{
	s->at_eval = 1;
	s->freq = 1;
	return 0;
}

void
diag_loss(struct diag_state *s, double loss)
{
	s->loss_sum += loss;
	s->loss_n++;
}

void
diag_counts_take(struct diag_counts *c, method *me, struct train_log *log)
{
	if (!me->ops->stats)
		return;
	double now[METHOD_MAX_STATS] = {0};
	log->n_stats = me->ops->stats(me, now, log->stat_names, METHOD_MAX_STATS);
	for (int j = 0; j < log->n_stats; j++)
		c->total[j] += now[j];
}

void
diag_counts_since(const struct diag_counts *c, double *seen, double *out, int n)
{
	for (int j = 0; j < n; j++) {
		out[j] = c->total[j] - seen[j];
		seen[j] = c->total[j];
	}
}
