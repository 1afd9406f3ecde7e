/* The models' contracts: analytic gradients of every entry of every tensor
 * against finite differences, block scoring against the training forward,
 * the training forward against a plain double-precision re-implementation
 * of the reference architecture (protocol.md §3.1, §3.2), the reference
 * initialisation (§3.5), gradient accumulation, and MostPop. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "methods/method.h"
#include "models/model.h"
#include "nn/adam.h"
#include "nn/blas.h"
#include "nn/rng.h"
#include "tap.h"
#include "train/train.h"

#define SEED 20240327

/* the models with a plain re-implementation below (§3.1, §3.2) */
static const char *const ncf[] = {"mf", "gmf", "neumf"};
#define NNCF (int)(sizeof ncf / sizeof ncf[0])

/* Only the fields the models read: sizes and item popularity. */
static void
fake_dataset(dataset *d, int n_users, int n_items)
{
	memset(d, 0, sizeof *d);
	d->n_users = n_users;
	d->n_items = n_items;
	d->item_pop = calloc((size_t)n_items, sizeof(int));
	for (int i = 0; i < n_items; i++)
		d->item_pop[i] = (i * 7919) % 13;
}

static int
make_model(model *m, const char *name, const dataset *d, const char *factors, const char *layers,
	int batch_cap, int eval_block)
{
	config c;
	db_err err;
	config_init(&c);
	int rc = config_set(&c, "factors", factors, &err);
	if (!rc)
		rc = config_set(&c, "mlp_layers", layers, &err);
	if (!rc)
		rc = model_create(m, model_find(name), d, &c, batch_cap, eval_block, &err);
	if (rc)
		tap_diag("%s", err.msg);
	config_free(&c);
	return rc;
}

/* The reference initialisation, then (scale > 0) every tensor, biases
 * included, redrawn from U(±scale): logits of order one, biases that
 * matter, and ReLU pre-activations mostly far from 0 compared with the
 * finite-difference step (numeric_grad handles the few that are not). */
static void
init_model(model *m, double scale)
{
	gsl_rng *r = rng_stream(SEED, "init");
	m->ops->init(m, r);
	if (scale > 0)
		init_uniform(m->param, m->n_params, scale, r);
	gsl_rng_free(r);
}

static double
max_abs(const float *x, size_t n)
{
	double mx = 0;
	for (size_t j = 0; j < n; j++)
		mx = fmax(mx, fabs(x[j]));
	return mx;
}

/* ---- a batch with repeated users, items and pairs ------------------- */

#define GC_N 12
static const int gc_user[GC_N] = {0, 1, 1, 3, 4, 0, 2, 1, 4, 4, 3, 0};
static const int gc_item[GC_N] = {6, 2, 2, 5, 0, 6, 3, 1, 0, 4, 5, 2};

static void
fill_batch(batch *b, float *coef)
{
	gsl_rng *r = rng_stream(SEED, "coef");
	b->n = b->n_pos = GC_N;
	for (int k = 0; k < GC_N; k++) {
		b->user[k] = gc_user[k];
		b->item[k] = gc_item[k];
		coef[k] = (float)(2 * gsl_rng_uniform(r) - 1);
	}
	gsl_rng_free(r);
}

/* L = Σ_k c_k z_k, accumulated in double */
static double
weighted_logits(model *m, const batch *b, const float *coef)
{
	float z[GC_N];
	if (m->ops->params_changed) /* the test writes param directly */
		m->ops->params_changed(m);
	m->ops->forward(m, b, z);
	double L = 0;
	for (int k = 0; k < b->n; k++)
		L += (double)coef[k] * z[k];
	return L;
}

/* ---- finite differences --------------------------------------------- */

/* Every MF and NCF logit is piecewise linear in any single parameter
 * (products of distinct tables, linear layers, ReLU), so a difference
 * quotient is exact up to rounding unless a ReLU kink lies inside its
 * interval.  EPS = 1e-2 makes the rounding of the float32 logits
 * (~1e-7 |z|, |z| = O(1..10)) cost ~1e-4 of the gradient scale, well under
 * GC_TOL, while a wrong index, a lost accumulation or a missing ReLU mask is
 * off by the gradient's own size. */
#define GC_EPS 1e-2f
#define GC_TOL 1e-2

