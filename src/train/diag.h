/* The diagnostics cadence of the training loop (diag_freq), apart from the
 * protocol's validation: its own window of losses, the method's counters
 * (lent to the next evaluation point, whose `curve_stat` stays what it was
 * without diagnostics) and the hook's test metrics.  Shared by train.c and
 * diag.c only. */
#ifndef DB_TRAIN_DIAG_H
#define DB_TRAIN_DIAG_H

#include "train/train.h"

/* The method's counters: its stats hook hands out what it counted since
 * its last call, so the loop keeps running totals, and each series of
 * points (the evaluation points, the diagnostics points, the oracle's)
 * takes what came since its own last point: every point counts every batch
 * of its window, whoever called the hook in between.  Counts are whole
 * numbers, so the differences are exact. */
struct diag_counts {
	double total[METHOD_MAX_STATS];
};
/* Adds the method's counts since the last call to c; their number and names
 * into log (n_stats, stat_names).  Nothing without a stats hook. */
void diag_counts_take(struct diag_counts *c, method *me, struct train_log *log);
/* out[j] = c's total minus seen[j] for j < n, then seen = the totals. */
void diag_counts_since(const struct diag_counts *c, double *seen, double *out, int n);

struct diag_state {
	long freq;   /* 0: no diagnostics */
	int at_eval; /* points at the evaluation points only (selection=oracle) */
	const struct train_diag_hook *hook;
	double loss_sum, bce_sum[2];
	long loss_n, bce_n[2];
	struct diag_counts *counts;     /* the loop's */
	double seen[METHOD_MAX_STATS]; /* counts' totals at this series' last point */
};

/* Sets the cadence of a phase (iterations: its batches). */
void diag_phase(struct diag_state *s, const struct train_ctx *ctx, method *me,
	const struct train_phase *ph);
/* One batch's plain BCE of class cls (0 noisy, 1 clean positives): its sum
 * and count, as the loop's evaluation window computed them. */
void diag_batch(struct diag_state *s, int cls, double sum, long n);
/* With `done` batches done: a point when the cadence says so, or when
 * flush (the phase's end) and the window holds batches. */
int diag_point(struct diag_state *s, struct train_log *log, method *me, const struct train_ctx *ctx,
	long done, int flush, db_err *err);
/* selection=oracle: points (with the hook's test metrics) at the
 * evaluation points and the phase's end only, whatever diag_freq; returns 0. */
int diag_at_eval(struct diag_state *s);
/* One batch's loss and plain BCE into the window (cls as diag_batch). */
void diag_loss(struct diag_state *s, double loss);

#endif
