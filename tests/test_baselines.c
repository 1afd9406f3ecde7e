/* LightGCN's graph and propagation (protocol.md §1.7, §3.4) and the
 * training-free item-item baselines ItemKNN and EASE^R, on graphs small
 * enough to derive by hand, and their ranking by raw scores under the deca
 * protocol's sigmoid.  LightGCN's gradients are checked in test_gradcheck.c. */
#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "eval/eval.h"
#include "models/model.h"
#include "nn/blas.h"
#include "nn/rng.h"
#include "tap.h"

/* Only what the models read: sizes and the distinct train pairs. */
static int
make_dataset(dataset *d, int n_users, int n_items, const int *user, const int *item, int n)
{
	db_err err;
	memset(d, 0, sizeof *d);
	d->n_users = n_users;
	d->n_items = n_items;
	return data_csr_build(&d->train_pos, n_users, user, item, n, 1, &err);
}

/* model `name` on d with settings "key=value" ..., NULL-terminated */
static int
make_model(model *m, const char *name, const dataset *d, int eval_block, ...)
{
	config c;
	db_err err;
	va_list ap;
	int rc = 0;
	config_init(&c);
	va_start(ap, eval_block);
	for (const char *kv; !rc && (kv = va_arg(ap, const char *));)
		rc = config_set_kv(&c, kv, &err);
	va_end(ap);
	if (!rc)
		rc = model_create(m, model_find(name), d, &c, 64, eval_block, &err);
	if (rc)
		tap_diag("%s: %s", name, err.msg);
	config_free(&c);
	return rc;
}

/* ---- LightGCN's adjacency ------------------------------------------- */

/* 4 users, 4 items; user 2 and item 3 have no train line, (1, 1) is listed
 * twice and counts once, as in the reference's dok train_mat:
 *   user degrees 2, 1, 0, 3     (u0: i0 i1;  u1: i1;  u3: i0 i1 i2)
 *   item degrees 2, 3, 1, 0     (i0: u0 u3;  i1: u0 u1 u3;  i2: u3)
 * so 6 distinct edges, nnz 12, and node r = user r or item r - 4. */
#define G_USERS 4
#define G_ITEMS 4
#define G_N     (G_USERS + G_ITEMS)
static const int g_user[] = {3, 0, 1, 0, 3, 1, 3};
static const int g_item[] = {2, 1, 1, 0, 0, 1, 1};
static const int g_deg[G_N] = {2, 1, 0, 3, 2, 3, 1, 0};
#define G_LINES (int)(sizeof g_user / sizeof g_user[0])

static int
graph_dataset(dataset *d)
{
	return make_dataset(d, G_USERS, G_ITEMS, g_user, g_item, G_LINES);
}

/* The reference's value: deg^-½ in double, rounded to float, product in
 * float (protocol.md §1.7); the edge list is the one in the comment above. */
static void
expected_adjacency(float A[G_N][G_N])
{
	static const int edges[][2] = {{0, 0}, {0, 1}, {1, 1}, {3, 0}, {3, 1}, {3, 2}};
	memset(A, 0, sizeof(float) * G_N * G_N);
	for (size_t e = 0; e < sizeof edges / sizeof edges[0]; e++) {
		int r = edges[e][0], c = G_USERS + edges[e][1];
		float dr = (float)pow(g_deg[r], -0.5), dc = (float)pow(g_deg[c], -0.5);
		A[r][c] = A[c][r] = dr * dc;
	}
}

