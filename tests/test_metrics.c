/* Tests of top-K selection, the §6.3 metric formulas and eval_split
 * (reference/protocol.md §6, §11).  Every expected value is derived by hand
 * in the comment next to it; the only irrationals are
 *   1/log2(3) = ln 2 / ln 3 = 0.63092975357145743710
 *   1/log2(5) = ln 2 / ln 5 = 0.43067655807339305067
 * and 1/log2(2) = 1, 1/log2(4) = 1/2 exactly. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "eval/eval.h"
#include "nn/blas.h"
#include "rig.h"
#include "tap.h"

#define C3  0.63092975357145743710 /* 1/log2(3) */
#define C5  0.43067655807339305067 /* 1/log2(5) */
#define TOL 1e-12

/* ---------------------------------------------------------------- top-K */

static int
same_ints(const int *got, const int *want, int n)
{
	for (int i = 0; i < n; i++)
		if (got[i] != want[i])
			return 0;
	return 1;
}

static void
check_topk(const float *s, int n, int k, const int *want, const char *what)
{
	int out[16];
	topk_select(s, n, k, out);
	tap_ok(same_ints(out, want, k), "topk %s (k = %d)", what, k);
}

static void
test_topk_ties(void)
{
	/* 1 and 3 tie at 0.9, 0 and 2 at 0.5: lower index first within a tie. */
	const float s[5] = {0.5f, 0.9f, 0.5f, 0.9f, 0.1f};
	check_topk(s, 5, 1, (const int[]){1}, "tie at the top, lower index wins");
	check_topk(s, 5, 2, (const int[]){1, 3}, "two tied best");
	/* The 0.5 tie straddles the boundary at k = 3: index 0 in, 2 out. */
	check_topk(s, 5, 3, (const int[]){1, 3, 0}, "tie straddling the k boundary");
	check_topk(s, 5, 4, (const int[]){1, 3, 0, 2}, "both of a tie inside");
	check_topk(s, 5, 5, (const int[]){1, 3, 0, 2, 4}, "k = n");

	/* Best items at the end, ties at the front: the heap must still keep
	 * the lowest indices of the tie when the boundary cuts through it. */
	const float t[6] = {1, 1, 1, 1, 2, 2};
	check_topk(t, 6, 3, (const int[]){4, 5, 0}, "late best, tied rest");
	const float e[6] = {0};
	check_topk(e, 6, 3, (const int[]){0, 1, 2}, "all equal");
	/* -0.0 == +0.0 in float: a tie, so index order. */
	const float z[2] = {-0.0f, 0.0f};
	check_topk(z, 2, 1, (const int[]){0}, "-0 ties with +0");
}

static void
test_topk_nan(void)
{
	/* NaN ranks below every number, even -inf; NaNs tie with each other. */
	const float s[5] = {NAN, 1.0f, NAN, -INFINITY, 0.0f};
	check_topk(s, 5, 2, (const int[]){1, 4}, "NaN never beats a number");
	check_topk(s, 5, 5, (const int[]){1, 4, 3, 0, 2}, "NaNs last, by index");
}

static void
test_topk_random(void)
{
	enum { N = 500 };
	float s[N];
	int got[N], want[N];
	char used[N];
	unsigned x = 12345;
	for (int i = 0; i < N; i++) {
		x = x * 1103515245u + 12345u;
		s[i] = (float)((x >> 16) % 7); /* seven values: ties everywhere */
	}
	int ok = 1;
	for (int k = 1; k <= N; k += 37) {
		topk_select(s, N, k, got);
		rig_topk_naive(s, N, k, want, used);
		ok &= same_ints(got, want, k);
	}
	tap_ok(ok, "topk equals brute force on 500 heavily tied scores, k = 1..500");
}

/* -------------------------------------------------------------- metrics */

