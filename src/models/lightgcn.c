/* LightGCN as the DeCA reference runs it (protocol.md §1.7, §3.4, §3.5):
 * E0 = [P; Q] (users then items), E_{k+1} = Â E_k for k < L,
 * E = (E0 + ... + E_L) / (L+1), z = E[u] · E[n_users + i].  No BPR, no edge
 * dropout; the DeCA losses see z as they see any model's logit.
 *
 * The reference re-propagates on every forward call; the result depends on
 * the parameters only, so E is computed once per parameter state and cached
 * until params_changed (or init).  Because P and Q are consecutive tensors,
 * param is E0 and grad is dE0 with no copy.
 *
 * Shapes: N = n_users + n_items graph nodes, f factors; E, work0, work1 [N x f].
 */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "models/model.h"
#include "nn/blas.h"

struct lightgcn {
	int f, layers, fresh; /* fresh: E matches param */
	csr adj;              /* Â, N rows, column indices sorted */
	float *val;           /* Â's values, alongside adj.idx */
	float *E;             /* final embeddings */
	float *work0, *work1; /* layer ping-pong (forward), gradient layers (backward) */
	float *rows;          /* eval_block x f: E[users] gathered for one sgemm */
	int avx2;             /* spmm's width, see spmm_baseline */
};

/* deg^-1/2 in double rounded to float as numpy does; 0 for isolated nodes */
static float
inv_sqrt_degree(int deg)
{
	return deg ? (float)pow(deg, -0.5) : 0.0f;
}

/* Â = D^-½ [[0, R], [Rᵀ, 0]] D^-½ with R the distinct train pairs: the
 * reference builds R from the dok train_mat, where a repeated train line is
 * one entry.  Item rows list their users in increasing id, so every row is
 * sorted.  Values fl32(fl32(deg_r^-½) · fl32(deg_c^-½)), the product in
 * float: the rule that reproduces the reference's npz bit for bit
 * (protocol.md §1.7; modcloth: 45,804 rows, nnz 159,828, 6,380 empty). */
int
lightgcn_adjacency(const dataset *d, csr *adj, float **val, db_err *err)
{
	const csr *R = &d->train_pos;
	int nu = d->n_users, n = nu + d->n_items, nnz = 2 * R->ptr[nu];
	memset(adj, 0, sizeof *adj);
	adj->nrows = n;
	adj->ptr = db_calloc((size_t)n + 1, sizeof(int), err);
	adj->idx = db_calloc((size_t)nnz + 1, sizeof(int), err);
	*val = db_calloc((size_t)nnz + 1, sizeof(float), err);
	float *scale = db_calloc((size_t)n, sizeof(float), err);
	int *next =
		db_calloc((size_t)d->n_items + 1, sizeof(int), err); /* item rows' fill cursors */
	int rc = adj->ptr && adj->idx && *val && scale && next ? DB_OK : DB_ENOMEM;
	if (rc)
		goto done;
	/* ptr[r + 1] = degree of r, then prefix sums */
	for (int u = 0; u < nu; u++) {
		adj->ptr[u + 1] = R->ptr[u + 1] - R->ptr[u];
		for (int p = R->ptr[u]; p < R->ptr[u + 1]; p++)
			adj->ptr[nu + R->idx[p] + 1]++;
	}
	for (int r = 0; r < n; r++) {
		scale[r] = inv_sqrt_degree(adj->ptr[r + 1]);
		adj->ptr[r + 1] += adj->ptr[r];
	}
	memcpy(next, adj->ptr + nu, (size_t)d->n_items * sizeof(int));
	for (int u = 0; u < nu; u++)
		for (int p = R->ptr[u]; p < R->ptr[u + 1]; p++) {
			int c = nu + R->idx[p], q = next[R->idx[p]]++;
			float v = scale[u] * scale[c];
			adj->idx[p] = c; /* user rows come first, so slot p is the user's */
			(*val)[p] = v;
			adj->idx[q] = u;
			(*val)[q] = v;
		}
done:
	free(next);
	free(scale);
	return rc;
}

/* y += v x over f floats; strips of 16 so that GCC vectorises them
 * (always inlined: it takes the vector width of the spmm it is in) */
static inline __attribute__((always_inline)) void
axpy_row(int f, float v, const float *restrict x, float *restrict y)
{
	int j = 0;
	for (; j + 16 <= f; j += 16)
		for (int t = 0; t < 16; t++)
			y[j + t] += v * x[j + t];
	for (; j < f; j++)
		y[j] += v * x[j];
}

