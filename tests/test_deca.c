/* DeCA and DeCA(p) (protocol.md §4.6): every per-sample term against
 * formulas written out here in double precision (and a few values computed
 * by hand outside the program), the DP/DN schedules, which of f, g, h1, h2
 * receive gradient and move in each kind of iteration, finite-difference
 * checks through the loss hook, DeCA(p)'s frozen g and its cache, the
 * dpi/dvae aliases and the per-cell defaults, and end-to-end runs. */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "methods/deca.h"
#include "nn/adam.h"
#include "nn/rng.h"
#include "rig.h"
#include "tap.h"
#include "train/train.h"

static char tmp[64]; /* data/ and cache/ live here */

/* ---- the per-sample terms -------------------------------------------- */

static double
L(double x)
{
	return log(x + 1e-5);
}

static double
KL(double p, double q)
{
	return p * L(p) - p * L(q) + (1 - p) * L(1 - p) - (1 - p) * L(1 - q);
}

/* protocol.md §4.6.3, one line per cell of its table */
static double
want_loss(enum deca_step t, int pos, const double *x, const struct deca_coef *c)
{
	double f = x[0], g = x[1], h1 = x[2], h2 = x[3];
	double A = c->alpha * KL(g, f) + (1 - c->alpha) * KL(f, g);
	if (t == DECA_DP)
		return pos ? A - (1 - f) * L(h1) : A - ((1 - f) * L(1 - h1) - c->c1 * f);
	if (t == DECA_DN)
		return pos ? A - (f * L(h2) - c->c2 * (1 - f)) : A - f * L(1 - h2);
	return A - ((1 - f) * L(1 - h1) + f * L(1 - h2));
}

static const char *const step_name[] = {"DP", "DN", "both"};

static void
check_term(enum deca_step t, int pos, const double *x, const struct deca_coef *c)
{
	struct deca_sample s = {x[0], x[1], x[2], x[3], pos};
	struct deca_grad o;
	deca_term(c, t, &s, &o);
	double d[4] = {o.df, o.dg, o.dh1, o.dh2}, maxerr = 0;
	for (int j = 0; j < 4; j++) {
		double xp[4], xm[4], h = 1e-6;
		memcpy(xp, x, sizeof xp);
		memcpy(xm, x, sizeof xm);
		xp[j] += h;
		xm[j] -= h;
		double num = (want_loss(t, pos, xp, c) - want_loss(t, pos, xm, c)) / (2 * h);
		maxerr = fmax(maxerr, fabs(num - d[j]) / fmax(1, fabs(num)));
	}
	tap_ok(fabs(o.loss - want_loss(t, pos, x, c)) < 1e-12 && maxerr < 1e-6,
		"term %s %s f=%.2f g=%.2f h1=%.2f h2=%.2f: loss %.9g = formula %.9g, "
		"d/d(f,g,h1,h2) vs FD max rel err %.1e",
		step_name[t], pos ? "pos" : "neg", x[0], x[1], x[2], x[3], o.loss,
		want_loss(t, pos, x, c), maxerr);
}

/* Values computed by hand (Python, outside this program) for f = 0.8,
 * g = 0.6, h1 = 0.3, h2 = 0.7, alpha 0.5, C1 10, C2 3: A = 0.0980800087. */
