/* CDAE as the DeCA reference builds and runs it (protocol.md §2.3, §3.3,
 * §5.3, §6.5).  For a block B of users with binary input rows X:
 *   Xn = X / sqrt(sqrt(n_u) · sqrt(m_i)),  m_i counted over the rows of B only,
 *   Xc = dropout(Xn, p)                    (0 with probability p, survivors / (1-p)),
 *   H  = tanh(Xc W_eᵀ + b_e + V[u]),      z = H W_dᵀ + b_d,
 * and the output sigmoid(z) is applied by the loss and the evaluation.
 *
 * A training batch of (u, i) samples defines B as its distinct users (the
 * user-chunk sampler puts all of a chunk's users in one batch) and X as
 * their train items.  Only the 1-entries of X are stored (dropout of a 0
 * is 0), so the encoder is a sparse product and each sample's logit one dot
 * product; evaluation decodes a block with one sgemm.
 *
 * Corruption: every training forward draws a mask from the model's stream
 * (seed, "cdae-corruption").  The reference never calls eval(), so
 * evaluation mode (score_users, validation) corrupts too unless
 * cdae_eval_corruption=false.
 *
 * Shapes: h hidden units; V [n_users x h]; W_e stored item-major
 * [n_items x h] (torch's encoder.weight transposed, so that an input item's
 * weights are one contiguous row); b_e [h]; W_d [n_items x h]; b_d [n_items].
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/loss.h"
#include "models/model.h"
#include "nn/blas.h"
#include "nn/rng.h"

/* Users per block at test and validation: the reference's hard-coded 2048
 * (DeCA evaluate.py test_CDAE, train.py eval_CDAE). */
#define CDAE_EVAL_CHUNK 2048
/* Rows decoded at once by the validation criterion (memory only). */
#define CDAE_DECODE_ROWS 64

struct cdae {
	int h, training, eval_corrupt, reference_valid, frozen;
	float drop, keep_scale;
	size_t V, We, be, Wd, bd;    /* tensor offsets */
	const csr *train;            /* test-time input rows: distinct train items per user */
	const csr *input;            /* training input rows: the phase's (Clean: clean lines) */
	csr valid;                   /* validation rows, users in first-seen order */
	int *valid_user, *valid_row; /* user id and row index of each valid row */
	gsl_rng *rng;
	size_t cap_nnz;
	/* the last training block: users[0..nu), slot[u] = row of u or -1 */
	int nu, *users, *slot;
	int *count, *xptr;                 /* n_items scratch; row offsets into xval */
	float *xval, *keep;                /* corrupted normalised input, kept-entry scale */
	float *H, *dH;                     /* [rows x h] */
	float *dense, *label, *bce, *dbce; /* validation criterion rows */
};

void
cdae_normalise(const csr *X, const int *users, int nu, int n_items, int *count, float *val)
{
	memset(count, 0, (size_t)n_items * sizeof *count);
	for (int r = 0; r < nu; r++)
		for (int p = X->ptr[users[r]]; p < X->ptr[users[r] + 1]; p++)
			count[X->idx[p]]++;
	/* torch: norms in float32, the outer product du·di, its sqrt, then 1/N */
	size_t j = 0;
	for (int r = 0; r < nu; r++) {
		int lo = X->ptr[users[r]], hi = X->ptr[users[r] + 1];
		float du = sqrtf((float)(hi - lo));
		for (int p = lo; p < hi; p++)
			val[j++] = 1.0f / sqrtf(du * sqrtf((float)count[X->idx[p]]));
	}
}

void
cdae_freeze_corruption(model *m, int frozen)
{
	struct cdae *s = m->state;
	s->frozen = frozen;
}

/* y += a x over n floats */
static inline void
axpy(int n, float a, const float *restrict x, float *restrict y)
{
	for (int c = 0; c < n; c++)
		y[c] += a * x[c];
}

/* H[r] = tanh(Xc[rows[r]] W_eᵀ + b_e + V[uids[r]]) for r < nu, with Xc the
 * rows of X normalised over this block and corrupted when asked. */
