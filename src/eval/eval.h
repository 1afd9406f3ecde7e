/* Full-ranking evaluation exactly as the reference code computes it
 * (reference/protocol.md §6): every item is scored for every user with a
 * ground-truth line, train (and valid) items are masked by adding -9999 to
 * their float32 score, the top max(K) are selected with ties broken by the
 * lower item id, and the metrics of §6.3 are averaged over all those users.
 */
#ifndef DB_EVAL_EVAL_H
#define DB_EVAL_EVAL_H

#include <math.h>
#include <stdio.h>

#include "config/config.h"
#include "data/dataset.h"
#include "models/model.h"
#include "util/status.h"

enum { METRIC_RECALL, METRIC_NDCG, METRIC_PRECISION, METRIC_MRR, METRIC_COUNT };
extern const char *const metric_names[METRIC_COUNT];

/* The most cut-offs one evaluation takes (the ks setting's bound). */
#define EVAL_MAX_K CONFIG_INTLIST_MAX

/* --- top-K selection (eval/topk.c) --- */

/* Writes the indices of the k largest scores to out[0..k), best first; equal
 * scores are ordered by lower index first.  O(n log k).  k <= n. */
void topk_select(const float *score, int n, int k, int *out);
/* The index that topk_select would put at out[k - 1] (the worst of the k
 * best), without ordering the others.  1 <= k; scratch: min(k, n) ints. */
int topk_kth(const float *score, int n, int k, int *scratch);
/* A floor under the k-th best score of a long row: at least k numbers of
 * score[0..n) are >= it, so nothing below it is among the k best; -inf
 * when the row is too short for one.  1 <= k <= n; scratch: k ints. */
float topk_floor(const float *score, int n, int k, int *scratch);

/* 1 if one of s[0..8) is above x (or_equal: at or above): the scans' test
 * of a block of 8 at once, before any score of it is looked at alone */
static inline int
topk_any8(const float *s, float x, int or_equal)
{
	int any = 0;
	for (int j = 0; j < 8; j++)
		any |= or_equal ? s[j] >= x : s[j] > x;
	return any;
}

/* The probability the evaluation ranks under output=prob (protocol.md §6.2). */
static inline float
eval_sigmoid(float z)
{
	return 1.0f / (1.0f + expf(-z));
}

/* The top k of eval_sigmoid(z[i]) + (i masked ? -9999 : 0) into out[0..k),
 * best first, ties to the lower index, as topk_select of that row gives
 * (eval/topk_prob.c), with a sigmoid for a few items only.  mask[0..n_mask)
 * are the masked indices.  Returns 1 when done (z[] is then scratch), 0
 * when fewer than k items are unmasked numbers, with z[] as it was: the
 * caller then ranks the whole row.  cand_p and cand_i hold n floats and ints. */
int topk_select_prob(float *z, int n, const int *mask, int n_mask, int k, int *out, float *cand_p,
	int *cand_i);

/* --- metric formulas (eval/metrics.c), protocol.md §6.3 --- */

/* For one user: ranked[0..kmax) is the top list, truth[0..n_truth) the
 * ground-truth list (duplicates kept: they count in |G| and in IDCG, but an
 * item is hit at most once per rank position).  out[m * nk + j] receives
 * metric m at cut-off ks[j] (a K beyond kmax counts the missing ranks as
 * misses); order[0..nk) lists the positions of ks by ascending K
 * (metric_order), so one pass serves every K. */
void metric_user(const int *ranked, int kmax, const int *truth, int n_truth, const int *ks,
	const size_t *order, int nk, double *out);
/* order[0..nk) = the positions of ks[0..nk) by ascending K. */
void metric_order(const int *ks, int nk, size_t *order);

/* --- evaluation of a model on a split (eval/evaluate.c) --- */

typedef struct eval_result {
	int nk, *ks; /* the cut-offs, in the order asked */
	int n_users;
	int *users;       /* evaluated users, ascending */
	double *per_user; /* [n_users][METRIC_COUNT][nk] */
	double *mean;     /* [METRIC_COUNT][nk]: eval_result_mean */
} eval_result;

/* The mean of metric m at cut-off ks[x]. */
static inline double
eval_result_mean(const eval_result *r, int m, int x)
{
	return r->mean[(size_t)m * r->nk + x];
}

