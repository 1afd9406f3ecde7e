/* DeCA Table 2 layout: dataset blocks, a row per method, the models side by
 * side, each with its metric columns; mean±sd with bold, * and dagger. */
#include "report/internal.h"

#include <math.h>

static void
header(FILE *f, const struct report_grid *g, const struct report_table_opts *o)
{
	fputs("\\begin{tabular}{l", f);
	for (size_t m = 0; m < g->nm; m++)
		fprintf(f, " %.*s", (int)g->nc, "cccccccccccccccccccccccccccccccc");
	fputs("}\n\\toprule\n", f);
	for (size_t m = 0; m < g->nm; m++) {
		fprintf(f, " & \\multicolumn{%zu}{c}{", g->nc);
		report_tex_escape(f, g->models[m]);
		fputs("}", f);
	}
	fputs(" \\\\\n", f);
	for (size_t m = 0; m < g->nm; m++)
		fprintf(f, "%s\\cmidrule(lr){%zu-%zu}", m ? " " : "", 2 + m * g->nc,
			1 + (m + 1) * g->nc);
	fputs("\nMethod", f);
	for (size_t m = 0; m < g->nm; m++)
		for (size_t c = 0; c < g->nc; c++) {
			fputs(" & ", f);
			report_tex_column(f, o, c);
		}
	fputs(" \\\\\n", f);
}

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

static void
block(FILE *f, const struct report_grid *g, const struct report_table_opts *o, size_t d)
{
	fprintf(f, "\\midrule\n\\multicolumn{%zu}{l}{\\textit{", 1 + g->nm * g->nc);
	report_tex_escape(f, g->datasets[d]);
	fputs("}} \\\\\n", f);
	for (size_t me = 0; me < g->nme; me++) {
		if (!report_grid_any(g, d, me, REPORT_ANY))
			continue;
		report_tex_escape(f, g->methods[me]);
		for (size_t m = 0; m < g->nm; m++)
			for (size_t c = 0; c < g->nc; c++) {
				fputs(" & ", f);
				entry(f, report_grid_at(g, d, me, m, c), o->digits);
			}
		fputs(" \\\\\n", f);
	}
}

int
report_table_deca(FILE *f, const struct report_set *s, const struct report_table_opts *o,
	db_err *err)
{
	struct report_grid g;
	int rc = report_grid_build(&g, s, o, err);
	if (rc)
		return rc;
	report_tex_begin(f);
	fputs("\\begin{table}[t]\n\\centering\n\\small\n", f);
	report_tex_caption(f, &g, o, "Mean $\\pm$ standard deviation");
	report_tex_marks(f, o);
	fputs("}\n", f);
	header(f, &g, o);
	for (size_t d = 0; d < g.nd; d++)
		block(f, &g, o, d);
	fputs("\\bottomrule\n\\end{tabular}\n\\end{table}\n", f);
	report_tex_end(f);
	report_grid_free(&g);
	return DB_OK;
}