/* y = Â x and acc += scale · y.  Hand-written because GSL's sparse BLAS
 * (gsl_spblas) is double-only and the model is float throughout.
 *
 * One pass over the user rows does both halves of the bipartite product:
 * y[u] = Σ_i Â[u, i] x[i] reads the few item rows (cache resident), and
 * the same edge adds Â[i, u] x[u] to y[i], so the many user rows are read
 * in sequence instead of gathered.  Every output row still sums its terms
 * in increasing column order, as the CSR row lists them: the result is
 * bit-identical to the row-by-row product, and the same on every run. */
static inline __attribute__((always_inline)) void
spmm_body(const struct lightgcn *s, int n_users, const float *restrict x, float *restrict y,
	float *restrict acc, float scale)
{
	const csr *A = &s->adj;
	int f = s->f;
	size_t items = (size_t)n_users * f, n = (size_t)A->nrows * f;
	memset(y + items, 0, (n - items) * sizeof *y);
	for (int u = 0; u < n_users; u++) {
		float *restrict yu = y + (size_t)u * f, *restrict au = acc + (size_t)u * f;
		const float *restrict xu = x + (size_t)u * f;
		memset(yu, 0, (size_t)f * sizeof *yu);
		for (int p = A->ptr[u]; p < A->ptr[u + 1]; p++) {
			size_t c = (size_t)A->idx[p] * f;
			axpy_row(f, s->val[p], x + c, yu);
			axpy_row(f, s->val[p], xu, y + c);
		}
		axpy_row(f, scale, yu, au);
	}
	for (size_t j = items; j < n; j++)
		acc[j] += scale * y[j];
}

/* The product at the default build's width (SSE2 on x86-64) and, where the
 * CPU has it, at AVX2's.  Every output element gets the same multiplies and
 * adds in the same order at either width (no reduction crosses lanes; no
 * multiply-add is contracted into one rounding: AVX2 has no FMA, and ISO C
 * mode keeps -ffp-contract=off), so both give the same bits; DENOISEBENCH_SIMD=baseline forces the first
 * (tests compare the two). */
static void
spmm_baseline(const struct lightgcn *s, int n_users, const float *restrict x, float *restrict y,
	float *restrict acc, float scale)
{
	spmm_body(s, n_users, x, y, acc, scale);
}

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__AVX2__)
#define LIGHTGCN_AVX2 1
__attribute__((target("avx2"))) static void
spmm_avx2(const struct lightgcn *s, int n_users, const float *restrict x, float *restrict y,
	float *restrict acc, float scale)
{
	spmm_body(s, n_users, x, y, acc, scale);
}
#endif

/* Rows [r0, r1) of y = Â x, each from its own CSR row in increasing
 * column order, and acc += scale · y there: every row gets the terms, the
 * order and the operations spmm_body gives it (an item row's terms come in
 * increasing user order there too, and Â[i, u] = Â[u, i] is one stored
 * value), so the same bits; rows are written by one caller only, which
 * lets threads split the product. */
static inline __attribute__((always_inline)) void
spmm_rows_body(const struct lightgcn *s, int r0, int r1, const float *restrict x, float *restrict y,
	float *restrict acc, float scale)
{
	const csr *A = &s->adj;
	int f = s->f;
	for (int r = r0; r < r1; r++) {
		float *restrict yr = y + (size_t)r * f;
		memset(yr, 0, (size_t)f * sizeof *yr);
		for (int p = A->ptr[r]; p < A->ptr[r + 1]; p++)
			axpy_row(f, s->val[p], x + (size_t)A->idx[p] * f, yr);
		axpy_row(f, scale, yr, acc + (size_t)r * f);
	}
}

static void
spmm_rows_baseline(const struct lightgcn *s, int r0, int r1, const float *restrict x,
	float *restrict y, float *restrict acc, float scale)
{
	spmm_rows_body(s, r0, r1, x, y, acc, scale);
}

#ifdef LIGHTGCN_AVX2
__attribute__((target("avx2"))) static void
spmm_rows_avx2(const struct lightgcn *s, int r0, int r1, const float *restrict x, float *restrict y,
	float *restrict acc, float scale)
{
	spmm_rows_body(s, r0, r1, x, y, acc, scale);
}
#endif

/* One thread's share of a split product. */
struct spmm_part {
	const struct lightgcn *s;
	int r0, r1;
	const float *x;
	float *y, *acc, scale;
	pthread_t tid;
	int started;
};

static void *
spmm_part_run(void *arg)
{
	const struct spmm_part *p = arg;
#ifdef LIGHTGCN_AVX2
	if (p->s->avx2) {
		spmm_rows_avx2(p->s, p->r0, p->r1, p->x, p->y, p->acc, p->scale);
		return NULL;
	}
#endif
	spmm_rows_baseline(p->s, p->r0, p->r1, p->x, p->y, p->acc, p->scale);
	return NULL;
}

