/* The training loop end to end on the built-in synthetic data:
 * determinism, early stopping and checkpoint selection as the protocols
 * define them, and models that learn (clearly better than MostPop and
 * random on the clean test).  On a tiny hand-built dataset with a frozen
 * model: the logged loss of clean vs noisy positives, T-CE's counters at
 * the evaluation points, the mean prediction by rating, and the result
 * file's new lines read back by the report reader. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "data/dataset.h"
#include "eval/eval.h"
#include "methods/method.h"
#include "nn/rng.h"
#include "report/report.h"
#include "results/result.h"
#include "rig.h"
#include "tap.h"
#include "train/train.h"

static char dir[] = "/tmp/db-test-train-XXXXXX";
static dataset D;
/* DB_TEST_LIGHT=1 (the valgrind pass of .ci/run): the same code paths with
 * far fewer iterations; the learning checks need full runs and are skipped. */
static int light;

struct trained {
	model f;
	struct train_log log;
	eval_result test;
};

/* Trains and tests with the method ops (NULL: the config's) and its state
 * (NULL: the method's own create). */
static int
train_eval_with(const char *const *kv, const struct method_ops *ops, void *state, struct trained *t)
{
	config cfg;
	db_err err = {{0}};
	method me = {NULL, NULL};
	rig_config(&cfg, kv);
	memset(t, 0, sizeof *t);
	/* room for any batch the loop could make, so that a validation
	 * batch larger than the protocol's fails a test instead of the run */
	int rc = model_create(&t->f, model_find(config_get(&cfg, "model")), &D, &cfg,
		train_batch_cap(&cfg) + 4 * (int)D.valid.n, 64, &err);
	gsl_rng *r = rng_stream((uint64_t)config_int(&cfg, "seed"), "init");
	struct train_ctx ctx;
	train_ctx_init(&ctx, &cfg, &D, &t->f);
	if (!rc) {
		t->f.ops->init(&t->f, r);
		if (state)
			me = (method){ops, state};
		else
			rc = method_create(&me, ops ? ops : method_find(config_get(&cfg, "method")),
				&ctx, &err);
	}
	gsl_rng_free(r);
	if (!rc && t->f.ops->trainable)
		rc = train_run(&ctx, &me, &t->log, NULL, NULL, &err);
	int ks[3] = {5, 10, 20};
	struct eval_opts eo = {ctx.output_prob, 64, NULL, NULL, NULL, NULL, 1};
	if (!rc)
		rc = eval_split(&t->f, &D, &D.test_truth, ks, 3, &eo, &t->test, &err);
	if (rc)
		printf("# run failed: %s\n", err.msg);
	if (!state)
		method_destroy(&me);
	config_free(&cfg);
	return rc;
}

static int
train_eval(const char *const *kv, struct trained *t)
{
	return train_eval_with(kv, NULL, NULL, t);
}

static void
trained_free(struct trained *t)
{
	model_destroy(&t->f);
	train_log_free(&t->log);
	eval_result_free(&t->test);
}

static void
test_determinism(void)
{
	const char *ep = light ? "epochs=1" : "epochs=3";
	const char *a[] = {"model=neumf", ep, "eval_freq=1", "seed=7", NULL};
	const char *b[] = {"model=neumf", ep, "eval_freq=1", "seed=8", NULL};
	struct trained x, y, z;
	int ok = !train_eval(a, &x) && !train_eval(a, &y) && !train_eval(b, &z);
	tap_ok(ok && x.f.n_params == y.f.n_params &&
			!memcmp(x.f.param, y.f.param, x.f.n_params * sizeof(float)),
		"same seed: bit-identical parameters");
	tap_ok(ok &&
			!memcmp(x.test.per_user, y.test.per_user,
				(size_t)x.test.n_users * METRIC_COUNT * 3 * sizeof(double)),
		"same seed: identical per-user metrics");
	tap_ok(ok && memcmp(x.f.param, z.f.param, x.f.n_params * sizeof(float)) != 0,
		"different seed: different parameters");
	trained_free(&x);
	trained_free(&y);
	trained_free(&z);
}

