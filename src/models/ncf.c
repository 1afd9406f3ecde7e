/* The NCF family of the reference code (He et al., WWW 2017): GMF and
 * NeuMF-end, protocol.md §3.1 and §3.5.  Both are one architecture, the
 * reference's NCF class; GMF is the case without the MLP tower, so one set
 * of layer functions serves both and `layers` = 0 selects GMF.
 *
 *   GMF:   z = w · (P[u] ⊙ Q[i]) + b
 *   NeuMF: z = w · [P[u] ⊙ Q[i] ; h] + b,  h = MLP([Pm[u] ; Qm[i]])
 *
 * The MLP has `layers` blocks Linear -> ReLU (ReLU after the last one too),
 * halving the width each time: 2e -> e -> ... -> f with e = f 2^(layers-1).
 * Models return logits; the sigmoid is applied by the loss and evaluation.
 *
 * Shapes: B samples, f factors, e MLP embedding size, width[l] the input
 * width of layer l (width[0] = 2e, width[layers] = f).  Tensors use the
 * reference's state_dict names and PyTorch layouts (Linear W is [out x in]).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/model.h"
#include "nn/blas.h"

/* 4 embeddings + 2 per layer + predict W and b must fit MODEL_MAX_TENSORS. */
#define NCF_MAX_LAYERS ((MODEL_MAX_TENSORS - 6) / 2)

/* Rows (user, item pairs) of one scoring tile: layers 2.. run over a tile
 * with sgemm.  Speed is flat from 1024 to 16384 rows here (ml-100k NeuMF);
 * 2048 rows x e floats is 1 MB per tile buffer at e = 128, within L2. */
#define NCF_TILE_ROWS 2048

enum { NCF_P_GMF, NCF_Q_GMF, NCF_P_MLP, NCF_Q_MLP };

/* The distinct ids of a batch's samples (users or items): ids[0..n) in
 * first-occurrence order, of[k] sample k's index among them, slot[id] =
 * that index while a batch is processed (-1 otherwise). */
struct ncf_rows {
	int n, *ids, *of, *slot;
};

struct ncf {
	int f, e, layers;
	int width[NCF_MAX_LAYERS + 1];
	/* Parameter offsets (not pointers: param may be reallocated or copied). */
	size_t emb[4], w[NCF_MAX_LAYERS], b[NCF_MAX_LAYERS], w_out, b_out;
	/* Training, batch_cap rows: the GMF product, the tower's activations
	 * (act[0] the concatenated input, act[l+1] layer l's ReLU output) and two
	 * ping-pong gradient buffers of the widest row (2e). */
	float *gmf, *act[NCF_MAX_LAYERS + 1], *delta[2];
	/* Layer 1 per distinct user of a batch (see model_ncf_first_forward),
	 * and per distinct item under neumf_item_once; their layer-1 halves
	 * (cap x width[1] each). */
	struct ncf_rows users, items;
	int item_once;
	float *hu, *hi;
	size_t cap;
	/* Scoring, per block: P[u] ⊙ w for the GMF sgemm; the user and item
	 * halves of layer 1; two tile buffers for layers 2.. */
	float *su, *au, *ai, *tile[2];
	int tile_items, tile_users;
	float *ws; /* one allocation holding every buffer above */
};

static const char *const ncf_mlp_names[NCF_MAX_LAYERS][2] = {
	{"MLP_layers.1.weight", "MLP_layers.1.bias"},
	{"MLP_layers.4.weight", "MLP_layers.4.bias"},
	{"MLP_layers.7.weight", "MLP_layers.7.bias"},
	{"MLP_layers.10.weight", "MLP_layers.10.bias"},
	{"MLP_layers.13.weight", "MLP_layers.13.bias"},
};

/* ---- layers ---------------------------------------------------------- */

/* h[k] = P[u_k] ⊙ Q[i_k]   (B x f) */
static void
model_gmf_product_forward(float *h, const float *P, const float *Q, const batch *b, int f)
{
	for (int k = 0; k < b->n; k++) {
		const float *p = P + (size_t)b->user[k] * f, *q = Q + (size_t)b->item[k] * f;
		for (int j = 0; j < f; j++)
			h[(size_t)k * f + j] = p[j] * q[j];
	}
}

