/* LightGCN's propagation against its definition in plain float, bit for
 * bit: E = (E0 + Â E0 + ... + Â^L E0) / (L+1) and, for the gradient,
 * grad += (1/(L+1)) (dE + Â dE + ... + Â^L dE), each Â x row a sum from +0
 * in its CSR order, the layers added in order (protocol.md §1.7, §3.4).
 * Every way the model computes it (row by row, in passes over the user
 * rows, split over threads), at every vector width this CPU runs, at layer counts with
 * other pass schedules, with factors that leave partial blocks and strips.
 * The forward is compared through the logits (the model keeps E to
 * itself); E's bits also enter the gradient (dE = dz E), compared whole.
 * Both sides build dE with the same BLAS calls: what is checked is the
 * propagation, not BLAS.
 * And under the whole-run flush (ftz=true), an input where skipping dE's
 * zero rows would give another bit: the model must not skip them there. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "models/model.h"
#include "nn/blas.h"
#include "nn/fpenv.h"
#include "tap.h"
#include "util/simd.h"

/* factors: 29 (a vector strip of 16 and a partial one) and 157 (two register
 * blocks of 64, then 29) */
static int F = 29;

/* ---- the definition ------------------------------------------------- */

/* y = Â x, each row from +0 in CSR order; columns that live (if not NULL)
 * flags as zero skipped */
static void
ref_spmm(const csr *A, const float *val, const float *x, const unsigned char *live, float *y)
{
	for (int r = 0; r < A->nrows; r++) {
		float *yr = y + (size_t)r * F;
		for (int j = 0; j < F; j++)
			yr[j] = 0;
		for (int p = A->ptr[r]; p < A->ptr[r + 1]; p++)
			if (!live || live[A->idx[p]])
				for (int j = 0; j < F; j++)
					yr[j] += val[p] * x[(size_t)A->idx[p] * F + j];
	}
}

/* out = ((base + c Â x) + c Â² x + ... + c Â^L x) / den (den 0: none);
 * live as in ref_spmm, for the first product (the one that reads x) */
static void
ref_sum(const csr *A, const float *val, int L, const float *x, const unsigned char *live,
	const float *base, float c, float den, float *out)
{
	size_t n = (size_t)A->nrows * F;
	float *y[2] = {malloc(n * sizeof(float)), malloc(n * sizeof(float))};
	memmove(out, base, n * sizeof *out);
	const float *prev = x;
	for (int k = 1; k <= L; k++) {
		ref_spmm(A, val, prev, k == 1 ? live : NULL, y[k % 2]);
		for (size_t j = 0; j < n; j++)
			out[j] += c * y[k % 2][j];
		prev = y[k % 2];
	}
	if (den != 0)
		for (size_t j = 0; j < n; j++)
			out[j] /= den;
	free(y[0]);
	free(y[1]);
}

/* ---- fixtures ------------------------------------------------------- */

static int
make_lightgcn(model *m, const dataset *d, int layers)
{
	config c;
	db_err err;
	char kv[32];
	config_init(&c);
	snprintf(kv, sizeof kv, "gcn_layers=%d", layers);
	int rc = config_set_kv(&c, kv, &err);
	snprintf(kv, sizeof kv, "factors=%d", F);
	rc = rc || config_set_kv(&c, kv, &err);
	if (!rc)
		rc = model_create(m, model_find("lightgcn"), d, &c, 64, 8, &err);
	if (rc)
		tap_diag("lightgcn: %s", err.msg);
	config_free(&c);
	return rc;
}

static unsigned lcg = 2024;
static unsigned
next(void)
{
	return (lcg = lcg * 1103515245u + 12345u) >> 8;
}

/* 48 users, 36 items, 240 train lines (repeats among them) over users
 * 0..43 and items 0..31: the last users and items are isolated */
enum { NU = 48, NI = 36, LINES = 240, NB = 40 };
static int
random_dataset(dataset *d)
{
	int u[LINES], i[LINES];
	db_err err;
	lcg = 2024;
	for (int k = 0; k < LINES; k++)
		u[k] = (int)(next() % 44), i[k] = (int)(next() % 32);
	memset(d, 0, sizeof *d);
	d->n_users = NU;
	d->n_items = NI;
	return data_csr_build(&d->train_pos, NU, u, i, LINES, 1, &err);
}

static void
fill_uniform(float *x, size_t n)
{
	for (size_t j = 0; j < n; j++)
		x[j] = (float)next() / 16777216.0f - 0.5f;
}

/* the gradient's reference for batch b with coefficients dz, as the model
 * builds dE (the same BLAS calls), into grad (preset to -0) */
