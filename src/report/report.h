/* Reports: result files read back into a tidy table, grouped into cell
 * groups, compared with paired tests, and turned into LaTeX tables, the
 * reproduction report, gnuplot figures and the CI comparison (README
 * "Reports").
 *
 * A cell group is every result file that shares its dataset, model, method
 * and every other resolved setting except `seed` and `data` (the data
 * directory is a path of the machine that ran it; the dataset name and the
 * data checksum identify the data).  Seeds are the replicates of a group.
 */
#ifndef DB_REPORT_REPORT_H
#define DB_REPORT_REPORT_H

#include <stddef.h>
#include <stdio.h>

#include "util/status.h"

struct report_kv {
	char *key, *val;
};

/* One `metric` line: the mean over evaluated users. */
struct report_metric {
	char split[16], metric[16];
	int k;
	double value;
};

/* The `user` lines of one (split, metric, k): values in file order. */
struct report_series {
	char split[16], metric[16];
	int k;
	size_t n, cap;
	int *user;
	double *value;
};

/* One `curve` line; loss_clean and loss_noisy are NAN in files before them. */
struct report_point {
	long iteration;
	int epoch;
	double valid_loss, train_loss, loss_clean, loss_noisy;
};

/* One `curve_stat` line: a method's counter at an evaluation point. */
struct report_stat {
	long iteration;
	char name[32];
	double value;
};

/* One `rating_prob` line. */
struct report_rating {
	double rating, mean;
	long count;
};

/* One `diag` line: a diagnostics point (diag_freq). */
struct report_diag {
	long iteration; /* batches done */
	int epoch;
	double train_loss, loss_clean, loss_noisy;
};

/* One `pred` line: the trained model's P(r=1) of a chosen train line. */
struct report_pred {
	int user, item, noisy;
	double rating, prob;
};

/* What made a result, read from its file name's label (the runner names a
 * cell DIR/DATASET/MODEL-METHOD[-LABEL]-sSEED-HASH.result, and `tune`
 * labels its trials trial=N,... and its tuned cells tuned,...): nothing in
 * the file says it, so the result files stay as they were. */
enum report_kind {
	REPORT_CELL,  /* a suite's own cell, or a file of train --out */
	REPORT_TRIAL, /* a tuning trial: validation only, never a row of a table */
	REPORT_TUNED  /* a tuned cell: the chosen trial's values, on test */
};

struct report_cell {
	char *path;
	enum report_kind kind;
	const char *dataset, *model, *method; /* point into config */
	long seed;
	char hash[24], checksum[24];
	char *tool;                    /* the `tool` line: release and commit */
	char *blas;                    /* the `blas` line: BLAS and its CPU kernel */
	long checksum_line, tool_line; /* where they are, for messages */
	char *group_key;               /* canonical config without seed and data */
	struct report_kv *config;
	size_t nconfig;
	struct report_metric *metrics;
	size_t nmetrics;
	struct report_series *series;
	size_t nseries;
	struct report_point *curve;
	size_t ncurve;
	struct report_stat *stats; /* in file order: by point, then name */
	size_t nstats;
	struct report_rating *ratings;
	size_t nratings;
	struct report_diag *diag;
	size_t ndiag;
	/* `diag_stat` lines (name as given) and `diag_test` lines (name
	 * "METRIC@K"), in file order */
	struct report_stat *diag_stats, *diag_tests;
	size_t ndiag_stats, ndiag_tests;
	struct report_pred *preds;
	size_t npreds;
};

struct report_group {
	size_t *cells; /* indices into the set's cells, ascending seed */
	size_t n;
};

struct report_set {
	struct report_cell *cells;
	size_t ncells;
	struct report_group *groups; /* in group-key order */
	size_t ngroups;
};

/* One result file into *c (zeroed first).  Errors name file:line. */
int report_cell_read(struct report_cell *c, const char *path, db_err *err);
/* c's `blas` line, or "(none)" for a file without one. */
const char *report_cell_blas(const struct report_cell *c);
/* The same from len bytes of buf (no nul needed), named name in messages:
 * the entry point of the result reader's fuzz target. */
