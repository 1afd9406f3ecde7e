/* Shared between the files of src/report only. */
#ifndef DB_REPORT_INTERNAL_H
#define DB_REPORT_INTERNAL_H

#include <stdio.h>

#include "report/report.h"

/* One table entry: a (dataset, method, model, column) of a result set. */
struct report_entry {
	const struct report_group *g; /* NULL: not run */
	size_t n;                     /* seeds with the metric */
	double mean, sd;
	int bold, star, dagger;
};

/* The cube of entries a table shows; columns are metric-major (R@3 R@20
 * N@3 N@20).  Methods: the reference method, then the baselines, then the
 * others alphabetically, each only if some cell has it. */
struct report_grid {
	const char **datasets, **models, **methods;
	size_t nd, nm, nme, nc;
	struct report_entry *e;
	size_t min_seeds, max_seeds;
	int mask_valid; /* every cell masked validation items at test */
	int oracle;     /* a shown group chose its epoch by the test (selection=oracle) */
};

int report_grid_build(struct report_grid *g, const struct report_set *s,
	const struct report_table_opts *o, db_err *err);
void report_grid_free(struct report_grid *g);
/* 1 when any (dataset, method, model, column) has a group; REPORT_ANY in
 * d, me or m ranges over that axis. */
#define REPORT_ANY ((size_t)-1)
int report_grid_any(const struct report_grid *g, size_t d, size_t me, size_t m);
struct report_entry *report_grid_at(const struct report_grid *g, size_t d, size_t me, size_t m,
	size_t c);
/* Is method a baseline of o? */
int report_is_baseline(const struct report_table_opts *o, const char *method);

/* LaTeX pieces: a standalone document around a table; escaping of text. */
void report_tex_begin(FILE *f);
void report_tex_end(FILE *f);
void report_tex_escape(FILE *f, const char *s);
/* n centred columns "cc...c" of a tabular's column spec (one per metric and
 * K: any number). */
void report_tex_centred(FILE *f, size_t n);
/* Opens the caption: metric definitions, "<what> over N seeds. "; the
 * caller adds its legend and the closing brace. */
void report_tex_caption(FILE *f, const struct report_grid *g, const struct report_table_opts *o,
	const char *what);
/* The legend of bold, * and dagger. */
void report_tex_marks(FILE *f, const struct report_table_opts *o);
/* "R@20" / "N@20" style column label of column c. */
void report_tex_column(FILE *f, const struct report_table_opts *o, size_t c);

/* Figures: writes NAME.dat (data, already formatted) and NAME.gp (terminal
 * settings for PNG and PDF around body), then runs gnuplot on NAME.gp in
 * o->dir unless o->run_gnuplot is 0. */
int report_fig_emit(const struct report_fig_opts *o, const char *name, const char *data,
	const char *body, db_err *err);

/* KIND-PART1-PART2...: characters other than [A-Za-z0-9._-] become '_'. */
void report_fig_name(char *out, size_t size, const char *kind, const char *const *parts, size_t n);

/* A growing string (open_memstream) for figure data and scripts. */
struct report_buf {
	char *s;
	size_t n;
	FILE *f;
};
int report_buf_open(struct report_buf *b, db_err *err);
/* Closes the stream; b->s holds the text (to be freed). */
int report_buf_close(struct report_buf *b, db_err *err);

/* The reproduction report's parts.  report_repro_group: our group for a
 * published row, with method replacing the row's method when not NULL. */
const struct report_group *report_repro_group(const struct report_set *s,
	const struct report_ref *r, const char *method);
int report_repro_numbers(FILE *md, FILE *tex, const struct report_set *s,
	const struct report_ref *refs, size_t n, const struct report_cause *causes, size_t ncauses,
	db_err *err);
/* The group of (dataset, model, METHOD[+KEY=VALUE,...]) whose cells carry
 * every KEY=VALUE; with sw (KEY=VALUE), only groups where KEY is VALUE
 * (flipped = 1) or is not (flipped = 0).  Most seeds wins, then fewest
 * settings off the defaults, then key order (as report_set_find). */
const struct report_group *report_repro_find(const struct report_set *s, const char *dataset,
	const char *model, const char *method_spec, const char *sw, int flipped);
int report_repro_claims(FILE *md, FILE *tex, const struct report_set *s,
	const struct report_ref *refs, size_t n, double alpha, db_err *err);

/* Before `plot`: a series of one point is no curve, so the figure says
 * which series (names, "" for none) have a single evaluation point, and
 * when every point sits at one iteration (lo == hi) sets an x range around
 * it (gnuplot would warn "empty x range"). */