/* deca: stop exactly at the 2nd cumulative increase of the validation loss. */
static void
test_early_stop(void)
{
	const char *kv[] = {"model=gmf", "epochs=200", "eval_freq=3", "lr=0.05", "factors=64",
		"early_stop=true", NULL};
	struct trained t;
	if (train_eval(kv, &t)) {
		tap_ok(0, "early-stopping run");
		return;
	}
	int inc = 0, first_stop = -1;
	for (int i = 1; i < t.log.n_points; i++)
		if (t.log.points[i].valid_loss > t.log.points[i - 1].valid_loss && ++inc == 2 &&
			first_stop < 0)
			first_stop = i;
	/* the first point counts as a decrease from the initial 1e9 */
	tap_ok(t.log.stopped_early == 1,
		"an over-fitting run stops early (%d points, %ld iterations)", t.log.n_points,
		t.log.iterations);
	tap_ok(first_stop == t.log.n_points - 1,
		"it stops at the evaluation of the 2nd cumulative increase (point %d of %d)",
		first_stop, t.log.n_points);
	tap_ok(t.log.selected_iteration == t.log.iterations, "deca tests the last model");
	trained_free(&t);
}

/* adt: the tested parameters are those of the lowest validation loss. */
static void
test_best_selection(void)
{
	const char *kv[] = {"model=gmf", "protocol=adt", "epochs=30", "eval_freq=10", "lr=0.05",
		NULL};
	struct trained t;
	if (train_eval(kv, &t)) {
		tap_ok(0, "adt run");
		return;
	}
	int best = 0;
	for (int i = 1; i < t.log.n_points; i++)
		if (t.log.points[i].valid_loss < t.log.points[best].valid_loss)
			best = i;
	tap_ok(t.log.n_points > 3 && t.log.selected_iteration == t.log.points[best].iteration &&
			best != t.log.n_points - 1,
		"adt keeps the lowest validation loss (point %d of %d, iteration %ld)", best,
		t.log.n_points, t.log.selected_iteration);
	tap_ok(t.log.stopped_early == 0, "adt never stops early");
	trained_free(&t);
}

/* A method that trains as Normal and whose validation criterion is a
 * script: call c of the criterion returns curve[c] (spread over the call's
 * batches), recording what the loop hands it. */
struct probe {
	const double *curve;
	int n_curve, calls, batches, bad_iteration, big_batch, mixed, samples;
	long first_valid_n, seen_iteration[16];
	struct train_ctx last;
};

static double
probe_valid_loss(method *me, const struct train_ctx *ctx, const batch *b, const float *logit)
{
	(void)logit;
	struct probe *p = me->state;
	long it = ctx->iteration, ef = config_int(ctx->cfg, "eval_freq");
	if (p->last.iteration != it || !p->batches) { /* a new evaluation point */
		if (p->calls < 16)
			p->seen_iteration[p->calls] = it;
		p->calls++;
		p->samples = 0;
		p->first_valid_n = b->n;
	}
	p->last.iteration = it;
	p->batches++;
	p->bad_iteration |= ef > 0 && it % ef != 0; /* epoch-end points (eval_freq 0) aside */
	p->big_batch |= b->n > (int)config_int(ctx->cfg, "batch_size");
	p->samples += b->n;
	int pos = 0;
	for (int k = 0; k < b->n; k++)
		pos += b->label[k] > 0.5f;
	p->mixed |= pos > 0 && pos < b->n;
	int c = p->calls - 1;
	return (c < p->n_curve ? p->curve[c] : 100.0) / 1e6 * b->n;
}

static const struct method_ops probe_ops = {.name = "probe", .valid_loss = probe_valid_loss};

/* The loop's side of the reference's evaluation (ADT T_CE/main.py:158-217):
 * validation runs after the step of batch `count`, with count % eval_freq ==
 * 0, before count += 1 (T-CE's eps(count) reads it); a checkpoint is named by
 * that count; the valid loader is NSR = 1 in mixed batches of batch_size. */