/* The predict layer feeds the product straight in, so dh[k] = dz[k] w is
 * rank one and never stored:
 *   dP[u_k] += dz[k] w ⊙ Q[i_k],  dQ[i_k] += dz[k] w ⊙ P[u_k].
 * Sequential over k, so repeated users and items accumulate. */
static void
model_gmf_product_backward(float *dP, float *dQ, const float *P, const float *Q, const float *w,
	const float *dz, const batch *b, int f)
{
	for (int k = 0; k < b->n; k++) {
		size_t u = (size_t)b->user[k] * f, i = (size_t)b->item[k] * f;
		for (int j = 0; j < f; j++) {
			float dh = dz[k] * w[j];
			dP[u + j] += dh * Q[i + j];
			dQ[i + j] += dh * P[u + j];
		}
	}
}

/* y = x Wᵀ + b   (x: B x in, W: out x in, y: B x out) */
static void
model_ncf_linear_forward(float *y, const float *x, const float *W, const float *bias, int B, int in,
	int out)
{
	for (int k = 0; k < B; k++)
		memcpy(y + (size_t)k * out, bias, (size_t)out * sizeof *y);
	cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, B, out, in, 1.0f, x, in, W, in, 1.0f,
		y, out);
}

/* dW += dyᵀ x,  db += Σ_k dy[k],  dx = dy W */
static void
model_ncf_linear_backward(float *dx, float *dW, float *db, const float *dy, const float *x,
	const float *W, int B, int in, int out)
{
	cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, out, in, B, 1.0f, dy, out, x, in, 1.0f,
		dW, in);
	for (int k = 0; k < B; k++)
		for (int j = 0; j < out; j++)
			db[j] += dy[(size_t)k * out + j];
	cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, B, in, out, 1.0f, dy, out, W, in,
		0.0f, dx, in);
}

/* Elementwise loops run in strips of NCF_STRIP with a constant trip count:
 * the -O2 vectoriser (cheap cost model) turns those into SIMD but leaves
 * loops of unknown length scalar, and a scalar ReLU branches on signs that
 * are random, mispredicting half the time.  NeuMF scoring spends a third of
 * its time here otherwise. */
#define NCF_STRIP 8

static inline float
model_ncf_relu(float v)
{
	return v > 0 ? v : 0;
}

/* x = max(x, 0) in place */
static void
model_ncf_relu_forward(float *x, size_t n)
{
	size_t j = 0;
	for (; j + NCF_STRIP <= n; j += NCF_STRIP)
		for (int q = 0; q < NCF_STRIP; q++)
			x[j + q] = model_ncf_relu(x[j + q]);
	for (; j < n; j++)
		x[j] = model_ncf_relu(x[j]);
}

/* d *= [y > 0]: the output serves as the mask (y > 0 iff x > 0), as in
 * PyTorch's threshold_backward on the ReLU result. */
static void
model_ncf_relu_backward(float *restrict d, const float *restrict y, size_t n)
{
	size_t j = 0;
	for (; j + NCF_STRIP <= n; j += NCF_STRIP)
		for (int q = 0; q < NCF_STRIP; q++)
			d[j + q] = y[j + q] > 0 ? d[j + q] : 0;
	for (; j < n; j++)
		d[j] = y[j] > 0 ? d[j] : 0;
}

/* z = h w + beta z: the predict layer's one output over one part (GMF or
 * MLP) of its input, so the concatenation [gmf ; h] is never built. */
static void
model_ncf_predict_forward(float *z, const float *h, const float *w, int B, int n, float beta)
{
	cblas_sgemv(CblasRowMajor, CblasNoTrans, B, n, 1.0f, h, n, w, 1, beta, z, 1);
}

/* dw += hᵀ dz */
static void
model_ncf_predict_backward(float *dw, const float *h, const float *dz, int B, int n)
{
	cblas_sgemv(CblasRowMajor, CblasTrans, B, n, 1.0f, h, n, dz, 1, 1.0f, dw, 1);
}

/* One tower block, shared by training and scoring:
 * y = relu(x W_lᵀ + b_l)   (x: rows x width[l], y: rows x width[l+1]) */
