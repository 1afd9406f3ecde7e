/* The reproduction report, part two: the orderings the published numbers
 * claim.  For each (paper, table, dataset, method) the claim is the paper's
 * ordering against its Normal at each metric@K on every model both were
 * published for: "deca > normal on every model at recall@20" when the method
 * is above Normal for every model, "<" when below for every one; a mixed
 * ordering claims nothing.  Each
 * component is tested with our paired tests (report_cmp_pair), Holm over
 * every component of the report; a claim is
 *   contradicted   when a component that was run is significantly the other
 *                  way,
 *   incomplete     otherwise, when a component (a model) was not run,
 *   supported      when every component was run and is significantly the
 *                  claimed way,
 *   not supported  otherwise.
 * A per-model breakdown lists every component with its own verdict. */
#include "report/internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct comp {
	size_t ref, normal;
	long cmp; /* index into the compared family, −1: not run */
};

struct claim {
	size_t first, n; /* components */
	int dir;         /* +1, −1; 0: the paper's ordering is mixed */
};

struct claims {
	struct comp *comp;
	struct claim *claim;
	struct report_cmp *cmp;
	size_t ncomp, nclaim, ncmp;
};

static int
is_normal(const struct report_ref *r)
{
	char m[64];
	report_ref_name(r->method, m, sizeof m);
	return !strcmp(m, "normal");
}

static int
same_claim(const struct report_ref *a, const struct report_ref *b)
{
	return !strcmp(a->paper, b->paper) && !strcmp(a->table, b->table) &&
		!strcmp(a->dataset, b->dataset) && !strcmp(a->method, b->method) &&
		!strcmp(a->metric, b->metric) && a->k == b->k;
}

/* The paper's Normal row for the same (model, metric, K), or n. */
static size_t
normal_row(const struct report_ref *refs, size_t n, const struct report_ref *r)
{
	for (size_t i = 0; i < n; i++)
		if (is_normal(&refs[i]) && !strcmp(refs[i].paper, r->paper) &&
			!strcmp(refs[i].table, r->table) && !strcmp(refs[i].dataset, r->dataset) &&
			!strcmp(refs[i].model, r->model) && !strcmp(refs[i].metric, r->metric) &&
			refs[i].k == r->k)
			return i;
	return n;
}

static void
collect(struct claims *c, const struct report_ref *refs, size_t n, char *done)
{
	for (size_t i = 0; i < n; i++) {
		if (done[i] || is_normal(&refs[i]))
			continue;
		struct claim *cl = &c->claim[c->nclaim];
		*cl = (struct claim){.first = c->ncomp, .n = 0, .dir = 0};
		int up = 1, down = 1;
		for (size_t j = i; j < n; j++) {
			size_t k;
			if (done[j] || !same_claim(&refs[i], &refs[j]) ||
				(k = normal_row(refs, n, &refs[j])) == n)
				continue;
			done[j] = 1;
			c->comp[c->ncomp++] = (struct comp){j, k, -1};
			up = up && refs[j].mean > refs[k].mean;
			down = down && refs[j].mean < refs[k].mean;
			cl->n++;
		}
		cl->dir = up ? 1 : down ? -1 : 0;
		c->nclaim += cl->n > 0;
	}
}

static int
evaluate(struct claims *c, const struct report_set *s, const struct report_ref *refs, db_err *err)
{
	int rc = DB_OK;
	for (size_t i = 0; !rc && i < c->ncomp; i++) {
		const struct report_ref *r = &refs[c->comp[i].ref];
		const struct report_group *gn =
			report_repro_group(s, &refs[c->comp[i].normal], NULL);
		const struct report_group *gm = report_repro_group(s, r, NULL);
		if (!gn || !gm)
			continue;
		rc = report_cmp_pair(s, gn, s, gm, "test", r->metric, r->k, &c->cmp[c->ncmp], err);
		c->comp[i].cmp = (long)c->ncmp++;
	}
	return rc ? rc : report_cmp_holm(c->cmp, c->ncmp, err);
}

struct tally {
	size_t run, agree, against;
	double p; /* the claim's significance: see verdict() */
};

