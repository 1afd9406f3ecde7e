/* The reproduction report, part one: every published number against ours. */
#include "report/internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats/stats.h"

/* Does cell c carry every KEY=VALUE of the comma list kv (NULL: none)? */
static int
has_settings(const struct report_cell *c, const char *kv)
{
	while (kv && *kv) {
		const char *eq = strchr(kv, '='), *comma = strchr(kv, ',');
		if (!eq || (comma && comma < eq))
			return 0;
		size_t vlen = comma ? (size_t)(comma - eq - 1) : strlen(eq + 1);
		char key[64];
		snprintf(key, sizeof key, "%.*s", (int)(eq - kv), kv);
		const char *v = report_cell_config(c, key);
		if (!v || strlen(v) != vlen || strncmp(v, eq + 1, vlen))
			return 0;
		kv = comma ? comma + 1 : NULL;
	}
	return 1;
}

/* What report_repro_find keeps: the method's settings, and sw as flipped. */
struct repro_keep {
	const char *plus, *sw;
	int flipped;
};

static int
keep_cell(const struct report_cell *c, const void *ctx)
{
	const struct repro_keep *k = ctx;
	return has_settings(c, k->plus) &&
		!(k->sw && *k->sw && has_settings(c, k->sw) != k->flipped);
}

const struct report_group *
report_repro_find(const struct report_set *s, const char *ds, const char *mo,
	const char *method_spec, const char *sw, int flipped)
{
	char me[128];
	snprintf(me, sizeof me, "%s", method_spec);
	char *plus = strchr(me, '+');
	if (plus)
		*plus++ = 0;
	struct repro_keep k = {plus, sw, flipped};
	return report_set_find_if(s, ds, mo, me, keep_cell, &k);
}

/* Our group for a published row, by the papers' names mapped to ours. */
const struct report_group *
report_repro_group(const struct report_set *s, const struct report_ref *r, const char *method)
{
	char d[128], m[64], me[128];
	report_ref_name(r->dataset, d, sizeof d);
	report_ref_name(r->model, m, sizeof m);
	report_ref_name(method ? method : r->method, me, sizeof me);
	return report_repro_find(s, d, m, me, NULL, 0);
}

/* Verdicts (README "Reports"): reproduced = the paper's mean inside our
 * 95 % t-interval; close = |ours − paper| <= 1.96·sqrt(sd_ours² + sd_paper²)
 * (a missing sd counts as 0); not reproduced = neither; not run = no cell. */
enum verdict { V_REPRODUCED, V_CLOSE, V_MISSED, V_NOT_RUN, V_COUNT };
static const char *const verdict_word[V_COUNT] = {"reproduced", "close", "not reproduced",
	"not run"};

struct number {
	const struct report_ref *r;
	const struct report_cause *cause;
	struct stats_summary ours, flipped;
	int has_flipped;
	enum verdict v;
	int large; /* not reproduced and off by at least a quarter of the paper's value */
};

static int
summarise(const struct report_set *s, const struct report_group *g, const struct report_ref *r,
	double *v, struct stats_summary *out)
{
	size_t n = g ? report_group_values(s, g, "test", r->metric, r->k, v) : 0;
	db_err ignored;
	return n > 0 && !stats_summary(v, n, 0.95, out, &ignored);
}

static void
judge(struct number *x)
{
	const struct report_ref *r = x->r;
	double sd_p = r->has_sd ? r->sd : 0, sd_o = x->ours.n > 1 ? x->ours.sd : 0;
	double d = fabs(x->ours.mean - r->mean);
	if (x->ours.n > 1 && x->ours.ci_lo <= r->mean && r->mean <= x->ours.ci_hi)
		x->v = V_REPRODUCED;
	else if (d <= 1.96 * sqrt(sd_o * sd_o + sd_p * sd_p))
		x->v = V_CLOSE;
	else
		x->v = V_MISSED;
	x->large = x->v == V_MISSED && d >= 0.25 * fabs(r->mean);
}

