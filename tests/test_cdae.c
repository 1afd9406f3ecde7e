/* CDAE as the DeCA reference runs it: the block-dependent input
 * normalisation against values worked out here from a hand-built matrix,
 * the user-chunk sampler's batches, block scoring and the reference
 * validation criterion against a double-precision re-implementation, and
 * the switches (cdae_eval_corruption, cdae_mask, cdae_valid). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "config/config.h"
#include "methods/sampler.h"
#include "models/model.h"
#include "nn/blas.h"
#include "nn/rng.h"
#include "rig.h"
#include "tap.h"
#include "train/train.h"

/* ---- a hand-built 0/1 matrix ------------------------------------------ */

enum { NU = 6, NI = 5 };
static const int X[NU][NI] = {
	{1, 1, 0, 1, 0},
	{0, 1, 0, 0, 0},
	{0, 0, 0, 0, 0}, /* no train item */
	{1, 1, 1, 1, 1}, /* every item: no zero cell */
	{0, 0, 1, 0, 1},
	{1, 0, 0, 0, 1},
};

/* The matrix as train lines, with a repeated line whose first rating wins. */
static void
matrix_lines(interactions *x)
{
	memset(x, 0, sizeof *x);
	x->user = calloc(NU * NI + 1, sizeof(int));
	x->item = calloc(NU * NI + 1, sizeof(int));
	x->value = calloc(NU * NI + 1, sizeof(float));
	for (int u = NU - 1; u >= 0; u--) /* users in reverse, items descending */
		for (int i = NI - 1; i >= 0; i--)
			if (X[u][i]) {
				x->user[x->n] = u;
				x->item[x->n] = i;
				x->value[x->n] = (float)(1 + (u + i) % 5);
				x->n++;
			}
	x->user[x->n] = 0; /* (0, 3) again, another rating */
	x->item[x->n] = 3;
	x->value[x->n] = 0.5f;
	x->n++;
}

static int
matrix_dataset(dataset *d)
{
	db_err err;
	memset(d, 0, sizeof *d);
	d->n_users = NU;
	d->n_items = NI;
	matrix_lines(&d->train);
	return data_csr_build(&d->train_pos, NU, d->train.user, d->train.item, d->train.n, 1, &err);
}

static void
matrix_free(dataset *d)
{
	free(d->train.user);
	free(d->train.item);
	free(d->train.value);
	free(d->valid.user);
	free(d->valid.item);
	free(d->valid.value);
	data_csr_free(&d->train_pos);
}

/* ---- normalisation ---------------------------------------------------- */

/* 1/sqrt(sqrt(n_u) sqrt(m_i)) = (n_u m_i)^(-1/4), m_i over the block only */
static void
check_normalise(const dataset *d, const int *block, int nb, const char *what)
{
	int count[NI];
	float val[NU * NI];
	cdae_normalise(&d->train_pos, block, nb, NI, count, val);
	double maxrel = 0;
	int j = 0;
	for (int r = 0; r < nb; r++) {
		int n_u = 0;
		for (int i = 0; i < NI; i++)
			n_u += X[block[r]][i];
		for (int i = 0; i < NI; i++) {
			if (!X[block[r]][i])
				continue;
			int m_i = 0;
			for (int q = 0; q < nb; q++)
				m_i += X[block[q]][i];
			double want = pow((double)n_u * m_i, -0.25);
			maxrel = fmax(maxrel, fabs(val[j++] - want) / want);
		}
	}
	tap_ok(maxrel <= 2e-7,
		"normalise %s: (n_u m_i)^(-1/4), m_i over the block (max rel err %.1e)", what,
		maxrel);
}