static const char *
verdict(const struct claims *c, const struct claim *cl, double alpha, struct tally *t)
{
	*t = (struct tally){0, 0, 0, NAN};
	double worst_agree = 0, best_against = 1;
	for (size_t i = cl->first; i < cl->first + cl->n; i++) {
		if (c->comp[i].cmp < 0)
			continue;
		const struct report_cmp *x = &c->cmp[c->comp[i].cmp];
		double p = fmin(x->adj_t, x->adj_w);
		int v = report_cmp_verdict(x, alpha);
		t->run++;
		if (v == cl->dir) {
			t->agree++;
			worst_agree = fmax(worst_agree, p);
		} else if (v == -cl->dir) {
			t->against++;
			best_against = fmin(best_against, p);
		}
	}
	if (t->run == 0)
		return "not evaluated (no runs)";
	if (t->against) {
		t->p = best_against;
		return "contradicted";
	}
	if (t->run < cl->n)
		return "incomplete";
	if (t->agree == cl->n) {
		t->p = worst_agree;
		return "supported";
	}
	return "not supported";
}

static void
write_claim(FILE *md, FILE *tex, const struct claims *c, const struct claim *cl,
	const struct report_ref *refs, double alpha)
{
	const struct report_ref *r = &refs[c->comp[cl->first].ref];
	struct tally t;
	const char *v = verdict(c, cl, alpha, &t);
	const char *op = cl->dir > 0 ? ">" : "<";
	fprintf(md, "| %s | %s | %s | %s %s Normal on all %zu models at %s@%d | %zu | %zu | %zu | ",
		r->paper, r->table, r->dataset, r->method, op, cl->n, r->metric, r->k, t.run,
		t.agree, t.against);
	const char *text[] = {r->paper, " & ", r->table, " & ", r->dataset, " & ", r->method};
	for (size_t i = 0; i < 7; i++)
		if (i % 2)
			fputs(text[i], tex);
		else
			report_tex_escape(tex, text[i]);
	fprintf(tex, " $%s$ Normal on all %zu models at ", op, cl->n);
	report_tex_escape(tex, r->metric);
	fprintf(tex, "@%d & %zu & %zu & %zu & ", r->k, t.run, t.agree, t.against);
	if (isnan(t.p)) {
		fputs("-- | ", md);
		fputs("-- & ", tex);
	} else {
		fprintf(md, "%.3g | ", t.p);
		fprintf(tex, "%.3g & ", t.p);
	}
	fprintf(md, "**%s** |\n", v);
	fprintf(tex, "\\textbf{%s} \\\\\n", v);
}

/* One line per component: the model, our difference to Normal, its p and
 * verdict (as claimed, against, not significant, not run). */
static void
write_models(FILE *md, FILE *tex, const struct claims *c, const struct report_ref *refs,
	double alpha)
{
	fputs("\n### Per model\n\n| paper | table | dataset | claim | model | paper: method − "
	      "Normal "
	      "| ours: method − Normal [95 % CI] | p | component |\n"
	      "|---|---|---|---|---|---|---|---|---|\n",
		md);
	fputs("\\subsection*{Per model}\n\\begin{longtable}{lllp{4.5cm}lrrrl}\n\\toprule\n"
	      "paper & table & dataset & claim & model & paper & ours & $p$ & component \\\\\n"
	      "\\midrule\n\\endhead\n",
		tex);
	for (size_t i = 0; i < c->nclaim; i++) {
		const struct claim *cl = &c->claim[i];
		if (cl->dir == 0)
			continue;
		for (size_t j = cl->first; j < cl->first + cl->n; j++) {
			const struct report_ref *r = &refs[c->comp[j].ref];
			const struct report_cmp *x =
				c->comp[j].cmp < 0 ? NULL : &c->cmp[c->comp[j].cmp];
			int v = x ? report_cmp_verdict(x, alpha) : 0;
			const char *word = !x   ? "not run"
				: v == cl->dir  ? "as claimed"
				: v == -cl->dir ? "against"
						: "not significant";
			double paper = r->mean - refs[c->comp[j].normal].mean;
			fprintf(md, "| %s | %s | %s | %s %s Normal at %s@%d | %s | %+.4f | ",
				r->paper, r->table, r->dataset, r->method, cl->dir > 0 ? ">" : "<",
				r->metric, r->k, r->model, paper);
			const char *text[] = {r->paper, r->table, r->dataset, r->method};
			for (size_t t = 0; t < 4; t++) {
				report_tex_escape(tex, text[t]);
				fputs(t < 3                   ? " & "
						: cl->dir > 0 ? " $>$ Normal at "
							      : " $<$ Normal at ",
					tex);
			}
			report_tex_escape(tex, r->metric);
			fprintf(tex, "@%d & ", r->k);
			report_tex_escape(tex, r->model);
			fprintf(tex, " & $%+.4f$ & ", paper);
			if (x) {
				fprintf(md, "%+.4f [%+.4f, %+.4f] | %.3g | %s |\n", x->diff,
					x->diff_lo, x->diff_hi, fmin(x->adj_t, x->adj_w), word);
				fprintf(tex, "$%+.4f$ & %.3g & %s \\\\\n", x->diff,
					fmin(x->adj_t, x->adj_w), word);
			} else {
				fprintf(md, "– | – | %s |\n", word);
				fprintf(tex, "-- & -- & %s \\\\\n", word);
			}
		}
	}
	fputs("\\bottomrule\n\\end{longtable}\n", tex);
}