static void
test_validation_point(void)
{
	static const double curve[] = {5, 3, 4, 2, 6, 7, 8, 9};
	struct probe p = {.curve = curve, .n_curve = 8};
	const char *kv[] = {"model=gmf", "protocol=adt", "epochs=2", "eval_freq=3",
		"batch_size=256", NULL};
	struct trained t;
	if (train_eval_with(kv, &probe_ops, &p, &t)) {
		tap_ok(0, "probe run (adt)");
		return;
	}
	tap_ok(p.calls >= 5 && !p.bad_iteration && p.seen_iteration[0] == 3,
		"adt: validation sees the count of the batch just stepped (first %ld, %d points)",
		p.seen_iteration[0], p.calls);
	tap_ok(t.log.n_points >= 5 && t.log.points[0].iteration == 3 &&
			t.log.selected_iteration == 12,
		"adt: points and selected_iteration are that count (selected %ld, want 12)",
		t.log.selected_iteration);
	trained_free(&t);

	struct probe q = {.curve = curve, .n_curve = 8};
	const char *kd[] = {"model=gmf", "epochs=2", "eval_freq=3", "batch_size=64", "neg_ratio=3",
		"early_stop=false", NULL};
	if (train_eval_with(kd, &probe_ops, &q, &t)) {
		tap_ok(0, "probe run (deca)");
		return;
	}
	long nv = D.valid.n;
	tap_ok(!q.big_batch && q.mixed && q.samples == 2 * nv,
		"deca: validation batches of at most batch_size mixed samples, one negative each "
		"whatever neg_ratio (%d samples for %ld valid lines)",
		q.samples, nv);
	tap_ok(q.first_valid_n == 64, "deca: a validation batch holds batch_size samples (%ld)",
		q.first_valid_n);
	trained_free(&t);
}

/* deca (§5.2): increases over the preceding evaluation are counted
 * cumulatively: up, down, up stops at the second rise. */
static void
test_early_stop_cumulative(void)
{
	static const double curve[] = {5, 6, 4, 7, 3, 2, 1, 0.5};
	struct probe p = {.curve = curve, .n_curve = 8};
	const char *kv[] = {"model=gmf", "epochs=3", "eval_freq=2", "early_stop=true",
		"early_stop_rounds=2", NULL};
	struct trained t;
	if (train_eval_with(kv, &probe_ops, &p, &t)) {
		tap_ok(0, "probe run (early stop)");
		return;
	}
	tap_ok(t.log.stopped_early && t.log.n_points == 4 && p.calls == 4,
		"up, down, up: stops at the 4th point (%d points, stopped %d)", t.log.n_points,
		t.log.stopped_early);
	trained_free(&t);
}

/* recsys25 (EvalDenoisingRec results/process_metrics.py): validation at
 * the end of every eval_epochs-th epoch, by the mean over the validation
 * batches of the method's own criterion, and the tested parameters those of
 * its first minimum.  The probe's criterion is a script whose minimum (point
 * 2) is not where plain BCE's is on the same trajectory (the probe trains as
 * Normal). */
static void
test_own_loss_selection(void)
{
	static const double own[] = {5, 4, 1, 3, 1, 6};
	struct probe p = {.curve = own, .n_curve = 6}, q = {.curve = own, .n_curve = 6};
	const char *kv[] = {"model=gmf", "protocol=recsys25", "epochs=12", "eval_epochs=2",
		"eval_freq=0", "lr=0.05", NULL};
	const char *ks[] = {"model=gmf", "protocol=recsys25", "epochs=12", "eval_epochs=2",
		"eval_freq=0", "lr=0.05", "valid_reduce=sum", NULL};
	struct trained t, n, u;
	if (train_eval_with(kv, &probe_ops, &p, &t) || train_eval(kv, &n) ||
		train_eval_with(ks, &probe_ops, &q, &u)) {
		tap_ok(0, "recsys25 probe runs");
		return;
	}
	long per_epoch = t.log.iterations / 12;
	int cadence = t.log.n_points == 6 && t.log.iterations == 12 * per_epoch;
	for (int i = 0; cadence && i < 6; i++)
		cadence = t.log.points[i].iteration == 2 * (i + 1) * per_epoch &&
			t.log.points[i].epoch == 2 * (i + 1);
	tap_ok(cadence,
		"recsys25: a point at the end of every 2nd epoch (%d points, %ld "
		"iterations)",
		t.log.n_points, t.log.iterations);
	int bce = 0;
	for (int i = 1; i < n.log.n_points; i++)
		if (n.log.points[i].valid_loss < n.log.points[bce].valid_loss)
			bce = i;
	tap_ok(n.log.n_points == 6 && bce != 2,
		"fixture: plain BCE's minimum is at point %d, "
		"not 2",
		bce);
	tap_ok(t.log.selected_iteration == 6 * per_epoch,
		"recsys25 tests the first minimum of the method's own criterion (iteration %ld, "
		"want %ld)",
		t.log.selected_iteration, 6 * per_epoch);
	/* the same script summed: the mean divides by the batches of a pass */
	long nb = (2 * D.valid.n + 1023) / 1024;
	double ratio = u.log.points[0].valid_loss / t.log.points[0].valid_loss;
	tap_ok(fabs(ratio - (double)nb) < 1e-9 * nb,
		"valid_reduce=mean: the sum over the %ld "
		"validation batches divided by their number (ratio %.12g)",
		nb, ratio);
	trained_free(&t);
	trained_free(&n);
	trained_free(&u);
}

