/* The diagnostics points' values (diag_freq) against an independent
 * computation, on a model that moves.  Tiny data: 3 users, 6 items, 8 train
 * lines, 4 clean (rated 4-5) and 4 noisy (1-2); under deca with
 * batch_size 8 and neg_ratio 1 every epoch is one batch of all 8 positives
 * and 8 sampled negatives.  A probe wrapped around T-CE's after_step scores
 * every train line with the parameters the next batch's forward sees
 * (score_users, the evaluation path, not the training forward) and keeps
 * per class the mean BCE ln(1 + e^-z) and how many noisy lines are among
 * the d(T) of largest BCE.  Then for every diagnostics point:
 *   loss_clean / loss_noisy = the mean over its window's batches of the
 *     probe's class means (every batch holds 4 lines of each class);
 *   dropped = sum of d(T) over the window, dropped_noisy = the probe's
 *     noisy count, noisy_seen = 4 per batch;
 * and every evaluation point's counters are the hand count over its stretch.
 * d(T) by hand: drop_rate 0.4, num_gradual 8, 16 samples: eps(T) =
 * 0.4 T / 7 for T < 8, and 16 - floor((1 - eps) 16) = T for T <= 6, 7 after
 * (T = 6: 16 - floor(10.51) = 6; T >= 7: 16 - floor(9.6) = 7); the 8
 * negatives' keys are 0, so only positives are dropped. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "methods/method.h"
#include "nn/rng.h"
#include "rig.h"
#include "tap.h"
#include "train/train.h"

enum { EPOCHS = 10, FREQ = 3, EVAL = 4, LINES = 8 };

static char dir[] = "/tmp/db-test-diagv-XXXXXX";
static const char *const text[] =
	{"0\t0\t5\n0\t1\t2\n1\t0\t4\n1\t2\t1\n2\t3\t5\n2\t1\t2\n0\t4\t4\n1\t5\t1\n",
		"0\t3\t5\n1\t3\t5\n", "2\t0\t5\n2\t4\t5\n"};

static long
hand_drops(long T)
{
	return T < 7 ? T : 7;
}

/* What batch T's forward sees: per class (0 noisy, 1 clean) the mean BCE
 * of the train lines, and the noisy lines among the hand_drops(T) largest. */
struct probe {
	double bce[2];
	long noisy_top;
};
static struct probe probes[EPOCHS + 1];
static int nprobes;
static void (*inner_after)(method *, const struct train_ctx *);

static void
probe_take(const struct train_ctx *ctx, long T)
{
	const dataset *d = ctx->d;
	model *f = ctx->f;
	int users[3] = {0, 1, 2};
	float score[3 * 6];
	double l[LINES], sum[2] = {0, 0};
	int n[2] = {0, 0};
	f->ops->score_users(f, users, 3, score);
	for (int k = 0; k < LINES; k++) {
		double z = score[d->train.user[k] * f->n_items + d->train.item[k]];
		int clean = d->train.value[k] >= 4;
		l[k] = log1p(exp(-z));
		sum[clean] += l[k];
		n[clean]++;
	}
	struct probe *p = &probes[nprobes++];
	for (int c = 0; c < 2; c++)
		p->bce[c] = sum[c] / n[c];
	/* line k is among the d largest when fewer than d lines are larger */
	p->noisy_top = 0;
	for (int k = 0; k < LINES; k++) {
		int larger = 0;
		for (int j = 0; j < LINES; j++)
			larger += l[j] > l[k];
		p->noisy_top += larger < hand_drops(T) && d->train.value[k] < 4;
	}
}

static void
probe_after(method *me, const struct train_ctx *ctx)
{
	if (inner_after)
		inner_after(me, ctx);
	if (nprobes <= EPOCHS)
		probe_take(ctx, ctx->iteration + 1);
}

/* The hand values of batches [a, b): mean class BCE and summed counters. */
struct expect {
	double bce[2];
	long dropped, dropped_noisy, noisy_seen;
};

static struct expect
expect_over(long a, long b)
{
	struct expect e = {{0, 0}, 0, 0, 0};
	for (long T = a; T < b; T++) {
		for (int c = 0; c < 2; c++)
			e.bce[c] += probes[T].bce[c] / (double)(b - a);
		e.dropped += hand_drops(T);
		e.dropped_noisy += probes[T].noisy_top;
		e.noisy_seen += 4;
	}
	return e;
}

static int
stats_are(const double *stat, const struct expect *e)
{
	return stat[0] == e->dropped && stat[1] == e->dropped_noisy && stat[2] == e->noisy_seen;
}