static void
test_adjacency(void)
{
	dataset d;
	csr adj;
	float *val = NULL, A[G_N][G_N];
	db_err err;
	if (graph_dataset(&d) || lightgcn_adjacency(&d, &adj, &val, &err)) {
		tap_ok(0, "lightgcn adjacency: build");
		return;
	}
	expected_adjacency(A);
	int same = adj.nrows == G_N && adj.ptr[G_N] == 12, sorted = 1;
	for (int r = 0; same && r < G_N; r++) {
		same &= adj.ptr[r + 1] - adj.ptr[r] == g_deg[r];
		int nz = 0;
		for (int c = 0; c < G_N; c++)
			nz += A[r][c] != 0;
		same &= nz == g_deg[r];
		for (int p = adj.ptr[r]; same && p < adj.ptr[r + 1]; p++) {
			same &= val[p] == A[r][adj.idx[p]]; /* bit for bit */
			sorted &= p == adj.ptr[r] || adj.idx[p - 1] < adj.idx[p];
		}
	}
	tap_ok(same,
		"lightgcn adjacency: nnz 12 = 2 x distinct train pairs, values bit-identical "
		"to fl32(fl32(deg_r^-1/2) * fl32(deg_c^-1/2)), empty rows for isolated nodes");
	tap_ok(sorted, "lightgcn adjacency: column indices sorted within each row");
	/* 3^-1/2 · 2^-1/2 in float is not the float of 6^-1/2: the
	 * two-rounding rule is what the test pins down */
	tap_ok(A[3][4] != (float)pow(6, -0.5),
		"lightgcn adjacency: the fixture tells the reference's rounding from a direct one");
	data_csr_free(&adj);
	free(val);
	data_csr_free(&d.train_pos);
}

/* ---- LightGCN's propagation, scoring and cache ----------------------- */

/* E = (1/4) Σ_{k=0..3} Â^k E0 and z = E[u] · E[4 + i], in double from the
 * dense Â of expected_adjacency */
static double
reference_logit(const model *m, int f, int u, int i)
{
	float A[G_N][G_N];
	double E[G_N][8], cur[G_N][8], next[G_N][8];
	expected_adjacency(A);
	for (int r = 0; r < G_N; r++)
		for (int j = 0; j < f; j++)
			E[r][j] = cur[r][j] = m->param[r * f + j];
	for (int k = 0; k < 3; k++) {
		for (int r = 0; r < G_N; r++)
			for (int j = 0; j < f; j++) {
				next[r][j] = 0;
				for (int c = 0; c < G_N; c++)
					next[r][j] += (double)A[r][c] * cur[c][j];
			}
		for (int r = 0; r < G_N; r++)
			for (int j = 0; j < f; j++) {
				cur[r][j] = next[r][j];
				E[r][j] += next[r][j];
			}
	}
	double z = 0;
	for (int j = 0; j < f; j++)
		z += E[u][j] / 4 * E[G_USERS + i][j] / 4;
	return z;
}

/* all users x all items, through forward */
static void
forward_all(model *m, batch *b, float *z)
{
	b->n = G_USERS * G_ITEMS;
	for (int k = 0; k < b->n; k++) {
		b->user[k] = k / G_ITEMS;
		b->item[k] = k % G_ITEMS;
	}
	m->ops->forward(m, b, z);
}

