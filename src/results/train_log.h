/* What a training run logs: the validation curve, the method's counters
 * and the loop's totals.  The loop (train/) fills it and the result writer
 * (results/) prints it; it lives here so that results and reports never
 * include training headers. */
#ifndef DB_RESULTS_TRAIN_LOG_H
#define DB_RESULTS_TRAIN_LOG_H

#include "util/status.h"

/* Most counters a point holds (the loop asserts METHOD_MAX_STATS fits). */
#define TRAIN_LOG_MAX_STATS 8

struct train_point {
	long iteration; /* batches done when the validation loss was taken */
	int epoch;
	double valid_loss;
	double train_loss; /* mean batch loss since the previous point */
	/* mean plain BCE of the training positives since the previous point
	 * rated >= noisy_below (clean) and below it (noisy), before the method
	 * truncates or weights them (loss_bce_by_rating); NAN when none */
	double loss_clean, loss_noisy;
	double stat[TRAIN_LOG_MAX_STATS]; /* the method's counters (stats hook) */
};

/* A diagnostics point (diag_freq, separate from validation): the window's
 * means since the previous diagnostics point, the method's counters over
 * it, and the hook's test metrics (diag_test) of the parameters then. */
enum { TRAIN_DIAG_MAX_TEST = 16 };
struct train_diag_point {
	long iteration; /* batches done */
	int epoch;
	double train_loss, loss_clean, loss_noisy;
	double stat[TRAIN_LOG_MAX_STATS];
	double test[TRAIN_DIAG_MAX_TEST];
};

/* Observer that measures the model at a diagnostics point (the test
 * Recall/NDCG of DeCA Fig. 3): fills out[0..n_test) with the values named
 * metric[j] at cut-off k[j].  It must leave every state training reads as
 * it found it (run_one restores CDAE's corruption stream). */
struct train_diag_hook {
	int (*measure)(void *arg, double *out, db_err *err);
	void *arg;
	int n_test;
	const char *metric[TRAIN_DIAG_MAX_TEST];
	int k[TRAIN_DIAG_MAX_TEST];
};

struct train_log {
	int n_points, cap_points;
	struct train_point *points;
	int n_diag, cap_diag;
	struct train_diag_point *diag;
	const struct train_diag_hook *diag_hook; /* names of the test values; may be NULL */
	int n_stats;                             /* values in each point's stat */
	const char *stat_names[TRAIN_LOG_MAX_STATS];
	long iterations;
	int epochs_run;
	int stopped_early;
	long selected_iteration; /* iteration of the tested parameters */
	long samples;            /* training samples seen */
	double seconds_train, seconds_valid;
};

/* Length of one warning line about a run's settings (train_warnings). */
enum { TRAIN_WARNING_LEN = 256 };

#endif