static void
test_normalise(void)
{
	dataset d;
	if (matrix_dataset(&d)) {
		tap_ok(0, "normalise: set-up");
		return;
	}
	static const int all[NU] = {0, 1, 2, 3, 4, 5};
	static const int some[3] = {5, 1, 3};
	check_normalise(&d, all, NU, "all users");
	check_normalise(&d, some, 3, "users 5, 1, 3");
	/* the same user, another block, another value: (1 x 2)^-1/4 vs (1 x 3)^-1/4 */
	int count[NI];
	float a[NU * NI], b[NU * NI];
	static const int b1[2] = {1, 3}, b2[3] = {1, 3, 0};
	cdae_normalise(&d.train_pos, b1, 2, NI, count, a);
	cdae_normalise(&d.train_pos, b2, 3, NI, count, b);
	tap_ok(a[0] != b[0], "normalise: user 1's value depends on the block (%.6f vs %.6f)", a[0],
		b[0]);
	matrix_free(&d);
}

/* ---- the user-chunk sampler ------------------------------------------ */

struct chunk_check {
	int ok_pos, ok_neg, ok_count, ok_rating;
	int seen[NU];
};

static float
first_rating(const interactions *x, int u, int i)
{
	for (int k = 0; k < x->n; k++)
		if (x->user[k] == u && x->item[k] == i)
			return x->value[k];
	return NAN;
}

/* One batch: [every positive of its users, once | distinct zero cells]. */
static void
check_chunk(const dataset *d, const batch *b, int ratio, struct chunk_check *c)
{
	int in[NU] = {0}, pos[NU][NI] = {{0}}, neg[NU][NI] = {{0}}, npos = 0;
	for (int k = 0; k < b->n_pos; k++) {
		int u = b->user[k], i = b->item[k];
		in[u] = 1;
		c->ok_pos &= b->label[k] == 1.0f && X[u][i] && !pos[u][i]++;
		c->ok_rating &= b->rating[k] == first_rating(&d->train, u, i);
		npos++;
	}
	int zeros = 0, want = 0;
	for (int u = 0; u < NU; u++) {
		if (!in[u])
			continue;
		c->seen[u]++;
		for (int i = 0; i < NI; i++) {
			c->ok_pos &= !X[u][i] || pos[u][i] == 1; /* all of the user's positives */
			zeros += !X[u][i];
		}
	}
	for (int k = b->n_pos; k < b->n; k++) {
		int u = b->user[k], i = b->item[k];
		c->ok_neg &= b->label[k] == 0.0f && in[u] && !X[u][i] && !neg[u][i]++ &&
			isnan(b->rating[k]);
	}
	want = npos * ratio < zeros ? npos * ratio : zeros;
	c->ok_count &= b->n - b->n_pos == want;
}

static void
test_sampler(int chunk, int ratio)
{
	dataset d;
	sampler s;
	batch b;
	db_err err;
	gsl_rng *sh = rng_stream(7, "train-shuffle"), *ng = rng_stream(7, "train-negatives");
	if (matrix_dataset(&d) ||
		sampler_create(&s, SAMPLER_USERS, &d, &d.train, chunk, ratio, 0, sh, ng, &err) ||
		batch_alloc(&b, sampler_batch_cap(&s), &err)) {
		tap_ok(0, "sampler: set-up");
		return;
	}
	tap_ok(sampler_batch_cap(&s) <= (int)sampler_user_chunk_cap(&d.train_pos, chunk, ratio),
		"sampler chunk %d: its cap within train_batch_cap_for's bound", chunk);
	for (int epoch = 0; epoch < 3; epoch++) {
		struct chunk_check c = {1, 1, 1, 1, {0}};
		int batches = 0;
		sampler_begin_epoch(&s);
		while (sampler_next(&s, &b)) {
			check_chunk(&d, &b, ratio, &c);
			batches++;
		}
		int once = 1;
		for (int u = 0; u < NU; u++)
			once &= c.seen[u] == (d.train_pos.ptr[u + 1] > d.train_pos.ptr[u]);
		tap_ok(batches == (NU + chunk - 1) / chunk && once,
			"sampler chunk %d ratio %d epoch %d: ceil(users/chunk) batches, every user "
			"with "
			"a positive in exactly one, user 2 in none",
			chunk, ratio, epoch);
		tap_ok(c.ok_pos && c.ok_rating,
			"sampler chunk %d ratio %d epoch %d: positives = every train cell of the "
			"chunk once, first line's rating",
			chunk, ratio, epoch);
		tap_ok(c.ok_neg && c.ok_count,
			"sampler chunk %d ratio %d epoch %d: negatives = min(n_pos x ratio, zero "
			"cells) distinct zero cells of the chunk",
			chunk, ratio, epoch);
	}
	batch_free(&b);
	sampler_free(&s);
	gsl_rng_free(sh);
	gsl_rng_free(ng);
	matrix_free(&d);
}