static void
near_metrics(const double *out, int nk, int x, double recall, double ndcg, double prec, double mrr,
	const char *what)
{
	char buf[160];
	snprintf(buf, sizeof buf, "%s recall", what);
	tap_near(out[METRIC_RECALL * nk + x], recall, TOL, buf);
	snprintf(buf, sizeof buf, "%s ndcg", what);
	tap_near(out[METRIC_NDCG * nk + x], ndcg, TOL, buf);
	snprintf(buf, sizeof buf, "%s precision", what);
	tap_near(out[METRIC_PRECISION * nk + x], prec, TOL, buf);
	snprintf(buf, sizeof buf, "%s mrr", what);
	tap_near(out[METRIC_MRR * nk + x], mrr, TOL, buf);
}

/* metric_user with the order eval_split hands it. */
static void
metrics_of(const int *r, int kmax, const int *g, int n_truth, const int *ks, int nk, double *out)
{
	size_t order[4];
	metric_order(ks, nk, order);
	metric_user(r, kmax, g, n_truth, ks, order, nk, out);
}

static void
test_metric_duplicates(void)
{
	/* G = {3,7,7}, |G| = 3; R = {7,1,3,5,9}: hits at j = 0 and j = 2.
	 * The duplicate 7 is one hit, but counts in |G| and IDCG.
	 * ks in the order {5,1,3}: out follows that order. */
	const int g[3] = {3, 7, 7}, r[5] = {7, 1, 3, 5, 9}, ks[3] = {5, 1, 3};
	double out[METRIC_COUNT * 3];
	metrics_of(r, 5, g, 3, ks, 3, out);
	/* K=1: hits 1; R 1/3, P 1/1; DCG 1, IDCG 1 (min(1,3) terms); MRR 1. */
	near_metrics(out, 3, 1, 1.0 / 3, 1.0, 1.0, 1.0, "G{3,7,7} @1");
	/* K=3: hits 2; R 2/3, P 2/3; DCG = 1 + 1/log2(4) = 1.5;
	 * IDCG = 1 + 1/log2(3) + 1/log2(4) = 1.5 + C3; MRR 1. */
	near_metrics(out, 3, 2, 2.0 / 3, 1.5 / (1.5 + C3), 2.0 / 3, 1.0, "G{3,7,7} @3");
	/* K=5 > |G|: hits 2; R 2/3, P 2/5; DCG 1.5; IDCG still 3 terms
	 * (min(5,3)), not 2 as a deduplicated G would give. */
	near_metrics(out, 3, 0, 2.0 / 3, 1.5 / (1.5 + C3), 0.4, 1.0, "G{3,7,7} @5");
}

static void
test_metric_late_hits(void)
{
	/* G = {2,9}; R = {5,6,9,2}: first hit at j = 2. */
	const int g[2] = {2, 9}, r[4] = {5, 6, 9, 2}, ks[2] = {2, 4};
	double out[METRIC_COUNT * 2];
	metrics_of(r, 4, g, 2, ks, 2, out);
	/* K=2: no hit in the first two ranks: everything 0, MRR too. */
	near_metrics(out, 2, 0, 0, 0, 0, 0, "late hits @2");
	/* K=4: hits at j=2,3; R 2/2, P 2/4; DCG = 1/log2(4) + 1/log2(5)
	 * = 0.5 + C5; IDCG = 1 + C3 (min(4,2) = 2 terms); MRR = 1/3. */
	near_metrics(out, 2, 1, 1.0, (0.5 + C5) / (1 + C3), 0.5, 1.0 / 3, "late hits @4");
}

static void
test_metric_small_k(void)
{
	/* K = 2 < |G| = 5, R = {1,2} both hits: R 2/5 (full |G|, not
	 * min(K,|G|)), P 1, DCG = IDCG = 1 + C3 so NDCG 1, MRR 1. */
	const int g[5] = {1, 2, 3, 4, 5}, r[2] = {1, 2}, ks[1] = {2};
	double out[METRIC_COUNT];
	metrics_of(r, 2, g, 5, ks, 1, out);
	near_metrics(out, 1, 0, 0.4, 1.0, 1.0, 1.0, "K < |G|");
}