static void
number_of(const struct report_set *s, const struct report_ref *r, const struct report_cause *c,
	size_t nc, double *v, struct number *x)
{
	char ds[128], mo[64], me[128];
	report_ref_name(r->dataset, ds, sizeof ds);
	report_ref_name(r->model, mo, sizeof mo);
	report_ref_name(r->method, me, sizeof me);
	memset(x, 0, sizeof *x);
	x->r = r;
	x->cause = report_cause_find(c, nc, r);
	const char *sw = x->cause ? x->cause->sw : NULL;
	if (!summarise(s, report_repro_find(s, ds, mo, me, sw, 0), r, v, &x->ours)) {
		x->v = V_NOT_RUN;
		return;
	}
	judge(x);
	x->has_flipped = sw && *sw &&
		summarise(s, report_repro_find(s, ds, mo, me, sw, 1), r, v, &x->flipped);
}

static void
md_number(FILE *md, const struct number *x)
{
	const struct report_ref *r = x->r;
	fprintf(md, "| %s | %s | %s | %s | %s | %s@%d | ", r->paper, r->table, r->dataset, r->model,
		r->method, r->metric, r->k);
	if (x->v == V_NOT_RUN)
		fputs("– | ", md);
	else {
		fprintf(md, "%.4f", x->ours.mean);
		if (x->ours.n > 1)
			fprintf(md, " ± %.4f", x->ours.sd);
		fprintf(md, " (%zu) | ", x->ours.n);
	}
	fprintf(md, "%g", r->mean);
	if (r->has_sd)
		fprintf(md, " ± %g", r->sd);
	if (x->v == V_NOT_RUN)
		fputs(" | – | not run", md);
	else
		fprintf(md, " | %+.4f | %s%s", x->ours.mean - r->mean, verdict_word[x->v],
			x->large ? " (**large miss**)" : "");
	fprintf(md, " | %s%s%s%s | ", x->cause ? x->cause->cause : "", x->cause ? " (" : "",
		x->cause ? x->cause->citation : "", x->cause ? ")" : "");
	if (x->has_flipped)
		fprintf(md, "%s: %.4f", x->cause->sw, x->flipped.mean);
	fputs(" |\n", md);
}
static void
tex_text(FILE *tex, const char *const *text, size_t n)
{
	for (size_t i = 0; i < n; i++)
		report_tex_escape(tex, text[i]);
}

static void
tex_number(FILE *tex, const struct number *x)
{
	const struct report_ref *r = x->r;
	const char *text[] = {r->dataset, " ", r->model, " ", r->method};
	tex_text(tex, text, 5);
	fputs(" & ", tex);
	report_tex_escape(tex, r->metric);
	fprintf(tex, "@%d & ", r->k);
	if (x->v != V_NOT_RUN)
		fprintf(tex, "$%.4f\\pm%.4f$ (%zu)", x->ours.mean, x->ours.n > 1 ? x->ours.sd : 0,
			x->ours.n);
	fprintf(tex, " & $%g", r->mean);
	if (r->has_sd)
		fprintf(tex, "\\pm%g", r->sd);
	fprintf(tex, "$ & %s%s & ", verdict_word[x->v], x->large ? " (large)" : "");
	if (x->cause) {
		const char *ct[] = {x->cause->cause, " (", x->cause->citation, ")"};
		tex_text(tex, ct, 4);
	}
	if (x->has_flipped) {
		fputs("; ", tex);
		report_tex_escape(tex, x->cause->sw);
		fprintf(tex, ": %.4f", x->flipped.mean);
	}
	fputs(" \\\\\n", tex);
}