void report_fig_few_points(FILE *body, const char *names, long lo, long hi);

/* A figure being written: its data and its gnuplot body.  report_fig_end
 * closes both and, when draw, emits the figure and counts it in *nfig. */
struct report_fig {
	struct report_buf dat, body;
};
int report_fig_begin(struct report_fig *f, db_err *err);
/* report_fig_name into name[size], then report_fig_begin. */
int report_fig_open(struct report_fig *f, char *name, size_t size, const char *kind,
	const char *const *parts, size_t n, db_err *err);

/* The distinct datasets, models and methods of a set, which the figure
 * kinds walk.  report_fig_keys_get: DB_OK or DB_ENOMEM; call
 * report_fig_keys_free either way. */
struct report_fig_keys {
	const char **ds, **models, **methods;
	size_t nd, nm, nme;
};
int report_fig_keys_get(struct report_fig_keys *k, const struct report_set *s, db_err *err);
void report_fig_keys_free(struct report_fig_keys *k);
int report_fig_end(struct report_fig *f, const struct report_fig_opts *o, const char *name,
	int draw, int *nfig, db_err *err);

int report_fig_curves(const struct report_set *s, const struct report_fig_opts *o, FILE *notes,
	int *nfig, db_err *err);
int report_fig_activity(const struct report_set *s, const struct report_fig_opts *o, FILE *notes,
	int *nfig, db_err *err);
int report_fig_sweeps(const struct report_set *s, const struct report_fig_opts *o, FILE *notes,
	int *nfig, db_err *err);
/* A sweep figure as report_fig_sweeps would draw it: its name, cell kind,
 * the settings it spans (nk: 1 a line, 2 a heat map), its points and the
 * fewest and most seeds behind one. */
struct report_sweep_fig {
	const char *name, *dataset, *model, *method;
	const char *const *keys;
	int nk;
	size_t points, min_seeds, max_seeds;
};
typedef int (*report_sweep_fn)(void *arg, const struct report_sweep_fig *f, db_err *err);
/* fn for every sweep figure of the set, in drawing order; draws nothing. */
int report_fig_sweeps_each(const struct report_set *s, const struct report_fig_opts *o,
	report_sweep_fn fn, void *arg, db_err *err);
/* (fig_tex.c) DeCA Figs. 5/6 as one LaTeX figure of the sweep PDFs
 * (figures/ beside the document); nothing when the set has no DeCA sweep. */
int report_fig_tex(FILE *tex, const struct report_set *s, const struct report_fig_opts *o,
	db_err *err);
int report_fig_drops(const struct report_set *s, const struct report_fig_opts *o, FILE *notes,
	int *nfig, db_err *err);
int report_fig_ratings(const struct report_set *s, const struct report_fig_opts *o, FILE *notes,
	int *nfig, db_err *err);
/* (fig_panels.c) ADT Figs. 3, 7: one panel per method, clean and noisy
 * training BCE along training, from the diag lines (else the curve lines). */
int report_fig_panels(const struct report_set *s, const struct report_fig_opts *o, FILE *notes,
	int *nfig, db_err *err);
/* (fig_along.c) DeCA Fig. 3: the test metric along training (diag_test). */
int report_fig_along(const struct report_set *s, const struct report_fig_opts *o, FILE *notes,
	int *nfig, db_err *err);
/* (fig_preds.c) DeCA Fig. 2: mean |P_A - P_B| on clean vs noisy lines
 * between two models and between two seeds of one model (pred lines). */
int report_fig_preds(const struct report_set *s, const struct report_fig_opts *o, FILE *notes,
	int *nfig, db_err *err);
/* The mean differences on clean [0] and noisy [1] lines of the pairs that
 * figure compares for dataset ds (at most cap); returns how many. */
size_t report_fig_preds_diffs(const struct report_set *s, const char *ds, double (*diff)[2],
	size_t cap);
/* (fig_index.c) figures/index.md: the figure index (report.h). */
int report_fig_index_write(const struct report_set *s, const struct report_fig_opts *o,
	db_err *err);

/* " lc rgb '#...' pt N": the method's colour and marker in every figure;
 * open 1: the marker's open twin; open -1: the colour only (bars). */
void report_fig_style(FILE *body, const char *method, int open);
/* The method's place in panel order (normal, t-ce, r-ce, deca, ...; other
 * names after them). */
size_t report_fig_method_rank(const char *method);
/* `set xtics STEP`: the smallest 1, 2 or 5 x 10^n step giving at most four ticks up to
 * xmax, so that panel axes do not run their labels together. */
void report_fig_xtics(FILE *body, double xmax);

#endif