static void
test_terms(void)
{
	static const double x[3][4] = {{0.8, 0.6, 0.3, 0.7}, {0.2, 0.35, 0.1, 0.9},
		{0.55, 0.5, 0.5, 0.45}};
	struct deca_coef c = {0.5, 10, 3};
	for (int t = DECA_DP; t <= DECA_BOTH; t++)
		for (int i = 0; i < 3; i++)
			for (int pos = 0; pos <= 1; pos++)
				check_term((enum deca_step)t, pos, x[i], &c);
	static const struct {
		enum deca_step t;
		int pos;
		double want;
	} hand[] = {{DECA_DP, 1, 0.338867903}, {DECA_DP, 0, 8.169412140}, {DECA_DN, 1, 0.983408535},
		{DECA_DN, 0, 1.061231586}, {DECA_BOTH, 1, 1.132563718},
		{DECA_BOTH, 0, 1.132563718}};
	for (size_t i = 0; i < sizeof hand / sizeof hand[0]; i++) {
		struct deca_sample s = {0.8, 0.6, 0.3, 0.7, hand[i].pos};
		struct deca_grad o;
		deca_term(&c, hand[i].t, &s, &o);
		char what[64];
		snprintf(what, sizeof what, "hand value %s %s", step_name[hand[i].t],
			hand[i].pos ? "pos" : "neg");
		tap_near(o.loss, hand[i].want, 1e-8, what);
	}
	/* alpha = 1: KL(g||f) only, which vanishes at g = f */
	struct deca_coef c1 = {1, 10, 3};
	struct deca_sample s = {0.4, 0.4, 0.5, 0.5, 1};
	struct deca_grad o;
	deca_term(&c1, DECA_DP, &s, &o);
	tap_near(o.loss, -0.6 * L(0.5), 1e-12, "g = f: no agreement cost, DP pos = -(1-f) lg h1");
	/* alpha = 0.3 with g != f: alpha weights KL(g||f), 1 - alpha KL(f||g)
	 * (§4.6.2); KL(g||f) = 0.104642, KL(f||g) = 0.091518 differ, so a swap
	 * moves A from 0.095455 to 0.100710.  Hand value (Python, outside this
	 * program): DP pos = A - (1-f) lg(h1) = 0.336243055 */
	struct deca_coef c3 = {0.3, 10, 3};
	struct deca_sample s3 = {0.8, 0.6, 0.3, 0.7, 1};
	deca_term(&c3, DECA_DP, &s3, &o);
	tap_near(o.loss, 0.336243055, 1e-8, "alpha 0.3, f 0.8, g 0.6: hand value DP pos");
	for (int t = DECA_DP; t <= DECA_BOTH; t++)
		for (int pos = 0; pos <= 1; pos++)
			check_term((enum deca_step)t, pos, x[0], &c3);
}

/* ---- the schedules ---------------------------------------------------- */

static void
check_schedule(const char *what, struct deca_schedule s, const char *want)
{
	char got[16] = {0};
	for (int k = 0; k < 6; k++)
		got[k] = "PNB"[deca_step_at(&s, k)];
	tap_ok(!strcmp(got, want), "schedule %s, iterations 0..5: %s (want %s)", what, got, want);
}

static void
test_schedule(void)
{
	check_schedule("reference", (struct deca_schedule){0, 1, DECA_BOTH}, "BPNPNP");
	check_schedule("reference, iterative=false", (struct deca_schedule){0, 0, DECA_BOTH},
		"BBBBBB");
	check_schedule("paper", (struct deca_schedule){1, 1, DECA_BOTH}, "PNPNPN");
	check_schedule("paper, iterative=false", (struct deca_schedule){1, 0, DECA_BOTH}, "PPPPPP");
	check_schedule("deca_terms=dp", (struct deca_schedule){0, 1, DECA_DP}, "PPPPPP");
	check_schedule("deca_terms=dn", (struct deca_schedule){1, 1, DECA_DN}, "NNNNNN");
	config c;
	db_err err;
	struct deca_schedule s;
	config_init(&c);
	config_set(&c, "deca_schedule", "paper", &err);
	config_set(&c, "deca_terms", "dn", &err);
	config_set(&c, "deca_iterative", "false", &err);
	deca_schedule_read(&s, &c);
	tap_ok(s.paper && !s.iterative && s.terms == DECA_DN, "schedule keys read");
	config_free(&c);
}

/* ---- one method on the synthetic data --------------------------------- */

struct fixture {
	config cfg;
	dataset d;
	model f;
	method me;
	struct train_ctx ctx;
	batch b;
	float z[8], dz[8], sl[8];
};

