/* The training loop end to end on the built-in synthetic data:
 * determinism, early stopping and checkpoint selection as the protocols
 * define them, and models that learn (clearly better than MostPop and
 * random on the clean test). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "data/dataset.h"
#include "eval/eval.h"
#include "methods/method.h"
#include "nn/rng.h"
#include "tap.h"
#include "train/train.h"

static char dir[] = "/tmp/db-test-train-XXXXXX";
static dataset D;
/* DB_TEST_LIGHT=1 (the valgrind pass of .ci/run): the same code paths with
 * far fewer iterations; the learning checks need full runs and are skipped. */
static int light;

static int
setup(void)
{
	db_err err = {{0}};
	struct synth_opts so;
	struct data_opts o = {0, 0, 1};
	synth_default_opts(&so);
	if (!mkdtemp(dir) || synth_write(&so, dir, "synthetic", &err) ||
	    data_load(&D, dir, "synthetic", &o, &err)) {
		printf("Bail out! cannot make synthetic data: %s\n", err.msg);
		return -1;
	}
	return 0;
}

/* A resolved config: defaults plus "key=value" pairs. */
static void
make_config(config *r, const char *const *kv)
{
	config ex;
	db_err err = {{0}};
	config_init(&ex);
	for (; *kv; kv++)
		if (config_set_kv(&ex, *kv, &err))
			printf("# bad test setting %s: %s\n", *kv, err.msg);
	config_resolve(r, &ex, &err);
	config_free(&ex);
}

struct trained {
	model f;
	struct train_log log;
	eval_result test;
};

static int
train_eval(const char *const *kv, struct trained *t)
{
	config cfg;
	db_err err = {{0}};
	method me = {NULL, NULL};
	make_config(&cfg, kv);
	memset(t, 0, sizeof *t);
	int rc = model_create(&t->f, model_find(config_get(&cfg, "model")), &D, &cfg,
		train_batch_cap(&cfg), 64, &err);
	gsl_rng *r = rng_stream((uint64_t)config_int(&cfg, "seed"), "init");
	int adt = !strcmp(config_get(&cfg, "protocol"), "adt");
	struct train_ctx ctx = {.cfg = &cfg, .d = &D, .f = &t->f,
		.seed = (uint64_t)config_int(&cfg, "seed"),
		.output_prob = !strcmp(config_get(&cfg, "output"), "prob"),
		.reduction = adt ? REDUCE_MEAN : REDUCE_SPLIT_MEANS, .neg_ratio = 1};
	if (!rc) {
		t->f.ops->init(&t->f, r);
		rc = method_create(&me, method_find("normal"), &ctx, &err);
	}
	gsl_rng_free(r);
	if (!rc && t->f.ops->trainable)
		rc = train_run(&ctx, &me, &t->log, NULL, NULL, &err);
	int ks[3] = {5, 10, 20};
	struct eval_opts eo = {ctx.output_prob, 64, NULL, NULL, NULL};
	if (!rc)
		rc = eval_split(&t->f, &D, &D.test_truth, ks, 3, &eo, &t->test, &err);
	if (rc)
		printf("# run failed: %s\n", err.msg);
	method_destroy(&me);
	config_free(&cfg);
	return rc;
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
	tap_ok(ok && !memcmp(x.test.per_user, y.test.per_user,
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
	tap_ok(t.log.stopped_early == 1, "an over-fitting run stops early (%d points, %ld iterations)",
		t.log.n_points, t.log.iterations);
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

/* The default job's claim: trained models rank clearly better than
 * popularity and random on the planted data's clean test. */
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
	double P = p.test.mean[METRIC_NDCG][1], R = r.test.mean[METRIC_NDCG][1];
	double G = g.test.mean[METRIC_NDCG][1], N = n.test.mean[METRIC_NDCG][1];
	tap_diag("N@10: random %.4f, mostpop %.4f, gmf %.4f, neumf %.4f", R, P, G, N);
	tap_ok(P > 1.5 * R, "mostpop beats random (%.4f vs %.4f)", P, R);
	tap_ok(G > 1.2 * P, "gmf clearly beats mostpop (%.4f vs %.4f)", G, P);
	tap_ok(N > 1.2 * P, "neumf clearly beats mostpop (%.4f vs %.4f)", N, P);
	tap_ok(g.log.points[g.log.n_points - 1].train_loss < g.log.points[0].train_loss,
		"gmf training loss decreases (%.4f -> %.4f)", g.log.points[0].train_loss,
		g.log.points[g.log.n_points - 1].train_loss);
	trained_free(&p);
	trained_free(&r);
	trained_free(&g);
	trained_free(&n);
}

int
main(void)
{
	if (setup())
		return 1;
	light = getenv("DB_TEST_LIGHT") != NULL;
	test_determinism();
	test_early_stop();
	test_best_selection();
	if (light)
		tap_skip("learning checks need full runs (DB_TEST_LIGHT)");
	else
		test_learns();
	data_free(&D);
	const char *sfx[] = {".train.rating", ".valid.rating", ".test.negative", ".test.noisy"};
	for (int i = 0; i < 4; i++) {
		char p[256];
		snprintf(p, sizeof p, "%s/synthetic%s", dir, sfx[i]);
		remove(p);
	}
	rmdir(dir);
	return tap_done();
}