static void
model_ncf_block_forward(const model *m, int l, float *y, const float *x, int rows)
{
	const struct ncf *s = m->state;
	model_ncf_linear_forward(y, x, m->param + s->w[l], m->param + s->b[l], rows, s->width[l],
		s->width[l + 1]);
	model_ncf_relu_forward(y, (size_t)rows * s->width[l + 1]);
}

/* ---- training -------------------------------------------------------- */

/* Layer 1 splits over the concatenation [Pm[u] ; Qm[i]] as in scoring:
 * W1 x + b1 = (W1u Pm[u] + b1) + W1i Qm[i].  In deca batches every negative
 * shares its user with a positive, so the user half (and, backward, its
 * weight and embedding gradients) is computed once per distinct user of
 * the batch instead of once per sample.  neumf_item_once does the same for
 * the item half (a batch of 4096 samples has ~1400 distinct ml-100k items);
 * it sums the item half's gradients per item first, so the bits differ
 * from the default's, which sums them in one sgemm over the samples.
 *
 * Buffers: act[0] holds Qm[i_k] (B x e; under item_once one row per
 * distinct item) and, from row cap on, Pm[users.ids[j]] (U x e); act[1]
 * the layer's output (B x width[1]); hi the distinct items' halves. */
static void
model_ncf_batch_rows(struct ncf_rows *r, const int *id, int n)
{
	r->n = 0;
	for (int k = 0; k < n; k++) {
		if (r->slot[id[k]] < 0) {
			r->slot[id[k]] = r->n;
			r->ids[r->n++] = id[k];
		}
		r->of[k] = r->slot[id[k]];
	}
	for (int j = 0; j < r->n; j++)
		r->slot[r->ids[j]] = -1;
}

static void
model_ncf_first_forward(model *m, const batch *b)
{
	struct ncf *s = m->state;
	const float *p = m->param, *W1 = p + s->w[0];
	int e = s->e, h = s->width[1], B = b->n, U, NI;
	float *xi = s->act[0], *xu = s->act[0] + s->cap * e, *y = s->act[1];
	model_ncf_batch_rows(&s->users, b->user, B);
	U = s->users.n;
	for (int j = 0; j < U; j++) {
		memcpy(xu + (size_t)j * e, p + s->emb[NCF_P_MLP] + (size_t)s->users.ids[j] * e,
			(size_t)e * sizeof *xu);
		memcpy(s->hu + (size_t)j * h, p + s->b[0], (size_t)h * sizeof *s->hu);
	}
	/* the item half: per sample into y, or per distinct item into hi */
	const int *item = b->item;
	float *yi = y;
	NI = B;
	if (s->item_once) {
		model_ncf_batch_rows(&s->items, b->item, B);
		item = s->items.ids;
		yi = s->hi;
		NI = s->items.n;
	}
	for (int k = 0; k < NI; k++)
		memcpy(xi + (size_t)k * e, p + s->emb[NCF_Q_MLP] + (size_t)item[k] * e,
			(size_t)e * sizeof *xi);
	cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, U, h, e, 1.0f, xu, e, W1, 2 * e, 1.0f,
		s->hu, h);
	cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, NI, h, e, 1.0f, xi, e, W1 + e, 2 * e,
		0.0f, yi, h);
	for (int k = 0; k < B; k++) {
		float *yk = y + (size_t)k * h;
		const float *a = s->hu + (size_t)s->users.of[k] * h,
			    *c = s->item_once ? s->hi + (size_t)s->items.of[k] * h : yk;
		for (int j = 0; j < h; j++)
			yk[j] = model_ncf_relu(a[j] + c[j]);
	}
}

/* sum[r] = Σ_{k: of[k] = r} d[k] for r < n, rows of h, in sample order, and
 * (total not NULL) total += Σ_k d[k] in the same pass */
static void
sum_rows(float *sum, int n, const int *of, const float *d, int B, int h, float *total)
{
	memset(sum, 0, (size_t)n * h * sizeof *sum);
	for (int k = 0; k < B; k++)
		for (int j = 0; j < h; j++) {
			sum[(size_t)of[k] * h + j] += d[(size_t)k * h + j];
			if (total)
				total[j] += d[(size_t)k * h + j];
		}
}