static int
fixture_open(struct fixture *x, const char *const *kv)
{
	config ex;
	db_err err = {{0}};
	char data[128];
	snprintf(data, sizeof data, "data=%s/data", tmp);
	const char *base[] = {data, "dataset=synth", "model=mf", "factors=3", "deca_dim=3",
		"epochs=2", NULL};
	memset(x, 0, sizeof *x);
	config_init(&ex);
	int rc = 0;
	for (const char *const *p = base; *p && !rc; p++)
		rc = config_set_kv(&ex, *p, &err);
	for (const char *const *p = kv; *p && !rc; p++)
		rc = config_set_kv(&ex, *p, &err);
	struct data_opts o = {.mask_valid = 1};
	if (!rc)
		rc = config_resolve(&x->cfg, &ex, &err);
	config_free(&ex);
	if (!rc)
		rc = data_load(&x->d, config_get(&x->cfg, "data"), "synth", &o, &err);
	if (!rc)
		rc = model_create(&x->f, model_find(config_get(&x->cfg, "model")), &x->d, &x->cfg,
			train_batch_cap(&x->cfg), 1, &err);
	if (!rc) {
		gsl_rng *r = rng_stream((uint64_t)config_int(&x->cfg, "seed"), "init");
		x->f.ops->init(&x->f, r);
		gsl_rng_free(r);
		train_ctx_init(&x->ctx, &x->cfg, &x->d, &x->f);
		x->ctx.sample_loss = x->sl;
		rc = method_create(&x->me, method_find(config_get(&x->cfg, "method")), &x->ctx,
			&err);
	}
	if (!rc)
		rc = batch_alloc(&x->b, 8, &err);
	if (rc)
		tap_diag("fixture: %s", err.msg);
	/* four positives (distinct users) and one negative for each */
	static const int user[8] = {0, 1, 2, 1, 0, 1, 2, 1}, item[8] = {3, 5, 7, 9, 11, 4, 2, 0};
	x->b.n = 8;
	x->b.n_pos = 4;
	for (int k = 0; k < 8 && !rc; k++) {
		x->b.user[k] = user[k];
		x->b.item[k] = item[k];
		x->b.label[k] = k < 4;
	}
	return rc;
}

static void
fixture_close(struct fixture *x)
{
	method_destroy(&x->me);
	batch_free(&x->b);
	model_destroy(&x->f);
	data_free(&x->d);
	config_free(&x->cfg);
}

/* O(1) logits everywhere, so that every term has a sizeable gradient */
static void
spread_params(model *m, const char *purpose)
{
	gsl_rng *r = rng_stream(7, purpose);
	init_uniform(m->param, m->n_params, 1.0, r);
	gsl_rng_free(r);
}

static double
loss_at(struct fixture *x, long iteration)
{
	x->ctx.iteration = iteration;
	x->f.ops->forward(&x->f, &x->b, x->z);
	return x->me.ops->loss(&x->me, &x->ctx, &x->b, x->z, x->dz);
}

/* DeCA's batch loss (§4.6.4): mean_P + NSR * mean_N for the recommender
 * models, mean_P + mean_N for CDAE, whatever neg_ratio (here 3). */
static void
test_nsr_factor(const char *model_kv, int want_nsr)
{
	const char *kv[] = {"method=deca", model_kv, "neg_ratio=3", NULL};
	struct fixture x;
	if (fixture_open(&x, kv)) {
		tap_ok(0, "deca fixture (%s)", model_kv);
		fixture_close(&x);
		return;
	}
	x.ctx.neg_ratio = 3;
	double L = loss_at(&x, 1), mp = 0, mn = 0;
	for (int k = 0; k < 8; k++)
		*(k < 4 ? &mp : &mn) += x.sl[k] / 4.0;
	tap_ok(fabs(L - (mp + want_nsr * mn)) < 1e-5 && mn > 0,
		"deca %s, neg_ratio 3: mean_P + %d mean_N (L %.6f, means %.6f %.6f)", model_kv,
		want_nsr, L, mp, mn);
	fixture_close(&x);
}

static int
any_nonzero(const float *v, size_t n)
{
	for (size_t j = 0; j < n; j++)
		if (v[j] != 0)
			return 1;
	return 0;
}

/* One iteration of kind `it`: the loop's sequence (forward, loss, backward
 * of f, f's step, after_step), then who got gradient and who moved. */