static void
encode(model *m, const csr *X, const int *rows, const int *uids, int nu, int corrupt)
{
	struct cdae *s = m->state;
	int h = s->h;
	size_t nnz = 0;
	for (int r = 0; r < nu; r++) {
		s->xptr[r] = (int)nnz;
		nnz += (size_t)(X->ptr[rows[r] + 1] - X->ptr[rows[r]]);
	}
	if (nnz > s->cap_nnz)
		abort(); /* programming error: a block repeats users (score_users wants them distinct) */
	s->xptr[nu] = (int)nnz;
	cdae_normalise(X, rows, nu, m->n_items, s->count, s->xval);
	if (corrupt) {
		if (!s->frozen)
			for (size_t j = 0; j < nnz; j++)
				s->keep[j] =
					gsl_rng_uniform(s->rng) < s->drop ? 0.0f : s->keep_scale;
		for (size_t j = 0; j < nnz; j++)
			s->xval[j] *= s->keep[j];
	}
	const float *P = m->param;
	for (int r = 0; r < nu; r++) {
		float *hr = s->H + (size_t)r * h;
		memset(hr, 0, (size_t)h * sizeof *hr);
		const int *item = X->idx + X->ptr[rows[r]];
		for (int j = s->xptr[r]; j < s->xptr[r + 1]; j++)
			if (s->xval[j] != 0.0f)
				axpy(h, s->xval[j], P + s->We + (size_t)item[j - s->xptr[r]] * h,
					hr);
		axpy(h, 1.0f, P + s->be, hr);
		axpy(h, 1.0f, P + s->V + (size_t)uids[r] * h, hr);
		for (int c = 0; c < h; c++)
			hr[c] = tanhf(hr[c]);
	}
}

/* out[r] = H[r] W_dᵀ + b_d for nu rows of H */
static void
decode(const model *m, const float *H, int nu, float *out)
{
	const struct cdae *s = m->state;
	for (int r = 0; r < nu; r++)
		memcpy(out + (size_t)r * m->n_items, m->param + s->bd,
			(size_t)m->n_items * sizeof *out);
	cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, nu, m->n_items, s->h, 1.0f, H, s->h,
		m->param + s->Wd, s->h, 1.0f, out, m->n_items);
}

/* Validation rows: the distinct valid items of every user with a valid
 * line, users in the order of their first line (the reference's dict). */
static int
build_valid_rows(struct cdae *s, const dataset *d, db_err *err)
{
	const interactions *v = &d->valid;
	int *row_of = db_calloc((size_t)d->n_users, sizeof(int), err);
	int *line_row = db_calloc((size_t)v->n, sizeof(int), err);
	s->valid_user = db_calloc((size_t)v->n, sizeof(int), err);
	s->valid_row = db_calloc((size_t)v->n, sizeof(int), err);
	int rc = row_of && line_row && s->valid_user && s->valid_row ? DB_OK : DB_ENOMEM;
	int n = 0;
	for (int u = 0; !rc && u < d->n_users; u++)
		row_of[u] = -1;
	for (int k = 0; !rc && k < v->n; k++) {
		int u = v->user[k];
		if (row_of[u] < 0) {
			row_of[u] = n;
			s->valid_user[n] = u;
			s->valid_row[n] = n;
			n++;
		}
		line_row[k] = row_of[u];
	}
	if (!rc)
		rc = data_csr_build(&s->valid, n, line_row, v->item, v->n, 1, err);
	free(row_of);
	free(line_row);
	return rc;
}