static void
test_metric_no_hit_and_empty(void)
{
	const int g[1] = {4}, r[3] = {0, 1, 2}, ks[2] = {2, 3};
	double out[METRIC_COUNT * 2];
	metrics_of(r, 3, g, 1, ks, 2, out);
	near_metrics(out, 2, 0, 0, 0, 0, 0, "no hit @2");
	near_metrics(out, 2, 1, 0, 0, 0, 0, "no hit @3");
	/* |G| = 0 would divide 0 by 0; the guard gives zeros. */
	for (int i = 0; i < METRIC_COUNT * 2; i++)
		out[i] = NAN;
	metrics_of(r, 3, g, 0, ks, 2, out);
	int zero = 1;
	for (int i = 0; i < METRIC_COUNT * 2; i++)
		zero &= out[i] == 0;
	tap_ok(zero, "empty ground truth gives zeros, not NaN");
}

static void
test_metric_short_list(void)
{
	/* K = 4 beyond the 2-long list: ranks 2,3 are misses.  G = {1},
	 * R = {0,1}: hit at j=1; R 1, P 1/4, DCG = C3, IDCG 1, MRR 1/2. */
	const int g[1] = {1}, r[2] = {0, 1}, ks[1] = {4};
	double out[METRIC_COUNT];
	metrics_of(r, 2, g, 1, ks, 1, out);
	near_metrics(out, 1, 0, 1.0, C3, 0.25, 0.5, "K beyond the list");
	/* the largest K an int holds: the same sums, P = 1/K, at no extra cost */
	const int kbig[2] = {2147483647, 1};
	double big[METRIC_COUNT * 2];
	metrics_of(r, 2, g, 1, kbig, 2, big);
	near_metrics(big, 2, 0, 1.0, C3, 1.0 / 2147483647, 0.5, "K = INT_MAX");
	near_metrics(big, 2, 1, 0, 0, 0, 0, "K = 1 beside INT_MAX");
}

/* ---------------------------------------------------------- eval_split */

/* A model whose scores are a fixed n_users x n_items table. */
struct fake {
	const float *table;
	int calls, n_seen, seen[16];
};

static void
fake_score_users(model *m, const int *users, int nu, float *out)
{
	struct fake *f = m->state;
	f->calls++;
	for (int r = 0; r < nu; r++) {
		if (f->n_seen < 16)
			f->seen[f->n_seen++] = users[r];
		memcpy(out + (size_t)r * m->n_items, f->table + (size_t)users[r] * m->n_items,
			m->n_items * sizeof *out);
	}
}

/* trainable: its table is logits, which output_prob turns into probabilities */
static const struct model_ops fake_ops = {.name = "fake",
	.trainable = 1,
	.score_users = fake_score_users};

/* 4 users x 6 items.  Masks (train+valid): u0 {1}, u1 {0,2}, u2 {3,4}, u3 {}.
 * Test truth: u0 {1,2}, u2 {3,4} (all masked), u3 {5,5,0}; u1 has none. */
static int mask_ptr[5] = {0, 1, 3, 5, 5}, mask_idx[5] = {1, 0, 2, 3, 4};
static int truth_users[3] = {0, 2, 3};
static int truth_ptr[4] = {0, 2, 4, 7}, truth_idx[7] = {1, 2, 3, 4, 5, 5, 0};

static void
tiny_data(dataset *d, truth *t)
{
	memset(d, 0, sizeof *d);
	strcpy(d->name, "tiny");
	d->n_users = 4;
	d->n_items = 6;
	d->mask = (csr){4, mask_ptr, mask_idx};
	memset(t, 0, sizeof *t);
	t->n_users = 3;
	t->users = truth_users;
	t->items = (csr){3, truth_ptr, truth_idx};
	t->n_lines = 7;
}

