/* The reproduction report, part one: every published number against ours. */
#include "report/internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats/stats.h"

/* Our group for a published row, by the papers' names mapped to ours. */
const struct report_group *
report_repro_group(const struct report_set *s, const struct report_ref *r, const char *method)
{
	char d[128], m[64], me[64];
	report_ref_name(r->dataset, d, sizeof d);
	report_ref_name(r->model, m, sizeof m);
	report_ref_name(method ? method : r->method, me, sizeof me);
	return report_set_find(s, d, m, me);
}

struct number {
	const struct report_ref *r;
	struct stats_summary ours;
	int inside; /* paper's mean in our 95 % interval: 1, 0, −1 unknown */
};

static int
ours(const struct report_set *s, const struct report_ref *r, struct number *out, double *v)
{
	const struct report_group *g = report_repro_group(s, r, NULL);
	size_t n = g ? report_group_values(s, g, "test", r->metric, r->k, v) : 0;
	db_err ignored;
	out->r = r;
	if (n == 0 || stats_summary(v, n, 0.95, &out->ours, &ignored))
		return 0;
	out->inside = n < 2 ? -1 : out->ours.ci_lo <= r->mean && r->mean <= out->ours.ci_hi;
	return 1;
}

static const char *
inside_word(int inside)
{
	return inside < 0 ? "n/a (one seed)" : inside ? "yes" : "no";
}

static void
md_number(FILE *md, const struct number *x)
{
	const struct report_ref *r = x->r;
	fprintf(md, "| %s | %s | %s | %s | %s | %s@%d | %.4f", r->paper, r->table, r->dataset,
		r->model, r->method, r->metric, r->k, x->ours.mean);
	if (x->ours.n > 1)
		fprintf(md, " ± %.4f", x->ours.sd);
	fprintf(md, " (%zu) | %g", x->ours.n, r->mean);
	if (r->has_sd)
		fprintf(md, " ± %g", r->sd);
	fprintf(md, " | %+.4f | %s |\n", x->ours.mean - r->mean, inside_word(x->inside));
}

static void
tex_number(FILE *tex, const struct number *x)
{
	const struct report_ref *r = x->r;
	const char *text[] = {r->paper, r->table, r->dataset, r->model, r->method, r->metric};
	for (size_t i = 0; i < 6; i++) {
		report_tex_escape(tex, text[i]);
		fputs(i == 5 ? "" : " & ", tex);
	}
	fprintf(tex, "@%d & $%.4f", r->k, x->ours.mean);
	if (x->ours.n > 1)
		fprintf(tex, "\\pm%.4f", x->ours.sd);
	fprintf(tex, "$ (%zu) & $%g", x->ours.n, r->mean);
	if (r->has_sd)
		fprintf(tex, "\\pm%g", r->sd);
	fprintf(tex, "$ & $%+.4f$ & %s \\\\\n", x->ours.mean - r->mean, inside_word(x->inside));
}

static void
headers(FILE *md, FILE *tex)
{
	fputs("## Published numbers\n\n"
	      "Ours: mean ± sd over seeds (number of seeds) on the clean test split; difference = "
	      "ours − paper; the last column says whether the paper's mean lies in our 95 % "
	      "t-interval.\n\n"
	      "| paper | table | dataset | model | method | metric | ours | paper | difference "
	      "| in our 95 % CI |\n|---|---|---|---|---|---|---|---|---|---|\n", md);
	fputs("\\section*{Published numbers}\n"
	      "Ours: mean $\\pm$ sd over seeds (number of seeds) on the clean test split; "
	      "difference = ours $-$ paper; CI: whether the paper's mean lies in our 95\\,\\% "
	      "$t$-interval.\n\n"
	      "\\begin{longtable}{llllllllrl}\n\\toprule\n"
	      "paper & table & dataset & model & method & metric & ours & paper & difference & CI "
	      "\\\\\n\\midrule\n\\endhead\n", tex);
}

/* Published rows without a cell of ours, one line per (paper, table,
 * dataset, model, method). */
static void
missing(FILE *md, FILE *tex, const struct report_ref *refs, const char *have, size_t n)
{
	size_t count = 0;
	for (size_t i = 0; i < n; i++)
		count += !have[i];
	fprintf(md, "\n%zu published number%s without a run of ours", count,
		count == 1 ? "" : "s");
	fprintf(tex, "\n%zu published number%s without a run of ours", count,
		count == 1 ? "" : "s");
	fputs(count ? ":\n\n" : ".\n", md);
	fputs(count ? ":\n\\begin{itemize}\n" : ".\n", tex);
	for (size_t i = 0; i < n; i++) {
		const struct report_ref *r = &refs[i], *p = i ? &refs[i - 1] : NULL;
		if (have[i] || (p && !have[i - 1] && !strcmp(p->paper, r->paper)
			&& !strcmp(p->table, r->table) && !strcmp(p->dataset, r->dataset)
			&& !strcmp(p->model, r->model) && !strcmp(p->method, r->method)))
			continue;
		fprintf(md, "- %s %s: %s %s %s\n", r->paper, r->table, r->dataset, r->model,
			r->method);
		const char *text[] = {r->paper, " ", r->table, ": ", r->dataset, " ", r->model,
			" ", r->method};
		fputs("\\item ", tex);
		for (size_t j = 0; j < 9; j++)
			report_tex_escape(tex, text[j]);
		fputs("\n", tex);
	}
	if (count)
		fputs("\\end{itemize}\n", tex);
}

int
report_repro_numbers(FILE *md, FILE *tex, const struct report_set *s,
	const struct report_ref *refs, size_t n, db_err *err)
{
	double *v = db_calloc(s->ncells + 1, sizeof *v, err);
	char *have = db_calloc(n + 1, 1, err);
	if (!v || !have) {
		free(v);
		free(have);
		return DB_ENOMEM;
	}
	headers(md, tex);
	for (size_t i = 0; i < n; i++) {
		struct number x = {0};
		if (!(have[i] = (char)ours(s, &refs[i], &x, v)))
			continue;
		md_number(md, &x);
		tex_number(tex, &x);
	}
	fputs("\\bottomrule\n\\end{longtable}\n", tex);
	missing(md, tex, refs, have, n);
	free(v);
	free(have);
	return DB_OK;
}

int
report_repro(FILE *md, FILE *tex, const struct report_set *s, const struct report_ref *refs,
	size_t nrefs, double alpha, db_err *err)
{
	fputs("# Reproduction report\n\n", md);
	fputs("\\documentclass{article}\n\\usepackage[a4paper,landscape,margin=1.5cm]{geometry}\n"
	      "\\usepackage{booktabs}\n\\usepackage{longtable}\n\\begin{document}\n"
	      "\\section*{Reproduction report}\n", tex);
	int rc = report_repro_numbers(md, tex, s, refs, nrefs, err);
	if (!rc)
		rc = report_repro_claims(md, tex, s, refs, nrefs, alpha, err);
	fputs("\\end{document}\n", tex);
	return rc;
}