/* The product on up to SPMM_MAX_THREADS threads, each a range of rows with
 * about the same number of entries; a thread that cannot start runs here. */
#define SPMM_MAX_THREADS 64
static void
spmm_split(const struct lightgcn *s, int threads, const float *x, float *y, float *acc, float scale)
{
	struct spmm_part part[SPMM_MAX_THREADS];
	int nt = threads < SPMM_MAX_THREADS ? threads : SPMM_MAX_THREADS, n = s->adj.nrows;
	long nnz = s->adj.ptr[n];
	for (int t = 0, r = 0; t < nt; t++) {
		part[t] = (struct spmm_part){.s = s,
			.r0 = r,
			.r1 = r,
			.x = x,
			.y = y,
			.acc = acc,
			.scale = scale};
		long until = nnz * (t + 1) / nt;
		while (part[t].r1 < n && (t == nt - 1 || s->adj.ptr[part[t].r1] < until))
			part[t].r1++;
		r = part[t].r1;
	}
	for (int t = 1; t < nt; t++)
		part[t].started = !pthread_create(&part[t].tid, NULL, spmm_part_run, &part[t]);
	spmm_part_run(&part[0]);
	for (int t = 1; t < nt; t++) {
		if (part[t].started)
			pthread_join(part[t].tid, NULL);
		else
			spmm_part_run(&part[t]);
	}
}

/* One thread: the fused pass; more (m->threads): rows split over them. */
static void
spmm(const model *m, const float *restrict x, float *restrict y, float *restrict acc, float scale)
{
	const struct lightgcn *s = m->state;
	if (m->threads > 1) {
		spmm_split(s, m->threads, x, y, acc, scale);
		return;
	}
#ifdef LIGHTGCN_AVX2
	if (s->avx2) {
		spmm_avx2(s, m->n_users, x, y, acc, scale);
		return;
	}
#endif
	spmm_baseline(s, m->n_users, x, y, acc, scale);
}

/* Whether spmm may take the AVX2 path on this CPU. */
static int
spmm_avx2_usable(void)
{
#ifdef LIGHTGCN_AVX2
	const char *v = getenv("DENOISEBENCH_SIMD");
	return !(v && !strcmp(v, "baseline")) && __builtin_cpu_supports("avx2");
#else
	return 0;
#endif
}

/* E = (Σ_{k=0..L} Â^k E0) / (L+1), the mean taken as the reference's
 * torch.mean: a sum, then one division. */
static void
propagate(model *m)
{
	struct lightgcn *s = m->state;
	size_t n = (size_t)s->adj.nrows * s->f;
	memcpy(s->E, m->param, n * sizeof *s->E);
	const float *x = m->param;
	for (int k = 0; k < s->layers; k++) {
		float *y = k % 2 ? s->work1 : s->work0;
		spmm(m, x, y, s->E, 1.0f);
		x = y;
	}
	float den = (float)(s->layers + 1);
	for (size_t j = 0; j < n; j++)
		s->E[j] /= den;
	s->fresh = 1;
}

static const float *
final_embeddings(model *m)
{
	struct lightgcn *s = m->state;
	if (!s->fresh)
		propagate(m);
	return s->E;
}

static int
model_lightgcn_create(model *m, const dataset *d, const struct model_args *a, db_err *err)
{
	/* the workspace is per graph node, not per sample: a->batch_cap is not read */
	struct lightgcn *s = db_calloc(1, sizeof *s, err);
	if (!s)
		return DB_ENOMEM;
	m->state = s;
	s->f = a->factors;
	s->layers = (int)config_int(a->cfg, "gcn_layers");
	s->avx2 = spmm_avx2_usable();
	model_add_tensor(m, "embedding_user.weight", m->n_users, s->f);
	model_add_tensor(m, "embedding_item.weight", m->n_items, s->f);
	int rc = model_alloc_params(m, err);
	if (rc || (rc = lightgcn_adjacency(d, &s->adj, &s->val, err)))
		return rc;
	size_t n = (size_t)s->adj.nrows * s->f;
	s->E = db_calloc(n, sizeof(float), err);
	s->work0 = db_calloc(n, sizeof(float), err);
	s->work1 = db_calloc(n, sizeof(float), err);
	s->rows = db_calloc((size_t)a->eval_block * s->f, sizeof(float), err);
	return s->E && s->work0 && s->work1 && s->rows ? DB_OK : DB_ENOMEM;
}

static void
model_lightgcn_init(model *m, gsl_rng *r)
{
	struct lightgcn *s = m->state;
	init_normal(m->param, m->n_params, 0.1, r); /* users then items, N(0, 0.1²) */
	s->fresh = 0;
}

static void
model_lightgcn_params_changed(model *m)
{
	struct lightgcn *s = m->state;
	s->fresh = 0;
}