/* Entry by entry: |a - fd| <= GC_TOL * max(|a|, |fd|, GC_FLOOR), so that a
 * small entry must be right to its own size (the floor keeps the float
 * rounding of the logits, ~1e-5 absolute here, from failing entries near
 * 0). */
#define GC_FLOOR 1e-2

static double
gc_ratio(double a, double num)
{
	return fabs(a - num) / (GC_TOL * fmax(fmax(fabs(a), fabs(num)), GC_FLOOR));
}

/* The central difference at *p (exact up to O(EPS^2) for the smooth models:
 * LightGCN is quadratic in one parameter, CDAE's tanh smooth), unless it
 * misses the analytic value a and the two one-sided differences disagree:
 * a ReLU kink within EPS (NCF, with these seeds), where the side without
 * the kink is the true derivative; a wrong gradient matches neither side.
 * *kink counts such entries. */
static double
numeric_grad(model *m, const batch *b, const float *coef, float *p, double a, int *kink)
{
	float keep = *p;
	double L0 = weighted_logits(m, b, coef);
	*p = keep + GC_EPS;
	double hi = *p, Lp = weighted_logits(m, b, coef);
	*p = keep - GC_EPS;
	double lo = *p, Lm = weighted_logits(m, b, coef);
	*p = keep;
	double central = (Lp - Lm) / (hi - lo);
	double up = (Lp - L0) / (hi - keep), down = (L0 - Lm) / (keep - lo);
	if (gc_ratio(a, central) <= 1 ||
		fabs(up - down) <= GC_TOL * fmax(fmax(fabs(up), fabs(down)), 1e-3))
		return central;
	++*kink;
	return fabs(up - a) < fabs(down - a) ? up : down;
}

/* Reports the worst ratio err / allowed and where it is. */
static void
gradcheck_tensor(model *m, const batch *b, const float *coef, const float *analytic,
	const struct param_tensor *t, const char *label)
{
	double worst = 0, maxn = 0, wa = 0, wn = 0;
	size_t wj = 0;
	int kinks = 0;
	for (size_t j = 0; j < t->rows * t->cols; j++) {
		double a = analytic[t->offset + j];
		double num = numeric_grad(m, b, coef, m->param + t->offset + j, a, &kinks);
		double ratio = gc_ratio(a, num);
		if (ratio > worst) {
			worst = ratio;
			wj = j;
			wa = a;
			wn = num;
		}
		maxn = fmax(maxn, fabs(num));
	}
	tap_ok(worst <= 1 && maxn > 0,
		"%s %s: backward vs finite difference entry by entry, worst err/tol %.3f at %zu "
		"(%.4g vs %.4g; max |grad| %.3g, %d one-sided at a kink)",
		label, t->name, worst, wj, wa, wn, maxn, kinks);
}

/* 5 users x 7 items with a train graph (LightGCN's propagation, CDAE's
 * input rows): user 4 and item 4 have no edge, everything else is one
 * connected component, so every parameter reaches the batch's logits. */
static const int lg_user[] = {0, 0, 1, 1, 2, 2, 3, 3, 1, 0};
static const int lg_item[] = {0, 2, 2, 3, 3, 5, 6, 0, 1, 6};
#define LG_LINES (int)(sizeof lg_user / sizeof lg_user[0])

/* Any registered model on the 5 x 7 data with that graph: 3 factors, MLP
 * layers 2, CDAE hidden 3, gcn_layers as given. */
static int
make_any(model *m, const char *name, dataset *d, const char *gcn_layers, const char *flip)
{
	config c;
	db_err err = {{0}};
	fake_dataset(d, 5, 7);
	config_init(&c);
	const char *kv[][2] = {{"factors", "3"}, {"mlp_layers", "2"}, {"cdae_hidden", "3"},
		{"gcn_layers", gcn_layers}};
	int rc = data_csr_build(&d->train_pos, 5, lg_user, lg_item, LG_LINES, 1, &err);
	for (int k = 0; !rc && k < 4; k++)
		rc = config_set(&c, kv[k][0], kv[k][1], &err);
	if (!rc && flip)
		rc = config_set(&c, flip, "true", &err);
	m->ops = NULL;
	if (!rc)
		rc = model_create(m, model_find(name), d, &c, GC_N, 5, &err);
	if (rc)
		tap_diag("%s: %s", name, err.msg);
	config_free(&c);
	return rc;
}

