/* The selection rules side by side (issue 14; README "Reports"): when the
 * groups of a result set differ by `selection` (suites/recsys25-ml100k.yaml
 * sweeps it per cell), a table per (dataset, model, metric@K): a row per
 * method, a column per rule present (last, best, revised, oracle), the mean
 * ± sd over seeds.  Each method is compared with the reference method
 * (normal) under the *same* rule (report_cmp_pair: paired t over seeds,
 * Wilcoxon over users, as the other tables and the claims), Holm over the
 * methods of one rule and metric; a line per rule names the methods
 * significantly above (and below) it.  Oracle − rule columns show how much of
 * a method's value is the choice of the epoch by the test: oracle is an upper
 * bound, never a result, and every header says so. */
#include "report/internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "config/settings.h"
#include "stats/stats.h"

/* config's choices of `selection`, in its order, which the columns follow */
#define NRULES CONFIG_SELECT_COUNT
#define ORACLE config_selection_names[CONFIG_SELECT_ORACLE]

struct rule_entry {
	const struct report_group *g; /* NULL: not run under this rule */
	double mean, sd;
	size_t n;
	int verdict; /* against the reference under the same rule: +1, −1, 0 */
};

/* One table: the entries of a (dataset, model, metric@K), methods × rules. */
struct rules_table {
	const struct report_set *s;
	const struct report_table_opts *o;
	const char *dataset, *model, *metric;
	int k;
	const char *rules[NRULES];
	size_t nr;
	const char **methods; /* the reference first */
	size_t nme;
	struct rule_entry *e; /* [me * nr + r] */
};

static int
has_rule(const struct report_cell *c, const void *rule)
{
	const char *v = report_cell_config(c, "selection");
	return v && !strcmp(v, rule) && !report_cell_is_trial(c);
}

/* The rules some cell of (dataset, model) ran under, in column order. */
static size_t
rules_of(const struct report_set *s, const char *dataset, const char *model, const char **out)
{
	size_t n = 0;
	for (size_t r = 0; r < NRULES; r++)
		for (size_t i = 0; i < s->ncells; i++) {
			const struct report_cell *c = &s->cells[i];
			if (!strcmp(c->dataset, dataset) && !strcmp(c->model, model) &&
				has_rule(c, config_selection_names[r])) {
				out[n++] = config_selection_names[r];
				break;
			}
		}
	return n;
}

int
report_rules_applies(const struct report_set *s)
{
	for (size_t i = 0; i < s->ngroups; i++)
		for (size_t j = i + 1; j < s->ngroups; j++) {
			const struct report_cell *a = report_group_cell(s, &s->groups[i], 0);
			const struct report_cell *b = report_group_cell(s, &s->groups[j], 0);
			const char *ra = report_cell_config(a, "selection");
			const char *rb = report_cell_config(b, "selection");
			if (ra && rb && strcmp(ra, rb) && !report_cell_is_trial(a) &&
				!report_cell_is_trial(b) && !strcmp(a->dataset, b->dataset) &&
				!strcmp(a->model, b->model) && !strcmp(a->method, b->method))
				return 1;
		}
	return 0;
}

/* v's place in the suite's order of an axis (the list's length when absent). */
static size_t
order_rank(const struct report_table_opts *o, size_t axis, const char *v)
{
	size_t i = 0;
	while (i < o->norder[axis] && strcmp(o->order[axis][i], v))
		i++;
	return i;
}

/* x before y: the reference method first (axis 2), then the suite's
 * order, then by name. */
static int
before(const struct report_table_opts *o, size_t axis, const char *x, const char *y)
{
	int rx = axis == 2 && !strcmp(x, o->reference_method);
	int ry = axis == 2 && !strcmp(y, o->reference_method);
	size_t ox = order_rank(o, axis, x), oy = order_rank(o, axis, y);
	return rx != ry ? rx : ox != oy ? ox < oy : strcmp(x, y) < 0;
}

static void
sort_names(const char **v, size_t n, const struct report_table_opts *o, size_t axis)
{
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && before(o, axis, v[j], v[j - 1]); j--) {
			const char *t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
}