int report_cell_read_buffer(struct report_cell *c, const char *name, const char *buf, size_t len,
	db_err *err);
void report_cell_free(struct report_cell *c);
/* The config value of key, or NULL. */
const char *report_cell_config(const struct report_cell *c, const char *key);
/* 1 for a tuning trial (kind REPORT_TRIAL): no test lines; the tables, the
 * rules section and summary leave it out, the tuning section reads it.  A
 * suite's own cell that sets eval_test=false is no trial: an ordinary
 * cell without test numbers. */
int report_cell_is_trial(const struct report_cell *c);
/* The mean of (split, metric, k), or NAN when the file has none. */
double report_cell_metric(const struct report_cell *c, const char *split, const char *metric,
	int k);
const struct report_series *report_cell_series(const struct report_cell *c, const char *split,
	const char *metric, int k);
/* The counter name at the evaluation point of iteration, or NAN. */
double report_cell_stat(const struct report_cell *c, long iteration, const char *name);

/* Every result file under each path (files or directories, recursively, in
 * name order, only *.result inside directories), grouped.  A file the
 * reader refuses is an error, and so is a group whose cells differ in data
 * checksum or tool, or that holds one seed twice. */
int report_set_load(struct report_set *s, char *const *paths, size_t npaths, db_err *err);
/* report_set_load keeping only the cells whose setting KEY has VALUE
 * (where = "KEY=VALUE", e.g. selection=last: one selection rule's tables);
 * NULL keeps all. */
int report_set_load_where(struct report_set *s, char *const *paths, size_t npaths,
	const char *where, db_err *err);
void report_set_free(struct report_set *s);
const struct report_cell *report_group_cell(const struct report_set *s,
	const struct report_group *g, size_t i);
/* How many of c's settings differ from the registry's defaults. */
size_t report_cell_off_default(const struct report_cell *c);
/* The group of (dataset, model, method) that a table shows: when a sweep
 * gives several, the one with the most seeds; on ties the one with fewest
 * settings off the registry's defaults (a switch's extra cells lose), then
 * first in key order. */
const struct report_group *report_set_find(const struct report_set *s, const char *dataset,
	const char *model, const char *method);
/* report_set_find among the groups whose first cell keep(cell, ctx)
 * accepts (keep NULL: every group). */
const struct report_group *report_set_find_if(const struct report_set *s, const char *dataset,
	const char *model, const char *method,
	int (*keep)(const struct report_cell *, const void *), const void *ctx);
/* Values of (split, metric, k) over the group's seeds into v (g->n slots);
 * returns how many cells had the metric. */
size_t report_group_values(const struct report_set *s, const struct report_group *g,
	const char *split, const char *metric, int k, double *v);

/* Distinct values of a config key over all cells, in first-seen order;
 * *n set to the count.  The caller frees the array (not the strings). */
const char **report_set_distinct(const struct report_set *s, const char *key, size_t *n);

/* "ndcg@20" -> metric "ndcg", k 20. */
int report_parse_metric(const char *spec, char *metric, size_t size, int *k, db_err *err);

/* The tidy table: one row per per-seed mean and per-user value,
 * dataset model method seed config_hash group split metric k user value,
 * user "all" on the per-seed means. */
extern const char report_tidy_header[];
int report_tidy_write(FILE *out, const struct report_set *s, db_err *err);

/* The pivot table (pivot.c): a row per cell group (dataset, model, method),
 * a column per METRIC@K spec of the test split, mean ± sd (n seeds); as
 * aligned columns or (markdown) a Markdown table. */
int report_pivot_write(FILE *f, const struct report_set *s, char *const *specs, size_t nspecs,
	int markdown, db_err *err);
/* recall@K and ndcg@K at the largest test K of the set's first cell into
 * specs; 0 when it has no test metric. */
int report_pivot_default(const struct report_set *s, char specs[2][32]);

/* --- comparisons ------------------------------------------------------ */