/* The state a gradient check needs: derived tables refreshed, CDAE's
 * corruption drawn once and frozen (a forward before freezing). */
static void
prepare_any(model *m, const batch *b)
{
	float z[GC_N];
	if (m->ops->params_changed)
		m->ops->params_changed(m);
	if (m->ops->user_batches) { /* CDAE: a corruption drawn once, then frozen */
		m->ops->forward(m, b, z);
		cdae_freeze_corruption(m, 1);
	}
}

static void
free_any(dataset *d)
{
	data_csr_free(&d->train_pos);
	free(d->item_pop);
}

/* Every tensor of the model against finite differences of L = Σ c_k z_k
 * (CDAE with its corruption mask frozen). */
static void
test_gradcheck(const char *name, const char *gcn_layers, const char *flip)
{
	dataset d;
	model m;
	batch b;
	float coef[GC_N];
	db_err err;
	char label[64];
	const char *lg = getenv("DENOISEBENCH_LIGHTGCN");
	snprintf(label, sizeof label, "%s%s%s%s%s%s%s", name,
		strcmp(name, "lightgcn") ? "" : " layers ",
		strcmp(name, "lightgcn") ? "" : gcn_layers, flip ? " " : "", flip ? flip : "",
		lg ? " " : "", lg ? lg : "");
	if (make_any(&m, name, &d, gcn_layers, flip) || batch_alloc(&b, GC_N, &err)) {
		tap_ok(0, "%s: create", label);
		model_destroy(&m);
		free_any(&d);
		return;
	}
	init_model(&m, 1.0);
	fill_batch(&b, coef);
	prepare_any(&m, &b);
	float z[GC_N], *analytic = malloc(m.n_params * sizeof *analytic);
	model_zero_grad(&m);
	m.ops->forward(&m, &b, z);
	m.ops->backward(&m, &b, coef);
	memcpy(analytic, m.grad, m.n_params * sizeof *analytic);
	for (int t = 0; t < m.n_tensors; t++)
		gradcheck_tensor(&m, &b, coef, analytic, &m.tensor[t], label);
	free(analytic);
	batch_free(&b);
	model_destroy(&m);
	free_any(&d);
}

static void test_accumulates(const char *name, const char *flip);

/* model_set_params leaves the model as if created with those parameters:
 * a cache of derived tables (LightGCN's propagated embeddings) built from
 * the old ones is dropped.  Models whose scores draw from a stream (CDAE's
 * corruption) are left out: two of them never score alike. */
static void
test_set_params(const char *name)
{
	dataset da, db;
	model a, b;
	enum { NU = 5 };
	int users[NU] = {0, 1, 2, 3, 4};
	int rc = make_any(&a, name, &da, "2", NULL) | make_any(&b, name, &db, "2", NULL);
	if (rc || b.ops->stream) {
		if (rc)
			tap_ok(0, "%s: set_params fixture", name);
		model_destroy(&a);
		model_destroy(&b);
		free_any(&da);
		free_any(&db);
		return;
	}
	init_model(&a, 1.0);
	init_model(&b, 0.5);
	float sa[NU * 7], sb[NU * 7];
	model_params_changed(&a);
	model_params_changed(&b);
	b.ops->score_users(&b, users, NU, sb); /* b's caches, from its own parameters */
	model_set_params(&b, a.param);
	a.ops->score_users(&a, users, NU, sa);
	b.ops->score_users(&b, users, NU, sb);
	tap_ok(!memcmp(sa, sb, sizeof sa), "%s: model_set_params scores as the copied model", name);
	model_destroy(&a);
	model_destroy(&b);
	free_any(&da);
	free_any(&db);
}

/* Every trainable model of the registry (model_names), LightGCN also with
 * one layer. */