/* ---- block scoring and the validation criterion in double ------------ */

static double
dsigmoid(double z)
{
	return 1 / (1 + exp(-z));
}

/* z[r][i] for the block's rows `rows` of M (n x NI, 0/1), user ids `uid`,
 * no corruption: tanh(Σ_i x_i W_e[i] + b_e + V[u]) · W_d[i] + b_d[i]. */
static void
ref_scores(const model *m, int h, const int (*M)[NI], const int *rows, const int *uid, int nb,
	double *z)
{
	const float *V = m->param + model_tensor(m, "user_embedding.weight")->offset;
	const float *We = m->param + model_tensor(m, "encoder.weight")->offset;
	const float *be = m->param + model_tensor(m, "encoder.bias")->offset;
	const float *Wd = m->param + model_tensor(m, "decoder.weight")->offset;
	const float *bd = m->param + model_tensor(m, "decoder.bias")->offset;
	for (int r = 0; r < nb; r++) {
		double H[8];
		int n_u = 0;
		for (int i = 0; i < NI; i++)
			n_u += M[rows[r]][i];
		for (int c = 0; c < h; c++) {
			double a = be[c] + V[uid[r] * h + c];
			for (int i = 0; i < NI; i++) {
				int m_i = 0;
				for (int q = 0; q < nb; q++)
					m_i += M[rows[q]][i];
				if (M[rows[r]][i])
					a += pow((double)n_u * m_i, -0.25) * We[i * h + c];
			}
			H[c] = tanh(a);
		}
		for (int i = 0; i < NI; i++) {
			double s = bd[i];
			for (int c = 0; c < h; c++)
				s += H[c] * Wd[i * h + c];
			z[r * NI + i] = s;
		}
	}
}

/* A CDAE on the matrix's train rows, hidden 4; kv: extra settings. */
static int
make_cdae(model *m, const dataset *d, const char *const *kv)
{
	config c;
	db_err err;
	config_init(&c);
	int rc = config_set(&c, "cdae_hidden", "4", &err);
	for (; !rc && *kv; kv++)
		rc = config_set_kv(&c, *kv, &err);
	if (!rc)
		rc = model_create(m, model_find("cdae"), d, &c, 64, 8, &err);
	if (rc)
		tap_diag("%s", err.msg);
	config_free(&c);
	if (!rc) {
		gsl_rng *r = rng_stream(3, "init");
		m->ops->init(m, r);
		/* the item weights at the decoder's scale, so the encoder matters */
		const struct param_tensor *t = model_tensor(m, "encoder.weight");
		init_uniform(m->param + t->offset, t->rows * t->cols, 1.0, r);
		gsl_rng_free(r);
	}
	return rc;
}

static void
test_scores(void)
{
	static const char *const off[] = {"cdae_eval_corruption=false", NULL};
	static const char *const on[] = {NULL};
	static const int block[4] = {4, 0, 2, 3};
	dataset d;
	model m;
	float out[4 * NI], again[4 * NI];
	double want[4 * NI];
	if (matrix_dataset(&d) || make_cdae(&m, &d, off)) {
		tap_ok(0, "scores: set-up");
		return;
	}
	m.ops->score_users(&m, block, 4, out);
	ref_scores(&m, 4, X, block, block, 4, want);
	double maxerr = 0;
	for (int k = 0; k < 4 * NI; k++)
		maxerr = fmax(maxerr, fabs(out[k] - want[k]) / fmax(1, fabs(want[k])));
	tap_ok(maxerr <= 1e-5,
		"score_users = double-precision CDAE over the block (max rel err %.1e)", maxerr);
	m.ops->score_users(&m, block, 4, again);
	tap_ok(!memcmp(out, again, sizeof out),
		"cdae_eval_corruption=false: two evaluations give identical scores");
	tap_ok(m.score_block == 2048, "evaluation blocks: the reference's 2048 users");
	model_destroy(&m);
	if (make_cdae(&m, &d, on)) {
		tap_ok(0, "scores: set-up");
		matrix_free(&d);
		return;
	}
	m.ops->score_users(&m, block, 4, out);
	m.ops->score_users(&m, block, 4, again);
	tap_ok(memcmp(out, again, sizeof out) != 0,
		"cdae_eval_corruption=true (reference): two evaluations differ");
	model_destroy(&m);
	matrix_free(&d);
}