static void
ref_backward(int n_users, const csr *A, const float *val, int L, const float *E, const batch *b,
	const float *dz, const unsigned char *live, float *grad)
{
	size_t n = (size_t)A->nrows * F;
	float *dE = calloc(n, sizeof *dE), scale = 1.0f / (float)(L + 1);
	for (int k = 0; k < b->n; k++) {
		size_t u = (size_t)b->user[k], i = (size_t)n_users + b->item[k];
		cblas_saxpy(F, dz[k], E + i * F, 1, dE + u * F, 1);
		cblas_saxpy(F, dz[k], E + u * F, 1, dE + i * F, 1);
	}
	for (size_t j = 0; j < n; j++)
		grad[j] = -0.0f;
	cblas_saxpy((int)n, scale, dE, 1, grad, 1);
	ref_sum(A, val, L, dE, live, grad, scale, 0, grad);
	free(dE);
}

/* the model's gradient for b, dz, added to a grad of -0 */
static void
model_backward(model *m, const batch *b, const float *dz)
{
	for (size_t j = 0; j < m->n_params; j++)
		m->grad[j] = -0.0f;
	m->ops->backward(m, b, dz);
}

enum how { ROWS, PASSES, THREADS };
static const char *const how_name[] = {"rows", "passes", "3 threads"};

/* a model computing its propagation as `how` says, at the width now set;
 * threads on a model that would run the passes on one (so its stored
 * layers come on first use) */
static int
make_how(model *m, const dataset *d, int layers, enum how how)
{
	setenv("DENOISEBENCH_LIGHTGCN", how == ROWS ? "rows" : "passes", 1);
	int rc = make_lightgcn(m, d, layers);
	unsetenv("DENOISEBENCH_LIGHTGCN");
	m->threads = how == THREADS ? 3 : 1;
	return rc;
}

/* ---- every path, width and layer count against the definition -------- */

/* forward logits of every (user, item) pair and the gradient of a batch
 * that leaves nodes dead, at gcn_layers L; 0 if any bit differs */
static int
check_one(const dataset *d, int L, enum how how, const char **what)
{
	model m = {0};
	batch b = {0};
	csr A = {0};
	float *val = NULL;
	db_err err;
	int ok = 0;
	*what = "create";
	if (make_how(&m, d, L, how) || batch_alloc(&b, NU * NI, &err) ||
		lightgcn_adjacency(d, &A, &val, &err)) {
		free(val);
		data_csr_free(&A);
		batch_free(&b);
		model_destroy(&m);
		return 0;
	}
	lcg = 77 + (unsigned)L;
	fill_uniform(m.param, m.n_params);
	model_params_changed(&m);
	size_t n = (size_t)A.nrows * F;
	float *E = malloc(n * sizeof *E), *want = malloc(n * sizeof *want);
	float *z = malloc((size_t)NU * NI * sizeof *z), dz[NB];
	ref_sum(&A, val, L, m.param, NULL, m.param, 1.0f, (float)(L + 1), E);
	b.n = NU * NI;
	for (int k = 0; k < b.n; k++)
		b.user[k] = k / NI, b.item[k] = k % NI;
	m.ops->forward(&m, &b, z);
	int same = 1;
	for (int k = 0; k < b.n; k++) {
		float r = cblas_sdot(F, E + (size_t)b.user[k] * F, 1,
			E + ((size_t)NU + b.item[k]) * F, 1);
		same &= !memcmp(&r, &z[k], sizeof r);
	}
	*what = "forward";
	if (!same)
		goto done;
	/* a batch over a third of the users and items, repeats among them */
	b.n = NB;
	for (int k = 0; k < NB; k++) {
		b.user[k] = (int)(next() % (NU / 3)), b.item[k] = (int)(next() % (NI / 3));
		dz[k] = (float)next() / 16777216.0f - 0.5f;
	}
	ref_backward(NU, &A, val, L, E, &b, dz, NULL, want);
	model_backward(&m, &b, dz);
	*what = "backward";
	ok = !memcmp(want, m.grad, n * sizeof *want);
	/* and again: backward leaves dE and its live flags clean */
	model_backward(&m, &b, dz);
	*what = "second backward";
	ok = ok && !memcmp(want, m.grad, n * sizeof *want);
done:
	free(E);
	free(want);
	free(z);
	free(val);
	data_csr_free(&A);
	batch_free(&b);
	model_destroy(&m);
	return ok;
}

static void
test_paths(void)
{
	static const char *const widths[] = {"baseline", "avx2", "native"};
	static const int layers[] = {0, 1, 2, 3, 4, 5, 16};
	dataset d;
	if (random_dataset(&d)) {
		tap_ok(0, "lightgcn: the graph");
		return;
	}
	int tested[3] = {0, 0, 0};
	for (int w = 0; w < 3; w++) {
		setenv("DENOISEBENCH_SIMD", widths[w], 1);
		enum simd_width sw = simd_width();
		if (tested[sw]) {
			for (int h = 0; h < 3; h++) {
				char why[96];
				snprintf(why, sizeof why,
					"lightgcn %s, %s width: this CPU (or build) runs a "
					"narrower one",
					how_name[h], widths[w]);
				tap_skip(why);
			}
			continue;
		}
		tested[sw] = 1;
		for (int h = 0; h < 3; h++) {
			int ok = 1, bad = -1;
			const char *what = "";
			for (size_t l = 0; ok && l < sizeof layers / sizeof layers[0]; l++)
				if (!(ok = check_one(&d, layers[l], (enum how)h, &what)))
					bad = layers[l];
			if (!ok)
				tap_diag("first difference: %d layers, %s", bad, what);
			tap_ok(ok,
				"lightgcn %s, %s width, %d factors: forward and gradient are the "
				"definition's bits at 0, 1, 2, 3, 4, 5 and 16 layers",
				how_name[h], widths[w], F);
		}
	}
	unsetenv("DENOISEBENCH_SIMD");
	data_csr_free(&d.train_pos);
}