static void
test_gradcheck_registry(void)
{
	char names[256];
	snprintf(names, sizeof names, "%s", model_names());
	int n = 0, n_flips = 0;
	for (char *save, *s = strtok_r(names, "|", &save); s; s = strtok_r(NULL, "|", &save)) {
		const struct model_ops *mo = model_find(s);
		if (!mo || !mo->trainable)
			continue;
		test_gradcheck(s, "3", NULL);
		test_accumulates(s, NULL);
		/* each of the model's own switches that is off by default, on:
		 * another code path through the same parameters */
		for (const struct config_key *const *t = mo->keys; t && *t; t++)
			for (const struct config_key *k = *t; k->name; k++)
				if (k->type == CFG_BOOL && !strcmp(k->def, "false")) {
					test_gradcheck(s, "3", k->name);
					test_accumulates(s, k->name);
					n_flips++;
				}
		test_set_params(s);
		n++;
	}
	test_gradcheck("lightgcn", "1", NULL);
	/* LightGCN's one-thread propagation in passes over the user rows (the
	 * default for graphs larger than the cache, so not for this one), at
	 * every layer count that takes another pass schedule */
	setenv("DENOISEBENCH_LIGHTGCN", "passes", 1);
	static const char *const layers[] = {"1", "2", "3", "4"};
	for (int k = 0; k < 4; k++)
		test_gradcheck("lightgcn", layers[k], NULL);
	test_accumulates("lightgcn", NULL);
	unsetenv("DENOISEBENCH_LIGHTGCN");
	tap_ok(n >= 5 && n_flips >= 2,
		"gradient checks ran for %d trainable models of the registry and %d switches", n,
		n_flips);
}

/* The protocols' regularisers (protocol.md §4.1.2, §4.1.3) as model_step
 * applies them: with lr = 1 and adam_eps = 1, Adam's first step moves
 * theta by g / (|g| + 1) whatever the betas, so g = d / (1 - |d|) from the
 * move d.  g must be the central difference of the value (model_l2, the
 * value model_step returns), entry by entry: deca's lambda theta / user_num
 * and CDAE's lambda theta / ||theta||_F per tensor. */
static void
test_l2_gradient(const char *name, double lambda)
{
	dataset d;
	model m;
	adam opt;
	config c;
	db_err err = {{0}};
	if (make_any(&m, name, &d, "3", NULL)) {
		tap_ok(0, "%s: create", name);
		model_destroy(&m);
		free_any(&d);
		return;
	}
	init_model(&m, 0.5);
	config_init(&c);
	config_set(&c, "lr", "1", &err);
	config_set(&c, "adam_eps", "1", &err);
	struct config_settings set;
	config_settings_parse(&set, &c);
	float *theta = malloc(m.n_params * sizeof *theta);
	memcpy(theta, m.param, m.n_params * sizeof *theta);
	double v0 = model_l2(&m, lambda, 0);
	model_zero_grad(&m);
	int rc = adam_create(&opt, m.n_params, &set.adam, &err);
	double stepped = rc ? NAN : model_step(&m, &opt, lambda);
	float *moved = malloc(m.n_params * sizeof *moved);
	memcpy(moved, m.param, m.n_params * sizeof *moved);
	memcpy(m.param, theta, m.n_params * sizeof *theta);
	double worst = 0, maxg = 0;
	/* h = 1e-2: the value sums ~1e4 float squares, so a smaller step would
	 * drown the difference in its rounding; the half-squared form is
	 * quadratic (central difference exact), the norm's curvature tiny */
	const double h = 1e-2;
	for (size_t j = 0; j < m.n_params; j++) {
		double dj = (double)theta[j] - moved[j], g = dj / (1 - fabs(dj));
		float keep = m.param[j];
		m.param[j] = keep + (float)h;
		double hi = m.param[j], vp = model_l2(&m, lambda, 0);
		m.param[j] = keep - (float)h;
		double lo = m.param[j], vm = model_l2(&m, lambda, 0);
		m.param[j] = keep;
		double fd = (vp - vm) / (hi - lo);
		worst = fmax(worst, fabs(g - fd) / (1e-3 * fmax(fmax(fabs(g), fabs(fd)), 1e-4)));
		maxg = fmax(maxg, fabs(fd));
	}
	tap_ok(!rc && fabs(stepped - v0) <= 1e-6 * fabs(v0) && v0 > 0,
		"%s: model_step returns the regulariser's value (%.6g vs %.6g)", name, stepped, v0);
	tap_ok(!rc && worst <= 1 && maxg > 1e-3,
		"%s: the L2 gradient model_step applies = central difference of its value, entry "
		"by "
		"entry (worst err/tol %.3f, max |grad| %.3g)",
		name, worst, maxg);
	adam_free(&opt);
	config_free(&c);
	free(theta);
	free(moved);
	model_destroy(&m);
	free_any(&d);
}

