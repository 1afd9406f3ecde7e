/* Extra feedback (extended ADT paper §3.4, §5.3) on the synthetic data,
 * whose ratings are the ground truth (>= 4 true positive, <= 2 planted
 * noise): the known set, the phases of finetuning and warm-up as the loop
 * runs them, colliding inference, NR's relabelling, NMTR's cascade, and
 * every new method end to end. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "methods/extra.h"
#include "methods/method.h"
#include "nn/rng.h"
#include "rig.h"
#include "tap.h"
#include "train/train.h"

static char dir[] = "/tmp/db-test-extra-XXXXXX";
static dataset D;

/* A model, a context and a method as run_one builds them. */
struct fixture {
	config cfg;
	model f;
	struct train_ctx ctx;
	method me;
	int rc;
	db_err err;
};

static void
fixture_open(struct fixture *g, const char *const *kv)
{
	memset(g, 0, sizeof *g);
	rig_config(&g->cfg, kv);
	g->rc = model_create(&g->f, model_find(config_get(&g->cfg, "model")), &D, &g->cfg,
		train_batch_cap(&g->cfg), (int)config_int(&g->cfg, "eval_block"), &g->err);
	if (g->rc)
		return;
	gsl_rng *r = rng_stream((uint64_t)config_int(&g->cfg, "seed"), "init");
	g->f.ops->init(&g->f, r);
	gsl_rng_free(r);
	train_ctx_init(&g->ctx, &g->cfg, &D, &g->f);
	g->rc = method_create(&g->me, method_find(config_get(&g->cfg, "method")), &g->ctx, &g->err);
}

static void
fixture_close(struct fixture *g)
{
	method_destroy(&g->me);
	model_destroy(&g->f);
	config_free(&g->cfg);
}

/* ---- the known set ---- */

static void
test_select(void)
{
	const char *kv[] = {"extra_share=0.3", "clean_threshold=4", NULL};
	config cfg;
	db_err err = {{0}};
	struct extra_feedback a, b, c;
	rig_config(&cfg, kv);
	int n_clean = 0;
	for (int k = 0; k < D.train.n; k++)
		n_clean += D.train.value[k] >= 4;
	int rc = extra_select(&a, &D, &cfg, 7, &err) | extra_select(&b, &D, &cfg, 7, &err) |
		extra_select(&c, &D, &cfg, 8, &err);
	tap_ok(!rc, "extra_select succeeds");
	tap_ok(a.known.n == (int)floor(0.3 * n_clean + 0.5),
		"known lines = round(0.3 x %d clean lines) (got %d)", n_clean, a.known.n);
	/* a subsequence of the clean train lines, in file order */
	int j = 0;
	for (int k = 0; k < D.train.n && j < a.known.n; k++)
		if (D.train.value[k] >= 4 && D.train.user[k] == a.known.user[j] &&
			D.train.item[k] == a.known.item[j])
			j++;
	int clean = 1;
	for (int k = 0; k < a.known.n; k++)
		clean &= a.known.value[k] >= 4;
	tap_ok(j == a.known.n && clean, "every known line is a clean train line, in file order");
	tap_ok(a.known.n == b.known.n &&
			!memcmp(a.known.item, b.known.item, (size_t)a.known.n * sizeof(int)) &&
			!memcmp(a.known.user, b.known.user, (size_t)a.known.n * sizeof(int)),
		"the same seed draws the same set");
	tap_ok(c.known.n == a.known.n &&
			memcmp(a.known.item, c.known.item, (size_t)a.known.n * sizeof(int)),
		"another seed draws another set of the same size");
	int sum = 0, ratio_ok = 1;
	for (int u = 0; u < D.n_users; u++) {
		sum += a.n_known[u];
		int lines = D.train_pos.ptr[u + 1] - D.train_pos.ptr[u];
		ratio_ok &= extra_ratio(&a, u) >= 0 && extra_ratio(&a, u) <= 1 &&
			(lines > 0 || extra_ratio(&a, u) == 0);
	}
	tap_ok(sum == a.known.n && ratio_ok, "per-user counts add up; ratios in [0, 1]");
	extra_free(&a);
	extra_free(&b);
	extra_free(&c);
	config_free(&cfg);
	const char *none[] = {"extra_share=0", NULL};
	rig_config(&cfg, none);
	rc = extra_select(&a, &D, &cfg, 7, &err);
	tap_ok(rc == DB_EINVAL && strstr(err.msg, "no known interaction"),
		"extra_share 0 is refused: %s", err.msg);
	extra_free(&a);
	config_free(&cfg);
}

/* ---- the phases, observed through the loss hook while the loop runs ---- */