/* The default job's comparison on the planted data's clean test: GMF ranks
 * clearly better than popularity, both trained models clearly better than
 * random.  NeuMF after 30 epochs is only level with MostPop (N@10 0.1331 vs
 * 0.1320) since MostPop ranks by its counts under deca too (before, the
 * saturated sigmoid left it the lowest item ids and made it look weak). */
static void
test_learns(void)
{
	const char *pop[] = {"model=mostpop", NULL}, *rnd[] = {"model=random", NULL};
	const char *gmf[] = {"model=gmf", "epochs=30", "eval_freq=20", NULL};
	const char *neu[] = {"model=neumf", "epochs=30", "eval_freq=20", NULL};
	struct trained p, r, g, n;
	if (train_eval(pop, &p) || train_eval(rnd, &r) || train_eval(gmf, &g) ||
		train_eval(neu, &n)) {
		tap_ok(0, "baseline and model runs");
		return;
	}
	double P = eval_result_mean(&p.test, METRIC_NDCG, 1);
	double R = eval_result_mean(&r.test, METRIC_NDCG, 1);
	double G = eval_result_mean(&g.test, METRIC_NDCG, 1);
	double N = eval_result_mean(&n.test, METRIC_NDCG, 1);
	tap_diag("N@10: random %.4f, mostpop %.4f, gmf %.4f, neumf %.4f", R, P, G, N);
	tap_ok(P > 1.5 * R, "mostpop beats random (%.4f vs %.4f)", P, R);
	tap_ok(G > 1.1 * P, "gmf clearly beats mostpop (%.4f vs %.4f)", G, P);
	tap_ok(N > 1.5 * R, "neumf clearly beats random (%.4f vs %.4f)", N, R);
	tap_ok(g.log.points[g.log.n_points - 1].train_loss < g.log.points[0].train_loss,
		"gmf training loss decreases (%.4f -> %.4f)", g.log.points[0].train_loss,
		g.log.points[g.log.n_points - 1].train_loss);
	trained_free(&p);
	trained_free(&r);
	trained_free(&g);
	trained_free(&n);
}

/* ---- the tiny dataset: items 0, 3, 4 rated 4-5 (clean), 1, 2, 5 rated 1-2 */

static char tiny_dir[] = "/tmp/db-test-tiny-XXXXXX";
static const char *const tiny_text[] =
	{"0\t0\t5\n0\t1\t2\n1\t0\t4\n1\t2\t1\n2\t3\t5\n2\t1\t2\n0\t4\t4\n1\t5\t1\n",
		"0\t3\t5\n1\t3\t5\n", "2\t0\t5\n2\t4\t5\n"};

static int
tiny_load(dataset *d)
{
	db_err err = {{0}};
	return rig_data(d, tiny_dir, tiny_text, &err);
}

/* MF with one factor, P[u] = 1, Q[i] = 2 for the clean items and -1 for
 * the noisy ones, and lr = 0: every clean positive has z = 2 and BCE
 * ln(1 + e^-2), every noisy one z = -1 and BCE ln(1 + e) at every batch. */
struct tiny_run {
	config cfg;
	model f;
	method me;
	struct train_ctx ctx;
	struct train_log log;
};

