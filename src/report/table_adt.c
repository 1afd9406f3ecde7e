/* ADT Table 3 layout: a row per model+method, the datasets side by side with
 * their metric columns and the relative improvement (RI) over the reference
 * method of the same model: the mean over the columns of
 * (method − reference)/reference, in percent. */
#include "report/internal.h"

#include <math.h>
#include <string.h>

static void
header(FILE *f, const struct report_grid *g, const struct report_table_opts *o)
{
	fputs("\\begin{tabular}{l", f);
	for (size_t d = 0; d < g->nd; d++) {
		fputc(' ', f);
		report_tex_centred(f, g->nc + 1);
	}
	fputs("}\n\\toprule\n", f);
	for (size_t d = 0; d < g->nd; d++) {
		fprintf(f, " & \\multicolumn{%zu}{c}{", g->nc + 1);
		report_tex_escape(f, g->datasets[d]);
		fputs("}", f);
	}
	fputs(" \\\\\n", f);
	for (size_t d = 0; d < g->nd; d++)
		fprintf(f, "%s\\cmidrule(lr){%zu-%zu}", d ? " " : "", 2 + d * (g->nc + 1),
			1 + (d + 1) * (g->nc + 1));
	fputs("\nModel", f);
	for (size_t d = 0; d < g->nd; d++) {
		for (size_t c = 0; c < g->nc; c++) {
			fputs(" & ", f);
			report_tex_column(f, o, c);
		}
		fputs(" & RI", f);
	}
	fputs(" \\\\\n", f);
}

static void
ri(FILE *f, const struct report_grid *g, size_t d, size_t me, size_t m)
{
	double sum = 0;
	size_t n = 0;
	for (size_t c = 0; me > 0 && c < g->nc; c++) {
		const struct report_entry *e = report_grid_at(g, d, me, m, c);
		const struct report_entry *r = report_grid_at(g, d, 0, m, c);
		if (e->g && r->g && r->mean > 0) {
			sum += (e->mean - r->mean) / r->mean;
			n++;
		}
	}
	if (n)
		fprintf(f, " & $%+.1f\\%%$", 100 * sum / (double)n);
	else
		fputs(" & --", f);
}

static void
row(FILE *f, const struct report_grid *g, const struct report_table_opts *o, size_t me, size_t m)
{
	report_tex_escape(f, g->models[m]);
	if (me > 0 || strcmp(g->methods[0], o->reference_method)) {
		fputs("+", f);
		report_tex_escape(f, g->methods[me]);
	}
	for (size_t d = 0; d < g->nd; d++) {
		for (size_t c = 0; c < g->nc; c++) {
			const struct report_entry *e = report_grid_at(g, d, me, m, c);
			if (!e->g)
				fputs(" & --", f);
			else
				fprintf(f, e->bold ? " & $\\mathbf{%.*f}%s$" : " & $%.*f%s$",
					o->digits, e->mean, e->dagger ? "^{\\dagger}" : "");
		}
		ri(f, g, d, me, m);
	}
	fputs(" \\\\\n", f);
}

int
report_table_adt(FILE *f, const struct report_set *s, const struct report_table_opts *o,
	db_err *err)
{
	struct report_grid g;
	int rc = report_grid_build(&g, s, o, err);
	if (rc)
		return rc;
	report_tex_begin(f);
	fputs("\\begin{table}[t]\n\\centering\n\\small\n", f);
	report_tex_caption(f, &g, o, "Mean");
	fputs("RI: relative improvement over ", f);
	report_tex_escape(f, o->reference_method);
	fprintf(f,
		" of the same model, averaged over the metric columns. Bold: the best of each "
		"column for a model; $^\\dagger$: different from it at $\\alpha = %g$ after "
		"Holm's correction.}\n",
		o->alpha);
	header(f, &g, o);
	for (size_t m = 0; m < g.nm; m++) {
		fputs("\\midrule\n", f);
		for (size_t me = 0; me < g.nme; me++)
			if (report_grid_any(&g, REPORT_ANY, me, m))
				row(f, &g, o, me, m);
	}
	fputs("\\bottomrule\n\\end{tabular}\n\\end{table}\n", f);
	report_tex_end(f);
	report_grid_free(&g);
	return DB_OK;
}