static void
write_all(FILE *md, FILE *tex, const struct claims *c, const struct report_ref *refs, double alpha)
{
	fprintf(md,
		"\n## Ordering claims\n\n"
		"Each claim is the ordering the paper's own numbers show against Normal; "
		"components: the models published for both at that metric@K; tested with the "
		"paired t test over seeds and the Wilcoxon signed-rank test over users, Holm "
		"over all %zu components run (alpha = %g). p: for a supported claim the largest "
		"Holm-adjusted p of its components, for a contradicted one the smallest against "
		"it. *incomplete*: a component (a model) was not run and none run is "
		"significantly against the claim.\n\n| paper | table | dataset | claim | run | "
		"significant as claimed "
		"| significant against | p | verdict |\n|---|---|---|---|---|---|---|---|---|\n",
		c->ncmp, alpha);
	fputs("\\section*{Ordering claims}\n\\begin{longtable}{lllp{6cm}rrrrl}\n\\toprule\n"
	      "paper & table & dataset & claim & run & as claimed & against & $p$ & verdict "
	      "\\\\\n\\midrule\n\\endhead\n",
		tex);
	size_t mixed = 0;
	for (size_t i = 0; i < c->nclaim; i++) {
		if (c->claim[i].dir == 0)
			mixed++;
		else
			write_claim(md, tex, c, &c->claim[i], refs, alpha);
	}
	fputs("\\bottomrule\n\\end{longtable}\n", tex);
	fprintf(md,
		"\n%zu (paper, table, dataset, method, metric@K) with a mixed ordering against "
		"Normal in the paper's own numbers make no claim.\n",
		mixed);
	fprintf(tex,
		"\n%zu (paper, table, dataset, method, metric@K) with a mixed ordering "
		"against Normal in the paper's own numbers make no claim.\n",
		mixed);
	write_models(md, tex, c, refs, alpha);
}

int
report_repro_claims(FILE *md, FILE *tex, const struct report_set *s, const struct report_ref *refs,
	size_t n, double alpha, db_err *err)
{
	struct claims c = {0};
	char *done = db_calloc(n + 1, 1, err);
	c.comp = db_calloc(n + 1, sizeof *c.comp, err);
	c.claim = db_calloc(n + 1, sizeof *c.claim, err);
	c.cmp = db_calloc(n + 1, sizeof *c.cmp, err);
	int rc = done && c.comp && c.claim && c.cmp ? DB_OK : DB_ENOMEM;
	if (!rc) {
		collect(&c, refs, n, done);
		rc = evaluate(&c, s, refs, err);
	}
	if (!rc)
		write_all(md, tex, &c, refs, alpha);
	free(done);
	free(c.comp);
	free(c.claim);
	free(c.cmp);
	return rc;
}
