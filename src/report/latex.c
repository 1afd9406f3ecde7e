/* LaTeX pieces shared by the tables: document frame, escaping, caption. */
#include "report/internal.h"

#include <string.h>

#include "methods/method.h"

static const char *default_metrics[] = {"recall", "ndcg"};
static const int default_ks[] = {3, 20};

/* Every method of the papers' comparisons that is not one they propose, and
 * the newer methods (issue 14) a DeCA or ADT row is now measured against:
 * the registry's methods that say where they stand among the baselines
 * (the newer after the papers', so the papers' tables keep their rows). */
static size_t
default_baselines(const char **out, size_t max)
{
	int last = 0;
	for (size_t i = 0; method_at(i); i++)
		last = method_at(i)->baseline > last ? method_at(i)->baseline : last;
	size_t n = 0;
	for (int place = 1; place <= last; place++)
		for (size_t i = 0; method_at(i) && n < max; i++)
			if (method_at(i)->baseline == place)
				out[n++] = method_at(i)->name;
	return n;
}

void
report_table_opts_default(struct report_table_opts *o)
{
	static const char *baselines[32];
	static size_t nbaselines;
	if (!nbaselines)
		nbaselines = default_baselines(baselines, sizeof baselines / sizeof baselines[0]);
	*o = (struct report_table_opts){
		.split = "test",
		.metrics = default_metrics,
		.nmetrics = 2,
		.ks = default_ks,
		.nks = 2,
		.baselines = baselines,
		.nbaselines = nbaselines,
		.reference_method = "normal",
		.digits = 3,
		.alpha = 0.05,
	};
}

/* article + booktabs only: what every TeX installation has. */
void
report_tex_begin(FILE *f)
{
	fputs("\\documentclass{article}\n"
	      "\\usepackage[a4paper,landscape,margin=1.5cm]{geometry}\n"
	      "\\usepackage{booktabs}\n"
	      "\\begin{document}\n",
		f);
}

void
report_tex_end(FILE *f)
{
	fputs("\\end{document}\n", f);
}

void
report_tex_centred(FILE *f, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fputc('c', f);
}

void
report_tex_escape(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (strchr("&%$#_{}", *s))
			fprintf(f, "\\%c", *s);
		else if (*s == '~')
			fputs("\\textasciitilde{}", f);
		else if (*s == '^')
			fputs("\\textasciicircum{}", f);
		else if (*s == '\\')
			fputs("\\textbackslash{}", f);
		else
			fputc(*s, f);
	}
}

void
report_tex_column(FILE *f, const struct report_table_opts *o, size_t c)
{
	const char *m = o->metrics[c / o->nks];
	const char *label = !strcmp(m, "recall") ? "R" : !strcmp(m, "ndcg") ? "N" : m;
	report_tex_escape(f, label);
	fprintf(f, "@%d", o->ks[c % o->nks]);
}

/* The marks' legend; the baselines are named because `*` depends on them. */
void
report_tex_marks(FILE *f, const struct report_table_opts *o)
{
	fputs("Bold: the best of each column within a dataset; $^*$: more than 5\\,\\% above the "
	      "best baseline (",
		f);
	for (size_t i = 0; i < o->nbaselines; i++) {
		report_tex_escape(f, o->baselines[i]);
		fputs(i + 1 < o->nbaselines ? ", " : "", f);
	}
	fputs("); $^\\dagger$: different from ", f);
	report_tex_escape(f, o->reference_method);
	fprintf(f,
		" at $\\alpha = %g$ after Holm's correction over the table (paired $t$ test "
		"over seeds and Wilcoxon signed-rank test over users).",
		o->alpha);
}

/* Names each (dataset, model, method) with fewer seeds than the most. */
static void
caption_short_groups(FILE *f, const struct report_grid *g)
{
	const char *sep = " ";
	for (size_t d = 0; d < g->nd; d++)
		for (size_t me = 0; me < g->nme; me++)
			for (size_t m = 0; m < g->nm; m++) {
				size_t n = g->max_seeds;
				for (size_t c = 0; c < g->nc; c++) {
					const struct report_entry *e =
						report_grid_at(g, d, me, m, c);
					n = e->g && e->n < n ? e->n : n;
				}
				if (n == g->max_seeds)
					continue;
				fputs(sep, f);
				report_tex_escape(f, g->datasets[d]);
				fputc('/', f);
				report_tex_escape(f, g->models[m]);
				fputc('/', f);
				report_tex_escape(f, g->methods[me]);
				fprintf(f, " (%zu)", n);
				sep = ", ";
			}
	fputs(". ", f);
}

void
report_tex_caption(FILE *f, const struct report_grid *g, const struct report_table_opts *o,
	const char *what)
{
	fputs("\\caption{Top-$K$ ranking over all items on the ", f);
	report_tex_escape(f, o->split);
	fputs(g->mask_valid
			? " split, averaged over every evaluated user. Training and validation "
			  "items of the user are masked from the ranking; "
			: " split, averaged over every evaluated user. Training items of the user "
			  "are masked from the ranking; ",
		f);
	fputs("R@$K$ (Recall) divides the user's hits in the "
	      "top $K$ by the number of the user's clean test items; N@$K$ (NDCG) divides DCG@$K$ "
	      "by the ideal DCG over $\\min(|\\mathrm{test}|, K)$ items. ",
		f);
	if (g->oracle)
		fputs("Epochs chosen by the best test value (selection=oracle): an upper bound, "
		      "not a result. ",
			f);
	if (g->min_seeds == g->max_seeds)
		fprintf(f, "%s over %zu seed%s. ", what, g->max_seeds,
			g->max_seeds == 1 ? "" : "s");
	else {
		fprintf(f, "%s over %zu--%zu seeds; fewer than %zu:", what, g->min_seeds,
			g->max_seeds, g->max_seeds);
		caption_short_groups(f, g);
	}
}
