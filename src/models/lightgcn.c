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
 * Shapes: N = n_users + n_items graph nodes, f factors; E, dE and the
 * row-by-row product's two stored layers [N x f]; the passes' item layers
 * [L x n_items x f].
 */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "models/model.h"
#include "nn/blas.h"
#include "nn/fpenv.h"
#include "util/simd.h"

#define LIGHTGCN_MAX_LAYERS 16

struct lightgcn {
	int f, layers, fresh; /* fresh: E matches param */
	csr adj;              /* Â, N rows, column indices sorted */
	float *val;           /* Â's values, alongside adj.idx */
	float *E;             /* final embeddings */
	float *dE;            /* backward's dE, all zero between calls */
	float *ping[2];       /* the row-by-row product's stored layers, see ping_alloc */
	unsigned char *live;   /* per node: dE's row may be nonzero (backward) */
	float *scratch;        /* the passes' item layers and a row per thread */
	float *urow;           /* the passes' two user rows */
	float *rows;           /* eval_block x f: E[users] gathered for one sgemm */
	enum simd_width width; /* the products' vector width (util/simd.h) */
	int passes;            /* one thread propagates in passes, see propagate_sum */
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
 * (always inlined: it takes the vector width of the product it is in) */
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

/* The propagation's sum, for the final embeddings (x = E0) and for the
 * gradient (x = dE):
 *   out[r] = ((base[r] + c y_1[r]) + c y_2[r] + ... + c y_L[r]) / den,
 * y_k = Â^k x, the adds in layer order, then the one division (den 0:
 * none): a running sum, whatever pass computes y_k[r].  base may be out
 * itself.  live (or NULL: every row) flags the rows of x that may be
 * nonzero; the others add nothing and are not read.  Skipping them keeps
 * the bits under gradual underflow: a row's sum starts at +0, a sum of
 * floats starting at +0 is never -0, and adding +0 leaves any other sum as
 * it is.  (Under FTZ a negative subnormal sum becomes -0, which a skipped
 * +0 would have turned into +0, and under DAZ a stored negative subnormal
 * reads as -0: the caller passes no live under either.) */
struct prop {
	const float *x;
	const unsigned char *live;
	const float *base;
	float c, den;
	float *out;
};

/* out = (base + c t[0]) + ... + c t[n-1] over one row of f floats, then
 * divided by p->den when `last` (the sum's last layer) and den != 0:
 * passes over the row, in L1, each the sum's next add */
static inline __attribute__((always_inline)) void
sum_row(int f, const struct prop *p, int last, const float *base, const float *const *t, int n,
	float *out)
{
	if (base != out)
		memcpy(out, base, (size_t)f * sizeof *out);
	for (int k = 0; k < n; k++)
		axpy_row(f, p->c, t[k], out);
	if (last && p->den != 0) {
		const float den = p->den;
		int j = 0;
		for (; j + 16 <= f; j += 16)
			for (int q = 0; q < 16; q++)
				out[j + q] /= den;
		for (; j < f; j++)
			out[j] /= den;
	}
}

/* y = Σ_{p in [p0, p1)} Â_p x[idx_p - c0] over one CSR row, in its order,
 * skipping the columns that live (if any) flags as zero; x holds the rows
 * from node c0 on.  Columns in blocks of GATHER_BLOCK summed in a local
 * array of constant size (in registers at AVX2 and AVX-512 width; SSE2's
 * 16 spill some), the rest in y: each element gets the same adds in the
 * same order either way. */
#define GATHER_BLOCK 64
static inline __attribute__((always_inline)) void
gather_row(const struct lightgcn *s, int p0, int p1, const float *x, int c0,
	const unsigned char *live, float *restrict y)
{
	const int f = s->f;
	int j0 = 0;
	for (; j0 + GATHER_BLOCK <= f; j0 += GATHER_BLOCK) {
		float acc[GATHER_BLOCK] = {0};
		for (int p = p0; p < p1; p++) {
			int c = s->adj.idx[p];
			if (live && !live[c])
				continue;
			const float v = s->val[p], *xr = x + (size_t)(c - c0) * f + j0;
			for (int j = 0; j < GATHER_BLOCK; j++)
				acc[j] += v * xr[j];
		}
		memcpy(y + j0, acc, sizeof acc);
	}
	if (j0 == f)
		return;
	memset(y + j0, 0, (size_t)(f - j0) * sizeof *y);
	for (int p = p0; p < p1; p++) {
		int c = s->adj.idx[p];
		if (!live || live[c])
			axpy_row(f - j0, s->val[p], x + (size_t)(c - c0) * f + j0, y + j0);
	}
}

/* ---- one thread, in passes over the user rows ------------------------
 * The graph is bipartite: a user row of layer k sums item rows of layer
 * k-1, an item row of layer k user rows of layer k-1.  Pass q computes
 * every user's layers lo = 2q and hi = 2q+1 from the item layers already
 * complete, and adds them to the item rows of layers lo+1 and hi+1, so L
 * layers take ⌊L/2⌋+1 passes over the many user rows (which stream from
 * memory) instead of L; the user layers live in two rows of L1, the few
 * item layers in scratch (cache resident).  Every row still sums its
 * terms in increasing column order, as its CSR row lists them, and every
 * item row's terms arrive in increasing user order: the bits of the
 * row-by-row product, on every run. */
struct pass {
	int lo, hi;             /* its user layers; hi = L+1: none */
	const float *ilo, *ihi; /* item layers lo-1 (NULL at lo = 0) and hi-1 */
	float *slo, *shi;       /* item layers lo+1 and hi+1 it adds to (NULL past L) */
};

/* item layer k >= 1 of the passes, in scratch (layer 0 is x's item rows) */
static float *
item_layer(const struct lightgcn *s, int nu, int k)
{
	return s->scratch + (size_t)(k - 1) * (size_t)(s->adj.nrows - nu) * s->f;
}

/* pass ps over user u: its layers, their adds to the item layers, its sum */
static inline __attribute__((always_inline)) void
pass_user(const struct lightgcn *s, int nu, const struct prop *pr, const struct pass *ps, int u)
{
	const csr *A = &s->adj;
	int f = s->f, L = s->layers, p0 = A->ptr[u], p1 = A->ptr[u + 1], has_hi = ps->hi <= L;
	float *ul = s->urow, *uh = s->urow + f;
	const float *xl = pr->x + (size_t)u * f; /* u's layer lo */
	if (ps->lo)
		gather_row(s, p0, p1, ps->ilo, nu, NULL, ul), xl = ul;
	if (has_hi)
		gather_row(s, p0, p1, ps->ihi, nu, ps->lo ? NULL : pr->live, uh);
	float *slo = ps->lo || !pr->live || pr->live[u] ? ps->slo : NULL;
	if (slo || ps->shi)
		for (int p = p0; p < p1; p++) {
			size_t c = (size_t)(A->idx[p] - nu) * f;
			if (slo)
				axpy_row(f, s->val[p], xl, slo + c);
			if (ps->shi)
				axpy_row(f, s->val[p], uh, ps->shi + c);
		}
	const float *t[2] = {ul, uh};
	float *o = pr->out + (size_t)u * f;
	sum_row(f, pr, ps->hi >= L, ps->lo ? o : pr->base + (size_t)u * f, ps->lo ? t : t + 1,
		(ps->lo != 0) + has_hi, o);
}

static inline __attribute__((always_inline)) void
prop_passes_body(const struct lightgcn *s, int nu, const struct prop *pr)
{
	int f = s->f, L = s->layers, ni = s->adj.nrows - nu;
	const float *x_items = pr->x + (size_t)nu * f;
	memset(s->scratch, 0, (size_t)L * ni * f * sizeof *s->scratch);
	for (int q = 0; 2 * q <= L; q++) {
		struct pass ps = {.lo = 2 * q, .hi = 2 * q + 1};
		ps.ilo = ps.lo ? item_layer(s, nu, ps.lo - 1) : NULL;
		ps.ihi = ps.lo ? item_layer(s, nu, ps.lo) : x_items;
		ps.slo = ps.lo + 1 <= L ? item_layer(s, nu, ps.lo + 1) : NULL;
		ps.shi = ps.hi + 1 <= L ? item_layer(s, nu, ps.hi + 1) : NULL;
		for (int u = 0; u < nu; u++)
			pass_user(s, nu, pr, &ps, u);
	}
	const float *t[LIGHTGCN_MAX_LAYERS];
	for (int i = 0; i < ni; i++) {
		size_t r = (size_t)(nu + i) * f;
		for (int k = 1; k <= L; k++)
			t[k - 1] = item_layer(s, nu, k) + (size_t)i * f;
		sum_row(f, pr, 1, pr->base + r, t, L, pr->out + r);
	}
}

/* ---- row by row, one layer at a time, split over threads ------------
 * Rows [r0, r1) of layer k: y = Â x, stored in y (NULL for the last
 * layer: in the caller's scratch row), then added to the sum.  Each row
 * from its own CSR row, in increasing column order; rows are written by
 * one caller only, which lets threads split the product. */
static inline __attribute__((always_inline)) void
spmm_rows_body(const struct lightgcn *s, int r0, int r1, int k, const float *x,
	const unsigned char *live, float *y, float *row, const struct prop *pr)
{
	int f = s->f;
	for (int r = r0; r < r1; r++) {
		size_t o = (size_t)r * f;
		float *yr = y ? y + o : row;
		const float *t = yr;
		gather_row(s, s->adj.ptr[r], s->adj.ptr[r + 1], x, 0, live, yr);
		sum_row(f, pr, k == s->layers, (k == 1 ? pr->base : pr->out) + o, &t, 1,
			pr->out + o);
	}
}

/* Both at every width of util/simd.h, which give the same bits. */
#define SPMM_VARIANTS(suffix, attr)                                                                \
	attr static void prop_passes_##suffix(const struct lightgcn *s, int nu,                    \
		const struct prop *pr)                                                             \
	{                                                                                          \
		prop_passes_body(s, nu, pr);                                                       \
	}                                                                                          \
	attr static void spmm_rows_##suffix(const struct lightgcn *s, int r0, int r1, int k,       \
		const float *x, const unsigned char *live, float *y, float *row,                   \
		const struct prop *pr)                                                             \
	{                                                                                          \
		spmm_rows_body(s, r0, r1, k, x, live, y, row, pr);                                 \
	}