static struct spy {
	const struct method_ops *real;
	const struct extra_feedback *x;
	int phase;
	long pos[2], pos_unknown[2], neg[2], neg_in_train[2];
} spy;

static int
spy_phase(method *me, const struct train_ctx *ctx, int k, struct train_phase *ph)
{
	int more = spy.real->phase(me, ctx, k, ph);
	spy.phase = k;
	return more;
}

static double
spy_loss(method *me, const struct train_ctx *ctx, const batch *b, const float *logit, float *dlogit)
{
	int p = spy.phase;
	for (int k = 0; k < b->n; k++) {
		if (b->label[k] > 0.5f) {
			spy.pos[p]++;
			spy.pos_unknown[p] += !data_csr_has(&spy.x->pos, b->user[k], b->item[k]);
		} else {
			spy.neg[p]++;
			spy.neg_in_train[p] += data_csr_has(&D.train_pos, b->user[k], b->item[k]);
		}
	}
	return spy.real->loss(me, ctx, b, logit, dlogit);
}

static void
test_phases(const char *name, int extra_first)
{
	char m[64];
	snprintf(m, sizeof m, "method=%s", name);
	/* deca: the config does not reject negatives; the extra phase must */
	const char *kv[] = {m, "epochs=2", "extra_epochs=2", "seed=5", NULL};
	struct fixture g;
	struct train_log log;
	fixture_open(&g, kv);
	tap_ok(!g.rc, "%s: created", name);
	if (g.rc) {
		tap_diag("%s", g.err.msg);
		fixture_close(&g);
		return;
	}
	struct method_ops ops = *g.me.ops;
	memset(&spy, 0, sizeof spy);
	spy.real = g.me.ops;
	spy.x = method_staged_extra(&g.me);
	ops.phase = spy_phase;
	ops.loss = spy_loss;
	g.me.ops = &ops;
	int rc = train_run(&g.ctx, &g.me, &log, NULL, NULL, &g.err);
	int ex = extra_first ? 0 : 1, adt = 1 - ex;
	tap_ok(!rc && log.epochs_run == 4, "%s: two phases of 2 epochs run (%d)", name,
		log.epochs_run);
	tap_ok(spy.pos[ex] > 0 && spy.pos_unknown[ex] == 0,
		"%s: extra phase trains on known interactions only (%ld positives, %ld unknown)",
		name, spy.pos[ex], spy.pos_unknown[ex]);
	tap_ok(spy.neg[ex] > 0 && spy.neg_in_train[ex] == 0,
		"%s: extra phase negatives lie outside the implicit interactions", name);
	tap_ok(spy.pos_unknown[adt] > 0 && spy.neg_in_train[adt] > 0,
		"%s: ADT phase trains on the implicit data, with deca's unrejected negatives",
		name);
	tap_ok(spy.pos[ex] == 2L * spy.x->known.n && spy.pos[adt] == 2L * D.train.n,
		"%s: each phase passes over its source once per epoch", name);
	g.me.ops = spy.real;
	train_log_free(&log);
	fixture_close(&g);
}

/* ---- colliding inference ---- */

static float
prob32(float z)
{
	return 1.0f / (1.0f + expf(-z));
}

/* Plain float32 probabilities of every user, as the evaluator ranks them. */
static float *
plain_scores(model *f)
{
	size_t ni = (size_t)f->n_items;
	float *s = malloc((size_t)f->n_users * ni * sizeof(float));
	for (int u = 0; u < f->n_users; u++) {
		f->ops->score_users(f, &u, 1, s + (size_t)u * ni);
		for (size_t i = 0; i < ni; i++)
			s[(size_t)u * ni + i] = prob32(s[(size_t)u * ni + i]);
	}
	return s;
}

/* The |N| most similar users to u by brute force (double inner products
 * over the user table `rep`, ties to the lower id), self excluded. */
static void
brute_neighbours(const float *rep, int nu, int dim, int u, int n, int *out)
{
	char *taken = calloc((size_t)nu, 1);
	taken[u] = 1;
	for (int j = 0; j < n; j++) {
		double best = -INFINITY;
		int arg = -1;
		for (int v = 0; v < nu; v++) {
			double s = 0;
			for (int k = 0; k < dim; k++)
				s += (double)rep[(size_t)u * dim + k] * rep[(size_t)v * dim + k];
			if (!taken[v] && s > best) {
				best = s;
				arg = v;
			}
		}
		taken[arg] = 1;
		out[j] = arg;
	}
	free(taken);
}