/* table[ids[r]] += rows[r] for r < n, rows of e */
static void
add_rows(float *table, const int *ids, int n, const float *rows, int e)
{
	for (int r = 0; r < n; r++) {
		float *dst = table + (size_t)ids[r] * e;
		for (int c = 0; c < e; c++)
			dst[c] += rows[(size_t)r * e + c];
	}
}

/* d: dL/d(layer-1 pre-activation), B x width[1].  The user half's gradient
 * is summed per distinct user first (in sample order), then
 *   dW1u += Σ_u du[u] Pm[u]ᵀ,  dPm[u] += du[u] W1u,
 *   dW1i += Σ_k d[k] Qm[i_k]ᵀ, dQm[i_k] += d[k] W1i,  db1 += Σ_k d[k];
 * under item_once the item half's gradient is summed per distinct item
 * the same way (di, in hi) and its two products run over those. */
static void
model_ncf_first_backward(model *m, const batch *b, const float *d, float *dx)
{
	struct ncf *s = m->state;
	const float *p = m->param, *W1 = p + s->w[0];
	float *g = m->grad, *du = s->hu, *dW1 = g + s->w[0], *db1 = g + s->b[0];
	int e = s->e, h = s->width[1], B = b->n, U = s->users.n, NI = B;
	const float *xi = s->act[0], *xu = s->act[0] + s->cap * e, *di = d;
	const int *item = b->item;
	float *dxi = dx, *dxu = dx + s->cap * e;
	sum_rows(du, U, s->users.of, d, B, h, db1);
	if (s->item_once) {
		NI = s->items.n;
		item = s->items.ids;
		sum_rows(s->hi, NI, s->items.of, d, B, h, NULL);
		di = s->hi;
	}
	cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, h, e, U, 1.0f, du, h, xu, e, 1.0f, dW1,
		2 * e);
	cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, h, e, NI, 1.0f, di, h, xi, e, 1.0f,
		dW1 + e, 2 * e);
	cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, U, e, h, 1.0f, du, h, W1, 2 * e,
		0.0f, dxu, e);
	cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, NI, e, h, 1.0f, di, h, W1 + e, 2 * e,
		0.0f, dxi, e);
	add_rows(g + s->emb[NCF_P_MLP], s->users.ids, U, dxu, e);
	add_rows(g + s->emb[NCF_Q_MLP], item, NI, dxi, e);
}

static void
model_ncf_forward(model *m, const batch *b, float *logit)
{
	struct ncf *s = m->state;
	const float *p = m->param;
	model_gmf_product_forward(s->gmf, p + s->emb[NCF_P_GMF], p + s->emb[NCF_Q_GMF], b, s->f);
	model_ncf_predict_forward(logit, s->gmf, p + s->w_out, b->n, s->f, 0.0f);
	if (s->layers) {
		model_ncf_first_forward(m, b);
		for (int l = 1; l < s->layers; l++)
			model_ncf_block_forward(m, l, s->act[l + 1], s->act[l], b->n);
		/* the MLP part follows the GMF part in the predict input */
		model_ncf_predict_forward(logit, s->act[s->layers], p + s->w_out + s->f, b->n, s->f,
			1.0f);
	}
	for (int k = 0; k < b->n; k++)
		logit[k] += p[s->b_out];
}

/* Back through the tower, from dz to the MLP embeddings. */
static void
model_ncf_tower_backward(model *m, const batch *b, const float *dz)
{
	struct ncf *s = m->state;
	const float *p = m->param;
	int B = b->n, L = s->layers, f = s->f;
	float *d = s->delta[0], *dnext = s->delta[1];

	/* dh = dz ⊗ w_mlp through the last ReLU */
	model_ncf_predict_backward(m->grad + s->w_out + f, s->act[L], dz, B, f);
	for (int k = 0; k < B; k++)
		for (int j = 0; j < f; j++)
			d[(size_t)k * f + j] = dz[k] * p[s->w_out + f + j];
	model_ncf_relu_backward(d, s->act[L], (size_t)B * f);

	for (int l = L - 1; l >= 1; l--) {
		model_ncf_linear_backward(dnext, m->grad + s->w[l], m->grad + s->b[l], d, s->act[l],
			p + s->w[l], B, s->width[l], s->width[l + 1]);
		model_ncf_relu_backward(dnext, s->act[l], (size_t)B * s->width[l]);
		float *t = d;
		d = dnext;
		dnext = t;
	}
	model_ncf_first_backward(m, b, d, dnext);
}