/* Counts of each verdict per (paper, table), in first-seen order. */
static void
headline(FILE *md, FILE *tex, const struct number *x, size_t n)
{
	fputs("## Headline\n\n| paper | table | reproduced | close | not reproduced | not run "
	      "| large misses |\n|---|---|---|---|---|---|---|\n",
		md);
	fputs("\\section*{Headline}\n\\begin{tabular}{llrrrrr}\n\\toprule\npaper & table & "
	      "reproduced & close & not reproduced & not run & large misses \\\\\n\\midrule\n",
		tex);
	for (size_t i = 0; i < n; i++) {
		int seen = 0;
		for (size_t j = 0; j < i && !seen; j++)
			seen = !strcmp(x[j].r->paper, x[i].r->paper) &&
				!strcmp(x[j].r->table, x[i].r->table);
		if (seen)
			continue;
		size_t count[V_COUNT] = {0}, large = 0;
		for (size_t j = i; j < n; j++)
			if (!strcmp(x[j].r->paper, x[i].r->paper) &&
				!strcmp(x[j].r->table, x[i].r->table)) {
				count[x[j].v]++;
				large += (size_t)x[j].large;
			}
		fprintf(md, "| %s | %s | %zu | %zu | %zu | %zu | %zu |\n", x[i].r->paper,
			x[i].r->table, count[0], count[1], count[2], count[3], large);
		report_tex_escape(tex, x[i].r->paper);
		fputs(" & ", tex);
		report_tex_escape(tex, x[i].r->table);
		fprintf(tex, " & %zu & %zu & %zu & %zu & %zu \\\\\n", count[0], count[1], count[2],
			count[3], large);
	}
	fputs("\n", md);
	fputs("\\bottomrule\n\\end{tabular}\n\n", tex);
}

static void
headers(FILE *md, FILE *tex)
{
	static const char def[] =
		"Ours: mean ± sd over seeds (number of seeds) on the clean test split; difference "
		"= "
		"ours − paper. Verdict: *reproduced* when the paper's mean lies in our 95 % "
		"t-interval; *close* when |ours − paper| ≤ 1.96·√(sd_ours² + sd_paper²) (a missing "
		"sd counts as 0); *not reproduced* otherwise, a **large miss** when off by at "
		"least "
		"a quarter of the paper's value; *not run* without a cell. Cause: the first "
		"matching line of the causes table, with where it is documented or measured; "
		"where the cause has a switch, our mean with that setting flipped (extra cells of "
		"the suite).\n\n";
	fputs("## Published numbers\n\n", md);
	fputs(def, md);
	fputs("| paper | table | dataset | model | method | metric | ours | paper | difference "
	      "| verdict | cause | switch flipped "
	      "|\n|---|---|---|---|---|---|---|---|---|---|---|---|\n",
		md);
	fputs("\\section*{Published numbers}\n"
	      "Ours: mean $\\pm$ sd over seeds (number of seeds), clean test split. Verdict: "
	      "reproduced = the paper's mean in our 95\\,\\% $t$-interval; close = "
	      "$|\\mathrm{ours}-\\mathrm{paper}| \\le 1.96\\sqrt{sd_o^2+sd_p^2}$; large = a miss "
	      "by at least a quarter of the paper's value.\n\n"
	      "\\begin{longtable}{p{4.2cm}lllp{2.6cm}p{9cm}}\n\\toprule\n"
	      "cell & metric & ours & paper & verdict & cause; switch flipped "
	      "\\\\\n\\midrule\n\\endhead\n",
		tex);
}

/* Published rows without a cell of ours, one line per (paper, table,
 * dataset, model, method). */
static void
missing(FILE *md, FILE *tex, const struct report_ref *refs, const char *have, size_t n)
{
	size_t count = 0;
	for (size_t i = 0; i < n; i++)
		count += !have[i];
	fprintf(md, "\n%zu published number%s without a run of ours", count, count == 1 ? "" : "s");
	fprintf(tex, "\n%zu published number%s without a run of ours", count,
		count == 1 ? "" : "s");
	fputs(count ? ":\n\n" : ".\n", md);
	fputs(count ? ":\n\\begin{itemize}\n" : ".\n", tex);
	for (size_t i = 0; i < n; i++) {
		const struct report_ref *r = &refs[i], *p = i ? &refs[i - 1] : NULL;
		if (have[i] ||
			(p && !have[i - 1] && !strcmp(p->paper, r->paper) &&
				!strcmp(p->table, r->table) && !strcmp(p->dataset, r->dataset) &&
				!strcmp(p->model, r->model) && !strcmp(p->method, r->method)))
			continue;
		fprintf(md, "- %s %s: %s %s %s\n", r->paper, r->table, r->dataset, r->model,
			r->method);
		const char *text[] = {r->paper, " ", r->table, ": ", r->dataset, " ", r->model, " ",
			r->method};
		fputs("\\item ", tex);
		for (size_t j = 0; j < 9; j++)
			report_tex_escape(tex, text[j]);
		fputs("\n", tex);
	}
	if (count)
		fputs("\\end{itemize}\n", tex);
}