/* The methods of (dataset, model) with a cell under some rule. */
static int
methods_of(struct rules_table *t, db_err *err)
{
	const struct report_set *s = t->s;
	size_t n;
	const char **all = report_set_distinct(s, "method", &n);
	if (!all)
		return db_fail(err, DB_ENOMEM, "out of memory");
	t->nme = 0;
	for (size_t me = 0; me < n; me++)
		for (size_t r = 0; r < t->nr; r++)
			if (report_set_find_if(s, t->dataset, t->model, all[me], has_rule,
				    t->rules[r])) {
				all[t->nme++] = all[me];
				break;
			}
	sort_names(all, t->nme, t->o, 2);
	t->methods = all;
	return DB_OK;
}

static void
fill(struct rules_table *t, double *v)
{
	for (size_t me = 0; me < t->nme; me++)
		for (size_t r = 0; r < t->nr; r++) {
			struct rule_entry *e = &t->e[me * t->nr + r];
			struct stats_summary sum;
			db_err ignored;
			e->g = report_set_find_if(t->s, t->dataset, t->model, t->methods[me],
				has_rule, t->rules[r]);
			e->n = e->g
				? report_group_values(t->s, e->g, t->o->split, t->metric, t->k, v)
				: 0;
			if (e->n == 0 || stats_summary(v, e->n, 0.95, &sum, &ignored)) {
				e->g = NULL;
				continue;
			}
			e->mean = sum.mean;
			e->sd = sum.sd;
		}
}

/* Under rule r, every method against the reference (row 0) under r; Holm
 * over the methods of the rule. */
static int
mark_rule(struct rules_table *t, size_t r, struct report_cmp *cmp, db_err *err)
{
	const struct rule_entry *ref = &t->e[r];
	size_t n = 0;
	int rc = DB_OK;
	if (!ref->g || strcmp(t->methods[0], t->o->reference_method))
		return DB_OK;
	for (size_t me = 1; !rc && me < t->nme; me++)
		if (t->e[me * t->nr + r].g)
			rc = report_cmp_pair(t->s, ref->g, t->s, t->e[me * t->nr + r].g,
				t->o->split, t->metric, t->k, &cmp[n++], err);
	if (!rc)
		rc = report_cmp_holm(cmp, n, err);
	for (size_t me = 1, i = 0; !rc && me < t->nme; me++)
		if (t->e[me * t->nr + r].g)
			t->e[me * t->nr + r].verdict = report_cmp_verdict(&cmp[i++], t->o->alpha);
	return rc;
}

static int
build(struct rules_table *t, db_err *err)
{
	int rc = methods_of(t, err);
	if (rc)
		return rc;
	t->e = db_calloc(t->nme * t->nr + 1, sizeof *t->e, err);
	double *v = db_calloc(t->s->ncells + 1, sizeof *v, err);
	struct report_cmp *cmp = db_calloc(t->nme + 1, sizeof *cmp, err);
	rc = t->e && v && cmp ? DB_OK : DB_ENOMEM;
	if (!rc)
		fill(t, v);
	for (size_t r = 0; !rc && r < t->nr; r++)
		rc = mark_rule(t, r, cmp, err);
	free(v);
	free(cmp);
	return rc;
}

static void
table_free(struct rules_table *t)
{
	free(t->methods);
	free(t->e);
}

static const char *
metric_label(const char *m)
{
	return !strcmp(m, "recall") ? "R" : !strcmp(m, "ndcg") ? "N" : m;
}

static size_t
oracle_column(const struct rules_table *t)
{
	for (size_t r = 0; r < t->nr; r++)
		if (!strcmp(t->rules[r], ORACLE))
			return r;
	return t->nr;
}

/* Why rule r has no comparison to report, or NULL: the reference did not
 * run under it, or nothing else did. */
static const char *
rule_note(const struct rules_table *t, size_t r)
{
	if (!t->e[r].g || strcmp(t->methods[0], t->o->reference_method))
		return "did not run under it";
	for (size_t me = 1; me < t->nme; me++)
		if (t->e[me * t->nr + r].g)
			return NULL;
	return "ran alone under it";
}