/* z[k] = E[u_k] · E[n_users + i_k] */
static void
model_lightgcn_forward(model *m, const batch *b, float *logit)
{
	const struct lightgcn *s = m->state;
	const float *E = final_embeddings(m);
	for (int k = 0; k < b->n; k++)
		logit[k] = cblas_sdot(s->f, E + (size_t)b->user[k] * s->f, 1,
			E + ((size_t)m->n_users + b->item[k]) * s->f, 1);
}

/* dE[u_k] += dz_k E[i_k], dE[i_k] += dz_k E[u_k] (sequential over k); then,
 * Â being symmetric, dE0 = (1/(L+1)) Σ_{k=0..L} Â^k dE, added to grad one
 * layer at a time (work0, work1 ping-pong). */
static void
model_lightgcn_backward(model *m, const batch *b, const float *dz)
{
	struct lightgcn *s = m->state;
	const float *E = final_embeddings(m);
	size_t n = (size_t)s->adj.nrows * s->f;
	float *dE = s->work0, scale = 1.0f / (float)(s->layers + 1);
	memset(dE, 0, n * sizeof *dE);
	for (int k = 0; k < b->n; k++) {
		size_t u = (size_t)b->user[k] * s->f, i = ((size_t)m->n_users + b->item[k]) * s->f;
		cblas_saxpy(s->f, dz[k], E + i, 1, dE + u, 1);
		cblas_saxpy(s->f, dz[k], E + u, 1, dE + i, 1);
	}
	cblas_saxpy((int)n, scale, dE, 1, m->grad, 1);
	const float *x = dE;
	for (int k = 0; k < s->layers; k++) {
		float *y = k % 2 ? s->work0 : s->work1;
		spmm(m, x, y, m->grad, scale);
		x = y;
	}
}

/* out = E[users] E[items]ᵀ, one sgemm per block */
static void
model_lightgcn_score_users(model *m, const int *users, int nu, float *out)
{
	struct lightgcn *s = m->state;
	const float *E = final_embeddings(m);
	for (int r = 0; r < nu; r++)
		memcpy(s->rows + (size_t)r * s->f, E + (size_t)users[r] * s->f,
			(size_t)s->f * sizeof *s->rows);
	cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, nu, m->n_items, s->f, 1.0f, s->rows,
		s->f, E + (size_t)m->n_users * s->f, s->f, 0.0f, out, m->n_items);
}

/* A scorer of its own: the final embeddings computed now and shared, rows
 * its own. */
static int
model_lightgcn_score_clone(model *m, int block, model *c, db_err *err)
{
	final_embeddings(m);
	const struct lightgcn *s = m->state;
	struct lightgcn *t = db_calloc(1, sizeof *t, err);
	*c = *m;
	c->state = t;
	if (!t)
		return DB_ENOMEM;
	*t = *s;
	t->rows = db_calloc((size_t)block * s->f, sizeof(float), err);
	return t->rows ? DB_OK : DB_ENOMEM;
}

static void
model_lightgcn_score_clone_free(model *c)
{
	struct lightgcn *t = c->state;
	if (t)
		free(t->rows);
	free(t);
	c->state = NULL;
}

static void
model_lightgcn_destroy(model *m)
{
	struct lightgcn *s = m->state;
	if (s) {
		data_csr_free(&s->adj);
		free(s->val);
		free(s->E);
		free(s->work0);
		free(s->work1);
		free(s->rows);
	}
	free(s);
	m->state = NULL;
}

static const struct config_key lightgcn_keys[] = {
	{"gcn_layers", CFG_INT, "3", NULL, 0,
		"LightGCN propagation layers L (final embedding: mean of layers 0..L)",
		CFG_RANGE(0, 16)},
	{NULL, 0, NULL, NULL, 0, NULL, NULL},
};

/* DeCA LightGCN.py: latent_dim 64, not factor_num 32 (protocol.md §3.4). */
static const struct config_default lightgcn_defaults[] = {
	{NULL, NULL, "lightgcn", NULL, "factors", "64"},
	{NULL, NULL, NULL, NULL, NULL, NULL},
};

const struct model_ops model_lightgcn = {
	.name = "lightgcn",
	.display = "LightGCN",
	.keys = CONFIG_TABLES(lightgcn_keys),
	.defaults = lightgcn_defaults,
	.trainable = 1,
	.create = model_lightgcn_create,
	.init = model_lightgcn_init,
	.forward = model_lightgcn_forward,
	.backward = model_lightgcn_backward,
	.score_users = model_lightgcn_score_users,
	.score_clone = model_lightgcn_score_clone,
	.score_clone_free = model_lightgcn_score_clone_free,
	.params_changed = model_lightgcn_params_changed,
	.destroy = model_lightgcn_destroy,
};