static void
test_lightgcn_forward(void)
{
	static const int users[G_USERS] = {3, 0, 2, 1};
	dataset d;
	model m;
	batch b;
	db_err err;
	float z[G_N * G_N], out[G_USERS * G_ITEMS], again[G_USERS * G_ITEMS];
	if (graph_dataset(&d) || make_model(&m, "lightgcn", &d, G_USERS, "factors=5", NULL) ||
		batch_alloc(&b, G_N * G_N, &err)) {
		tap_ok(0, "lightgcn: create");
		return;
	}
	gsl_rng *r = rng_stream(7, "init");
	m.ops->init(&m, r);
	gsl_rng_free(r);
	forward_all(&m, &b, z);
	double maxerr = 0, maxz = 0;
	for (int k = 0; k < b.n; k++) {
		double want = reference_logit(&m, 5, k / G_ITEMS, k % G_ITEMS);
		maxerr = fmax(maxerr, fabs(z[k] - want));
		maxz = fmax(maxz, fabs(want));
	}
	tap_ok(maxerr <= 1e-6 * maxz && maxz > 1e-3,
		"lightgcn: forward = dense double propagation, 3 layers, mean of 4 (max err %.2e, "
		"max |z| %.3g)",
		maxerr, maxz);
	m.ops->score_users(&m, users, G_USERS, out);
	maxerr = 0;
	for (int q = 0; q < G_USERS * G_ITEMS; q++)
		maxerr = fmax(maxerr, fabs(out[q] - z[users[q / G_ITEMS] * G_ITEMS + q % G_ITEMS]));
	tap_ok(maxerr <= 1e-6 * maxz,
		"lightgcn: score_users = forward on the same pairs (max "
		"diff %.2e)",
		maxerr);
	/* doubling E0 scales E by 2 and z by 4, exactly; the cache keeps the
	 * old scores until params_changed */
	for (size_t j = 0; j < m.n_params; j++)
		m.param[j] *= 2;
	m.ops->score_users(&m, users, G_USERS, again);
	tap_ok(!memcmp(again, out, sizeof out),
		"lightgcn: propagated once per parameter state (cached until params_changed)");
	m.ops->params_changed(&m);
	m.ops->score_users(&m, users, G_USERS, again);
	int quad = 1;
	for (int q = 0; q < G_USERS * G_ITEMS; q++)
		quad &= again[q] == 4 * out[q];
	tap_ok(quad, "lightgcn: after params_changed, scores of the new parameters (x4 exactly)");
	batch_free(&b);
	model_destroy(&m);
	data_csr_free(&d.train_pos);
}

/* ---- item-item models ------------------------------------------------ */

/* 3 users x 4 items:  u0: i0 i1 i2;  u1: i0 i1;  u2: i1 i3.
 * Item supports |U_i| = 2, 3, 1, 1; co-occurrences C01 = 2, C02 = 1,
 * C12 = 1, C13 = 1, C03 = C23 = 0.  Cosine (shrink 0):
 *   s01 = 2/(√2√3) = 2/√6 = 0.8165,  s02 = 1/√2 = 0.7071,
 *   s12 = s13 = 1/√3 = 0.5774,       s03 = s23 = 0. */
#define K_USERS 3
#define K_ITEMS 4
static const int k_user[] = {0, 0, 0, 1, 1, 2, 2};
static const int k_item[] = {0, 1, 2, 0, 1, 1, 3};
#define K_LINES (int)(sizeof k_user / sizeof k_user[0])

/* score(u, i) = Σ_{j ∈ I_u} S[j][i] for a hand-made W = S */
static void
scores_from(const double S[K_ITEMS][K_ITEMS], double want[K_USERS][K_ITEMS])
{
	memset(want, 0, sizeof(double) * K_USERS * K_ITEMS);
	for (int k = 0; k < K_LINES; k++)
		for (int i = 0; i < K_ITEMS; i++)
			want[k_user[k]][i] += S[k_item[k]][i];
}

/* score_users and forward of every (user, item) against want */
static void
check_scores(model *m, const double want[K_USERS][K_ITEMS], const char *what)
{
	static const int users[K_USERS] = {0, 1, 2};
	float out[K_USERS * K_ITEMS], z[K_USERS * K_ITEMS];
	batch b;
	db_err err;
	if (batch_alloc(&b, K_USERS * K_ITEMS, &err)) {
		tap_ok(0, "%s: batch", what);
		return;
	}
	b.n = K_USERS * K_ITEMS;
	for (int k = 0; k < b.n; k++) {
		b.user[k] = k / K_ITEMS;
		b.item[k] = k % K_ITEMS;
	}
	m->ops->score_users(m, users, K_USERS, out);
	m->ops->forward(m, &b, z);
	double maxerr = 0;
	int same = 1;
	for (int k = 0; k < b.n; k++) {
		maxerr = fmax(maxerr, fabs(out[k] - want[k / K_ITEMS][k % K_ITEMS]));
		same &= out[k] == z[k];
	}
	tap_ok(maxerr <= 1e-6, "%s: scores of all users = hand-derived sums (max err %.2e)", what,
		maxerr);
	tap_ok(same, "%s: forward = score_users, bit for bit", what);
	batch_free(&b);
}