static void
test_points(const dataset *d)
{
	const char *kv[] = {"protocol=deca", "method=t-ce", "model=mf", "factors=4", "lr=0.05",
		"epochs=10", "batch_size=8", "neg_ratio=1", "eval_freq=4", "early_stop=false",
		"diag_freq=3", "drop_rate=0.4", "num_gradual=8", "drop_exponent=1", NULL};
	config cfg;
	model f;
	method me = {NULL, NULL};
	struct train_ctx ctx;
	struct train_log log;
	db_err err = {{0}};
	memset(&log, 0, sizeof log);
	rig_config(&cfg, kv);
	int rc = model_create(&f, model_find("mf"), d, &cfg, train_batch_cap(&cfg), 8, &err);
	if (rc) {
		tap_ok(0, "model: %s", err.msg);
		return;
	}
	gsl_rng *r = rng_stream(1, "init");
	f.ops->init(&f, r);
	gsl_rng_free(r);
	train_ctx_init(&ctx, &cfg, d, &f);
	struct method_ops ops = *method_find("t-ce");
	inner_after = ops.after_step;
	ops.after_step = probe_after;
	probe_take(&ctx, 0);
	rc = method_create(&me, &ops, &ctx, &err);
	if (!rc)
		rc = train_run(&ctx, &me, &log, NULL, NULL, &err);
	tap_ok(!rc && log.iterations == EPOCHS && nprobes == EPOCHS + 1 && log.n_stats == 3,
		"t-ce on the tiny data: %d one-batch epochs, a probe before each %s", EPOCHS,
		err.msg);
	/* points after batches 3, 6, 9 and at the run's end (10) */
	int ok = !rc && log.n_diag == 4, ok_stat = ok;
	double moved = 0;
	for (int j = 0; ok && j < log.n_diag; j++) {
		const struct train_diag_point *p = &log.diag[j];
		long a = (long)j * FREQ, b = a + FREQ < EPOCHS ? a + FREQ : EPOCHS;
		struct expect e = expect_over(a, b);
		ok = p->iteration == b;
		for (int c = 0; ok && c < 2; c++) {
			double got = c ? p->loss_clean : p->loss_noisy;
			ok = fabs(got - e.bce[c]) <= 1e-6;
			if (!ok)
				tap_diag("point %d (%ld batches) %s BCE: logged %.9g, probe %.9g",
					j, b, c ? "clean" : "noisy", got, e.bce[c]);
		}
		if (ok_stat && !stats_are(p->stat, &e)) {
			ok_stat = 0;
			tap_diag("point %d: counters %g %g %g, by hand %ld %ld %ld", j, p->stat[0],
				p->stat[1], p->stat[2], e.dropped, e.dropped_noisy, e.noisy_seen);
		}
	}
	for (int c = 0; !rc && c < 2; c++)
		moved = fmax(moved, fabs(probes[EPOCHS - 1].bce[c] - probes[0].bce[c]));
	tap_ok(ok,
		"diag: clean and noisy BCE = the probe's class means over each window of %d "
		"batches (tol 1e-6), the last window cut at the run's end",
		FREQ);
	tap_ok(moved > 1e-2, "the model moves: a class's BCE changes by %.4f over the run", moved);
	tap_ok(ok_stat,
		"diag_stat: dropped = sum of d(T), dropped_noisy = the noisy among the "
		"largest BCE, noisy_seen = 4 per batch");
	/* evaluation points at count 4 and 8: batches 0-4, then 5-8 */
	ok = !rc && log.n_points == 2;
	for (int j = 0; ok && j < log.n_points; j++) {
		struct expect e = expect_over(j ? EVAL + 1 : 0, EVAL * (j + 1) + 1);
		ok = log.points[j].iteration == EVAL * (j + 1) && stats_are(log.points[j].stat, &e);
	}
	tap_ok(ok,
		"curve_stat: the counters of each stretch between evaluation points, by hand, "
		"whatever the diagnostics points took");
	int noisy_dropped = 0;
	for (int T = 0; T < EPOCHS; T++)
		noisy_dropped += probes[T].noisy_top > 0 && probes[T].noisy_top < hand_drops(T);
	tap_ok(noisy_dropped > 0,
		"the count is not trivial: %d batches drop some but not only "
		"noisy lines",
		noisy_dropped);
	train_log_free(&log);
	method_destroy(&me);
	model_destroy(&f);
	config_free(&cfg);
}

int
main(void)
{
	dataset d;
	db_err err = {{0}};
	if (rig_data(&d, dir, text, &err)) {
		printf("Bail out! tiny data: %s\n", err.msg);
		return 1;
	}
	test_points(&d);
	rig_synthetic_free(&d, dir);
	return tap_done();
}
