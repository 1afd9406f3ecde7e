/* DeCA's hyper-parameter study (WWW'22 Fig. 5 on Adressa, Fig. 6 on
 * MovieLens, Modcloth and Electronics) as one LaTeX figure of
 * reproduction.tex: for every dataset and model with a sweep over DeCA's
 * settings, a row of subfigures, the C1 x C2 heat map first, then a line per
 * setting through the paper's configuration (the sweep-* PDFs, fig_sweeps.c).
 * A PDF that was not drawn (--no-gnuplot) leaves a framed note, so the
 * document compiles either way.  The caption gives the real seed counts. */
#include "report/internal.h"

#include <stdlib.h>
#include <string.h>

enum { MAX_SUBFIGS = 32 };

struct subfig {
	char name[256], dataset[128], model[64], what[128];
	int rank; /* the heat map 0, then the lines in deca_keys order */
};

struct collect {
	struct subfig f[MAX_SUBFIGS];
	size_t n, min_seeds, max_seeds;
	size_t left_out; /* sweep figures beyond MAX_SUBFIGS, named in the caption */
};

/* DeCA's settings in the paper's order, as the paper writes them. */
static const char *const deca_keys[][2] = {
	{"deca_c1", "C_1"},
	{"deca_c2", "C_2"},
	{"deca_alpha", "\\alpha"},
};
enum { NKEYS = sizeof deca_keys / sizeof deca_keys[0] };

static int
key_rank(const char *key)
{
	int r = 0;
	while (r < NKEYS && strcmp(deca_keys[r][0], key))
		r++;
	return r;
}

/* DeCA's sweeps (not DeCA(p)'s: the paper studies DeCA): the C1 x C2 heat
 * map and the one-setting lines. */
static int
keep(void *arg, const struct report_sweep_fig *f, db_err *err)
{
	(void)err;
	struct collect *c = arg;
	int heat = f->nk == 2, r0 = key_rank(f->keys[0]), r1 = heat ? key_rank(f->keys[1]) : 0;
	if (strcmp(f->method, "deca") || r0 == NKEYS || r1 == NKEYS ||
		(heat && (r0 != 0 || r1 != 1)))
		return DB_OK;
	if (c->n == MAX_SUBFIGS) {
		c->left_out++;
		return DB_OK;
	}
	struct subfig *s = &c->f[c->n++];
	snprintf(s->name, sizeof s->name, "%s", f->name);
	snprintf(s->dataset, sizeof s->dataset, "%s", f->dataset);
	snprintf(s->model, sizeof s->model, "%s", f->model);
	snprintf(s->what, sizeof s->what, heat ? "$%s\\times %s$" : "$%s$", deca_keys[r0][1],
		deca_keys[r1][1]);
	s->rank = heat ? 0 : 1 + r0;
	c->min_seeds = c->n == 1 || f->min_seeds < c->min_seeds ? f->min_seeds : c->min_seeds;
	c->max_seeds = f->max_seeds > c->max_seeds ? f->max_seeds : c->max_seeds;
	return DB_OK;
}

static int
same_row(const struct subfig *a, const struct subfig *b)
{
	return !strcmp(a->dataset, b->dataset) && !strcmp(a->model, b->model);
}

/* A row per (dataset, model), the heat map first. */
static int
subfig_cmp(const void *a, const void *b)
{
	const struct subfig *x = a, *y = b;
	int d = strcmp(x->dataset, y->dataset);
	if (!d)
		d = strcmp(x->model, y->model);
	return d ? d : x->rank - y->rank;
}

static void
subfigure(FILE *tex, const struct subfig *s, const char *width)
{
	fprintf(tex,
		"\\begin{subfigure}[t]{%s\\linewidth}\\centering\n"
		"\\IfFileExists{figures/%s.pdf}{\\includegraphics[width=\\linewidth]"
		"{figures/%s.pdf}}{\\fbox{\\parbox{0.9\\linewidth}{\\centering\\footnotesize "
		"not drawn (report --no-gnuplot)}}}\n\\caption{",
		width, s->name, s->name);
	report_tex_escape(tex, s->dataset);
	fputs(", ", tex);
	report_tex_escape(tex, s->model);
	fprintf(tex, ": %s}\n\\end{subfigure}\n", s->what);
}

int
report_fig_tex(FILE *tex, const struct report_set *s, const struct report_fig_opts *o, db_err *err)
{
	struct collect *c = db_calloc(1, sizeof *c, err);
	if (!c)
		return DB_ENOMEM;
	int rc = report_fig_sweeps_each(s, o, keep, c, err);
	if (rc || !c->n) {
		free(c);
		return rc;
	}
	qsort(c->f, c->n, sizeof c->f[0], subfig_cmp);
	size_t per_row = 1;
	for (size_t i = 1, run = 1; i < c->n; i++) {
		run = same_row(&c->f[i], &c->f[i - 1]) ? run + 1 : 1;
		per_row = run > per_row ? run : per_row;
	}
	char width[16];
	snprintf(width, sizeof width, "%.2f", 0.96 / (double)per_row);
	fputs("\n\\begin{figure}[p]\n\\centering\n", tex);
	for (size_t i = 0; i < c->n; i++) {
		if (i && !same_row(&c->f[i], &c->f[i - 1]))
			fputs("\n\\medskip\n", tex);
		subfigure(tex, &c->f[i], width);
	}
	fprintf(tex,
		"\\caption{DeCA's hyper-parameter study (the paper's Figs.~5 and~6): test "
		"%s@%d, the mean over ",
		o->metric, o->k);
	if (c->min_seeds == c->max_seeds)
		fprintf(tex, "%zu seed%s", c->min_seeds, c->min_seeds == 1 ? "" : "s");
	else
		fprintf(tex, "%zu--%zu seeds", c->min_seeds, c->max_seeds);
	fputs(" per point.  The heat map spans $C_1\\times C_2$ and each line one setting, "
	      "the other settings at the paper's configuration.",
		tex);
	if (c->left_out)
		fprintf(tex, "  %zu more sweep figure%s of DeCA %s in figures/, not in this figure.",
			c->left_out, c->left_out == 1 ? "" : "s", c->left_out == 1 ? "is" : "are");
	fputs("}\n\\end{figure}\n", tex);
	free(c);
	return DB_OK;
}