static void
test_itemknn(const char *k, const char *shrink, const double S[K_ITEMS][K_ITEMS], const char *what)
{
	dataset d;
	model m;
	double want[K_USERS][K_ITEMS];
	if (make_dataset(&d, K_USERS, K_ITEMS, k_user, k_item, K_LINES) ||
		make_model(&m, "itemknn", &d, K_USERS, k, shrink, NULL)) {
		tap_ok(0, "%s: create", what);
		return;
	}
	scores_from(S, want);
	check_scores(&m, want, what);
	model_destroy(&m);
	data_csr_free(&d.train_pos);
}

/* W[j][i] = sim(i, j) for the kept neighbours j of i */
static void
test_itemknn_cases(void)
{
	const double a = 2 / sqrt(6), b = 1 / sqrt(2), c = 1 / sqrt(3);
	/* all neighbours: W = the symmetric cosine matrix, zero diagonal */
	const double all[K_ITEMS][K_ITEMS] = {{0, a, b, 0}, {a, 0, c, c}, {b, c, 0, 0},
		{0, c, 0, 0}};
	test_itemknn("knn_k=100", "knn_shrink=0", all, "itemknn k=100");
	/* k = 1: i0 keeps j1 (a > b), i1 keeps j0 (a > c), i2 keeps j0 (b > c),
	 * i3 keeps j1 (c > 0); W[j][i] lists them by column */
	const double k1[K_ITEMS][K_ITEMS] = {{0, a, b, 0}, {a, 0, 0, c}, {0, 0, 0, 0},
		{0, 0, 0, 0}};
	test_itemknn("knn_k=1", "knn_shrink=0", k1, "itemknn k=1");
	/* k = 2: i1's 2nd place is a tie s12 = s13 = c; the lower id (j2) is
	 * kept, so W[3][1] = 0.  i0 keeps j1, j2; i2 keeps j0, j1; i3 keeps j1
	 * and one zero */
	const double k2[K_ITEMS][K_ITEMS] = {{0, a, b, 0}, {a, 0, c, c}, {b, c, 0, 0},
		{0, 0, 0, 0}};
	test_itemknn("knn_k=2", "knn_shrink=0", k2, "itemknn k=2, tie on the 2nd place");
	/* shrink 1: s01 = 2/(√6+1), s02 = 1/(√2+1), s12 = s13 = 1/(√3+1) */
	const double a1 = 2 / (sqrt(6) + 1), b1 = 1 / (sqrt(2) + 1), c1 = 1 / (sqrt(3) + 1);
	const double sh[K_ITEMS][K_ITEMS] = {{0, a1, b1, 0}, {a1, 0, c1, c1}, {b1, c1, 0, 0},
		{0, c1, 0, 0}};
	test_itemknn("knn_k=100", "knn_shrink=1", sh, "itemknn shrink=1");
}

/* 2 items, u0: i0 i1; u1: i0.  C = [[2, 1], [1, 1]], λ = 1:
 * G = [[3, 1], [1, 2]], det 5, P = G⁻¹ = [[2, −1], [−1, 3]] / 5,
 * B01 = −P01/P11 = 1/3, B10 = −P10/P00 = 1/2 (= C01/(C11 + λ) and
 * C01/(C00 + λ): the one-regressor ridge solutions).  Scores:
 * u0 = B[0] + B[1] = (1/2, 1/3), u1 = B[0] = (0, 1/3). */
static void
test_ease_hand(void)
{
	static const int u[] = {0, 0, 1}, it[] = {0, 1, 0}, users[] = {0, 1};
	dataset d;
	model m;
	float out[4];
	if (make_dataset(&d, 2, 2, u, it, 3) ||
		make_model(&m, "ease", &d, 2, "ease_lambda=1", NULL)) {
		tap_ok(0, "ease: create");
		return;
	}
	m.ops->score_users(&m, users, 2, out);
	const double want[4] = {0.5, 1.0 / 3, 0, 1.0 / 3};
	double maxerr = 0;
	for (int k = 0; k < 4; k++)
		maxerr = fmax(maxerr, fabs(out[k] - want[k]));
	tap_ok(maxerr <= 1e-7, "ease 2 items, lambda 1: B = [[0, 1/3], [1/2, 0]] (max err %.2e)",
		maxerr);
	tap_ok(!m.ops->trainable && m.n_params == 0, "ease: no parameters, not trainable");
	model_destroy(&m);
	data_csr_free(&d.train_pos);
}