/* NEW (b) against BASE (a) on one metric: the paired t test over the seeds
 * both groups have (by seed) and the Wilcoxon signed-rank test over users
 * (each user's value averaged over those seeds, paired by user id). */
struct report_cmp {
	const struct report_group *a, *b;
	size_t nseeds, nusers;
	double mean_a, mean_b;
	double diff, diff_lo, diff_hi; /* mean of b − a over seeds, 95 % t-interval */
	double p_t, p_w;               /* raw; 1 when a test is undefined (no spread) */
	double effect_w;               /* Wilcoxon's rank-biserial effect, b − a over users */
	double adj_t, adj_w;           /* after Holm over the family */
	const char *note;              /* why a test could not run, or NULL */
	char only[160];                /* "only in BASE: 3; only in NEW: 4" or "" */
};

int report_cmp_pair(const struct report_set *sa, const struct report_group *a,
	const struct report_set *sb, const struct report_group *b, const char *split,
	const char *metric, int k, struct report_cmp *out, db_err *err);
/* Which settings pair two groups: when nby > 0 only those in by (cell
 * coordinates such as dataset, model and the swept keys; a key two groups
 * of one side share is an error), else all apart from seed, data and
 * those in ignore. */
struct report_pairing {
	const char *const *ignore;
	size_t nignore;
	const char *const *by;
	size_t nby;
};
/* Pairs every group of NEW (sb) with the group of BASE (sa) of the same
 * pairing settings, compares each pair on (split, metric, k) and applies
 * Holm over the family.  *cmp (to be freed) gets the n pairs in NEW's group
 * order; *unmatched counts the groups of either set without a partner, and
 * *unpaired (to be freed) names each, one line each, with the settings in
 * which it differs from the nearest group of the other side. */
int report_cmp_sets(const struct report_set *sa, const struct report_set *sb,
	const struct report_pairing *how, const char *split, const char *metric, int k,
	struct report_cmp **cmp, size_t *n, char **unpaired, size_t *unmatched, db_err *err);
/* Holm over the 2n p-values of n comparisons (both tests of each). */
int report_cmp_holm(struct report_cmp *c, size_t n, db_err *err);
/* +1: b significantly better than a at alpha after Holm, −1 worse, 0 neither. */
int report_cmp_verdict(const struct report_cmp *c, double alpha);

/* --- reference rows (published numbers) -------------------------------- */

struct report_ref {
	char *paper, *table, *dataset, *model, *method, *metric;
	int k;
	double mean, sd;
	int has_sd;
};

/* A TSV with the columns paper table dataset model method metric k mean sd
 * (header line first; sd may be empty).  Errors name file:line. */
int report_refs_read(const char *path, struct report_ref **rows, size_t *n, db_err *err);
void report_refs_free(struct report_ref *rows, size_t n);
/* The name this tool uses for a paper's dataset, model or method name
 * ("MovieLens" -> "ml-100k", "DeCA(p)" -> "deca-p", "GMF" -> "gmf"). */
void report_ref_name(const char *paper_name, char *out, size_t size);

/* Known causes of misses (report/causes.c): fnmatch patterns over a
 * published row (metric as METRIC@K), the cause, where it is documented or
 * measured, and an optional switch KEY=VALUE ("" when none). */
struct report_cause {
	char *paper, *table, *dataset, *model, *method, *metric;
	char *cause, *citation, *sw;
};
/* A TSV with the header paper table dataset model method metric cause
 * citation switch; '#' lines and empty lines are skipped.  Errors name
 * file:line. */
int report_causes_read(const char *path, struct report_cause **c, size_t *n, db_err *err);
void report_causes_free(struct report_cause *c, size_t n);
const struct report_cause *report_cause_find(const struct report_cause *c, size_t n,
	const struct report_ref *r);

/* --- LaTeX tables ------------------------------------------------------ */