/* backward adds to grad: a second call on the same batch doubles it */
static void
test_accumulates(const char *name, const char *flip)
{
	dataset d;
	model m;
	batch b;
	float coef[GC_N], z[GC_N];
	db_err err;
	if (make_any(&m, name, &d, "3", flip) || batch_alloc(&b, GC_N, &err)) {
		tap_ok(0, "%s: create", name);
		model_destroy(&m);
		free_any(&d);
		return;
	}
	init_model(&m, 1.0);
	fill_batch(&b, coef);
	prepare_any(&m, &b);
	float *once = malloc(m.n_params * sizeof *once);
	model_zero_grad(&m);
	m.ops->forward(&m, &b, z);
	m.ops->backward(&m, &b, coef);
	memcpy(once, m.grad, m.n_params * sizeof *once);
	m.ops->forward(&m, &b, z);
	m.ops->backward(&m, &b, coef);
	double maxdiff = 0, scale = max_abs(once, m.n_params);
	for (size_t j = 0; j < m.n_params; j++)
		maxdiff = fmax(maxdiff, fabs(m.grad[j] - 2.0 * once[j]));
	tap_ok(scale > 0 && maxdiff <= 1e-6 * scale,
		"%s%s%s: backward twice = 2 x backward once (max diff %.2e, scale %.3g)", name,
		flip ? " " : "", flip ? flip : "", maxdiff, scale);
	free(once);
	batch_free(&b);
	model_destroy(&m);
	free_any(&d);
}

/* ---- an independent forward ----------------------------------------- */

static const float *
tensor_data(const model *m, const char *name, size_t *cols)
{
	const struct param_tensor *t = model_tensor(m, name);
	if (!t)
		return NULL;
	if (cols)
		*cols = t->cols;
	return m->param + t->offset;
}

/* h = relu(W [Pm[u] ; Qm[i]] + b) layer after layer, ReLU after the last too */
static size_t
ref_tower(const model *m, int u, int i, double *h)
{
	size_t e = 0;
	const float *Pm = tensor_data(m, "embed_user_MLP.weight", &e);
	const float *Qm = tensor_data(m, "embed_item_MLP.weight", NULL);
	double x[256];
	size_t n = 2 * e;
	for (size_t j = 0; j < e; j++) {
		x[j] = Pm[(size_t)u * e + j];
		x[e + j] = Qm[(size_t)i * e + j];
	}
	for (int l = 0;; l++) {
		char wname[64], bname[64];
		snprintf(wname, sizeof wname, "MLP_layers.%d.weight", 3 * l + 1);
		snprintf(bname, sizeof bname, "MLP_layers.%d.bias", 3 * l + 1);
		const float *W = tensor_data(m, wname, NULL), *bias = tensor_data(m, bname, NULL);
		if (!W)
			break;
		for (size_t o = 0; o < n / 2; o++) {
			double a = bias[o];
			for (size_t k = 0; k < n; k++)
				a += (double)W[o * n + k] * x[k];
			h[o] = a > 0 ? a : 0;
		}
		n /= 2;
		memcpy(x, h, n * sizeof *x);
	}
	return n;
}

/* MF: P[u]·Q[i];  NCF: w·[P[u] ⊙ Q[i] ; tower] + b, GMF part first */
static double
ref_logit(const model *m, int u, int i)
{
	size_t f = 0;
	const float *P = tensor_data(m, "embed_user.weight", &f);
	if (P) {
		const float *Q = tensor_data(m, "embed_item.weight", NULL);
		double z = 0;
		for (size_t j = 0; j < f; j++)
			z += (double)P[(size_t)u * f + j] * Q[(size_t)i * f + j];
		return z;
	}
	P = tensor_data(m, "embed_user_GMF.weight", &f);
	const float *Q = tensor_data(m, "embed_item_GMF.weight", NULL);
	const float *w = tensor_data(m, "predict_layer.weight", NULL);
	double z = *tensor_data(m, "predict_layer.bias", NULL), h[128];
	for (size_t j = 0; j < f; j++)
		z += (double)w[j] * P[(size_t)u * f + j] * Q[(size_t)i * f + j];
	if (model_tensor(m, "embed_user_MLP.weight")) {
		size_t n = ref_tower(m, u, i, h);
		for (size_t j = 0; j < n; j++)
			z += (double)w[f + j] * h[j];
	}
	return z;
}