int
report_repro_numbers(FILE *md, FILE *tex, const struct report_set *s, const struct report_ref *refs,
	size_t n, const struct report_cause *causes, size_t ncauses, db_err *err)
{
	double *v = db_calloc(s->ncells + 1, sizeof *v, err);
	char *have = db_calloc(n + 1, 1, err);
	struct number *x = db_calloc(n + 1, sizeof *x, err);
	if (!v || !have || !x) {
		free(v);
		free(have);
		free(x);
		return DB_ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		number_of(s, &refs[i], causes, ncauses, v, &x[i]);
		have[i] = x[i].v != V_NOT_RUN;
	}
	headline(md, tex, x, n);
	headers(md, tex);
	for (size_t i = 0; i < n; i++) {
		md_number(md, &x[i]);
		tex_number(tex, &x[i]);
	}
	fputs("\\bottomrule\n\\end{longtable}\n", tex);
	missing(md, tex, refs, have, n);
	free(v);
	free(have);
	free(x);
	return DB_OK;
}

static int
same_origin(const struct report_cell *a, const struct report_cell *b)
{
	return !strcmp(a->tool, b->tool) && !strcmp(report_cell_blas(a), report_cell_blas(b));
}

/* The builds and BLAS kernels that made the set, each with its result
 * files, in first-seen order: NeuMF's numbers move with the kernel (README,
 * "The BLAS kernel is part of a result"), so a reader can tell a rerun on
 * another CPU from a change of the code. */
static void
provenance(FILE *md, FILE *tex, const struct report_set *s)
{
	fputs("## Provenance\n\nResult files by build (`tool` line) and BLAS (`blas` line; older "
	      "files do not name the CPU kernel OpenBLAS chose).\n\n| tool | BLAS | result files "
	      "|\n|---|---|---|\n",
		md);
	fputs("\\section*{Provenance}\n\\begin{tabular}{llr}\n\\toprule\ntool & BLAS & result "
	      "files \\\\\n\\midrule\n",
		tex);
	for (size_t i = 0; i < s->ncells; i++) {
		const struct report_cell *c = &s->cells[i];
		int seen = 0;
		for (size_t j = 0; j < i && !seen; j++)
			seen = same_origin(&s->cells[j], c);
		if (seen)
			continue;
		size_t n = 0;
		for (size_t j = i; j < s->ncells; j++)
			n += (size_t)same_origin(&s->cells[j], c);
		const char *blas = report_cell_blas(c);
		fprintf(md, "| %s | %s | %zu |\n", c->tool, blas, n);
		report_tex_escape(tex, c->tool);
		fputs(" & ", tex);
		report_tex_escape(tex, blas);
		fprintf(tex, " & %zu \\\\\n", n);
	}
	fputs("\n", md);
	fputs("\\bottomrule\n\\end{tabular}\n\n", tex);
}

int
report_repro(FILE *md, FILE *tex, const struct report_set *s, const struct report_ref *refs,
	size_t nrefs, const struct report_cause *causes, size_t ncauses, double alpha,
	const struct report_fig_opts *fig, db_err *err)
{
	fputs("# Reproduction report\n\n", md);
	fputs("% Two pdflatex passes: the longtables measure their columns on the first.\n", tex);
	fputs("\\documentclass{article}\n\\usepackage[a4paper,landscape,margin=1.5cm]{geometry}\n"
	      "\\usepackage{booktabs}\n\\usepackage{longtable}\n\\usepackage{graphicx}\n"
	      "\\usepackage{subcaption}\n\\begin{document}\n"
	      "\\section*{Reproduction report}\n",
		tex);
	int rc = report_repro_numbers(md, tex, s, refs, nrefs, causes, ncauses, err);
	if (!rc)
		provenance(md, tex, s);
	if (!rc)
		rc = report_repro_claims(md, tex, s, refs, nrefs, alpha, err);
	if (!rc && fig)
		rc = report_fig_tex(tex, s, fig, err);
	fputs("\\end{document}\n", tex);
	return rc;
}