/* The methods of rule r whose verdict is dir, ", "-separated ("none"). */
static void
verdict_list(FILE *f, const struct rules_table *t, size_t r, int dir, int tex)
{
	const char *sep = "";
	for (size_t me = 1; me < t->nme; me++)
		if (t->e[me * t->nr + r].g && t->e[me * t->nr + r].verdict == dir) {
			fputs(sep, f);
			if (tex)
				report_tex_escape(f, t->methods[me]);
			else
				fputs(t->methods[me], f);
			sep = ", ";
		}
	fputs(*sep ? "" : "none", f);
}

/* Values carry one digit more than the paper tables: selection moves N@20
 * in the third decimal. */
static void
write_md(FILE *f, const struct rules_table *t)
{
	int d = t->o->digits + 1;
	size_t oc = oracle_column(t);
	fprintf(f, "\n### %s / %s: %s@%d\n\n| method |", t->dataset, t->model,
		metric_label(t->metric), t->k);
	for (size_t r = 0; r < t->nr; r++)
		fprintf(f, " %s%s |", t->rules[r], r == oc ? " (upper bound)" : "");
	for (size_t r = 0; oc < t->nr && r < t->nr; r++)
		if (r != oc)
			fprintf(f, " oracle − %s |", t->rules[r]);
	fputs("\n|---|", f);
	for (size_t r = 0; r < t->nr + (oc < t->nr ? t->nr - 1 : 0); r++)
		fputs("---|", f);
	for (size_t me = 0; me < t->nme; me++) {
		fprintf(f, "\n| %s |", t->methods[me]);
		const struct rule_entry *row = &t->e[me * t->nr];
		for (size_t r = 0; r < t->nr; r++)
			if (row[r].g)
				fprintf(f, " %.*f ± %.*f (%zu)%s |", d, row[r].mean, d, row[r].sd,
					row[r].n, row[r].verdict ? " †" : "");
			else
				fputs(" – |", f);
		for (size_t r = 0; oc < t->nr && r < t->nr; r++)
			if (r != oc && row[r].g && row[oc].g)
				fprintf(f, " %+.*f |", d, row[oc].mean - row[r].mean);
			else if (r != oc)
				fputs(" – |", f);
	}
	fputs("\n\n", f);
	for (size_t r = 0; r < t->nr; r++) {
		fprintf(f, "- %s%s: ", t->rules[r], r == oc ? " (upper bound)" : "");
		if (rule_note(t, r)) {
			fprintf(f, "%s %s\n", t->o->reference_method, rule_note(t, r));
			continue;
		}
		fprintf(f, "methods beating %s (Holm α %g): ", t->o->reference_method, t->o->alpha);
		verdict_list(f, t, r, 1, 0);
		fputs("; below it: ", f);
		verdict_list(f, t, r, -1, 0);
		fputs("\n", f);
	}
}

static void
tex_name(FILE *f, const char *s, const char *after)
{
	report_tex_escape(f, s);
	fputs(after, f);
}

static void
write_tex(FILE *f, const struct rules_table *t)
{
	int d = t->o->digits + 1;
	size_t oc = oracle_column(t);
	size_t ngap = oc < t->nr ? t->nr - 1 : 0;
	fputs("\\subsection*{", f);
	tex_name(f, t->dataset, " / ");
	tex_name(f, t->model, ": ");
	tex_name(f, metric_label(t->metric), "");
	fprintf(f, "@%d}\n\\begin{tabular}{l", t->k);
	report_tex_centred(f, t->nr + ngap);
	fputs("}\n\\toprule\nMethod", f);
	for (size_t r = 0; r < t->nr; r++)
		fprintf(f, " & %s%s", t->rules[r], r == oc ? " (upper bound)" : "");
	for (size_t r = 0; ngap && r < t->nr; r++)
		if (r != oc)
			fprintf(f, " & oracle $-$ %s", t->rules[r]);
	fputs(" \\\\\n\\midrule\n", f);
	for (size_t me = 0; me < t->nme; me++) {
		const struct rule_entry *row = &t->e[me * t->nr];
		report_tex_escape(f, t->methods[me]);
		for (size_t r = 0; r < t->nr; r++)
			if (row[r].g)
				fprintf(f, " & $%.*f\\pm%.*f%s$", d, row[r].mean, d, row[r].sd,
					row[r].verdict ? "^{\\dagger}" : "");
			else
				fputs(" & --", f);
		for (size_t r = 0; ngap && r < t->nr; r++)
			if (r != oc && row[r].g && row[oc].g)
				fprintf(f, " & $%+.*f$", d, row[oc].mean - row[r].mean);
			else if (r != oc)
				fputs(" & --", f);
		fputs(" \\\\\n", f);
	}
	fputs("\\bottomrule\n\\end{tabular}\n\n", f);
	for (size_t r = 0; r < t->nr; r++) {
		fprintf(f, "\\noindent %s%s: ", t->rules[r], r == oc ? " (upper bound)" : "");
		if (rule_note(t, r)) {
			tex_name(f, t->o->reference_method, " ");
			fprintf(f, "%s\\\\\n", rule_note(t, r));
			continue;
		}
		fputs("methods beating ", f);
		tex_name(f, t->o->reference_method, "");
		fprintf(f, " (Holm $\\alpha$ %g): ", t->o->alpha);
		verdict_list(f, t, r, 1, 1);
		fputs("; below it: ", f);
		verdict_list(f, t, r, -1, 1);
		fputs("\\\\\n", f);
	}
}