static void
fake_model(model *m, struct fake *f, const float *table)
{
	memset(m, 0, sizeof *m);
	memset(f, 0, sizeof *f);
	f->table = table;
	m->ops = &fake_ops;
	m->n_users = 4;
	m->n_items = 6;
	m->state = f;
}

/* Reads back everything written to f. */
static int
dump_equals(FILE *f, const char *want)
{
	char got[512];
	if (!f)
		return 0;
	rewind(f);
	size_t n = fread(got, 1, sizeof got - 1, f);
	got[n] = 0;
	if (strcmp(got, want) != 0)
		tap_diag("dump was:\n%s", got);
	return strcmp(got, want) == 0;
}

/* Logits.  u0: item 1 has the largest score but is masked (5 - 9999);
 * 2 and 3 tie at 0.3.  u1 is never evaluated (NaN would show).  u2: its
 * huge scores are on its masked test items, 4 above 3, which the add of
 * -9999 keeps (an assignment would tie them and put 3 first).  u3: 1 and
 * 2 tie at 2. */
static const float tiny_scores[4 * 6] = {
	0.1f,
	5.0f,
	0.3f,
	0.3f,
	0.2f,
	-1.0f,
	NAN,
	NAN,
	NAN,
	NAN,
	NAN,
	NAN,
	0.0f,
	0.5f,
	0.25f,
	50.0f,
	100.0f,
	0.0f,
	1.0f,
	2.0f,
	2.0f,
	0.0f,
	0.0f,
	3.0f,
};

static void
test_eval_logits(void)
{
	dataset d;
	truth t;
	model m;
	struct fake f;
	eval_result res;
	db_err err = {{0}};
	tiny_data(&d, &t);
	fake_model(&m, &f, tiny_scores);
	FILE *dump = tmpfile();
	struct eval_opts o = {0, 2, dump, NULL, NULL, NULL, 1};
	const int ks[2] = {1, 3};
	int rc = eval_split(&m, &d, &t, ks, 2, &o, &res, &err);
	if (!tap_ok(rc == DB_OK, "eval_split on logits: %s", rc ? err.msg : "ok"))
		return;
	tap_ok(f.calls == 2 && f.n_seen == 3 && same_ints(f.seen, truth_users, 3),
		"scored in blocks of 2: {0,2} then {3}");
	tap_ok(res.n_users == 3 && same_ints(res.users, truth_users, 3) && res.nk == 2 &&
			res.ks[0] == 1 && res.ks[1] == 3,
		"result users and cut-offs");
	/* u0: after the mask, 2 = 3 (0.3) > 4 > 0 > 5 > 1 (5 - 9999): top3 {2,3,4}.
	 * u2: 3 and 4 drop to -9949, -9899: top3 {1,2,0} (0 and 5 tie at 0).
	 * u3: top3 {5,1,2} (1 and 2 tie at 2). */
	tap_ok(dump_equals(dump,
		       "0\t1\t2\n0\t2\t3\n0\t3\t4\n"
		       "2\t1\t1\n2\t2\t2\n2\t3\t0\n"
		       "3\t1\t5\n3\t2\t1\n3\t3\t2\n"),
		"dump_topk lines user, rank, item");
	const double *p = res.per_user;
	int w = METRIC_COUNT * 2;
	/* u0, G {1,2}: the masked 1 cannot be hit; 2 at j=0.
	 * @1: R 1/2, N 1, P 1, MRR 1.  @3: R 1/2, P 1/3, N = 1/(1 + C3). */
	near_metrics(p, 2, 0, 0.5, 1, 1, 1, "u0 @1");
	near_metrics(p, 2, 1, 0.5, 1 / (1 + C3), 1.0 / 3, 1, "u0 @3");
	/* u2: every test item masked: all zero. */
	near_metrics(p + w, 2, 1, 0, 0, 0, 0, "u2 (all masked) @3");
	/* u3, G {5,5,0}, |G| 3: 5 at j=0, 0 not in the top 3.
	 * @3: R 1/3, P 1/3, IDCG = 1 + C3 + 1/2, N = 1/(1.5 + C3). */
	near_metrics(p + 2 * w, 2, 1, 1.0 / 3, 1 / (1.5 + C3), 1.0 / 3, 1, "u3 @3");
	/* Means over all 3 users, u2's zeros included:
	 * recall (1/2 + 0 + 1/3)/3 = 5/18 at both K; precision@1 (1+0+1)/3,
	 * precision@3 (1/3 + 0 + 1/3)/3 = 2/9; ndcg@1 2/3,
	 * ndcg@3 (1/(1+C3) + 1/(1.5+C3))/3; mrr 2/3 at both K. */
	tap_near(eval_result_mean(&res, METRIC_RECALL, 0), 5.0 / 18, TOL, "mean recall@1");
	tap_near(eval_result_mean(&res, METRIC_RECALL, 1), 5.0 / 18, TOL, "mean recall@3");
	tap_near(eval_result_mean(&res, METRIC_PRECISION, 0), 2.0 / 3, TOL, "mean precision@1");
	tap_near(eval_result_mean(&res, METRIC_PRECISION, 1), 2.0 / 9, TOL, "mean precision@3");
	tap_near(eval_result_mean(&res, METRIC_NDCG, 0), 2.0 / 3, TOL, "mean ndcg@1");
	tap_near(eval_result_mean(&res, METRIC_NDCG, 1), (1 / (1 + C3) + 1 / (1.5 + C3)) / 3, TOL,
		"mean ndcg@3");
	tap_near(eval_result_mean(&res, METRIC_MRR, 1), 2.0 / 3, TOL, "mean mrr@3");
	eval_result_free(&res);
	fclose(dump);
}