static void
model_ncf_backward(model *m, const batch *b, const float *dz)
{
	struct ncf *s = m->state;
	const float *p = m->param;
	float *g = m->grad;
	model_ncf_predict_backward(g + s->w_out, s->gmf, dz, b->n, s->f);
	for (int k = 0; k < b->n; k++)
		g[s->b_out] += dz[k];
	model_gmf_product_backward(g + s->emb[NCF_P_GMF], g + s->emb[NCF_Q_GMF],
		p + s->emb[NCF_P_GMF], p + s->emb[NCF_Q_GMF], p + s->w_out, dz, b, s->f);
	if (s->layers)
		model_ncf_tower_backward(m, b, dz);
}

/* ---- scoring --------------------------------------------------------- */

/* Layer 1 splits over the concatenation: W1 [Pm[u] ; Qm[i]] = W1u Pm[u] + W1i Qm[i]
 * with W1u = W1[:, 0:e] and W1i = W1[:, e:2e].  Both halves are computed
 * once per block: au[r] = W1u Pm[users[r]] + b1, ai[i] = W1i Qm[i]. */
static void
model_ncf_score_halves(model *m, const int *users, int nu)
{
	struct ncf *s = m->state;
	const float *p = m->param, *W1 = p + s->w[0];
	int e = s->e, h = s->width[1];
	for (int r = 0; r < nu; r++) {
		float *au = s->au + (size_t)r * h;
		memcpy(au, p + s->b[0], (size_t)h * sizeof *au);
		cblas_sgemv(CblasRowMajor, CblasNoTrans, h, e, 1.0f, W1, 2 * e,
			p + s->emb[NCF_P_MLP] + (size_t)users[r] * e, 1, 1.0f, au, 1);
	}
	cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, m->n_items, h, e, 1.0f,
		p + s->emb[NCF_Q_MLP], e, W1 + e, 2 * e, 0.0f, s->ai, h);
}

/* h1[(r, i)] = relu(au[r] + ai[i])   (nr*ni x n, user-major) */
static void
model_ncf_pair_forward(float *restrict h1, const float *restrict au, int nr,
	const float *restrict ai, int ni, int n)
{
	for (int r = 0; r < nr; r++)
		for (int i = 0; i < ni; i++) {
			float *y = h1 + ((size_t)r * ni + i) * n;
			const float *a = au + (size_t)r * n, *c = ai + (size_t)i * n;
			int j = 0;
			for (; j + NCF_STRIP <= n; j += NCF_STRIP)
				for (int q = 0; q < NCF_STRIP; q++)
					y[j + q] = model_ncf_relu(a[j + q] + c[j + q]);
			for (; j < n; j++)
				y[j] = model_ncf_relu(a[j] + c[j]);
		}
}

/* out[r][i0 + i] += MLP part of the logit, for users r0.. r0+nr-1 and items
 * i0 .. i0+ni-1 of the block: the tower above layer 1 runs on the tile. */
static void
model_ncf_score_tile(model *m, int r0, int nr, int i0, int ni, float *out)
{
	struct ncf *s = m->state;
	int rows = nr * ni;
	float *x = s->tile[0], *y = s->tile[1];
	size_t h = (size_t)s->width[1];
	model_ncf_pair_forward(x, s->au + r0 * h, nr, s->ai + i0 * h, ni, s->width[1]);
	for (int l = 1; l < s->layers; l++) {
		model_ncf_block_forward(m, l, y, x, rows);
		float *t = x;
		x = y;
		y = t;
	}
	for (int r = 0; r < nr; r++)
		model_ncf_predict_forward(out + (size_t)(r0 + r) * m->n_items + i0,
			x + (size_t)r * ni * s->f, m->param + s->w_out + s->f, ni, s->f, 1.0f);
}