/* Validation lines: users 5, 3, 0 in file order, a repeated line. */
static const int valid_u[] = {5, 3, 5, 0, 3};
static const int valid_i[] = {2, 0, 3, 4, 0};
static const int VM[NU][NI] = {{0, 0, 0, 0, 1}, {0}, {0}, {1, 0, 0, 0, 0}, {0}, {0, 0, 1, 1, 0}};

static void
add_valid(dataset *d)
{
	int n = (int)(sizeof valid_u / sizeof valid_u[0]);
	d->valid.n = n;
	d->valid.user = malloc(sizeof valid_u);
	d->valid.item = malloc(sizeof valid_i);
	d->valid.value = calloc((size_t)n, sizeof(float));
	memcpy(d->valid.user, valid_u, sizeof valid_u);
	memcpy(d->valid.item, valid_i, sizeof valid_i);
}

static void
test_valid_loss(void)
{
	static const char *const ref[] = {"cdae_eval_corruption=false", NULL};
	static const char *const held[] = {"cdae_valid=heldout", NULL};
	static const int rows[3] = {5, 3, 0};
	dataset d;
	model m;
	double z[3 * NI], got = -1;
	if (matrix_dataset(&d)) {
		tap_ok(0, "valid: set-up");
		return;
	}
	add_valid(&d);
	if (make_cdae(&m, &d, ref)) {
		tap_ok(0, "valid: set-up");
		matrix_free(&d);
		return;
	}
	ref_scores(&m, 4, VM, rows, rows, 3, z);
	double want = 0;
	for (int r = 0; r < 3; r++)
		for (int i = 0; i < NI; i++) {
			double p = dsigmoid(z[r * NI + i]);
			want -= VM[rows[r]][i] ? log(p) : log(1 - p);
		}
	want /= 3.0 * NI;
	int own = m.ops->valid_loss(&m, &d, &got);
	tap_ok(own && fabs(got - want) <= 1e-5 * want,
		"cdae_valid=reference: BCE reconstructing the validation rows from themselves, "
		"mean over cells (%.6f vs %.6f)",
		got, want);
	model_destroy(&m);
	if (make_cdae(&m, &d, held)) {
		tap_ok(0, "valid: set-up");
		matrix_free(&d);
		return;
	}
	tap_ok(!m.ops->valid_loss(&m, &d, &got),
		"cdae_valid=heldout: the loop's sampled criterion instead");
	model_destroy(&m);
	matrix_free(&d);
}

/* The top-K dump follows the scoring order: CDAE scores its blocks in the
 * order of the users' first lines (5, 3, 0 here), not by user id. */
