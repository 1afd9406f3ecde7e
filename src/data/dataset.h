/* A dataset in memory, in the authors' layout (reference/protocol.md §1).
 *
 * Ids are used directly as row indices, as the reference code does: users
 * 0..n_users-1 and items 0..n_items-1, with n = max train id + 1 unless
 * overridden.  Every file's lines are kept in file order with their third
 * column (rating 1-5 or a 0/1 clean flag), because later analyses need the
 * ratings; the CSR views are derived from them.
 */
#ifndef DB_DATA_DATASET_H
#define DB_DATA_DATASET_H

#include <stdint.h>

#include "util/status.h"

/* Compressed sparse rows: row r holds idx[ptr[r] .. ptr[r+1]). */
typedef struct csr {
	int nrows;
	int *ptr; /* nrows + 1 */
	int *idx;
} csr;

/* The lines of one file, in file order. */
typedef struct interactions {
	int n;
	int *user, *item;
	float *value; /* third column; NAN where the file has none */
	char *path;   /* for messages */
} interactions;

/* Users with a ground-truth list, for one evaluation split. */
typedef struct truth {
	int n_users; /* users that have at least one line, ascending id */
	int *users;
	csr items; /* row k = ground-truth list of users[k], file order, duplicates kept */
	int n_lines;
} truth;

typedef struct dataset {
	char name[128];
	int n_users, n_items;
	interactions train, valid, test, test_noisy;
	int has_test_noisy;
	csr train_pos; /* per user: sorted distinct train items */
	csr mask;      /* per user: sorted distinct train (+ valid when mask_valid) items */
	truth test_truth, noisy_truth, valid_truth;
	int *item_pop;     /* train interactions per item (duplicates counted) */
	uint64_t checksum; /* FNV-1a over the files' bytes, in a fixed order */
} dataset;

struct data_opts {
	int user_num, item_num; /* 0: max train id + 1 */
	int mask_valid;         /* mask validation items at test (reference: yes) */
	/* Largest train id accepted when user_num/item_num are 0 (tables are
	 * sized max id + 1, so one stray id near 2^31 would allocate gigabytes);
	 * 0: DATA_MAX_ID. */
	long max_id;
	/* validate on <name>.valid.noisy instead of .valid.rating (the RecSys'25
	 * study's ml100k.valid.rating is DeCA's ml-100k.valid.noisy) */
	int valid_noisy;
	/* leave .test.negative and .test.noisy unopened (a tuning trial,
	 * eval_test=false): the test splits stay empty */
	int no_test;
};
#define DATA_MAX_ID 50000000L

/* Loads <dir>/<name>.train.rating, .valid.rating, .test.negative and, when
 * present, .test.noisy.  Errors name the file, line and what was wrong. */
int data_load(dataset *d, const char *dir, const char *name, const struct data_opts *o,
	db_err *err);
void data_free(dataset *d);

/* Reads one file.  need_value: the third column is mandatory (train/valid).
 * Accepts TAB-separated `u i [x ...]` and the ADT test form `(u, i)\t...`,
 * LF or CRLF line ends, a last line without newline; skips blank lines. */
int data_read_file(const char *path, int need_value, interactions *out, db_err *err);
void data_interactions_free(interactions *x);

/* (data/subset.c) The indices, in file order, of the lines whose third
 * column is >= threshold (NAN never is); *idx is allocated. */
int data_lines_at_least(const interactions *t, double threshold, int **idx, int *n, db_err *err);
/* out = the lines idx[0..n) of t; out->path is t's (borrowed), so free out
 * with data_interactions_pick_free. */
int data_interactions_pick(const interactions *t, const int *idx, int n, interactions *out,
	db_err *err);
void data_interactions_pick_free(interactions *x);

/* Builds per-user CSR rows from (user, item) pairs; sorted and deduplicated
 * when `distinct`, otherwise in input order. */
int data_csr_build(csr *out, int nrows, const int *user, const int *item, int n, int distinct,
	db_err *err);
void data_csr_free(csr *c);
/* 1 if item is in the sorted row u of c. */
/* Binary search of key in sorted[0..n): its position, or NULL. */
const int *data_int_find(const int *sorted, int n, int key);
int data_csr_has(const csr *c, int u, int item);

/* Synthetic data with ground truth (src/data/synth.c). */
struct synth_opts {
	int n_users, n_items, dim;
	double mean_per_user; /* mean true interactions per user */
	double noise_rate;    /* share of train interactions that are planted false positives */
	double valid_frac, test_frac;
	uint64_t seed;
};
void synth_default_opts(struct synth_opts *o);
/* Writes <dir>/<name>.{train.rating,valid.rating,test.negative,test.noisy}. */
int synth_write(const struct synth_opts *o, const char *dir, const char *name, db_err *err);

#endif