/* ---- the whole-run flush --------------------------------------------- */

/* User 0 rated items 0, 1 and 2 (each rated by user 0 alone), user 1 item
 * 3; one layer.  Items 0-2 start from the same positive row, so they share
 * E and Â's values.  A batch (0, 0, dz) and (0, 1, -dz⁺) with dz⁺ the
 * next float above dz, dz near 2^-108: dE[u0] and (Â dE)[u0] are sums of
 * two normal floats that cancel to a negative subnormal, which FTZ makes
 * -0; the dead item 2 comes last in u0's row, and adding its +0 turns -0
 * into +0.  So skipping it changes the sign of a zero of grad[u0], whose
 * sum is -0 + -0 throughout. */
static void
test_ftz(void)
{
	static const int u[] = {0, 0, 0, 1}, i[] = {0, 1, 2, 3};
	dataset d;
	model m;
	batch b = {0};
	csr A = {0};
	float *val = NULL;
	db_err err;
	fpenv_saved old;
	const char *why = getenv("DB_VALGRIND") /* .ci/run's valgrind pass */
		? "lightgcn under ftz: valgrind does not emulate the MXCSR flush modes"
		: fpenv_can_flush(&err) ? "lightgcn under ftz: this machine has no flush modes"
					: NULL;
	if (why) {
		tap_skip(why);
		tap_skip(why);
		return;
	}
	memset(&d, 0, sizeof d);
	d.n_users = 2;
	d.n_items = 4;
	if (data_csr_build(&d.train_pos, 2, u, i, 4, 1, &err) ||
		lightgcn_adjacency(&d, &A, &val, &err) || batch_alloc(&b, 2, &err) ||
		fpenv_ftz(1, &old, &err)) {
		tap_ok(0, "lightgcn under ftz: fixture");
		free(val);
		data_csr_free(&A);
		data_csr_free(&d.train_pos);
		batch_free(&b);
		return;
	}
	size_t n = (size_t)A.nrows * F;
	float *P = malloc(n * sizeof *P), *E = malloc(n * sizeof *E);
	float *skip = malloc(n * sizeof *skip), *full = malloc(n * sizeof *full);
	unsigned char live[6] = {1, 0, 1, 1, 0, 0}; /* u0, i0, i1 */
	for (int j = 0; j < F; j++) {
		P[j] = 0.1f + 0.01f * (float)j;
		P[F + j] = P[5 * F + j] = 0.3f;
		P[2 * F + j] = P[3 * F + j] = P[4 * F + j] = 0.2f + 0.003f * (float)j;
	}
	ref_sum(&A, val, 1, P, NULL, P, 1.0f, 2.0f, E);
	b.n = 2;
	b.user[0] = b.user[1] = 0;
	b.item[0] = 0;
	b.item[1] = 1;
	float dz[2];
	int found = 0;
	for (int k = 0; !found && k < 256; k++) {
		dz[0] = ldexpf(1.0f + (float)k / 256.0f, -108);
		dz[1] = -nextafterf(dz[0], INFINITY);
		ref_backward(2, &A, val, 1, E, &b, dz, live, skip);
		ref_backward(2, &A, val, 1, E, &b, dz, NULL, full);
		found = memcmp(skip, full, n * sizeof *skip) != 0;
	}
	tap_ok(found,
		"lightgcn under ftz, %d factors: an input where skipping dE's zero rows changes a "
		"bit",
		F);
	int ok = found;
	for (int h = ROWS; ok && h <= THREADS; h++) {
		if (make_how(&m, &d, 1, (enum how)h)) {
			ok = 0;
			break;
		}
		memcpy(m.param, P, n * sizeof *P);
		model_params_changed(&m);
		model_backward(&m, &b, dz);
		if (!(ok = !memcmp(full, m.grad, n * sizeof *full)))
			tap_diag("%s: %s", how_name[h],
				memcmp(skip, m.grad, n * sizeof *skip) ? "other bits"
								       : "the skipping bits");
		model_destroy(&m);
	}
	tap_ok(ok,
		"lightgcn under ftz, %d factors: rows, passes and threads give the bits of "
		"reading every row",
		F);
	fpenv_restore(&old);
	free(P);
	free(E);
	free(skip);
	free(full);
	free(val);
	data_csr_free(&A);
	data_csr_free(&d.train_pos);
	batch_free(&b);
}

int
main(void)
{
	for (F = 29; F <= 157; F += 128) {
		test_paths();
		test_ftz();
	}
	return tap_done();
}