static int
alloc_workspace(model *m, struct cdae *s, int eval_block, db_err *err)
{
	size_t users = (size_t)m->n_users, h = (size_t)s->h, ni = (size_t)m->n_items;
	if ((size_t)eval_block > users)
		users = (size_t)eval_block;
	if (users < CDAE_EVAL_CHUNK)
		users = CDAE_EVAL_CHUNK;
	if ((size_t)s->valid.nrows > users)
		users = (size_t)s->valid.nrows;
	s->cap_nnz = (size_t)s->train->ptr[s->train->nrows];
	if ((size_t)s->valid.ptr[s->valid.nrows] > s->cap_nnz)
		s->cap_nnz = (size_t)s->valid.ptr[s->valid.nrows];
	s->users = db_calloc((size_t)m->n_users, sizeof(int), err);
	s->slot = db_calloc((size_t)m->n_users, sizeof(int), err);
	s->count = db_calloc(ni, sizeof(int), err);
	s->xptr = db_calloc(users + 1, sizeof(int), err);
	s->xval = db_calloc(s->cap_nnz, sizeof(float), err);
	s->keep = db_calloc(s->cap_nnz, sizeof(float), err);
	s->H = db_calloc(users * h, sizeof(float), err);
	s->dH = db_calloc(users * h, sizeof(float), err);
	s->dense = db_calloc(CDAE_DECODE_ROWS * ni, sizeof(float), err);
	s->label = db_calloc(ni, sizeof(float), err);
	s->bce = db_calloc(ni, sizeof(float), err);
	s->dbce = db_calloc(ni, sizeof(float), err);
	if (!s->users || !s->slot || !s->count || !s->xptr || !s->xval || !s->keep || !s->H ||
		!s->dH || !s->dense || !s->label || !s->bce || !s->dbce)
		return DB_ENOMEM;
	for (int u = 0; u < m->n_users; u++)
		s->slot[u] = -1;
	return DB_OK;
}

static int
model_cdae_create(model *m, const dataset *d, const struct model_args *a, db_err *err)
{
	/* the workspace is per user and per train entry: any a->batch_cap fits */
	struct cdae *s = db_calloc(1, sizeof *s, err);
	if (!s)
		return DB_ENOMEM;
	m->state = s;
	s->h = (int)config_int(a->cfg, "cdae_hidden");
	double drop = config_double(a->cfg, "cdae_corruption"); /* config keeps it < 1 */
	s->drop = (float)drop;
	s->keep_scale = (float)(1.0 / (1.0 - drop));
	s->eval_corrupt = config_bool(a->cfg, "cdae_eval_corruption");
	s->reference_valid = strcmp(config_get(a->cfg, "cdae_valid"), "reference") == 0;
	s->training = 1;
	s->train = &d->train_pos;
	s->input = s->train;
	m->l2_form = L2_FROBENIUS;
	m->score_block = CDAE_EVAL_CHUNK;
	s->V = model_add_tensor(m, "user_embedding.weight", m->n_users, s->h);
	s->We = model_add_tensor(m, "encoder.weight", m->n_items, s->h); /* transposed */
	s->be = model_add_tensor(m, "encoder.bias", 1, s->h);
	s->Wd = model_add_tensor(m, "decoder.weight", m->n_items, s->h);
	s->bd = model_add_tensor(m, "decoder.bias", 1, m->n_items);
	int rc = model_alloc_params(m, err);
	if (rc || (rc = build_valid_rows(s, d, err)))
		return rc;
	s->rng = rng_stream(a->seed, config_get(a->cfg, "cdae_stream"));
	if (!s->rng)
		return db_fail(err, DB_ENOMEM, "out of memory (rng)");
	return alloc_workspace(m, s, a->eval_block, err);
}

/* PyTorch's defaults (protocol.md §3.3): Embedding N(0, 1); Linear weight
 * and bias U(±1/sqrt(fan_in)), fan_in n_items (encoder) and h (decoder). */
static void
model_cdae_init(model *m, gsl_rng *r)
{
	struct cdae *s = m->state;
	size_t h = (size_t)s->h, ni = (size_t)m->n_items;
	init_normal(m->param + s->V, (size_t)m->n_users * h, 1.0, r);
	init_uniform(m->param + s->We, ni * h + h, 1.0 / sqrt((double)ni), r);
	init_uniform(m->param + s->Wd, ni * h + ni, 1.0 / sqrt((double)h), r);
}

static gsl_rng *
model_cdae_stream(model *m)
{
	struct cdae *s = m->state;
	return s->rng;
}