/* tiny_scores with u3's logits 20 and 21 on items 2 and 3: they differ,
 * but 1 + expf(-20) and 1 + expf(-21) both round to 1.0f, so both
 * probabilities are exactly 1.0f and tie. */
static void
prob_scores(float *s)
{
	static const float u3[6] = {-1.0f, 0.0f, 20.0f, 21.0f, 0.5f, 0.0f};
	memcpy(s, tiny_scores, sizeof tiny_scores);
	memcpy(s + 3 * 6, u3, sizeof u3);
}

static void
test_eval_prob(void)
{
	dataset d;
	truth t;
	model m;
	struct fake f;
	eval_result res;
	db_err err = {{0}};
	tiny_data(&d, &t);
	truth_idx[4] = truth_idx[5] = truth_idx[6] = 3; /* u3's G = {3,3,3} */
	tap_ok(1.0f / (1.0f + expf(-20.0f)) == 1.0f && 1.0f / (1.0f + expf(-21.0f)) == 1.0f,
		"premise: float32 sigmoid(20) == sigmoid(21) == 1");
	const int ks[2] = {1, 3};
	float scores[4 * 6];
	prob_scores(scores);
	for (int prob = 0; prob <= 1; prob++) {
		fake_model(&m, &f, scores);
		FILE *dump = tmpfile();
		struct eval_opts o = {prob, 64, dump, NULL, NULL, NULL, 1};
		int rc = eval_split(&m, &d, &t, ks, 2, &o, &res, &err);
		tap_ok(rc == DB_OK && f.calls == 1, "eval_split output_prob=%d, one block", prob);
		/* Logits: u3 ranks 3 (21) > 2 (20) > 4; probabilities: 2 and 3 tie
		 * at 1.0f, so 2 comes first.  u0 and u2 keep their order: sigmoid
		 * is monotone and p - 9999 stays far below every p >= 0. */
		const char *u3 =
			prob ? "3\t1\t2\n3\t2\t3\n3\t3\t4\n" : "3\t1\t3\n3\t2\t2\n3\t3\t4\n";
		char want[256];
		snprintf(want, sizeof want,
			"0\t1\t2\n0\t2\t3\n0\t3\t4\n"
			"2\t1\t1\n2\t2\t2\n2\t3\t0\n%s",
			u3);
		tap_ok(rc == DB_OK && dump_equals(dump, want), "output_prob=%d top 3", prob);
		/* u3, G {3,3,3}: logits: hit at j=0 -> @1 R 1/3, N 1, P 1, MRR 1.
		 * Probabilities: hit at j=1 -> @1 all 0; @3 R 1/3, P 1/3,
		 * N = C3 / (1 + C3 + 1/2), MRR 1/2. */
		const double *p = res.per_user + 2 * METRIC_COUNT * 2;
		if (prob) {
			near_metrics(p, 2, 0, 0, 0, 0, 0, "prob u3 @1");
			near_metrics(p, 2, 1, 1.0 / 3, C3 / (1.5 + C3), 1.0 / 3, 0.5, "prob u3 @3");
		} else {
			near_metrics(p, 2, 0, 1.0 / 3, 1, 1, 1, "logit u3 @1");
		}
		eval_result_free(&res);
		fclose(dump);
	}
	truth_idx[4] = truth_idx[5] = 5;
	truth_idx[6] = 0;
}

