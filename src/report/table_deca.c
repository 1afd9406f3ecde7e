/* DeCA Table 2 layout: per dataset, with that dataset's K list (from the
 * published rows when given: MovieLens R@3/R@20/N@3/N@20, Modcloth
 * R@5/R@20/N@5/N@20), blocks of two models side by side, a row per method,
 * mean±sd with bold, * and dagger.  Each dataset is its own grid, so its
 * Holm family is the dataset's entries. */
#include "report/internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MODELS_PER_BLOCK 2

/* $\mathbf{0.301}\pm0.001^{*\dagger}$ */
static void
entry(FILE *f, const struct report_entry *e, int digits)
{
	if (!e->g) {
		fputs("--", f);
		return;
	}
	fprintf(f, e->bold ? "$\\mathbf{%.*f}" : "$%.*f", digits, e->mean);
	if (!isnan(e->sd))
		fprintf(f, "\\pm%.*f", digits, e->sd);
	if (e->star || e->dagger)
		fprintf(f, "^{%s%s}", e->star ? "*" : "", e->dagger ? "\\dagger" : "");
	fputs("$", f);
}

/* Header of the block of models m0 .. m0+nm-1 of dataset d. */
static void
block_header(FILE *f, const struct report_grid *g, const struct report_table_opts *o, size_t m0,
	size_t nm)
{
	fputs("\\textit{", f);
	report_tex_escape(f, g->datasets[0]);
	fputs("}", f);
	for (size_t m = m0; m < m0 + nm; m++) {
		fprintf(f, " & \\multicolumn{%zu}{c}{", g->nc);
		report_tex_escape(f, g->models[m]);
		fputs("}", f);
	}
	fputs(" \\\\\n", f);
	for (size_t j = 0; j < nm; j++)
		fprintf(f, "%s\\cmidrule(lr){%zu-%zu}", j ? " " : "", 2 + j * g->nc,
			1 + (j + 1) * g->nc);
	fputs("\nMethod", f);
	for (size_t j = 0; j < nm; j++)
		for (size_t c = 0; c < g->nc; c++) {
			fputs(" & ", f);
			report_tex_column(f, o, c);
		}
	fputs(" \\\\\n\\midrule\n", f);
}

static void
block(FILE *f, const struct report_grid *g, const struct report_table_opts *o, size_t m0)
{
	size_t nm = g->nm - m0 < MODELS_PER_BLOCK ? g->nm - m0 : MODELS_PER_BLOCK;
	block_header(f, g, o, m0, nm);
	for (size_t me = 0; me < g->nme; me++) {
		int any = 0;
		for (size_t m = m0; m < m0 + nm; m++)
			any = any || report_grid_any(g, 0, me, m);
		if (!any)
			continue;
		report_tex_escape(f, g->methods[me]);
		for (size_t m = m0; m < m0 + nm; m++)
			for (size_t c = 0; c < g->nc; c++) {
				fputs(" & ", f);
				entry(f, report_grid_at(g, 0, me, m, c), o->digits);
			}
		fputs(" \\\\\n", f);
	}
}

/* The ascending distinct Ks of the published rows of dataset ds (in this
 * tool's names) into ks (room for o->nrefs); 0 when it has none. */
static size_t
dataset_ks(const struct report_table_opts *o, const char *ds, int *ks)
{
	size_t n = 0;
	for (size_t i = 0; i < o->nrefs; i++) {
		char name[128];
		report_ref_name(o->refs[i].dataset, name, sizeof name);
		int k = o->refs[i].k, seen = 0;
		for (size_t j = 0; j < n; j++)
			seen = seen || ks[j] == k;
		if (strcmp(name, ds) || seen)
			continue;
		size_t at = n++;
		for (; at > 0 && ks[at - 1] > k; at--)
			ks[at] = ks[at - 1];
		ks[at] = k;
	}
	return n;
}

/* One tabular per dataset: its blocks of models, one under the other. */
static int
dataset_table(FILE *f, const struct report_set *s, const struct report_table_opts *o,
	const char *ds, db_err *err)
{
	struct report_table_opts od = *o;
	int *ks = db_calloc(o->nrefs + 1, sizeof *ks, err);
	if (!ks)
		return DB_ENOMEM;
	size_t nks = dataset_ks(o, ds, ks);
	if (nks) {
		od.ks = ks;
		od.nks = nks;
	}
	od.only_dataset = ds;
	struct report_grid g;
	int rc = report_grid_build(&g, s, &od, err);
	if (rc) {
		free(ks);
		return rc;
	}
	size_t cols = g.nc * (g.nm < MODELS_PER_BLOCK ? g.nm : MODELS_PER_BLOCK);
	fputs("\\begin{tabular}{l", f);
	report_tex_centred(f, cols);
	fputs("}\n\\toprule\n", f);
	for (size_t m0 = 0; m0 < g.nm; m0 += MODELS_PER_BLOCK) {
		if (m0)
			fputs("\\midrule\n", f);
		block(f, &g, &od, m0);
	}
	fputs("\\bottomrule\n\\end{tabular}\n\n\\medskip\n", f);
	report_grid_free(&g);
	free(ks);
	return DB_OK;
}

int
report_table_deca(FILE *f, const struct report_set *s, const struct report_table_opts *o,
	db_err *err)
{
	struct report_grid all;
	int rc = report_grid_build(&all, s, o, err);
	if (rc)
		return rc;
	report_tex_begin(f);
	fputs("\\begin{table}[t]\n\\centering\n\\footnotesize\n", f);
	report_tex_caption(f, &all, o, "Mean $\\pm$ standard deviation");
	report_tex_marks(f, o);
	fputs(" $K$ per dataset as the paper prints it. Holm's family: each dataset's entries.}"
	      "\n\n",
		f);
	for (size_t d = 0; !rc && d < all.nd; d++)
		rc = dataset_table(f, s, o, all.datasets[d], err);
	fputs("\\end{table}\n", f);
	report_tex_end(f);
	report_grid_free(&all);
	return rc;
}