static void
model_cdae_set_mode(model *m, int training)
{
	struct cdae *s = m->state;
	s->training = training;
}

/* z[k] = H[u_k] · W_d[i_k] + b_d[i_k], B = the batch's distinct users */
static void
model_cdae_forward(model *m, const batch *b, float *logit)
{
	struct cdae *s = m->state;
	for (int r = 0; r < s->nu; r++)
		s->slot[s->users[r]] = -1;
	s->nu = 0;
	for (int k = 0; k < b->n; k++)
		if (s->slot[b->user[k]] < 0) {
			s->slot[b->user[k]] = s->nu;
			s->users[s->nu++] = b->user[k];
		}
	encode(m, s->input, s->users, s->users, s->nu, s->training || s->eval_corrupt);
	const float *Wd = m->param + s->Wd, *bd = m->param + s->bd;
	for (int k = 0; k < b->n; k++) {
		size_t i = (size_t)b->item[k];
		logit[k] = cblas_sdot(s->h, s->H + (size_t)s->slot[b->user[k]] * s->h, 1,
				   Wd + i * s->h, 1) +
			bd[i];
	}
}

/* The decoder per sample (sequential over k, so repeats accumulate), then
 * through tanh to b_e, V and the rows of W_e that the block's kept input
 * entries touch. */
static void
model_cdae_backward(model *m, const batch *b, const float *dz)
{
	struct cdae *s = m->state;
	int h = s->h;
	const float *Wd = m->param + s->Wd;
	float *G = m->grad;
	memset(s->dH, 0, (size_t)s->nu * h * sizeof *s->dH);
	for (int k = 0; k < b->n; k++) {
		size_t r = (size_t)s->slot[b->user[k]] * h, i = (size_t)b->item[k];
		axpy(h, dz[k], Wd + i * h, s->dH + r);
		axpy(h, dz[k], s->H + r, G + s->Wd + i * h);
		G[s->bd + i] += dz[k];
	}
	for (int r = 0; r < s->nu; r++) {
		float *g = s->dH + (size_t)r * h;
		const float *hr = s->H + (size_t)r * h;
		for (int c = 0; c < h; c++)
			g[c] *= 1.0f - hr[c] * hr[c];
		axpy(h, 1.0f, g, G + s->be);
		axpy(h, 1.0f, g, G + s->V + (size_t)s->users[r] * h);
		const int *item = s->input->idx + s->input->ptr[s->users[r]];
		for (int j = s->xptr[r]; j < s->xptr[r + 1]; j++)
			if (s->xval[j] != 0.0f)
				axpy(h, s->xval[j], g,
					G + s->We + (size_t)item[j - s->xptr[r]] * h);
	}
}

/* The rows the training sampler draws from: a method's subset (Clean, the
 * known share of extra feedback) must also be what the encoder sees, or
 * its left-out items would be input and sampled zero cells at once. */
static void
model_cdae_set_inputs(model *m, const csr *rows)
{
	struct cdae *s = m->state;
	s->input = rows ? rows : s->train;
}

/* The block is the reference's test chunk: its train rows, normalised over
 * the block (users distinct, as evaluation gives them). */
static void
model_cdae_score_users(model *m, const int *users, int nu, float *out)
{
	struct cdae *s = m->state;
	encode(m, s->train, users, users, nu, s->eval_corrupt);
	decode(m, s->H, nu, out);
}

/* The reference's criterion (§5.3): the validation matrix reconstructed
 * from itself, BCE on probabilities averaged over every user x item cell
 * of a chunk of 2048 validation users, summed over chunks. */