static void
check_stepping(const char *method_name, long it, const char *want_grad)
{
	struct fixture x;
	const char *kv[] = {method_name, "deca_pretrain_cache=false", NULL};
	if (fixture_open(&x, kv)) {
		tap_ok(0, "%s: fixture", method_name);
		fixture_close(&x);
		return;
	}
	static const char *const names[] = {"g", "h1", "h2"};
	model *m[3];
	float *before[4];
	for (int i = 0; i < 3; i++) {
		m[i] = method_deca_model(&x.me, names[i]);
		spread_params(m[i], names[i]);
		before[i] = malloc(m[i]->n_params * sizeof(float));
		memcpy(before[i], m[i]->param, m[i]->n_params * sizeof(float));
	}
	before[3] = malloc(x.f.n_params * sizeof(float));
	memcpy(before[3], x.f.param, x.f.n_params * sizeof(float));
	adam opt;
	db_err err;
	adam_create(&opt, x.f.n_params, &x.ctx.set.adam, &err);
	loss_at(&x, it);
	char grad[4] = "---", moved[5] = "----";
	for (int i = 0; i < 3; i++)
		grad[i] = any_nonzero(m[i]->grad, m[i]->n_params) ? "g12"[i] : '-';
	int f_grad = any_nonzero(x.dz, 8);
	x.f.ops->backward(&x.f, &x.b, x.dz);
	model_step(&x.f, &opt, config_double(&x.cfg, "l2"));
	x.me.ops->after_step(&x.me, &x.ctx);
	for (int i = 0; i < 3; i++)
		moved[i] = memcmp(before[i], m[i]->param, m[i]->n_params * sizeof(float)) ? "g12"[i]
											  : '-';
	moved[3] = memcmp(before[3], x.f.param, x.f.n_params * sizeof(float)) ? 'f' : '-';
	char want_moved[5];
	snprintf(want_moved, sizeof want_moved, "%sf", want_grad);
	tap_ok(f_grad && !strcmp(grad, want_grad) && !strcmp(moved, want_moved),
		"%s iteration %ld (%s): gradient in [%s] f=%d, moved [%s] (want [%s], [%s])",
		method_name, it,
		step_name[deca_step_at(&(struct deca_schedule){0, 1, DECA_BOTH}, it)], grad, f_grad,
		moved, want_grad, want_moved);
	for (int i = 0; i < 4; i++)
		free(before[i]);
	adam_free(&opt);
	fixture_close(&x);
}

static void
test_stepping(void)
{
	/* reference schedule: 0 both, 1 DP, 2 DN */
	check_stepping("method=deca", 0, "g12");
	check_stepping("method=deca", 1, "g1-");
	check_stepping("method=deca", 2, "g-2");
	check_stepping("method=deca-p", 0, "-12");
	check_stepping("method=deca-p", 1, "-1-");
	check_stepping("method=deca-p", 2, "--2");
}

/* ---- finite differences through the loss hook -------------------------- */

#define FD_EPS 1e-2
#define FD_TOL 1e-2

static void
fd_logits(struct fixture *x, long it, const char *what)
{
	loss_at(x, it);
	float a[8], z0[8];
	memcpy(a, x->dz, sizeof a);
	memcpy(z0, x->z, sizeof z0);
	double maxdiff = 0, maxa = 0;
	for (int k = 0; k < 8; k++) {
		float z[8];
		memcpy(z, z0, sizeof z);
		z[k] = z0[k] + (float)FD_EPS;
		double hi = z[k], Lp = x->me.ops->loss(&x->me, &x->ctx, &x->b, z, x->dz);
		z[k] = z0[k] - (float)FD_EPS;
		double lo = z[k], Lm = x->me.ops->loss(&x->me, &x->ctx, &x->b, z, x->dz);
		maxdiff = fmax(maxdiff, fabs((Lp - Lm) / (hi - lo) - a[k]));
		maxa = fmax(maxa, fabs(a[k]));
	}
	double rel = maxdiff / fmax(maxa, 1e-3);
	tap_ok(rel <= FD_TOL && maxa > 0, "%s, %s: dL/dz of f vs FD, max rel err %.2e (max %.3g)",
		what, step_name[deca_step_at(&(struct deca_schedule){0, 1, DECA_BOTH}, it)], rel,
		maxa);
}

static void
fd_params(struct fixture *x, long it, const char *name, const char *what)
{
	model *m = method_deca_model(&x->me, name);
	for (int i = 0; i < 3; i++)
		model_zero_grad(method_deca_model(&x->me, (const char *[]){"g", "h1", "h2"}[i]));
	loss_at(x, it);
	float *a = malloc(m->n_params * sizeof *a);
	memcpy(a, m->grad, m->n_params * sizeof *a);
	double maxdiff = 0, maxa = 0, maxn = 0;
	for (size_t j = 0; j < m->n_params; j++) {
		float keep = m->param[j];
		m->param[j] = keep + (float)FD_EPS;
		double hi = m->param[j], Lp = loss_at(x, it);
		m->param[j] = keep - (float)FD_EPS;
		double lo = m->param[j], Lm = loss_at(x, it);
		m->param[j] = keep;
		double num = (Lp - Lm) / (hi - lo);
		maxdiff = fmax(maxdiff, fabs(num - a[j]));
		maxa = fmax(maxa, fabs(a[j]));
		maxn = fmax(maxn, fabs(num));
	}
	double rel = maxdiff / fmax(fmax(maxa, maxn), 1e-3);
	tap_ok(rel <= FD_TOL && maxn > 0,
		"%s, %s: %s's parameters, backward vs FD, max rel err %.2e (max |grad| %.3g)", what,
		step_name[deca_step_at(&(struct deca_schedule){0, 1, DECA_BOTH}, it)], name, rel,
		maxn);
	free(a);
}