struct eval_opts {
	int output_prob; /* rank by float32 sigmoid(z) (deca) or by z (adt);
	                    * training-free models always rank by z */
	int eval_block;  /* users per scoring block */
	FILE *dump_topk; /* optional: "user\trank\titem" lines */
	/* optional: "user\titem\tscore" for every item, the float32 score the
	 * ranking sees (after the sigmoid, before the mask), %.9g: it reads back
	 * exactly, and `denoisebench import --scores` ranks it identically */
	FILE *dump_scores;
	const csr *mask; /* items to mask per user; NULL: d->mask (train + valid) */
	/* optional: the split's lines; a model whose scores depend on the block
	 * (m->score_block > 0, CDAE) scores blocks of m->score_block users in
	 * the order of their first line, the reference's dict order (§6.5) */
	const interactions *lines;
	/* worker processes scoring blocks at once (<= 1: one); every value gives the
	 * same bits: each user's list and metrics are computed alone, the
	 * means summed afterwards in user order, the dumps written in scoring
	 * order.  One for a model without score_clone and with dump_scores. */
	int threads;
};

/* What the built-in evaluation ranks on each split it reports. */
enum eval_split_id { EVAL_TEST, EVAL_TEST_NOISY, EVAL_VALID, EVAL_SPLITS };
extern const char *const eval_split_names[EVAL_SPLITS]; /* "test", "test_noisy", "valid" */
struct eval_split_def {
	const truth *t;            /* its users and ground truth */
	const csr *mask;           /* the items masked */
	const interactions *lines; /* its lines (CDAE's block order) */
};
/* The split's definition under cfg: test and test_noisy mask d->mask (none
 * for CDAE without cdae_mask: the reference's CDAE test masks nothing,
 * protocol.md §6.2), valid ranks among everything but the train items.
 * Returns 0 when d has no such split (no test.noisy, no valid line). */
int eval_split_define(const dataset *d, const config *cfg, enum eval_split_id which,
	struct eval_split_def *out);

int eval_split(model *m, const dataset *d, const truth *t, const int *ks, int nk,
	const struct eval_opts *o, eval_result *res, db_err *err);
void eval_result_free(eval_result *r);

/* --- rankings made outside (eval/import.c) --- */

/* The layouts `denoisebench import` reads (README "Importing outside runs"):
 * user<TAB>rank<TAB>item lines (what --dump-topk writes); user<TAB>item<TAB>
 * score lines for every item; raw little-endian float32, row u = user u,
 * n_users x n_items. */
enum eval_import_format { IMPORT_TOPK, IMPORT_SCORES, IMPORT_SCORES_F32 };
extern const char *const eval_import_format_names[3];

/* Reads an outside ranking of the users of t from path and evaluates it
 * through eval_split (the same mask, tie rule and metrics as a model);
 * refuses with file:line (DB_EPARSE) what would bias a number: a user of t
 * without a list or scores, a list shorter than max(ks), an item of mask
 * or an unknown or repeated item in a list, a repeated or missing score, a
 * non-finite score, malformed lines.  Users outside t are checked, then
 * ignored.  Scores are ranked as given (no sigmoid). */
int eval_import(const char *path, enum eval_import_format fmt, const dataset *d, const truth *t,
	const csr *mask, const int *ks, int nk, int eval_block, eval_result *res, db_err *err);

/* --- mean prediction by rating (eval/rating_prob.c) --- */

/* DeCA Fig. 4: the mean float32 sigmoid(z) of m over the lines of x
 * grouped by their third column (whatever the output setting: under adt it
 * is the sigmoid of the logit); lines without one (NAN) are left out. */
typedef struct eval_rating_prob {
	int n;                 /* distinct ratings, ascending */
	double *rating, *mean; /* [n] */
	long *count;           /* [n] lines of each rating */
} eval_rating_prob;

/* batch_cap: the most samples m's forward takes (its create's batch_cap). */
int eval_rating_prob_compute(model *m, const interactions *x, int batch_cap, eval_rating_prob *r,
	db_err *err);
void eval_rating_prob_free(eval_rating_prob *r);

/* DeCA Fig. 2: the float32 sigmoid(z) of m on chosen train lines, N rated
 * >= noisy_below (clean) and N below (noisy; fewer when the data has
 * fewer), drawn by the stream "dump-preds" seeded by the data's checksum:
 * the same lines for every model and seed of one dataset, so that two
 * cells compare line by line. */
typedef struct eval_preds {
	int n;
	int *user, *item, *noisy; /* [n]; noisy: 1 when rated below noisy_below */
	double *rating, *prob;    /* [n] */
} eval_preds;

int eval_preds_compute(model *m, const interactions *x, uint64_t data_seed, int per_class,
	float noisy_below, int batch_cap, eval_preds *p, db_err *err);
void eval_preds_free(eval_preds *p);

#endif