static void
test_eval_clamp(void)
{
	dataset d;
	truth t;
	model m;
	struct fake f;
	eval_result res;
	db_err err = {{0}};
	tiny_data(&d, &t);
	fake_model(&m, &f, tiny_scores);
	FILE *dump = tmpfile();
	struct eval_opts o = {0, 1, dump, NULL, NULL, NULL, 1};
	const int ks[1] = {10};
	int rc = eval_split(&m, &d, &t, ks, 1, &o, &res, &err);
	tap_ok(rc == DB_OK && f.calls == 3, "K = 10 > 6 items clamps; blocks of 1");
	/* All six ranked.  u0: 2,3,4,0,5 then the masked 1.  u2: 1,2,0,5 then
	 * the masked 4 (100 - 9999) before the masked 3 (50 - 9999). */
	tap_ok(dump_equals(dump,
		       "0\t1\t2\n0\t2\t3\n0\t3\t4\n0\t4\t0\n0\t5\t5\n0\t6\t1\n"
		       "2\t1\t1\n2\t2\t2\n2\t3\t0\n2\t4\t5\n2\t5\t4\n2\t6\t3\n"
		       "3\t1\t5\n3\t2\t1\n3\t3\t2\n3\t4\t0\n3\t5\t3\n3\t6\t4\n"),
		"clamped dump: six ranks, masked items last in score order");
	/* u3 ranks all six: 5,1,2,0,3,4; G {5,5,0}: hits at j=0 and j=3.
	 * R 2/3, P 2/10, DCG = 1 + 1/log2(5), IDCG = 1.5 + C3, MRR 1. */
	if (rc == DB_OK)
		near_metrics(res.per_user + 2 * METRIC_COUNT, 1, 0, 2.0 / 3, (1 + C5) / (1.5 + C3),
			0.2, 1, "u3 @10 over 6 items");
	eval_result_free(&res);
	fclose(dump);
}