static void
test_colliding(void)
{
	const char *kv1[] = {"method=warmup", "collide_lambda=1", "collide_threshold=1e9", NULL};
	const char *kvh[] = {"method=warmup", "collide_lambda=0.25", "collide_threshold=0.15",
		"collide_n=3", NULL};
	struct fixture g;
	struct train_phase ph;
	size_t ni = (size_t)D.n_items;
	fixture_open(&g, kv1);
	model *sc = g.me.ops->scorer(&g.me);
	float *plain = plain_scores(&g.f), *got = malloc((size_t)D.n_users * ni * sizeof(float));
	for (int u = 0; u < D.n_users; u++)
		sc->ops->score_users(sc, &u, 1, got + (size_t)u * ni);
	tap_ok(!g.rc && !memcmp(plain, got, (size_t)D.n_users * ni * sizeof(float)),
		"lambda = 1: every user's scores equal the plain float32 probabilities bit for "
		"bit");
	fixture_close(&g);
	free(plain);

	fixture_open(&g, kvh);
	const struct param_tensor *t = model_tensor(&g.f, "embed_user_GMF.weight");
	float *rep = malloc(t->rows * t->cols * sizeof(float));
	memcpy(rep, g.f.param + t->offset, t->rows * t->cols * sizeof(float));
	/* the loop asks phase 1 after the warm-up phase: the snapshot */
	g.me.ops->phase(&g.me, &g.ctx, 0, &ph);
	g.me.ops->phase(&g.me, &g.ctx, 1, &ph);
	/* ADT moves the user table afterwards: neighbours must not follow */
	for (size_t k = 0; k < t->rows * t->cols; k++)
		g.f.param[t->offset + k] *= (k % 3 == 0) ? -1.0f : 1.0f;
	plain = plain_scores(&g.f);
	sc = g.me.ops->scorer(&g.me);
	const struct extra_feedback *x = method_staged_extra(&g.me);
	int n_sparse = 0, dense_same = 1, sparse_diff = 1, eq8 = 1, u_check = -1;
	for (int u = 0; u < D.n_users; u++) {
		float *row = got + (size_t)u * ni;
		sc->ops->score_users(sc, &u, 1, row);
		int same = !memcmp(row, plain + (size_t)u * ni, ni * sizeof(float));
		if (extra_ratio(x, u) < 0.15) {
			n_sparse++;
			sparse_diff &= !same;
			if (u_check < 0 && D.train_pos.ptr[u + 1] > D.train_pos.ptr[u])
				u_check = u;
		} else {
			dense_same &= same;
		}
	}
	int nb[3];
	brute_neighbours(rep, D.n_users, (int)t->cols, u_check, 3, nb);
	for (size_t i = 0; i < ni; i++) {
		double mean = 0;
		for (int j = 0; j < 3; j++)
			mean += plain[(size_t)nb[j] * ni + i] / 3.0;
		double want = 0.25 * plain[(size_t)u_check * ni + i] + 0.75 * mean;
		eq8 &= fabs(got[(size_t)u_check * ni + i] - want) < 1e-6;
	}
	tap_ok(n_sparse > 0 && n_sparse < D.n_users, "some users (%d of %d) are below ratio 0.15",
		n_sparse, D.n_users);
	tap_ok(dense_same, "users at or above the threshold keep their plain scores");
	tap_ok(sparse_diff, "every user below the threshold gets other scores");
	tap_ok(u_check >= 0 && eq8,
		"Eq. 8 for user %d: 0.25 own + 0.75 mean of the 3 nearest in the warm-up space",
		u_check);
	fixture_close(&g);
	free(rep);
	free(plain);
	free(got);

	/* a model without a user table is refused when colliding is on */
	const char *kvp[] = {"model=mostpop", NULL};
	config cfg;
	model mp;
	struct colliding ci;
	struct extra_feedback ex = {0};
	db_err err = {{0}};
	rig_config(&cfg, kvp);
	config_set(&cfg, "collide_lambda", "0.5", &err);
	model_create(&mp, model_find("mostpop"), &D, &cfg, 16, 16, &err);
	struct train_ctx ctx;
	train_ctx_init(&ctx, &cfg, &D, &mp);
	int rc = colliding_create(&ci, &ctx, &ex, &err);
	tap_ok(rc == DB_EINVAL && strstr(err.msg, "no user embedding table"),
		"a model without user table is refused: %s", err.msg);
	colliding_free(&ci);
	model_destroy(&mp);
	config_free(&cfg);

	const char *kvf[] = {"method=finetune", "collide_lambda=0.5", NULL};
	fixture_open(&g, kvf);
	tap_ok(g.rc == DB_EINVAL && strstr(g.err.msg, "warmup"),
		"finetune refuses colliding inference: %s", g.err.msg);
	fixture_close(&g);
}

/* ---- NR: known clicks positive, other clicks weighted negatives ---- */