SPMM_VARIANTS(baseline, )
#ifdef DB_SIMD_WIDE
SPMM_VARIANTS(avx2, DB_TARGET_AVX2)
SPMM_VARIANTS(avx512, DB_TARGET_AVX512)
#endif

/* One thread's share of a layer's product. */
struct spmm_part {
	const struct lightgcn *s;
	int r0, r1, k;
	const float *x;
	const unsigned char *live;
	float *y, *row;
	const struct prop *pr;
	pthread_t tid;
	int started;
};

static void *
spmm_part_run(void *arg)
{
	const struct spmm_part *p = arg;
	SIMD_CALL(p->s->width, spmm_rows, p->s, p->r0, p->r1, p->k, p->x, p->live, p->y, p->row,
		p->pr);
	return NULL;
}

/* Layer k's product on up to SPMM_MAX_THREADS threads, each a range of
 * rows with about the same number of entries; a thread that cannot start
 * runs here. */
#define SPMM_MAX_THREADS 64
static void
spmm_split(const struct lightgcn *s, int threads, int k, const float *x, const unsigned char *live,
	float *y, const struct prop *pr)
{
	struct spmm_part part[SPMM_MAX_THREADS];
	int nt = threads < 1 ? 1 : threads < SPMM_MAX_THREADS ? threads : SPMM_MAX_THREADS;
	int n = s->adj.nrows;
	long nnz = s->adj.ptr[n];
	for (int t = 0, r = 0; t < nt; t++) {
		part[t] = (struct spmm_part){.s = s,
			.r0 = r,
			.r1 = r,
			.k = k,
			.x = x,
			.live = live,
			.y = y,
			.row = s->scratch + (size_t)t * s->f,
			.pr = pr};
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

/* The stored layers of the row-by-row product: layer k in ping[k % 2]
 * (the last is not stored, so at most two), allocated at create where
 * the passes are not chosen and on first use where they are.  0 if they
 * cannot be had. */
static int
ping_alloc(struct lightgcn *s)
{
	size_t n = (size_t)s->adj.nrows * s->f;
	for (int k = 1; k < s->layers && k <= 2; k++)
		if (!s->ping[k % 2] && !(s->ping[k % 2] = calloc(n, sizeof(float))))
			return 0;
	return 1;
}

/* The row-by-row propagation, layer by layer, each split over m->threads
 * threads.  0 if its buffers cannot be had (the caller then runs the
 * passes, which give the same bits). */
static int
prop_layers(model *m, const struct prop *pr)
{
	struct lightgcn *s = m->state;
	if (!ping_alloc(s))
		return 0;
	const float *x = pr->x;
	const unsigned char *live = pr->live;
	for (int k = 1; k <= s->layers; k++) {
		float *y = k < s->layers ? s->ping[k % 2] : NULL;
		spmm_split(s, m->threads, k, x, live, y, pr);
		x = y;
		live = NULL;
	}
	return 1;
}

/* The propagation's sum (struct prop): split over m->threads threads by
 * rows; on one, in passes where a layer outgrows the cache (the passes
 * save streaming the user rows) and row by row where it fits (gathers
 * alone, no scattered stores: faster there, ml-100k 0.22 s against 0.41 s
 * per epoch, modcloth 0.97 against 0.65).  Either gives the same bits. */
static void
propagate_sum(model *m, const struct prop *pr)
{
	const struct lightgcn *s = m->state;
	if ((m->threads > 1 || !s->passes) && prop_layers(m, pr))
		return;
	SIMD_CALL(s->width, prop_passes, s, m->n_users, pr);
}

/* Whether one thread propagates in passes: a layer of `bytes` is more than
 * half the L2 cache (1 MiB where the system does not say), or
 * DENOISEBENCH_LIGHTGCN=passes|rows says which (tests compare them). */
static int
lightgcn_passes(size_t bytes)
{
	const char *v = getenv("DENOISEBENCH_LIGHTGCN");
	if (v && (!strcmp(v, "passes") || !strcmp(v, "rows")))
		return !strcmp(v, "passes");
	long l2 = 0;
#ifdef _SC_LEVEL2_CACHE_SIZE /* glibc's */
	l2 = sysconf(_SC_LEVEL2_CACHE_SIZE);
#endif
	return bytes > (l2 > 0 ? (size_t)l2 : (size_t)2 << 20) / 2;
}

/* E = (Σ_{k=0..L} Â^k E0) / (L+1), the mean taken as the reference's
 * torch.mean: a sum in layer order, then one division. */
static void
propagate(model *m)
{
	struct lightgcn *s = m->state;
	size_t n = (size_t)s->adj.nrows * s->f;
	float den = (float)(s->layers + 1);
	struct prop pr = {.x = m->param, .base = m->param, .c = 1.0f, .den = den, .out = s->E};
	if (s->layers)
		propagate_sum(m, &pr);
	else
		for (size_t j = 0; j < n; j++)
			s->E[j] = m->param[j] / den;
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
	s->width = simd_width();
	s->passes = lightgcn_passes((size_t)(m->n_users + m->n_items) * s->f * sizeof(float));
	model_add_tensor(m, "embedding_user.weight", m->n_users, s->f);
	model_add_tensor(m, "embedding_item.weight", m->n_items, s->f);
	int rc = model_alloc_params(m, err);
	if (rc || (rc = lightgcn_adjacency(d, &s->adj, &s->val, err)))
		return rc;
	size_t n = (size_t)s->adj.nrows * s->f, fi = (size_t)m->n_items * s->f;
	size_t rows = (size_t)SPMM_MAX_THREADS * s->f, items = s->passes ? s->layers * fi : 0;
	s->E = db_calloc(n, sizeof(float), err);
	s->dE = db_calloc(n, sizeof(float), err);
	s->live = db_calloc((size_t)s->adj.nrows, 1, err);
	s->scratch = db_calloc(items > rows ? items : rows, sizeof(float), err);
	s->urow = db_calloc(2 * (size_t)s->f, sizeof(float), err);
	s->rows = db_calloc((size_t)a->eval_block * s->f, sizeof(float), err);
	if (!(s->E && s->dE && s->live && s->scratch && s->urow && s->rows))
		return DB_ENOMEM;
	/* without the passes' scratch, the row-by-row product cannot fall back
	 * on them: its layers now (with them, on first use) */
	return s->passes || ping_alloc(s) ? DB_OK : db_fail(err, DB_ENOMEM, "out of memory");
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
 * Â being symmetric, dE0 = (1/(L+1)) Σ_{k=0..L} Â^k dE, added to grad in
 * layer order.  dE is all zero between calls and only the batch's rows are
 * live: Â dE reads those rows alone (under gradual underflow, see struct
 * prop; under the whole-run flush, ftz=true, every row). */
static void
model_lightgcn_backward(model *m, const batch *b, const float *dz)
{
	struct lightgcn *s = m->state;
	const float *E = final_embeddings(m);
	size_t n = (size_t)s->adj.nrows * s->f, f = (size_t)s->f;
	float *dE = s->dE, scale = 1.0f / (float)(s->layers + 1);
	for (int k = 0; k < b->n; k++) {
		size_t u = (size_t)b->user[k], i = (size_t)m->n_users + b->item[k];
		s->live[u] = s->live[i] = 1;
		cblas_saxpy(s->f, dz[k], E + i * f, 1, dE + u * f, 1);
		cblas_saxpy(s->f, dz[k], E + u * f, 1, dE + i * f, 1);
	}
	cblas_saxpy((int)n, scale, dE, 1, m->grad, 1);
	const unsigned char *live = fpenv_flush_any() ? NULL : s->live;
	struct prop pr = {.x = dE, .live = live, .base = m->grad, .c = scale, .out = m->grad};
	if (s->layers)
		propagate_sum(m, &pr);
	for (int k = 0; k < b->n; k++) {
		size_t u = (size_t)b->user[k], i = (size_t)m->n_users + b->item[k];
		s->live[u] = s->live[i] = 0;
		memset(dE + u * f, 0, f * sizeof *dE);
		memset(dE + i * f, 0, f * sizeof *dE);
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
		free(s->dE);
		free(s->ping[0]);
		free(s->ping[1]);
		free(s->live);
		free(s->scratch);
		free(s->urow);
		free(s->rows);
	}
	free(s);
	m->state = NULL;
}

static const struct config_key lightgcn_keys[] = {
	{"gcn_layers", CFG_INT, "3", NULL, 0,
		"LightGCN propagation layers L (final embedding: mean of layers 0..L)",
		CFG_RANGE(0, LIGHTGCN_MAX_LAYERS)},
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