/* GMF part: out = (P[users] ⊙ w) Qᵀ + b, one sgemm; NeuMF adds the tower
 * tile by tile. */
static void
model_ncf_score_users(model *m, const int *users, int nu, float *out)
{
	struct ncf *s = m->state;
	const float *p = m->param, *P = p + s->emb[NCF_P_GMF];
	int f = s->f, n = m->n_items;
	for (int r = 0; r < nu; r++)
		for (int j = 0; j < f; j++)
			s->su[(size_t)r * f + j] = P[(size_t)users[r] * f + j] * p[s->w_out + j];
	for (size_t k = 0; k < (size_t)nu * n; k++)
		out[k] = p[s->b_out];
	cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, nu, n, f, 1.0f, s->su, f,
		p + s->emb[NCF_Q_GMF], f, 1.0f, out, n);
	if (!s->layers)
		return;
	model_ncf_score_halves(m, users, nu);
	for (int r0 = 0; r0 < nu; r0 += s->tile_users) {
		int nr = nu - r0 < s->tile_users ? nu - r0 : s->tile_users;
		for (int i0 = 0; i0 < n; i0 += s->tile_items) {
			int ni = n - i0 < s->tile_items ? n - i0 : s->tile_items;
			model_ncf_score_tile(m, r0, nr, i0, ni, out);
		}
	}
}

/* ---- life cycle ------------------------------------------------------ */

/* Tensors in the reference's registration order.  GMF declares only its own
 * parts: the reference also allocates the MLP tables and tower for GMF, but
 * they take no part in its predictions (ADT gives them no gradient; in DeCA
 * only the L2 term touches them, which changes nothing but the reported L2
 * value). */
static void
model_ncf_declare(model *m, struct ncf *s)
{
	s->emb[NCF_P_GMF] = model_add_tensor(m, "embed_user_GMF.weight", m->n_users, s->f);
	s->emb[NCF_Q_GMF] = model_add_tensor(m, "embed_item_GMF.weight", m->n_items, s->f);
	if (s->layers) {
		s->emb[NCF_P_MLP] = model_add_tensor(m, "embed_user_MLP.weight", m->n_users, s->e);
		s->emb[NCF_Q_MLP] = model_add_tensor(m, "embed_item_MLP.weight", m->n_items, s->e);
	}
	for (int l = 0; l < s->layers; l++) {
		s->w[l] = model_add_tensor(m, ncf_mlp_names[l][0], s->width[l + 1], s->width[l]);
		s->b[l] = model_add_tensor(m, ncf_mlp_names[l][1], 1, s->width[l + 1]);
	}
	s->w_out = model_add_tensor(m, "predict_layer.weight", 1, s->layers ? 2 * s->f : s->f);
	s->b_out = model_add_tensor(m, "predict_layer.bias", 1, 1);
}

struct ncf_slot {
	float **p;
	size_t n;
};

/* The tower's scoring buffers for up to block users, from slot[*ns] on;
 * tile sizes from s. */
static void
model_ncf_tower_slots(const model *m, struct ncf *s, int block, struct ncf_slot *slot, int *ns)
{
	size_t h = (size_t)s->width[1], tile = (size_t)s->tile_users * s->tile_items * h;
	slot[(*ns)++] = (struct ncf_slot){&s->au, (size_t)block * h};
	slot[(*ns)++] = (struct ncf_slot){&s->ai, (size_t)m->n_items * h};
	slot[(*ns)++] = (struct ncf_slot){&s->tile[0], tile};
	slot[(*ns)++] = (struct ncf_slot){&s->tile[1], tile};
}

/* Carves slot[0..ns) out of one allocation, s->ws. */
static int
model_ncf_carve(struct ncf *s, const struct ncf_slot *slot, int ns, db_err *err)
{
	size_t total = 0;
	for (int k = 0; k < ns; k++)
		total += slot[k].n;
	if (!(s->ws = db_calloc(total, sizeof(float), err)))
		return DB_ENOMEM;
	float *at = s->ws;
	for (int k = 0; k < ns; at += slot[k].n, k++)
		*slot[k].p = at;
	return DB_OK;
}