struct report_table_opts {
	const char *split;    /* "test" */
	const char **metrics; /* e.g. {"recall", "ndcg"} */
	size_t nmetrics;
	const int *ks;
	size_t nks;
	const char **baselines; /* methods that are baselines (for `*`) */
	size_t nbaselines;
	const char *reference_method; /* the dagger's comparison: "normal" */
	int digits;
	double alpha;
	/* optional (a suite's lists): the order of datasets (0), models (1) and
	 * methods (2); values not listed follow in the default order */
	const char *const *order[3];
	size_t norder[3];
	/* optional: published rows; the DeCA layout takes each dataset's K from
	 * them (the Ks of its rows) instead of ks */
	const struct report_ref *refs;
	size_t nrefs;
	const char *only_dataset; /* a grid of this dataset only (NULL: all) */
};

void report_table_opts_default(struct report_table_opts *o);
/* DeCA Table 2: per dataset (its own K list and Holm family) blocks of two
 * models side by side, a row per method. */
int report_table_deca(FILE *f, const struct report_set *s, const struct report_table_opts *o,
	db_err *err);
/* ADT Table 3: a row per model+method, datasets side by side, RI column. */
int report_table_adt(FILE *f, const struct report_set *s, const struct report_table_opts *o,
	db_err *err);

/* The selection rules side by side (rules.c): per (dataset, model,
 * metric@K of o, K 20 when o has it) a row per method and a column per
 * `selection` rule, each method against o->reference_method under the same
 * rule (Holm over the methods of the rule), oracle − rule gaps; Markdown or
 * a standalone LaTeX document.  applies: some (dataset, model, method) has
 * groups under two rules. */
int report_rules_applies(const struct report_set *s);
int report_rules_md(FILE *f, const struct report_set *s, const struct report_table_opts *o,
	db_err *err);
int report_rules_tex(FILE *f, const struct report_set *s, const struct report_table_opts *o,
	db_err *err);

/* --- the reproduction report ------------------------------------------ */

/* Every published number against ours, and the ordering claims the
 * published numbers make (each method against the paper's Normal on every
 * model and metric), as Markdown (md) and a standalone LaTeX document (tex).
 * fig (may be NULL): the figures' metric; tex then holds DeCA's
 * hyper-parameter study as one figure of the sweep PDFs under figures/. */
struct report_fig_opts;
int report_repro(FILE *md, FILE *tex, const struct report_set *s, const struct report_ref *refs,
	size_t nrefs, const struct report_cause *causes, size_t ncauses, double alpha,
	const struct report_fig_opts *fig, db_err *err);

/* --- figures ------------------------------------------------------------ */

struct report_fig_opts {
	const char *dir;      /* output directory */
	const char *data_dir; /* NULL: each cell's `data` setting */
	const char *split, *metric;
	int k;
	int width, height; /* PNG pixels */
	int run_gnuplot;   /* 0: write .gp and .dat only */
};

/* Writes every figure the result set has data for; *nfig counts them:
 * curve-* (validation loss), loss-* (clean vs noisy training loss),
 * activity-*, sweep-*, drops-* (T-CE drop precision/recall), ratings-*
 * (mean P(r=1|interacted) by rating).  Figures that cannot be drawn (no
 * curve lines, no training data for user activity, no sweep, no counters)
 * are skipped with a line in notes (may be NULL). */
int report_figures(const struct report_set *s, const struct report_fig_opts *o, FILE *notes,
	int *nfig, db_err *err);
/* The figure index (Markdown): for each paper figure we redraw (ADT Figs.
 * 3, 7; DeCA Figs. 2-6) our file, the paper's claim, whether our data show
 * it and the measurement behind that verdict, per (dataset, model) that
 * has its data (src/report/fig_index.c holds the claims).  report_figures
 * writes it as figures/index.md; the reproduction report embeds it. */
int report_fig_index(FILE *md, const struct report_set *s, const char *metric, int k, db_err *err);

/* (tuning.c) The tuning section in Markdown from a `tune` run's
 * tuning.tsv: per searched group the search space, each trial's validation
 * target (the chosen one marked) and the test metric@k of the tuned cells
 * beside the suite's own (s: the run's results). */
int report_tuning(FILE *f, const char *tuning_tsv, const struct report_set *s, const char *metric,
	int k, db_err *err);

#endif