/* The 3 x 4 matrix plus one user per item (users 3..6), whose scores are
 * the rows of B.  B = I − P diagMat(1/diag P) gives G B = G − diagMat(1/diag P):
 * off the diagonal (G B)[i][j] = G[i][j] = C[i][j]. */
static void
test_ease_rows(void)
{
	static const int u[] = {0, 0, 0, 1, 1, 2, 2, 3, 4, 5, 6};
	static const int it[] = {0, 1, 2, 0, 1, 1, 3, 0, 1, 2, 3};
	static const int users[] = {3, 4, 5, 6, 0, 1, 2};
	/* C = XᵀX of these 7 users: supports 3, 4, 2, 2 */
	static const double C[4][4] = {{3, 2, 1, 0}, {2, 4, 1, 1}, {1, 1, 2, 0}, {0, 1, 0, 2}};
	const double lambda = 0.5;
	dataset d;
	model m;
	float out[7 * 4];
	if (make_dataset(&d, 7, 4, u, it, 11) ||
		make_model(&m, "ease", &d, 7, "ease_lambda=0.5", NULL)) {
		tap_ok(0, "ease: create");
		return;
	}
	m.ops->score_users(&m, users, 7, out);
	const float *B = out; /* rows 0..3: users 3..6 */
	int diag0 = 1;
	double maxerr = 0, maxb = 0;
	for (int i = 0; i < 4; i++) {
		diag0 &= B[i * 4 + i] == 0;
		for (int j = 0; j < 4; j++) {
			maxb = fmax(maxb, fabs(B[i * 4 + j]));
			if (i == j)
				continue;
			double gb = 0;
			for (int k = 0; k < 4; k++)
				gb += (C[i][k] + (i == k) * lambda) * B[k * 4 + j];
			maxerr = fmax(maxerr, fabs(gb - C[i][j]));
		}
	}
	tap_ok(diag0, "ease: diag(B) = 0");
	tap_ok(maxerr <= 1e-5 && maxb > 0.05,
		"ease: (XᵀX + λI) B = XᵀX off the diagonal (max err %.2e)", maxerr);
	/* user 0 has items 0, 1, 2: X_u B = B[0] + B[1] + B[2], added in that order */
	int same = 1;
	for (int j = 0; j < 4; j++)
		same &= out[4 * 4 + j] == (B[j] + B[4 + j]) + B[8 + j];
	tap_ok(same, "ease: score of a user = X_u B");
	model_destroy(&m);
	data_csr_free(&d.train_pos);
}

/* an item without train users makes XᵀX singular: λ = 0 is refused */
static void
test_ease_singular(void)
{
	dataset d;
	model m;
	if (make_dataset(&d, K_USERS, K_ITEMS + 1, k_user, k_item, K_LINES)) {
		tap_ok(0, "ease: dataset");
		return;
	}
	tap_diag("a refusal expected:");
	tap_ok(make_model(&m, "ease", &d, 2, "ease_lambda=0", NULL) == DB_EINVAL,
		"ease: lambda 0 with an unseen item refused (not positive definite)");
	data_csr_free(&d.train_pos);
}

/* ---- training-free models rank by raw scores under output_prob ------- */

/* 30 background users hold the 25 history items H = 0..24 and item A = 26;
 * users 0..19 also hold B = 25.  The test user 30 holds H only and its test
 * item is A.  MostPop: A 30 > B 20; ItemKNN: A ~24.6 > B ~20.1.  Both are
 * far past the float32 sigmoid's saturation (1.0f from ~16.7), so a
 * sigmoid would tie A and B and the lower id B would win the single place. */