/* The distinct-id tables for batches of up to B samples over n ids. */
static int
model_ncf_rows_alloc(struct ncf_rows *r, size_t B, int n, db_err *err)
{
	r->ids = db_calloc(B + 1, sizeof *r->ids, err);
	r->of = db_calloc(B + 1, sizeof *r->of, err);
	r->slot = db_calloc((size_t)n + 1, sizeof *r->slot, err);
	if (!r->ids || !r->of || !r->slot)
		return DB_ENOMEM;
	for (int j = 0; j < n; j++)
		r->slot[j] = -1;
	return DB_OK;
}

static void
model_ncf_rows_free(struct ncf_rows *r)
{
	free(r->ids);
	free(r->of);
	free(r->slot);
}

/* Every workspace buffer, in one allocation. */
static int
model_ncf_alloc_workspace(model *m, struct ncf *s, int batch_cap, int eval_block, db_err *err)
{
	/* gmf, su; act[0..layers]; hu, hi, delta[2]; the tower's 4 */
	struct ncf_slot slot[NCF_MAX_LAYERS + 11];
	size_t B = (size_t)batch_cap, f = (size_t)s->f, wide = 2 * (size_t)s->e;
	int ns = 0;
	slot[ns++] = (struct ncf_slot){&s->gmf, B * f};
	slot[ns++] = (struct ncf_slot){&s->su, (size_t)eval_block * f};
	if (s->layers) {
		for (int l = 0; l <= s->layers; l++)
			slot[ns++] = (struct ncf_slot){&s->act[l], B * s->width[l]};
		slot[ns++] = (struct ncf_slot){&s->hu, B * s->width[1]};
		slot[ns++] = (struct ncf_slot){&s->hi, s->item_once ? B * s->width[1] : 0};
		slot[ns++] = (struct ncf_slot){&s->delta[0], B * wide};
		slot[ns++] = (struct ncf_slot){&s->delta[1], B * wide};
		/* a tile is tile_users whole rows of items, or a part of one user's row */
		s->tile_items = m->n_items < NCF_TILE_ROWS ? m->n_items : NCF_TILE_ROWS;
		s->tile_users = NCF_TILE_ROWS / (s->tile_items > 0 ? s->tile_items : 1);
		if (s->tile_users > eval_block)
			s->tile_users = eval_block > 0 ? eval_block : 1;
		model_ncf_tower_slots(m, s, eval_block, slot, &ns);
	}
	int rc = model_ncf_carve(s, slot, ns, err);
	if (rc)
		return rc;
	s->cap = B;
	if (s->layers) {
		rc = model_ncf_rows_alloc(&s->users, B, m->n_users, err);
		if (!rc && s->item_once)
			rc = model_ncf_rows_alloc(&s->items, B, m->n_items, err);
	}
	return rc;
}

/* A scorer of its own: offsets and tiles copied, no training buffers, the
 * scoring buffers its own (the same tiles: the same sgemm shapes). */
static int
model_ncf_score_clone(model *m, int block, model *c, db_err *err)
{
	const struct ncf *s = m->state;
	struct ncf *t = db_calloc(1, sizeof *t, err);
	*c = *m;
	c->state = t;
	if (!t)
		return DB_ENOMEM;
	*t = (struct ncf){.f = s->f,
		.e = s->e,
		.layers = s->layers,
		.w_out = s->w_out,
		.b_out = s->b_out,
		.tile_items = s->tile_items,
		.tile_users = s->tile_users};
	memcpy(t->width, s->width, sizeof t->width);
	memcpy(t->emb, s->emb, sizeof t->emb);
	memcpy(t->w, s->w, sizeof t->w);
	memcpy(t->b, s->b, sizeof t->b);
	struct ncf_slot slot[5] = {{&t->su, (size_t)block * s->f}};
	int ns = 1;
	if (s->layers)
		model_ncf_tower_slots(m, t, block, slot, &ns);
	return model_ncf_carve(t, slot, ns, err);
}