static int
tiny_train(struct tiny_run *t, const dataset *d, const char *const *kv, db_err *err)
{
	memset(t, 0, sizeof *t);
	rig_config(&t->cfg, kv);
	int rc =
		model_create(&t->f, model_find("mf"), d, &t->cfg, train_batch_cap(&t->cfg), 8, err);
	if (rc)
		return rc;
	static const float q[6] = {2, -1, -1, 2, 2, -1};
	for (int u = 0; u < d->n_users; u++)
		t->f.param[u] = 1;
	memcpy(t->f.param + d->n_users, q, sizeof q);
	train_ctx_init(&t->ctx, &t->cfg, d, &t->f);
	t->ctx.seed = 5;
	rc = method_create(&t->me, method_find(config_get(&t->cfg, "method")), &t->ctx, err);
	return rc ? rc : train_run(&t->ctx, &t->me, &t->log, NULL, NULL, err);
}

static void
tiny_free(struct tiny_run *t)
{
	train_log_free(&t->log);
	method_destroy(&t->me);
	model_destroy(&t->f);
	config_free(&t->cfg);
}

static void
test_loss_split(const dataset *d, const char *protocol)
{
	char pr[32];
	snprintf(pr, sizeof pr, "protocol=%s", protocol);
	const char *kv[] = {pr, "model=mf", "factors=1", "lr=0", "epochs=3", "eval_freq=1",
		"batch_size=4", "early_stop=false", NULL};
	struct tiny_run t;
	db_err err = {{0}};
	int rc = tiny_train(&t, d, kv, &err);
	int ok = !rc && t.log.n_points > 2, seen[2] = {0, 0};
	for (int i = 0; ok && i < t.log.n_points; i++) {
		const struct train_point *p = &t.log.points[i];
		seen[1] += !isnan(p->loss_clean);
		seen[0] += !isnan(p->loss_noisy);
		ok = (isnan(p->loss_clean) || fabs(p->loss_clean - log1p(exp(-2.0))) < 1e-6) &&
			(isnan(p->loss_noisy) || fabs(p->loss_noisy - log1p(exp(1.0))) < 1e-6);
	}
	tap_ok(ok && seen[0] && seen[1],
		"%s: points log clean BCE ln(1+e^-2) and noisy ln(1+e) (nan: no such positive "
		"in a window of %d shuffled samples) %s",
		protocol, 4, err.msg);
	tap_ok(!rc && t.log.n_stats == 0, "%s: normal has no counters", protocol);
	tiny_free(&t);
}

/* T-CE at eps 0.25 from T = 0 on one adt batch of all 16 samples (8
 * positives, 8 negatives): it drops the 4 largest keys, the 4 noisy
 * positives (key 1.31 > 0.13 of the clean, 0 of the negatives), in every
 * epoch.  Points come after batches 1 and 2 (count 0 is not evaluated), so
 * the counters sum to 3 epochs x 4; the logged losses stay untruncated. */
static void
test_tce_counters(const dataset *d)
{
	const char *kv[] = {"protocol=adt", "method=t-ce", "model=mf", "factors=1", "lr=0",
		"epochs=3", "eval_freq=1", "batch_size=16", "drop_rate=0.25", "num_gradual=0",
		NULL};
	struct tiny_run t;
	db_err err = {{0}};
	int rc = tiny_train(&t, d, kv, &err);
	double sum[3] = {0, 0, 0};
	for (int i = 0; !rc && i < t.log.n_points; i++)
		for (int j = 0; j < 3 && j < t.log.n_stats; j++)
			sum[j] += t.log.points[i].stat[j];
	tap_ok(!rc && t.log.n_points == 2 && t.log.n_stats == 3 &&
			!strcmp(t.log.stat_names[2], "noisy_seen"),
		"t-ce in the loop: 2 points with 3 named counters %s", err.msg);
	tap_ok(sum[0] == 12 && sum[1] == 12 && sum[2] == 12,
		"t-ce in the loop: 12 dropped, all noisy, of 12 noisy seen (got %g, %g, %g)",
		sum[0], sum[1], sum[2]);
	tap_ok(!rc && t.log.points[0].stat[0] == 8 && t.log.points[1].stat[0] == 4,
		"t-ce in the loop: counters per window (batches 0-1, then 2)");
	tap_ok(!rc && fabs(t.log.points[1].loss_noisy - log1p(exp(1.0))) < 1e-6,
		"t-ce in the loop: the noisy loss is logged before truncation");
	tiny_free(&t);
}