static void
test_dump_order(void)
{
	static const char *const off[] = {"cdae_eval_corruption=false", NULL};
	static int users[3] = {0, 3, 5}, ptr[4] = {0, 1, 3, 5}, idx[5] = {4, 0, 0, 2, 3};
	truth t = {3, users, {3, ptr, idx}, 5};
	const csr no_mask = {0};
	const int ks[1] = {2};
	dataset d;
	model m;
	if (matrix_dataset(&d)) {
		tap_ok(0, "dump order: set-up");
		return;
	}
	add_valid(&d);
	FILE *f = tmpfile();
	int rc = f ? make_cdae(&m, &d, off) : DB_EIO;
	char seq[16] = "";
	if (!rc) {
		struct eval_opts o = {.eval_block = 256,
			.dump_topk = f,
			.mask = &no_mask,
			.lines = &d.valid,
			.threads = 1};
		eval_result res;
		db_err err = {{0}};
		if (!(rc = eval_split(&m, &d, &t, ks, 1, &o, &res, &err)))
			eval_result_free(&res);
		model_destroy(&m);
		int u, rank, item, n = 0;
		rewind(f);
		while (!rc && n < 15 && fscanf(f, "%d\t%d\t%d", &u, &rank, &item) == 3)
			if (rank == 1)
				seq[n++] = (char)('0' + u);
	}
	tap_ok(!rc && !strcmp(seq, "530"), "top-K dump in first-line order: users %s (want 530)",
		seq);
	if (f)
		fclose(f);
	matrix_free(&d);
}

/* ---- end to end: masking and the count-0 validation ------------------ */

static char dir[] = "/tmp/db-test-cdae-XXXXXX";

/* Top-K lines of the dump that are train items of their user; -1 on error. */
static int
train_items_in_topk(const char *dump, const dataset *d)
{
	FILE *f = fopen(dump, "r");
	int u, rank, i, n = 0;
	if (!f)
		return -1;
	while (fscanf(f, "%d\t%d\t%d", &u, &rank, &i) == 3)
		n += data_csr_has(&d->train_pos, u, i);
	fclose(f);
	return n;
}

static int
run_cdae(const char *mask, const char *out, const char *dump, db_err *err)
{
	config c;
	config_init(&c);
	const char *kv[] = {"model=cdae", "epochs=3", "eval_freq=2", "ks=5,20", mask, NULL};
	char data[64];
	snprintf(data, sizeof data, "data=%s", dir);
	int rc = config_set_kv(&c, data, err);
	for (int k = 0; !rc && kv[k]; k++)
		rc = config_set_kv(&c, kv[k], err);
	struct run_opts dumps = {dump, NULL, 1};
	if (!rc)
		rc = run_one(&c, out, &dumps, NULL, err);
	config_free(&c);
	return rc;
}

/* curve lines are named by the count of the batch just stepped: iteration
 * 0 is the evaluation at count 0 (§5.3) */
static int
has_count0_curve(const char *result)
{
	FILE *f = fopen(result, "r");
	char line[512];
	int found = 0;
	while (f && fgets(line, sizeof line, f))
		found |= !strncmp(line, "curve\t0\t", 8);
	if (f)
		fclose(f);
	return found;
}

static void
test_end_to_end(void)
{
	db_err err = {{0}};
	dataset d;
	char dump[128], out[128];
	if (rig_synthetic(&d, dir, &err)) {
		tap_ok(0, "end to end: synthetic data (%s)", err.msg);
		return;
	}
	snprintf(dump, sizeof dump, "%s/topk", dir);
	snprintf(out, sizeof out, "%s/result", dir);
	int rc = run_cdae("cdae_mask=false", out, dump, &err);
	int n_off = rc ? -1 : train_items_in_topk(dump, &d);
	tap_ok(n_off > 0, "cdae_mask=false (reference): train items reach the top-K (%d of them)",
		n_off);
	tap_ok(!rc && has_count0_curve(out),
		"CDAE validates at count 0 too (curve at iteration 0)");
	rc = run_cdae("cdae_mask=true", out, dump, &err);
	int n_on = rc ? -1 : train_items_in_topk(dump, &d);
	tap_ok(n_on == 0, "cdae_mask=true: no train item in the top-K (%d)", n_on);
	if (rc)
		tap_diag("%s", err.msg);
	rig_synthetic_free(&d, dir);
}

int
main(void)
{
	blas_init();
	test_normalise();
	test_sampler(2, 1);
	test_sampler(1, 3); /* one user per chunk: user 3 has no zero cell, user 0 two (< 3 x 3) */
	test_sampler(NU, 2);
	test_scores();
	test_valid_loss();
	test_dump_order();
	test_end_to_end();
	return tap_done();
}