static int
model_cdae_valid_loss(model *m, const dataset *d, double *loss)
{
	struct cdae *s = m->state;
	(void)d; /* the rows were built from d at create */
	if (!s->reference_valid)
		return 0;
	int ni = m->n_items;
	*loss = 0;
	for (int c = 0; c < s->valid.nrows; c += CDAE_EVAL_CHUNK) {
		int nu =
			s->valid.nrows - c < CDAE_EVAL_CHUNK ? s->valid.nrows - c : CDAE_EVAL_CHUNK;
		encode(m, &s->valid, s->valid_row + c, s->valid_user + c, nu, s->eval_corrupt);
		double sum = 0;
		for (int r0 = 0; r0 < nu; r0 += CDAE_DECODE_ROWS) {
			int nr = nu - r0 < CDAE_DECODE_ROWS ? nu - r0 : CDAE_DECODE_ROWS;
			decode(m, s->H + (size_t)r0 * s->h, nr, s->dense);
			for (int r = 0; r < nr; r++) {
				const csr *X = &s->valid;
				int row = c + r0 + r;
				for (int p = X->ptr[row]; p < X->ptr[row + 1]; p++)
					s->label[X->idx[p]] = 1.0f;
				loss_bce(s->dense + (size_t)r * ni, s->label, ni, 1, s->bce,
					s->dbce);
				for (int i = 0; i < ni; i++)
					sum += s->bce[i];
				for (int p = X->ptr[row]; p < X->ptr[row + 1]; p++)
					s->label[X->idx[p]] = 0.0f;
			}
		}
		*loss += sum / ((double)nu * ni);
	}
	return 1;
}

static void
model_cdae_destroy(model *m)
{
	struct cdae *s = m->state;
	if (s) {
		data_csr_free(&s->valid);
		if (s->rng)
			gsl_rng_free(s->rng);
		void *bufs[] = {s->valid_user, s->valid_row, s->users, s->slot, s->count, s->xptr,
			s->xval, s->keep, s->H, s->dH, s->dense, s->label, s->bce, s->dbce};
		for (size_t k = 0; k < sizeof bufs / sizeof bufs[0]; k++)
			free(bufs[k]);
	}
	free(s);
	m->state = NULL;
}

/* protocol.md §3.3, §5.3, §6.2, §6.5; the defaults are the reference's. */
static const struct config_key cdae_keys[] = {
	{"cdae_hidden", CFG_INT, "32", NULL, 0,
		"CDAE hidden units (DeCA code and paper: 32; the ADT paper: 200)",
		CFG_RANGE(1, 4096)},
	{"cdae_corruption", CFG_FLOAT, "0.5", NULL, 0,
		"CDAE input dropout probability (survivors scaled by 1/(1-p))",
		CFG_RANGE(0, 0.999)},
	{"cdae_stream", CFG_STRING, "cdae-corruption", NULL, 0,
		"CDAE: purpose name of the corruption's random stream (DeCA(p) gives its frozen "
		"copy "
		"g its own, as the reference's shared generator does)",
		NULL},
	{"cdae_mask", CFG_BOOL, "false", NULL, 0,
		"CDAE: mask train (and valid, see mask_valid) items at test like every other model "
		"(false: the reference's test masks nothing)",
		NULL},
	{"cdae_eval_corruption", CFG_BOOL, "true", NULL, 0,
		"CDAE: corrupt the input at validation and test too (the reference never calls "
		"eval())",
		NULL},
	{"cdae_valid", CFG_CHOICE, "reference", "reference|heldout", 0,
		"CDAE validation loss: reference = reconstruct the validation matrix from itself; "
		"heldout = train rows in, the method's loss on valid items + sampled negatives",
		NULL},
	{NULL, 0, NULL, NULL, 0, NULL, NULL},
};

const struct model_ops model_cdae = {
	.name = "cdae",
	.display = "CDAE",
	.keys = CONFIG_TABLES(cdae_keys),
	.trainable = 1,
	.user_batches = 1,
	.create = model_cdae_create,
	.init = model_cdae_init,
	.forward = model_cdae_forward,
	.backward = model_cdae_backward,
	.score_users = model_cdae_score_users,
	.set_mode = model_cdae_set_mode,
	.stream = model_cdae_stream,
	.set_inputs = model_cdae_set_inputs,
	.valid_loss = model_cdae_valid_loss,
	.destroy = model_cdae_destroy,
};