/* rating_prob against sigmoid by hand (in batches of 3: 3, 3, 2 lines); the
 * result file's curve, curve_stat and rating_prob lines read back exactly. */
static void
test_rating_prob_roundtrip(const dataset *d)
{
	const char *kv[] = {"protocol=adt", "method=t-ce", "model=mf", "factors=1", "lr=0",
		"epochs=3", "eval_freq=1", "batch_size=16", "drop_rate=0.25", "num_gradual=0",
		"ks=1,2", NULL};
	struct tiny_run t;
	db_err err = {{0}};
	eval_rating_prob rp;
	eval_result test;
	memset(&test, 0, sizeof test);
	int rc = tiny_train(&t, d, kv, &err);
	if (!rc)
		rc = eval_rating_prob_compute(&t.f, &d->train, 3, &rp, &err);
	double lo = 1 / (1 + exp(1.0)), hi = 1 / (1 + exp(-2.0));
	tap_ok(!rc && rp.n == 4 && rp.rating[0] == 1 && rp.rating[3] == 5 && rp.count[0] == 2 &&
			rp.count[1] == 2 && rp.count[2] == 2 && rp.count[3] == 2,
		"rating_prob: ratings 1, 2, 4, 5, two train lines each %s", err.msg);
	tap_ok(!rc && fabs(rp.mean[0] - lo) < 1e-7 && fabs(rp.mean[1] - lo) < 1e-7 &&
			fabs(rp.mean[2] - hi) < 1e-7 && fabs(rp.mean[3] - hi) < 1e-7,
		"rating_prob: sigmoid(-1) for ratings 1-2, sigmoid(2) for 4-5");
	int ks[2] = {1, 2};
	struct eval_opts eo = {0, 8, NULL, NULL, NULL, NULL, 1};
	char path[300];
	snprintf(path, sizeof path, "%s/run.result", tiny_dir);
	struct run_output o = {.cfg = &t.cfg,
		.d = d,
		.f = &t.f,
		.log = &t.log,
		.test = &test,
		.rating_prob = &rp};
	if (!rc && !(rc = eval_split(&t.f, d, &d->test_truth, ks, 2, &eo, &test, &err)))
		rc = result_write(path, &o, &err);
	struct report_cell c;
	if (!rc)
		rc = report_cell_read(&c, path, &err);
	int ok = !rc && c.ncurve == (size_t)t.log.n_points && c.nstats == 3 * c.ncurve &&
		c.nratings == 4;
	for (size_t i = 0; ok && i < c.ncurve; i++) {
		const struct train_point *p = &t.log.points[i];
		ok = c.curve[i].loss_clean == p->loss_clean &&
			c.curve[i].loss_noisy == p->loss_noisy &&
			report_cell_stat(&c, p->iteration, "dropped_noisy") == p->stat[1];
	}
	for (size_t j = 0; ok && j < c.nratings; j++)
		ok = c.ratings[j].rating == rp.rating[j] && c.ratings[j].count == rp.count[j] &&
			c.ratings[j].mean == rp.mean[j];
	tap_ok(ok, "result file: curve losses, counters and rating_prob read back exactly %s",
		err.msg);
	if (!rc)
		report_cell_free(&c);
	remove(path);
	eval_result_free(&test);
	eval_rating_prob_free(&rp);
	tiny_free(&t);
}

static void
test_tiny(void)
{
	dataset d;
	if (tiny_load(&d)) {
		tap_ok(0, "tiny dataset");
		return;
	}
	test_loss_split(&d, "deca");
	test_loss_split(&d, "adt");
	test_tce_counters(&d);
	test_rating_prob_roundtrip(&d);
	data_free(&d);
	rig_remove_dir(tiny_dir);
}

int
main(void)
{
	db_err err = {{0}};
	if (rig_synthetic(&D, dir, &err)) {
		printf("Bail out! cannot make synthetic data: %s\n", err.msg);
		return 1;
	}
	light = getenv("DB_TEST_LIGHT") != NULL;
	test_determinism();
	test_early_stop();
	test_best_selection();
	test_validation_point();
	test_early_stop_cumulative();
	test_own_loss_selection();
	test_tiny();
	if (light)
		tap_skip("learning checks need full runs (DB_TEST_LIGHT)");
	else
		test_learns();
	rig_synthetic_free(&D, dir);
	return tap_done();
}