static void
test_nr(void)
{
	const char *kv[] = {"method=nr", "protocol=adt", "nr_skip_weight=0.25", "seed=4", NULL};
	struct fixture g;
	struct extra_feedback x;
	fixture_open(&g, kv);
	extra_select(&x, &D, &g.cfg, 4, &g.err);
	int ku = x.known.user[0], ki = x.known.item[0], uu = -1, ui = -1;
	for (int k = 0; k < D.train.n && uu < 0; k++)
		if (!data_csr_has(&x.pos, D.train.user[k], D.train.item[k])) {
			uu = D.train.user[k];
			ui = D.train.item[k];
		}
	int user[3] = {ku, uu, ku}, item[3] = {ki, ui, 0};
	float label[3] = {1, 1, 0}, z[3] = {0, 0, 0}, dz[3], sl[3];
	batch b = {.n = 3, .n_pos = 2, .cap = 3, .user = user, .item = item, .label = label};
	g.ctx.sample_loss = sl;
	double l = g.me.ops->loss(&g.me, &g.ctx, &b, z, dz);
	/* BCE at z = 0 is ln 2 for either label; dBCE/dz = 1/2 - t */
	tap_near(l, log(2.0) * (1 + 0.25 + 1) / 3, 1e-6, "nr: (ln2 + 0.25 ln2 + ln2) / 3");
	tap_ok(fabs(dz[0] + 0.5 / 3) < 1e-7 && fabs(dz[1] - 0.25 * 0.5 / 3) < 1e-7 &&
			fabs(dz[2] - 0.5 / 3) < 1e-7,
		"nr: known click pulled up, unknown click pushed down with weight 0.25");
	extra_free(&x);
	fixture_close(&g);
}

/* ---- NMTR: the satisfaction task trains f through the cascade ---- */

static void
train_params(const char *meth, const char *weight, float **out, size_t *n)
{
	const char *kv[] = {meth, weight, "epochs=2", "seed=6", NULL};
	struct fixture g;
	struct train_log log;
	fixture_open(&g, kv);
	int rc = g.rc ? g.rc : train_run(&g.ctx, &g.me, &log, NULL, NULL, &g.err);
	if (rc)
		tap_diag("%s failed: %s", meth, g.err.msg);
	*n = g.f.n_params;
	*out = malloc(*n * sizeof(float));
	memcpy(*out, g.f.param, *n * sizeof(float));
	if (!g.rc)
		train_log_free(&log);
	fixture_close(&g);
}

static void
test_nmtr(void)
{
	float *pn, *p0, *p1;
	size_t n, n0, n1;
	train_params("method=normal", "nmtr_weight=1", &pn, &n);
	train_params("method=nmtr", "nmtr_weight=0", &p0, &n0);
	train_params("method=nmtr", "nmtr_weight=1", &p1, &n1);
	tap_ok(n == n0 && !memcmp(pn, p0, n * sizeof(float)),
		"nmtr with weight 0: f trains exactly as Normal");
	tap_ok(n == n1 && memcmp(pn, p1, n * sizeof(float)),
		"nmtr with weight 1: the satisfaction task moves f");
	free(pn);
	free(p0);
	free(p1);
}

/* ---- end to end ---- */

static void
test_end_to_end(const char *const *kv, const char *name)
{
	struct run_summary sum;
	tap_ok(rig_run_finite(kv, &sum), "%s: run_one completes, finite metrics", name);
}

int
main(void)
{
	db_err err = {{0}};
	if (rig_synthetic(&D, dir, &err)) {
		printf("Bail out! cannot make synthetic data: %s\n", err.msg);
		return 1;
	}
	test_select();
	test_phases("warmup", 1);
	test_phases("finetune", 0);
	test_colliding();
	test_nr();
	test_nmtr();
	const char *e1[] = {"method=finetune", "epochs=2", "extra_epochs=1", NULL};
	const char *e2[] = {"method=warmup", "extra_base=r-ce", "collide_lambda=0.5",
		"collide_threshold=0.3", "epochs=2", "extra_epochs=1", NULL};
	const char *e3[] = {"method=nmtr", "protocol=adt", "epochs=2", "eval_freq=20", NULL};
	const char *e4[] = {"method=nr", "protocol=adt", "epochs=2", NULL};
	const char *e5[] = {"method=warmup", "model=neumf", "protocol=adt", "collide_lambda=0.5",
		"epochs=1", "extra_epochs=1", "eval_freq=20", NULL};
	test_end_to_end(e1, "finetune (t-ce)");
	test_end_to_end(e2, "warmup (r-ce) + colliding inference");
	test_end_to_end(e3, "nmtr (adt, best selection)");
	test_end_to_end(e4, "nr (adt)");
	test_end_to_end(e5, "warmup + colliding on neumf (two user tables)");
	rig_synthetic_free(&D, dir);
	return tap_done();
}