static void
test_eval_errors(void)
{
	dataset d;
	truth t;
	model m;
	struct fake f;
	eval_result res;
	db_err err = {{0}};
	tiny_data(&d, &t);
	fake_model(&m, &f, tiny_scores);
	struct eval_opts o = {0, 2, NULL, NULL, NULL, NULL, 1};
	int ks[EVAL_MAX_K + 1] = {0};
	for (int i = 0; i <= EVAL_MAX_K; i++)
		ks[i] = i + 1;
	tap_ok(eval_split(&m, &d, &t, ks, 0, &o, &res, &err) == DB_EINVAL, "nk = 0 refused");
	tap_ok(eval_split(&m, &d, &t, ks, EVAL_MAX_K + 1, &o, &res, &err) == DB_EINVAL &&
			res.users == NULL && res.per_user == NULL,
		"nk > EVAL_MAX_K refused, result empty");
	ks[0] = 0;
	tap_ok(eval_split(&m, &d, &t, ks, 2, &o, &res, &err) == DB_EINVAL, "K = 0 refused");
	ks[0] = 1;
	o.eval_block = 0;
	tap_ok(eval_split(&m, &d, &t, ks, 2, &o, &res, &err) == DB_EINVAL,
		"eval_block = 0 refused");
	o.eval_block = 2;
	/* Writing to a read-only stream fails: everything allocated is freed
	 * (valgrind checks) and the result is left empty. */
	FILE *ro = fopen("/dev/null", "r");
	o.dump_topk = ro;
	int rc = eval_split(&m, &d, &t, ks, 2, &o, &res, &err);
	tap_ok(rc == DB_EIO && res.users == NULL && res.n_users == 0,
		"failing dump write gives DB_EIO (%s)", err.msg);
	if (ro)
		fclose(ro);
}

/* ------------------------------------------- eval_split on many workers */

/* A scorer through the project's BLAS, out = U[users] Vᵀ with k = 8, and a
 * clone with its own rows: concurrent sgemm calls in one process are what
 * Debian's serial OpenBLAS gets wrong (measured: about 1 % of small products
 * wrong at 8 threads on 2 cores), so the workers are processes. */
#define GEMM_USERS 1500
#define GEMM_ITEMS 1700
#define GEMM_F     8
struct gemm_fake {
	const float *U, *V;
	float rows[GEMM_F * 8];
};

static void
gemm_score_users(model *m, const int *users, int nu, float *out)
{
	struct gemm_fake *g = m->state;
	for (int r = 0; r < nu; r++)
		memcpy(g->rows + r * GEMM_F, g->U + (size_t)users[r] * GEMM_F,
			sizeof(float) * GEMM_F);
	cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, nu, m->n_items, GEMM_F, 1.0f, g->rows,
		GEMM_F, g->V, GEMM_F, 0.0f, out, m->n_items);
}

static struct gemm_fake gemm_clones[8];
static int gemm_n_clones;

static int
gemm_score_clone(model *m, int block, model *c, db_err *err)
{
	(void)block, (void)err;
	struct gemm_fake *g = &gemm_clones[gemm_n_clones++ % 8];
	*g = *(struct gemm_fake *)m->state;
	*c = *m;
	c->state = g;
	return DB_OK;
}

static const struct model_ops gemm_ops = {.name = "gemm",
	.trainable = 1,
	.score_users = gemm_score_users,
	.score_clone = gemm_score_clone};

/* Everything written to f, NUL-terminated (the caller frees it). */
static char *
slurp(FILE *f, long *n)
{
	*n = ftell(f);
	char *b = malloc((size_t)*n + 1);
	rewind(f);
	if (b && fread(b, 1, (size_t)*n, f) != (size_t)*n)
		*n = -1;
	return b;
}

/* One evaluation of m over t at the given workers and block: its top-K dump
 * into *dump (malloc'd, *n bytes), and whether its per-user metrics equal
 * *per_user's (NULL: they become *per_user, malloc'd). */
static int
gemm_eval(model *m, const dataset *d, const truth *t, int threads, int blk, char **dump, long *n,
	double **per_user, int *same, db_err *err)
{
	const int ks[2] = {5, 20};
	FILE *f = tmpfile();
	struct eval_opts o = {0, blk, f, NULL, NULL, NULL, threads};
	eval_result res;
	int rc = f ? eval_split(m, d, t, ks, 2, &o, &res, err) : DB_EIO;
	if (!rc) {
		size_t bytes = (size_t)res.n_users * METRIC_COUNT * res.nk * sizeof(double);
		if (!*per_user && (*per_user = malloc(bytes)))
			memcpy(*per_user, res.per_user, bytes);
		*same = *per_user && !memcmp(*per_user, res.per_user, bytes);
		eval_result_free(&res);
		*dump = slurp(f, n);
	}
	if (f)
		fclose(f);
	return rc;
}

