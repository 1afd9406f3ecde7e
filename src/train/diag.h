/* The diagnostics cadence of the training loop (diag_freq), apart from the
 * protocol's validation: its own window of losses, the method's counters
 * (lent to the next evaluation point, whose `curve_stat` stays what it was
 * without diagnostics) and the hook's test metrics.  Shared by train.c and
 * diag.c only. */
#ifndef DB_TRAIN_DIAG_H
#define DB_TRAIN_DIAG_H

#include "train/train.h"

struct diag_state {
	long freq;   /* 0: no diagnostics */
	int at_eval; /* points at the evaluation points only (selection=oracle) */
	const struct train_diag_hook *hook;
	double loss_sum, bce_sum[2];
	long loss_n, bce_n[2];
	/* the counters the stats hook handed to diagnostics points since the
	 * last evaluation point: added back to that point's */
	double lent[METHOD_MAX_STATS];
	/* and those it handed to evaluation points since the last diagnostics
	 * point: added to the next one's, so that a diagnostics point counts
	 * every batch of its window */
	double pending[METHOD_MAX_STATS];
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
/* An evaluation point's counters (n values): adds what diagnostics took,
 * and keeps them for the next diagnostics point. */
void diag_settle(struct diag_state *s, double *stat, int n);

#endif