static void
test_reference_forward(const char *name)
{
	dataset d;
	model m;
	batch b;
	db_err err;
	fake_dataset(&d, 5, 7);
	if (make_model(&m, name, &d, "3", "3", 35, 5) || batch_alloc(&b, 35, &err)) {
		tap_ok(0, "%s: create", name);
		free(d.item_pop);
		return;
	}
	init_model(&m, 1.0);
	b.n = 35;
	for (int k = 0; k < b.n; k++) {
		b.user[k] = k / 7;
		b.item[k] = k % 7;
	}
	float z[35];
	m.ops->forward(&m, &b, z);
	double maxerr = 0, maxz = 0;
	for (int k = 0; k < b.n; k++) {
		double want = ref_logit(&m, b.user[k], b.item[k]);
		maxerr = fmax(maxerr, fabs(z[k] - want) / fmax(1, fabs(want)));
		maxz = fmax(maxz, fabs(want));
	}
	tap_ok(maxerr <= 1e-5 && maxz > 0.1,
		"%s: forward = double-precision reference architecture (max rel err %.2e)", name,
		maxerr);
	batch_free(&b);
	model_destroy(&m);
	free(d.item_pop);
}

/* ---- block scoring vs training forward ------------------------------ */

/* 300 items: tiles of several whole users; 5000 items: items split in tiles. */
static void
test_score_users(const char *name, int n_items)
{
	enum { NU = 6 };
	static const int users[NU] = {3, 17, 0, 39, 17, 22}; /* a repeat too */
	dataset d;
	model m;
	batch b;
	db_err err;
	fake_dataset(&d, 40, n_items);
	if (make_model(&m, name, &d, "8", "3", n_items, NU) || batch_alloc(&b, n_items, &err)) {
		tap_ok(0, "%s: create", name);
		free(d.item_pop);
		return;
	}
	init_model(&m, 0.5);
	float *out = malloc((size_t)NU * n_items * sizeof *out);
	float *z = malloc((size_t)n_items * sizeof *z);
	m.ops->score_users(&m, users, NU, out);
	double maxerr = 0, maxz = 0;
	for (int r = 0; r < NU; r++) {
		b.n = n_items;
		for (int i = 0; i < n_items; i++) {
			b.user[i] = users[r];
			b.item[i] = i;
		}
		m.ops->forward(&m, &b, z);
		for (int i = 0; i < n_items; i++) {
			double s = out[(size_t)r * n_items + i];
			maxerr = fmax(maxerr, fabs(s - z[i]) / fmax(1, fabs(z[i])));
			maxz = fmax(maxz, fabs(z[i]));
		}
	}
	tap_ok(maxerr <= 1e-5 && maxz > 0.1,
		"%s: score_users = forward, %d items (max rel diff %.2e, max |z| %.3g)", name,
		n_items, maxerr, maxz);
	free(out);
	free(z);
	batch_free(&b);
	model_destroy(&m);
	free(d.item_pop);
}

/* ---- initialisation -------------------------------------------------- */