/* 1500 users in blocks of 1, 4 and 7, 8 workers, 16 times each (once under
 * DB_TEST_LIGHT): every top-K dump and every user's metrics equal one
 * worker's at that block size, byte for byte. */
static void
test_eval_threads(void)
{
	static float U[GEMM_USERS * GEMM_F], V[GEMM_ITEMS * GEMM_F];
	static int users[GEMM_USERS], tptr[GEMM_USERS + 1], tidx[GEMM_USERS];
	blas_init();
	for (int j = 0; j < GEMM_USERS * GEMM_F; j++)
		U[j] = (float)((j * 7919) % 1000) / 997.0f - 0.5f;
	for (int j = 0; j < GEMM_ITEMS * GEMM_F; j++)
		V[j] = (float)((j * 104729) % 1000) / 991.0f - 0.5f;
	for (int u = 0; u < GEMM_USERS; u++) {
		users[u] = u;
		tptr[u + 1] = u + 1;
		tidx[u] = (u * 31) % GEMM_ITEMS;
	}
	dataset d;
	memset(&d, 0, sizeof d);
	strcpy(d.name, "gemm");
	d.n_users = GEMM_USERS;
	d.n_items = GEMM_ITEMS;
	truth t = {.n_users = GEMM_USERS,
		.users = users,
		.items = {GEMM_USERS, tptr, tidx},
		.n_lines = GEMM_USERS};
	struct gemm_fake g = {U, V, {0}};
	model m;
	memset(&m, 0, sizeof m);
	m.ops = &gemm_ops;
	m.n_users = GEMM_USERS;
	m.n_items = GEMM_ITEMS;
	m.state = &g;
	db_err err = {{0}};
	/* valgrind is slow: one pass there */
	int reps = getenv("DB_TEST_LIGHT") ? 1 : 16, rc = DB_OK, differ = 0, runs = 0;
	/* against one worker at the same block size: the BLAS may round a row
	 * differently in a product of another height (OpenBLAS's kernels for
	 * CPUs without AVX-512 did, under valgrind) */
	for (int blk = 1; blk <= 7 && !rc; blk += 3) {
		char *one = NULL, *many = NULL;
		double *metrics = NULL;
		long n1 = 0, n = 0;
		int same = 0;
		rc = gemm_eval(&m, &d, &t, 1, blk, &one, &n1, &metrics, &same, &err);
		for (int rep = 0; rep < reps && !rc; rep++, runs++) {
			if ((rc = gemm_eval(&m, &d, &t, 8, blk, &many, &n, &metrics, &same, &err)))
				break;
			differ += !one || !many || n != n1 || n1 <= 0 ||
				memcmp(one, many, (size_t)n) || !same;
			free(many);
		}
		free(one);
		free(metrics);
	}
	tap_ok(rc == DB_OK && differ == 0 && runs == 3 * reps,
		"8 workers, blocks of 1, 4 and 7 users: %d of %d top-K dumps and metrics equal one "
		"worker's (%s)",
		runs - differ, runs, rc ? err.msg : "ok");
}

int
main(void)
{
	test_topk_ties();
	test_topk_nan();
	test_topk_random();
	test_metric_duplicates();
	test_metric_late_hits();
	test_metric_small_k();
	test_metric_no_hit_and_empty();
	test_metric_short_list();
	test_eval_logits();
	test_eval_prob();
	test_eval_clamp();
	test_eval_errors();
	test_eval_threads();
	return tap_done();
}