static int
model_ncf_create(model *m, const struct model_args *a, int layers, int item_once, db_err *err)
{
	struct ncf *s = db_calloc(1, sizeof *s, err);
	if (!s)
		return DB_ENOMEM;
	m->state = s;
	s->f = a->factors; /* config keeps it in [1, 4096] */
	s->layers = layers;
	s->item_once = item_once;
	s->e = s->f << (layers > 0 ? layers - 1 : 0);
	s->width[0] = 2 * s->e;
	for (int l = 0; l < layers; l++)
		s->width[l + 1] = s->width[l] / 2;
	model_ncf_declare(m, s);
	int rc = model_alloc_params(m, err);
	return rc ? rc : model_ncf_alloc_workspace(m, s, a->batch_cap, a->eval_block, err);
}

static int
model_gmf_create(model *m, const dataset *d, const struct model_args *a, db_err *err)
{
	(void)d;
	return model_ncf_create(m, a, 0, 0, err);
}

static int
model_neumf_create(model *m, const dataset *d, const struct model_args *a, db_err *err)
{
	(void)d;
	long layers = config_int(a->cfg, "mlp_layers");
	if (layers < 1 || layers > NCF_MAX_LAYERS)
		return db_fail(err, DB_EINVAL, "neumf: mlp_layers must be 1..%d (got %ld)",
			NCF_MAX_LAYERS, layers);
	return model_ncf_create(m, a, (int)layers, config_bool(a->cfg, "neumf_item_once"), err);
}

/* protocol.md §3.5: embeddings N(0, 0.01²); tower W Xavier-uniform
 * U(±sqrt(6/(fan_in+fan_out))); predict W U(±sqrt(3/fan_in)) (Kaiming-uniform,
 * a = 1, sigmoid gain); every bias 0. */
static void
model_ncf_init(model *m, gsl_rng *r)
{
	struct ncf *s = m->state;
	float *p = m->param;
	/* the embedding tables are the first tensors declared */
	for (const struct param_tensor *t = m->tensor; t < m->tensor + (s->layers ? 4 : 2); t++)
		init_normal(p + t->offset, t->rows * t->cols, 0.01, r);
	for (int l = 0; l < s->layers; l++) {
		int in = s->width[l], out = s->width[l + 1];
		init_uniform(p + s->w[l], (size_t)in * out, sqrt(6.0 / (in + out)), r);
		memset(p + s->b[l], 0, (size_t)out * sizeof *p);
	}
	int fan_in = s->layers ? 2 * s->f : s->f;
	init_uniform(p + s->w_out, (size_t)fan_in, sqrt(3.0 / fan_in), r);
	p[s->b_out] = 0;
}

static void
model_ncf_destroy(model *m)
{
	struct ncf *s = m->state;
	if (s) {
		free(s->ws);
		model_ncf_rows_free(&s->users);
		model_ncf_rows_free(&s->items);
	}
	free(s);
	m->state = NULL;
}

static const struct config_key neumf_keys[] = {
	{"mlp_layers", CFG_INT, "3", NULL, 0, "NeuMF MLP layers", CFG_RANGE(1, 8)},
	{"neumf_item_once", CFG_BOOL, "false", NULL, CFG_HASH_SET,
		"compute layer 1's item half and its gradients once per distinct item of a "
		"batch (faster; sums in another order than the default, so other bits)",
		NULL},
	{NULL, 0, NULL, NULL, 0, NULL, NULL},
};

const struct model_ops model_gmf = {
	.name = "gmf",
	.display = "GMF",
	.trainable = 1,
	.create = model_gmf_create,
	.init = model_ncf_init,
	.forward = model_ncf_forward,
	.backward = model_ncf_backward,
	.score_users = model_ncf_score_users,
	.score_clone = model_ncf_score_clone,
	.score_clone_free = model_ncf_destroy, /* a clone's distinct-id tables are NULL */
	.destroy = model_ncf_destroy,
};

const struct model_ops model_neumf = {
	.name = "neumf",
	.display = "NeuMF",
	.keys = CONFIG_TABLES(neumf_keys),
	.trainable = 1,
	.create = model_neumf_create,
	.init = model_ncf_init,
	.forward = model_ncf_forward,
	.backward = model_ncf_backward,
	.score_users = model_ncf_score_users,
	.score_clone = model_ncf_score_clone,
	.score_clone_free = model_ncf_destroy, /* a clone's distinct-id tables are NULL */
	.destroy = model_ncf_destroy,
};