static void
check_init_tensor(const model *m, const struct param_tensor *t)
{
	const float *x = m->param + t->offset;
	size_t n = t->rows * t->cols;
	if (strstr(t->name, "embed")) {
		/* sd of the sample mean sigma/sqrt(n), of the sample sd ~sigma/sqrt(2n) */
		double s = 0, ss = 0;
		for (size_t j = 0; j < n; j++) {
			s += x[j];
			ss += (double)x[j] * x[j];
		}
		double mean = s / n, sd = sqrt(ss / n - mean * mean);
		double tol_mean = 5 * 0.01 / sqrt(n), tol_sd = 5 * 0.01 / sqrt(2.0 * n);
		tap_ok(fabs(mean) <= tol_mean && fabs(sd - 0.01) <= tol_sd,
			"%s %s: N(0, 0.01^2) (n %zu, mean %.2e, sd %.5f)", m->ops->name, t->name, n,
			mean, sd);
	} else if (strstr(t->name, "bias")) {
		tap_ok(max_abs(x, n) == 0, "%s %s: zero", m->ops->name, t->name);
	} else {
		/* Xavier for the tower, Kaiming-uniform (a = 1, sigmoid) for predict;
		 * the largest of n >= 32 uniform draws exceeds 0.8 bound but with
		 * probability 0.8^n, so a wrong bound shows */
		int predict = strstr(t->name, "predict") != NULL;
		double bound = predict ? sqrt(3.0 / t->cols) : sqrt(6.0 / (t->rows + t->cols));
		double mx = max_abs(x, n);
		tap_ok(mx <= bound && mx >= 0.8 * bound, "%s %s: U(+-%.4f) (max |w| %.4f, n %zu)",
			m->ops->name, t->name, bound, mx, n);
	}
}

/* the paper sizes (factors 32, 3 layers); params start at 1 so that a bias
 * left alone by init shows */
static void
test_init(const char *name)
{
	dataset d;
	model m;
	fake_dataset(&d, 200, 300);
	if (make_model(&m, name, &d, "32", "3", 1, 1)) {
		tap_ok(0, "%s: create", name);
		free(d.item_pop);
		return;
	}
	for (size_t j = 0; j < m.n_params; j++)
		m.param[j] = 1;
	init_model(&m, 0);
	for (int t = 0; t < m.n_tensors; t++)
		check_init_tensor(&m, &m.tensor[t]);
	model_destroy(&m);
	free(d.item_pop);
}

/* ---- MostPop and argument checks ------------------------------------- */

static void
test_mostpop(void)
{
	static const int users[3] = {4, 0, 2};
	dataset d;
	model m;
	batch b;
	db_err err;
	fake_dataset(&d, 5, 7);
	if (make_model(&m, "mostpop", &d, "3", "2", 7, 3) || batch_alloc(&b, 7, &err)) {
		tap_ok(0, "mostpop: create");
		free(d.item_pop);
		return;
	}
	tap_ok(!m.ops->trainable && m.n_params == 0, "mostpop: no parameters, not trainable");
	float out[3 * 7], z[7];
	m.ops->score_users(&m, users, 3, out);
	int same = 1;
	for (int k = 0; k < 3 * 7; k++)
		same &= out[k] == (float)d.item_pop[k % 7];
	tap_ok(same, "mostpop: score_users = item_pop for every user");
	b.n = 7;
	for (int k = 0; k < 7; k++) {
		b.user[k] = k % 5;
		b.item[k] = 6 - k;
	}
	m.ops->forward(&m, &b, z);
	same = 1;
	for (int k = 0; k < 7; k++)
		same &= z[k] == (float)d.item_pop[6 - k];
	tap_ok(same, "mostpop: forward = item_pop of each sample's item");
	batch_free(&b);
	model_destroy(&m);
	free(d.item_pop);
}

/* ---- BPR (method wbpr) through GMF ------------------------------------ */

/* Pairs layout, P = 4 positives, R = 2: [pos | 1st negatives | 2nd negatives],
 * each negative of the same user as its positive. */
static const int bpr_user[GC_N] = {0, 1, 3, 4, 0, 1, 3, 4, 0, 1, 3, 4};
static const int bpr_item[GC_N] = {6, 2, 5, 0, 1, 3, 2, 4, 3, 6, 0, 5};

struct bpr_case {
	method me;
	struct train_ctx ctx;
	batch b;
	float dz[GC_N];
};

static double
bpr_loss_at(struct bpr_case *k, model *m)
{
	float z[GC_N];
	m->ops->forward(m, &k->b, z);
	return k->me.ops->loss(&k->me, &k->ctx, &k->b, z, k->dz);
}

/* BPR is smooth and GMF's logits bilinear: central differences agree with
 * the analytic gradient up to O(EPS^2) and float rounding in every entry. */