static void
test_gradcheck(const char *h_model)
{
	struct fixture x;
	char hm[64], what[64];
	snprintf(hm, sizeof hm, "deca_h_model=%s", h_model);
	snprintf(what, sizeof what, "deca, h = %s", h_model);
	const char *kv[] = {"method=deca", hm, "deca_c1=10", "deca_c2=3", "deca_alpha=0.5", NULL};
	if (fixture_open(&x, kv)) {
		tap_ok(0, "%s: fixture", what);
		fixture_close(&x);
		return;
	}
	spread_params(&x.f, "f");
	for (int i = 0; i < 3; i++) {
		const char *n = (const char *[]){"g", "h1", "h2"}[i];
		spread_params(method_deca_model(&x.me, n), n);
	}
	for (long it = 0; it < 3; it++) {
		fd_logits(&x, it, what);
		fd_params(&x, it, "g", what);
		if (it != 2)
			fd_params(&x, it, "h1", what);
		if (it != 1)
			fd_params(&x, it, "h2", what);
	}
	fixture_close(&x);
}

/* ---- DeCA(p): the cache ------------------------------------------------- */

static int
count_files(const char *dir)
{
	DIR *d = opendir(dir);
	int n = 0;
	if (!d)
		return 0;
	for (struct dirent *e; (e = readdir(d));)
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

/* Creates deca-p under kv; returns whether g was trained (-1: failure),
 * its cache path and a copy of g's parameters when asked. */
static size_t g_size; /* bytes of g's parameters */

static int
decap_run(const char *const *kv, char *path, float **g_out)
{
	struct fixture x;
	db_err err;
	if (fixture_open(&x, kv)) {
		fixture_close(&x);
		return -1;
	}
	int trained = method_deca_pretrained(&x.me);
	deca_cache_path(&x.ctx, path, 4096, &err);
	model *g = method_deca_model(&x.me, "g");
	g_size = g->n_params * sizeof(float);
	if (g_out) {
		*g_out = malloc(g->n_params * sizeof(float));
		memcpy(*g_out, g->param, g->n_params * sizeof(float));
	}
	fixture_close(&x);
	return trained;
}

static void
test_cache(void)
{
	char cache[128], p1[4096], p2[4096], p[4096];
	snprintf(cache, sizeof cache, "cache_dir=%s/cache", tmp);
	const char *kv[] = {"method=deca-p", cache, "seed=5", "l2=0.1", NULL};
	float *g1 = NULL, *g2 = NULL;
	tap_ok(decap_run(kv, p1, &g1) == 1, "deca-p: first run pre-trains g");
	struct stat st1, st2;
	int have = stat(p1, &st1) == 0;
	tap_ok(have && count_files(cache + strlen("cache_dir=")) == 1,
		"deca-p: the pre-trained g is cached (%s)", p1);
	tap_ok(decap_run(kv, p2, &g2) == 0 && !strcmp(p1, p2), "deca-p: identical run loads it");
	tap_ok(have && stat(p2, &st2) == 0 && st1.st_mtim.tv_sec == st2.st_mtim.tv_sec &&
			st1.st_mtim.tv_nsec == st2.st_mtim.tv_nsec,
		"deca-p: the cache file is not rewritten");
	tap_ok(g1 && g2 && !memcmp(g1, g2, g_size), "deca-p: the loaded g equals the trained one");
	const char *seed[] = {"method=deca-p", cache, "seed=6", "l2=0.1", NULL};
	const char *l2[] = {"method=deca-p", cache, "seed=5", "l2=0.5", NULL};
	const char *dpi[] = {"method=dvae", cache, "seed=5", "l2=0.1", "deca_c1=7", NULL};
	tap_ok(decap_run(seed, p, NULL) == 1 && strcmp(p, p1),
		"deca-p: another seed pre-trains again");
	tap_ok(decap_run(l2, p, NULL) == 1 && strcmp(p, p1), "deca-p: another l2 pre-trains again");
	tap_ok(decap_run(dpi, p, NULL) == 0 && !strcmp(p, p1),
		"deca-p: the alias and another C1 (not used by the pre-training) reuse g");
	FILE *f = fopen(p1, "r+b");
	if (f) {
		fseek(f, -4, SEEK_END);
		fputs("junk", f);
		fclose(f);
	}
	tap_ok(decap_run(kv, p, NULL) == 1, "deca-p: a cache file with altered values is not used");
	if (stat(p1, &st1) != 0 || truncate(p1, st1.st_size - 1) != 0)
		tap_diag("could not truncate %s", p1);
	tap_ok(decap_run(kv, p, NULL) == 1, "deca-p: a truncated cache file is not used");
	float *g3 = NULL;
	tap_ok(decap_run(kv, p, &g3) == 0 && g3 && !memcmp(g1, g3, g_size),
		"deca-p: ... and was rewritten correctly");
	int before = count_files(cache + strlen("cache_dir="));
	const char *off[] = {"method=deca-p", cache, "seed=9", "deca_pretrain_cache=false", NULL};
	tap_ok(decap_run(off, p, NULL) == 1 && !*p &&
			count_files(cache + strlen("cache_dir=")) == before,
		"deca-p: deca_pretrain_cache=false trains and writes nothing");
	free(g1);
	free(g2);
	free(g3);
	/* epochs 0: g is exactly f's initial parameters (§4.6.5 step 1) */
	struct fixture x;
	const char *zero[] = {"method=deca-p", "epochs=0", "deca_pretrain_cache=false", NULL};
	if (!fixture_open(&x, zero)) {
		model *g = method_deca_model(&x.me, "g");
		tap_ok(g->n_params == x.f.n_params &&
				!memcmp(g->param, x.f.param, g->n_params * sizeof(float)),
			"deca-p: g starts as a copy of f's initial parameters");
	} else {
		tap_ok(0, "deca-p: epochs 0 fixture");
	}
	fixture_close(&x);
}

/* The pre-training runs under its own selection rule (§4.6.5: eval_freq
 * 500, the last parameters), whatever the cell's: g is the same under
 * selection=best with validation at every iteration as under the default. */
static void
test_pretrain_selection(void)
{
	const char *last[] = {"method=deca-p", "epochs=20", "lr=0.1", "deca_pretrain_cache=false",
		NULL};
	const char *best[] = {"method=deca-p", "epochs=20", "lr=0.1", "deca_pretrain_cache=false",
		"selection=best", "eval_freq=1", "early_stop=false", NULL};
	char p[4096];
	float *g1 = NULL, *g2 = NULL;
	int ok = decap_run(last, p, &g1) == 1 && decap_run(best, p, &g2) == 1;
	tap_ok(ok && !memcmp(g1, g2, g_size),
		"deca-p: g is pre-trained under its own selection rule, not the cell's");
	free(g1);
	free(g2);
}

/* ---- names and defaults ------------------------------------------------- */

static const char *
resolved(const char *const *kv, const char *key, char *buf)
{
	config r;
	rig_config(&r, kv);
	snprintf(buf, 64, "%s", config_get(&r, key));
	config_free(&r);
	return buf;
}

static void
test_names(void)
{
	char b1[64], b2[64], b3[64], b4[64];
	tap_ok(method_find("dpi") && method_find("dpi") == method_find("deca") &&
			method_find("dvae") && method_find("dvae") == method_find("deca-p") &&
			method_find("deca") != method_find("deca-p"),
		"dpi = deca, dvae = deca-p in the registry");
	const char *ml[] = {"method=dpi", "dataset=ml-100k", "model=gmf", NULL};
	tap_ok(!strcmp(resolved(ml, "method", b1), "deca") &&
			!strcmp(resolved(ml, "deca_c2", b2), "1000") &&
			!strcmp(resolved(ml, "epochs", b3), "20") &&
			!strcmp(resolved(ml, "l2", b4), "0.1"),
		"dpi on ml-100k GMF: stored as %s, C2 %s, epochs %s, l2 %s (DeCA row)", b1, b2, b3,
		b4);
	const char *mc[] = {"method=dvae", "dataset=modcloth", "model=neumf", NULL};
	tap_ok(!strcmp(resolved(mc, "method", b1), "deca-p") &&
			!strcmp(resolved(mc, "early_stop", b2), "true") &&
			!strcmp(resolved(mc, "l2", b3), "10") &&
			!strcmp(resolved(mc, "deca_alpha", b4), "1"),
		"dvae on modcloth NeuMF: stored as %s, ES %s, l2 %s, alpha %s (DeCA(p) row)", b1,
		b2, b3, b4);
	const char *ad[] = {"method=deca-p", "dataset=adressa", "model=lightgcn", NULL};
	tap_ok(!strcmp(resolved(ad, "deca_iterative", b1), "false"),
		"DeCA(p) LightGCN adressa: iterative %s", b1);
	const char *mg[] = {"method=deca", "dataset=modcloth", "model=gmf", NULL};
	tap_ok(!strcmp(resolved(mg, "early_stop", b1), "false") &&
			!strcmp(resolved(mg, "deca_c1", b2), "100"),
		"deca on modcloth GMF: no Normal row leaks in (ES %s), C1 %s", b1, b2);
}

/* ---- end to end ----------------------------------------------------------- */

static void
end_to_end(const char *name, const char *extra)
{
	char m[64], cache[128];
	snprintf(m, sizeof m, "method=%s", name);
	snprintf(cache, sizeof cache, "cache_dir=%s/cache", tmp);
	const char *kv[] = {m, cache, "epochs=1", "seed=3", extra, NULL};
	struct run_summary sum;
	int finite = rig_run_finite(kv, &sum) && sum.iterations > 0;
	tap_ok(finite, "%s %s: run_one, 1 epoch on synthetic data, finite metrics (method %s)",
		name, extra ? extra : "", *sum.method ? sum.method : "-");
}

/* A CDAE g draws dropout masks: trained now (cold cache) or read back
 * (warm), it must enter f's training in the same state. */
static void
test_cache_state_free(void)
{
	char cache[128];
	snprintf(cache, sizeof cache, "cache_dir=%s/cache", tmp);
	const char *kv[] = {"method=deca-p", "model=cdae", cache, "epochs=2", "seed=11", NULL};
	struct run_summary sum[2];
	int rc = 0;
	for (int r = 0; r < 2; r++) {
		db_err err = {{0}};
		rc |= rig_run(kv, &sum[r], &err);
	}
	tap_ok(!rc && !memcmp(sum[0].test, sum[1].test, sizeof sum[0].test),
		"deca-p with CDAE: cold and warm cache give identical test metrics");
}

static void
test_cli(void)
{
	const char *bin = getenv("DENOISEBENCH");
	if (!bin) {
		tap_skip("DENOISEBENCH not set (run through make check)");
		return;
	}
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "'%s' train --method deca --epochs 1 >%s/cli.out 2>&1", bin, tmp);
	tap_ok(system(cmd) == 0, "denoisebench train --method deca --epochs 1");
	char out[256];
	snprintf(out, sizeof out, "%s/cli.out", tmp);
	remove(out);
}

int
main(void)
{
	db_err err;
	char data[128], cache[128];
	snprintf(tmp, sizeof tmp, "/tmp/test_deca-XXXXXX");
	if (!mkdtemp(tmp)) {
		printf("1..0 # SKIP cannot create a temporary directory\n");
		return 0;
	}
	snprintf(data, sizeof data, "%s/data", tmp);
	snprintf(cache, sizeof cache, "%s/cache", tmp);
	struct synth_opts so;
	synth_default_opts(&so);
	mkdir(data, 0777);
	if (synth_write(&so, data, "synth", &err))
		tap_diag("synth: %s", err.msg);
	test_terms();
	test_schedule();
	test_stepping();
	test_gradcheck("mf");
	test_gradcheck("gmf");
	test_nsr_factor("model=mf", 3);
	test_nsr_factor("model=cdae", 1);
	test_cache();
	test_pretrain_selection();
	test_names();
	end_to_end("deca", NULL);
	end_to_end("dvae", NULL);
	end_to_end("deca", "deca_h_model=neumf");
	end_to_end("deca-p", "deca_schedule=paper");
	test_cache_state_free();
	test_cli();
	rig_remove_dir(data);
	rig_remove_dir(cache);
	rmdir(tmp);
	return tap_done();
}
