/* Full-ranking evaluation exactly as the reference code computes it
 * (reference/protocol.md §6): every item is scored for every user with a
 * ground-truth line, train (and valid) items are masked by adding -9999 to
 * their float32 score, the top max(K) are selected with ties broken by the
 * lower item id, and the metrics of §6.3 are averaged over all those users.
 */
#ifndef DB_EVAL_EVAL_H
#define DB_EVAL_EVAL_H

#include <stdio.h>

#include "config/config.h"
#include "data/dataset.h"
#include "models/model.h"
#include "util/status.h"

enum { METRIC_RECALL, METRIC_NDCG, METRIC_PRECISION, METRIC_MRR, METRIC_COUNT };
extern const char *const metric_names[METRIC_COUNT];

#define EVAL_MAX_K CONFIG_INTLIST_MAX

/* --- top-K selection (eval/topk.c) --- */

/* Writes the indices of the k largest scores to out[0..k), best first; equal
 * scores are ordered by lower index first.  O(n log k).  k <= n. */
void topk_select(const float *score, int n, int k, int *out);

/* --- metric formulas (eval/metrics.c), protocol.md §6.3 --- */

/* For one user: ranked[0..kmax) is the top list, truth[0..n_truth) the
 * ground-truth list (duplicates kept: they count in |G| and in IDCG, but an
 * item is hit at most once per rank position).  out[m * nk + j] receives
 * metric m at cut-off ks[j] (every ks[j] <= kmax). */
void metric_user(const int *ranked, int kmax, const int *truth, int n_truth,
	const int *ks, int nk, double *out);

/* --- evaluation of a model on a split (eval/evaluate.c) --- */

typedef struct eval_result {
	int nk, ks[EVAL_MAX_K];
	int n_users;
	int *users;        /* evaluated users, ascending */
	double *per_user;  /* [n_users][METRIC_COUNT][nk] */
	double mean[METRIC_COUNT][EVAL_MAX_K];
} eval_result;

struct eval_opts {
	int output_prob;   /* rank by float32 sigmoid(z) (deca) or by z (adt) */
	int eval_block;    /* users per scoring block */
	FILE *dump_topk;   /* optional: "user\trank\titem" lines */
	const csr *mask;   /* items to mask per user; NULL: d->mask (train + valid) */
	/* optional: the split's lines; a model whose scores depend on the block
	 * (m->score_block > 0, CDAE) scores blocks of m->score_block users in
	 * the order of their first line, the reference's dict order (§6.5) */
	const interactions *lines;
};

int eval_split(model *m, const dataset *d, const truth *t, const int *ks, int nk,
	const struct eval_opts *o, eval_result *res, db_err *err);
void eval_result_free(eval_result *r);

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
int eval_rating_prob_compute(model *m, const interactions *x, int batch_cap,
	eval_rating_prob *r, db_err *err);
void eval_rating_prob_free(eval_rating_prob *r);

#endif