static const char intro[] =
	"Every method under each selection rule of the result set on the same cells: mean ± "
	"sd over seeds (number of seeds) on the %s split.  †: different from %s "
	"under the same rule at alpha = %g after Holm's correction over the methods of that "
	"rule and metric (paired t test over seeds and Wilcoxon signed-rank test over users). "
	"oracle picks the epoch by the test metric itself: an upper bound, never a result; "
	"oracle − RULE is how much of a method's value under RULE the choice of the epoch "
	"could add.\n";

static int
write_all(FILE *f, const struct report_set *s, const struct report_table_opts *o, int tex,
	db_err *err)
{
	size_t nd, nm;
	const char **ds = report_set_distinct(s, "dataset", &nd);
	const char **models = report_set_distinct(s, "model", &nm);
	int rc = ds && models ? DB_OK : db_fail(err, DB_ENOMEM, "out of memory");
	if (!rc) {
		sort_names(ds, nd, o, 0);
		sort_names(models, nm, o, 1);
	}
	/* K 20 (the study's and the issue's N@20) when the tables have it */
	int k = o->ks[o->nks - 1];
	for (size_t i = 0; i < o->nks; i++)
		k = o->ks[i] == 20 ? 20 : k;
	for (size_t a = 0; !rc && a < nd; a++)
		for (size_t b = 0; !rc && b < nm; b++)
			for (size_t c = 0; !rc && c < o->nmetrics; c++) {
				struct rules_table t = {.s = s,
					.o = o,
					.dataset = ds[a],
					.model = models[b],
					.metric = o->metrics[c],
					.k = k};
				t.nr = rules_of(s, ds[a], models[b], t.rules);
				if (t.nr < 2)
					continue;
				rc = build(&t, err);
				if (!rc)
					(tex ? write_tex : write_md)(f, &t);
				table_free(&t);
			}
	free(ds);
	free(models);
	return rc;
}

int
report_rules_md(FILE *f, const struct report_set *s, const struct report_table_opts *o, db_err *err)
{
	fputs("## Selection rules side by side\n\n", f);
	fprintf(f, intro, o->split, o->reference_method, o->alpha);
	return write_all(f, s, o, 0, err);
}

int
report_rules_tex(FILE *f, const struct report_set *s, const struct report_table_opts *o,
	db_err *err)
{
	report_tex_begin(f);
	fputs("\\section*{Selection rules side by side}\n", f);
	fprintf(f,
		"Every method under each selection rule of the result set on the same cells: "
		"mean $\\pm$ sd over seeds on the ");
	report_tex_escape(f, o->split);
	fputs(" split. $^\\dagger$: different from ", f);
	report_tex_escape(f, o->reference_method);
	fprintf(f,
		" under the same rule at $\\alpha = %g$ after Holm's correction over the methods "
		"of that rule and metric (paired $t$ test over seeds and Wilcoxon signed-rank "
		"test over users). oracle picks the epoch by the test metric itself: an upper "
		"bound, never a result; oracle $-$ rule is how much of a method's value under "
		"the rule the choice of the epoch could add.\n",
		o->alpha);
	int rc = write_all(f, s, o, 1, err);
	report_tex_end(f);
	return rc;
}