#define R_BG    30
#define R_H     25
#define R_B     25
#define R_A     26
#define R_USERS (R_BG + 1)
#define R_ITEMS (R_A + 1)

static int
raw_dataset(dataset *d, int *pop)
{
	static int user[R_USERS * R_ITEMS], item[R_USERS * R_ITEMS];
	int n = 0;
	for (int u = 0; u < R_USERS; u++)
		for (int i = 0; i < R_ITEMS; i++)
			if (i < R_H || (u < R_BG && i == R_A) || (u < 20 && i == R_B)) {
				user[n] = u;
				item[n++] = i;
				pop[i]++;
			}
	if (make_dataset(d, R_USERS, R_ITEMS, user, item, n))
		return -1;
	d->mask = d->train_pos;
	d->item_pop = pop;
	return 0;
}

static void
test_raw_scores(const char *name)
{
	dataset d;
	model m;
	int pop[R_ITEMS] = {0};
	static int t_user[1] = {R_BG}, t_ptr[2] = {0, 1}, t_idx[1] = {R_A};
	truth t = {1, t_user, {1, t_ptr, t_idx}, 1};
	if (raw_dataset(&d, pop) || make_model(&m, name, &d, 4, "knn_shrink=0", NULL)) {
		tap_ok(0, "%s raw scores: create", name);
		return;
	}
	float row[R_ITEMS];
	m.ops->score_users(&m, t_user, 1, row);
	tap_ok(row[R_A] > row[R_B] && 1.0f / (1.0f + expf(-row[R_B])) == 1.0f,
		"%s: premise: A %.2f > B %.2f, both saturate the float32 sigmoid", name, row[R_A],
		row[R_B]);
	const int ks[1] = {1};
	for (int prob = 0; prob <= 1; prob++) {
		struct eval_opts o = {.output_prob = prob, .eval_block = 4};
		eval_result res;
		db_err err;
		int rc = eval_split(&m, &d, &t, ks, 1, &o, &res, &err);
		tap_ok(rc == DB_OK && eval_result_mean(&res, METRIC_RECALL, 0) == 1.0,
			"%s output_prob=%d: ranks by its raw score, A first (recall@1 %g)", name,
			prob, rc ? -1.0 : eval_result_mean(&res, METRIC_RECALL, 0));
		if (!rc)
			eval_result_free(&res);
	}
	model_destroy(&m);
	data_csr_free(&d.train_pos);
}

/* ---- What model_create hands a model's create ----------------------- */

static struct model_args seen;

static int
capture_create(model *m, const dataset *d, const struct model_args *a, db_err *err)
{
	(void)d;
	seen = *a;
	return model_alloc_params(m, err);
}

static const struct model_ops capture_ops = {.name = "capture", .create = capture_create};

/* The shared values come once from the config's typed settings, the
 * capacities from the call; the config stays there for the model's keys. */
static void
test_model_args(void)
{
	dataset d;
	model m;
	config c;
	db_err err;
	graph_dataset(&d);
	config_init(&c);
	config_set(&c, "factors", "12", &err);
	config_set(&c, "seed", "77", &err);
	int rc = model_create(&m, &capture_ops, &d, &c, 33, 5, &err);
	tap_ok(!rc && seen.factors == 12 && seen.seed == 77 && seen.batch_cap == 33 &&
			seen.eval_block == 5 && seen.cfg == &c,
		"model_create hands create factors %d, seed %llu, batch_cap %d, eval_block %d",
		seen.factors, (unsigned long long)seen.seed, seen.batch_cap, seen.eval_block);
	model_destroy(&m);
	config_free(&c);
	data_csr_free(&d.train_pos);
}

int
main(void)
{
	blas_init();
	gsl_set_error_handler_off(); /* as the program does: GSL reports, the model refuses */
	test_model_args();
	test_adjacency();
	test_lightgcn_forward();
	test_itemknn_cases();
	test_ease_hand();
	test_ease_rows();
	test_ease_singular();
	test_raw_scores("mostpop");
	test_raw_scores("itemknn");
	return tap_done();
}