static void
test_bpr_gradcheck(void)
{
	dataset d;
	model m;
	config c;
	db_err err;
	float sl[GC_N];
	struct bpr_case k = {.me = {NULL, NULL}};
	fake_dataset(&d, 5, 7);
	config_init(&c);
	int rc = data_csr_build(&d.train_pos, 5, bpr_user, bpr_item, 4, 1, &err);
	if (!rc)
		rc = config_set(&c, "method", "wbpr", &err);
	if (!rc)
		rc = config_set(&c, "neg_ratio", "2", &err);
	train_ctx_init(&k.ctx, &c, &d, NULL);
	k.ctx.sample_loss = sl;
	if (!rc)
		rc = method_create(&k.me, method_find("wbpr"), &k.ctx, &err);
	if (rc || make_model(&m, "gmf", &d, "3", "1", GC_N, 5) || batch_alloc(&k.b, GC_N, &err)) {
		tap_ok(0, "wbpr: BPR gradient check set-up (%s)", rc ? err.msg : "model");
		goto out;
	}
	k.b.n = GC_N;
	k.b.n_pos = 4;
	for (int j = 0; j < GC_N; j++) {
		k.b.user[j] = bpr_user[j];
		k.b.item[j] = bpr_item[j];
		k.b.label[j] = j < 4;
	}
	init_model(&m, 1.0);
	model_zero_grad(&m);
	bpr_loss_at(&k, &m);
	m.ops->backward(&m, &k.b, k.dz);
	double maxdiff = 0, maxa = 0;
	for (size_t j = 0; j < m.n_params; j++) {
		float *p = m.param + j, keep = *p;
		*p = keep + GC_EPS;
		double hi = *p, Lp = bpr_loss_at(&k, &m);
		*p = keep - GC_EPS;
		double lo = *p, Lm = bpr_loss_at(&k, &m);
		*p = keep;
		maxdiff = fmax(maxdiff, fabs(m.grad[j] - (Lp - Lm) / (hi - lo)));
		maxa = fmax(maxa, fabs(m.grad[j]));
	}
	tap_ok(maxdiff <= 1e-3 && maxa > 1e-2,
		"wbpr: BPR through GMF, backward vs central difference, every parameter (max err "
		"%.2e, max |grad| %.3g)",
		maxdiff, maxa);
	batch_free(&k.b);
	model_destroy(&m);
out:
	method_destroy(&k.me);
	config_free(&c);
	data_csr_free(&d.train_pos);
	free(d.item_pop);
}

/* ---- CDAE: the corruption the gradient check freezes ------------------ */

static void
test_cdae_corruption(void)
{
	dataset d;
	model m;
	batch b;
	db_err err;
	float coef[GC_N], z[GC_N], z2[GC_N];
	if (make_any(&m, "cdae", &d, "3", NULL) || batch_alloc(&b, GC_N, &err)) {
		tap_ok(0, "cdae: create");
		model_destroy(&m);
		free_any(&d);
		return;
	}
	init_model(&m, 1.0);
	fill_batch(&b, coef);
	m.ops->forward(&m, &b, z);
	m.ops->forward(&m, &b, z2);
	tap_ok(memcmp(z, z2, sizeof z) != 0, "cdae: training forwards draw fresh corruption");
	cdae_freeze_corruption(&m, 1);
	m.ops->forward(&m, &b, z);
	m.ops->forward(&m, &b, z2);
	tap_ok(memcmp(z, z2, sizeof z) == 0, "cdae: a frozen corruption repeats");
	batch_free(&b);
	model_destroy(&m);
	free_any(&d);
}

static void
test_bad_sizes(void)
{
	dataset d;
	model m;
	fake_dataset(&d, 5, 7);
	tap_diag("a refusal expected:");
	tap_ok(make_model(&m, "neumf", &d, "8", "6", 4, 4) == DB_EINVAL,
		"neumf: mlp_layers 6 (more tensors than MODEL_MAX_TENSORS) refused");
	free(d.item_pop);
}

int
main(void)
{
	blas_init();
	test_gradcheck_registry();
	for (int k = 0; k < NNCF; k++) {
		test_reference_forward(ncf[k]);
		test_score_users(ncf[k], 300);
		test_score_users(ncf[k], 5000);
		test_init(ncf[k]);
	}
	test_mostpop();
	test_cdae_corruption();
	test_l2_gradient("gmf", 5.0);
	test_l2_gradient("neumf", 5.0);
	test_l2_gradient("cdae", 0.5);
	test_bpr_gradcheck();
	test_bad_sizes();
	return tap_done();
}
