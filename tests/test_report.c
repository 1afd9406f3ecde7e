/* Reports from hand-made result files: the tidy loader, the two LaTeX table
 * layouts against LaTeX written by hand, the reproduction verdicts, compare
 * on identical sets, and gnuplot rendering of every figure type.
 *
 * The fixture: dataset "toy", six users, models gmf and neumf, methods
 * normal, t-ce, r-ce, deca, seeds 1 and 2.  User u scores recall@20 = u/10 + o
 * and ndcg@20 = u/20 + o, so the means are 0.25 + o and 0.125 + o, with the
 * offset o of (method, seed) below (+0.01 for neumf):
 *   normal 0, 0.002   r-ce 0.002, 0 (normal's seeds swapped: no difference)
 *   t-ce 0.02, 0.02201   deca 0.05, 0.05201
 * By hand, gmf recall@20: normal and r-ce (0.25 + 0.252)/2 = 0.251, sd
 * 0.002/sqrt(2) = 0.0014; t-ce 0.271005, sd 0.00201/sqrt(2) = 0.0014; deca
 * 0.301005.  ndcg@20 is 0.125 lower; neumf 0.01 higher.  t-ce and deca
 * differ from normal by 0.02 and 0.02001 (0.05, 0.05001) over the two seeds:
 * t = 0.020005/(0.00001/sqrt(2)/sqrt(2)) = 4001, two-sided p with 1 df =
 * 2 atan(1/4001)/pi = 1.6e-4, far below 0.05 even times the 24 tests of the
 * table; r-ce's differences are +0.002 and -0.002: t = 0, p = 1.  deca is
 * more than 5 % above the best baseline (t-ce): 0.301 > 1.05 * 0.271.
 * gmf files also carry the newer lines (neumf's stay in the older format):
 * curve point i (1..3) has clean loss 0.3 - 0.05 i and noisy 0.9 - 0.02 i;
 * t-ce logs dropped 10 i, dropped_noisy (5 + seed) i, noisy_seen 20 i, so
 * over both seeds precision = 13 i / 20 i = 0.65, recall 13 i / 40 i =
 * 0.325; rating_prob: rating 1 (3 lines, mean 0.2 + 0.01 seed: pooled 0.215)
 * and rating 5 (5 lines, mean 0.8). */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/config.h"
#include "report/report.h"
#include "results/result.h"
#include "rig.h"
#include "tap.h"

/* The registries (models/model.h, methods/method.h, whose typedefs would
 * shadow this file's names) */
const char *model_names(void);
const char *method_names(void);

static char tmp[] = "/tmp/db-test-report-XXXXXX";
/* 1: the fixture's figure shapes reversed (test_index_flip): clean and noisy
 * swapped in the losses and the predictions, the test recall rising to the
 * middle point and falling after it */
static int flip;

struct variant {
	const char *method;
	double o1, o2;
};

static const struct variant variants[] = {
	{"normal", 0, 0.002},
	{"t-ce", 0.02, 0.02201},
	{"r-ce", 0.002, 0},
	{"deca", 0.05, 0.05201},
};

/* One result file; extra: "key\tvalue" config lines (may be ""). */
static void
write_result(const char *dir, const char *mname, const char *method, int seed, double o,
	const char *extra, const char *tag)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s-%s-s%d%s.result", dir, mname, method, seed, tag);
	char *body;
	size_t len;
	FILE *f = open_memstream(&body, &len);
	fprintf(f,
		"denoisebench-result\t%d\ntool\t0.1.0-test\nconfig_hash\t%016x\n"
		"data_checksum\t00000000000000aa\n",
		RESULT_FORMAT, seed);
	fprintf(f,
		"config\tdata\t\nconfig\tdataset\ttoy\nconfig\tmask_valid\ttrue\n"
		"config\tmethod\t%s\nconfig\tmodel\t%s\nconfig\tseed\t%d\n%s",
		method, mname, seed, extra);
	int newer = !strcmp(mname, "gmf");
	for (int i = 1; i <= 3; i++) {
		fprintf(f, "curve\t%d\t%d\t%.17g\t%.17g", 10 * i, i, 0.7 - 0.1 * i - o,
			0.8 - 0.1 * i);
		if (newer)
			fprintf(f, "\t%.17g\t%.17g", flip ? 0.9 - 0.02 * i : 0.3 - 0.05 * i,
				flip ? 0.3 - 0.05 * i : 0.9 - 0.02 * i);
		fputc('\n', f);
		if (newer && !strcmp(method, "t-ce"))
			fprintf(f,
				"curve_stat\t%d\tdropped\t%d\ncurve_stat\t%d\tdropped_noisy\t%d\n"
				"curve_stat\t%d\tnoisy_seen\t%d\n",
				10 * i, 10 * i, 10 * i, (5 + seed) * i, 10 * i, 20 * i);
	}
	if (newer)
		fprintf(f, "rating_prob\t1\t3\t%.17g\nrating_prob\t5\t5\t0.8\n", 0.2 + 0.01 * seed);
	/* diagnostics points (gmf): the noisy loss above the clean one, wider
	 * under t-ce; the test recall along training */
	for (int i = 1; newer && i <= 5; i++) {
		double wide = !strcmp(method, "t-ce") ? 0.02 * i : 0;
		double clean = 0.5 - 0.02 * i, noisy = 0.6 - 0.01 * i + wide + 0.001 * seed;
		fprintf(f,
			"diag\t%d\t1\t0.7\t%.17g\t%.17g\ndiag_test\t%d\trecall\t20\t%.17g\n"
			"diag_test\t%d\tndcg\t20\t0.05\n",
			4 * i, flip ? noisy : clean, flip ? clean : noisy, 4 * i,
			0.1 + 0.01 * (flip && i > 3 ? 6 - i : i) + o, 4 * i);
		if (!strcmp(method, "t-ce"))
			fprintf(f,
				"diag_stat\t%d\tdropped\t%d\ndiag_stat\t%d\tdropped_noisy\t%d\n"
				"diag_stat\t%d\tnoisy_seen\t%d\n",
				4 * i, 4 * i, 4 * i, i + seed, 4 * i, 8 * i);
	}
	/* predictions of 3 clean and 3 noisy lines: models and seeds differ
	 * by 0.02 / 0.01 on clean and 0.1 / 0.05 on noisy lines */
	for (int u = 0; u < 6; u++)
		fprintf(f, "pred\t%d\t1\t%d\t%s\t%.17g\n", u, u < 3 ? 5 : 2,
			u < 3 ? "clean" : "noisy",
			(u < 3) != flip ? 0.5 + 0.02 * !newer + 0.01 * seed
					: 0.3 + 0.1 * !newer + 0.05 * seed);
	fprintf(f,
		"metric\ttest\trecall\t20\t%.17g\nmetric\ttest\tndcg\t20\t%.17g\n"
		"metric\ttest\tusers\t0\t6\nks\ttest\t20\n",
		0.25 + o, 0.125 + o);
	for (int u = 0; u < 6; u++)
		fprintf(f, "user\ttest\t%d\trecall\t%.17g\nuser\ttest\t%d\tndcg\t%.17g\n", u,
			0.1 * u + o, u, 0.05 * u + o);
	rig_seal(path, f, &body, &len);
}

static void
make_fixture(const char *dir)
{
	mkdir(dir, 0755);
	for (int m = 0; m < 2; m++)
		for (size_t v = 0; v < sizeof variants / sizeof variants[0]; v++) {
			double shift = m ? 0.01 : 0;
			const char *mname = m ? "neumf" : "gmf";
			write_result(dir, mname, variants[v].method, 1, variants[v].o1 + shift, "",
				"");
			write_result(dir, mname, variants[v].method, 2, variants[v].o2 + shift, "",
				"");
		}
}

static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	char *s = calloc(1, 1 << 16);
	size_t n = fread(s, 1, (1 << 16) - 1, f);
	s[n] = 0;
	fclose(f);
	return s;
}

/* Renders into a file and returns its text (to be freed). */
static char *
render(int (*fn)(FILE *, const struct report_set *, const struct report_table_opts *, db_err *),
	const struct report_set *s, const struct report_table_opts *o, const char *name)
{
	char path[512];
	db_err err;
	snprintf(path, sizeof path, "%s/%s", tmp, name);
	FILE *f = fopen(path, "w");
	int rc = fn(f, s, o, &err);
	fclose(f);
	tap_ok(rc == DB_OK, "%s renders", name);
	return slurp(path);
}

static const char *metrics[] = {"recall", "ndcg"};
static const int ks[] = {20};

static void
test_load(const struct report_set *s)
{
	tap_ok(s->ncells == 16, "16 result files loaded (got %zu)", s->ncells);
	tap_ok(s->ngroups == 8, "8 cell groups: seed is not part of the key (got %zu)", s->ngroups);
	const struct report_group *g = report_set_find(s, "toy", "gmf", "t-ce");
	double v[4];
	tap_ok(g && g->n == 2 && report_group_values(s, g, "test", "recall", 20, v) == 2,
		"gmf t-ce: two seeds with recall@20");
	tap_near(g ? v[1] : 0, 0.27201, 1e-15, "seed 2 value read back exactly");
	const struct report_series *u =
		g ? report_cell_series(report_group_cell(s, g, 0), "test", "ndcg", 20) : NULL;
	tap_ok(u && u->n == 6 && u->user[5] == 5, "per-user ndcg@20 of 6 users");
	tap_ok(report_group_cell(s, g, 0)->ncurve == 3, "three curve points");
	const struct report_cell *c = g ? report_group_cell(s, g, 1) : NULL;
	tap_ok(c && c->curve[1].loss_clean == 0.3 - 0.05 * 2 &&
			c->curve[1].loss_noisy == 0.9 - 0.02 * 2,
		"clean and noisy losses read back exactly");
	tap_ok(c && c->nstats == 9 && report_cell_stat(c, 20, "dropped_noisy") == 14 &&
			isnan(report_cell_stat(c, 20, "nothing")),
		"curve_stat counters by point and name");
	tap_ok(c && c->nratings == 2 && c->ratings[0].rating == 1 && c->ratings[0].count == 3 &&
			c->ratings[0].mean == 0.2 + 0.01 * 2 && c->ratings[1].rating == 5,
		"rating_prob lines");
	g = report_set_find(s, "toy", "neumf", "t-ce");
	c = g ? report_group_cell(s, g, 0) : NULL;
	tap_ok(c && c->ncurve == 3 && isnan(c->curve[0].loss_clean) &&
			isnan(c->curve[0].loss_noisy) && c->nstats == 0 && c->nratings == 0,
		"older files: curve lines without the losses read, losses nan");
}

static void
test_deca_table(const struct report_set *s, const struct report_table_opts *o)
{
	char *t = render(report_table_deca, s, o, "deca.tex");
	const char *want =
		"\\begin{tabular}{lcccc}\n\\toprule\n"
		"\\textit{toy} & \\multicolumn{2}{c}{gmf} & \\multicolumn{2}{c}{neumf} \\\\\n"
		"\\cmidrule(lr){2-3} \\cmidrule(lr){4-5}\n"
		"Method & R@20 & N@20 & R@20 & N@20 \\\\\n"
		"\\midrule\n"
		"normal & $0.251\\pm0.001$ & $0.126\\pm0.001$ & $0.261\\pm0.001$ & "
		"$0.136\\pm0.001$ \\\\\n"
		"t-ce & $0.271\\pm0.001^{\\dagger}$ & $0.146\\pm0.001^{\\dagger}$ & "
		"$0.281\\pm0.001^{\\dagger}$ & $0.156\\pm0.001^{\\dagger}$ \\\\\n"
		"r-ce & $0.251\\pm0.001$ & $0.126\\pm0.001$ & $0.261\\pm0.001$ & $0.136\\pm0.001$ "
		"\\\\\n"
		"deca & $\\mathbf{0.301}\\pm0.001^{*\\dagger}$ & "
		"$\\mathbf{0.176}\\pm0.001^{*\\dagger}$ & "
		"$\\mathbf{0.311}\\pm0.001^{*\\dagger}$ & $\\mathbf{0.186}\\pm0.001^{*\\dagger}$ "
		"\\\\\n"
		"\\bottomrule\n\\end{tabular}\n";
	const char *body = t ? strstr(t, "\\begin{tabular}") : NULL;
	if (!tap_ok(body && !strncmp(body, want, strlen(want)),
		    "DeCA layout: the hand-written table"))
		tap_diag("got:\n%s", body ? body : "(nothing)");
	tap_ok(t && strstr(t, "over 2 seeds") && strstr(t, "\\min(|\\mathrm{test}|, K)") &&
			strstr(t, "validation items") && strstr(t, "\\usepackage{booktabs}") &&
			strstr(t, "\\end{document}"),
		"DeCA layout: standalone, caption with masking, IDCG and seeds");
	free(t);
	/* a suite's order, and K from the published rows (only @20) over --ks 10,20 */
	static const char *const models[] = {"neumf", "gmf"}, *const methods[] = {"deca", "normal"};
	static const int ks2[] = {10, 20};
	struct report_ref ref = {"p", "T", "toy", "gmf", "normal", "recall", 20, 0.25, 0, 0};
	struct report_table_opts o2 = *o;
	o2.order[1] = models, o2.norder[1] = 2;
	o2.order[2] = methods, o2.norder[2] = 2;
	o2.ks = ks2, o2.nks = 2;
	o2.refs = &ref, o2.nrefs = 1;
	t = render(report_table_deca, s, &o2, "deca2.tex");
	const char *deca = t ? strstr(t, "\ndeca & ") : NULL,
		   *normal = t ? strstr(t, "\nnormal & ") : NULL;
	const char *tce = t ? strstr(t, "\nt-ce & ") : NULL;
	tap_ok(t &&
			strstr(t,
				"\\textit{toy} & \\multicolumn{2}{c}{neumf} & "
				"\\multicolumn{2}{c}{gmf}") &&
			deca && normal && tce && deca < normal && normal < tce,
		"DeCA layout: models and methods in the suite's order, the others after");
	tap_ok(t && strstr(t, "Method & R@20 & N@20 & R@20 & N@20 \\\\\n") && !strstr(t, "R@10"),
		"DeCA layout: the dataset's K from its published rows");
	free(t);
}

/* RI by hand: t-ce (0.020005/0.251 + 0.020005/0.126)/2 = 11.92 %;
 * deca (0.050005/0.251 + 0.050005/0.126)/2 = 29.80 %. */
static void
test_adt_table(const struct report_set *s, const struct report_table_opts *o)
{
	char *t = render(report_table_adt, s, o, "adt.tex");
	const char *rows[] = {
		"gmf & $0.251$ & $0.126$ & -- \\\\\n",
		"gmf+t-ce & $0.271^{\\dagger}$ & $0.146^{\\dagger}$ & $+11.9\\%$ \\\\\n",
		"gmf+r-ce & $0.251$ & $0.126$ & $+0.0\\%$ \\\\\n",
		"gmf+deca & $\\mathbf{0.301}^{\\dagger}$ & $\\mathbf{0.176}^{\\dagger}$ & "
		"$+29.8\\%$ \\\\\n",
		"Model & R@20 & N@20 & RI \\\\\n",
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
		if (!tap_ok(t && strstr(t, rows[i]), "ADT layout row: %.*s",
			    (int)strcspn(rows[i], "&"), rows[i]))
			tap_diag("got:\n%s", t ? t : "(nothing)");
	free(t);
}

static void
write_refs(const char *path)
{
	FILE *f = fopen(path, "w");
	fputs("paper\ttable\tdataset\tmodel\tmethod\tmetric\tk\tmean\tsd\n"
	      "toy-paper\tT1\tToy\tGMF\tNormal\trecall\t20\t0.251\t0.001\n"
	      "toy-paper\tT1\tToy\tNeuMF\tNormal\trecall\t20\t0.26\t\n"
	      "toy-paper\tT1\tToy\tGMF\tDeCA\trecall\t20\t0.400\t0.01\n"
	      "toy-paper\tT1\tToy\tNeuMF\tDeCA\trecall\t20\t0.35\t0.01\n"
	      "toy-paper\tT1\tToy\tGMF\tT-CE\trecall\t20\t0.20\t0.01\n"
	      "toy-paper\tT1\tToy\tNeuMF\tT-CE\trecall\t20\t0.21\t0.01\n"
	      "toy-paper\tT1\tToy\tGMF\tR-CE\trecall\t20\t0.30\t0.01\n"
	      "toy-paper\tT1\tToy\tNeuMF\tR-CE\trecall\t20\t0.31\t0.01\n"
	      "toy-paper\tT1\tToy\tLightGCN\tNormal\trecall\t20\t0.3\t0.01\n"
	      "toy-paper\tT2\tToy\tGMF\tNormal\trecall\t20\t0.251\t0.001\n"
	      "toy-paper\tT2\tToy\tGMF\tDeCA\trecall\t20\t0.400\t0.01\n"
	      "toy-paper\tT2\tToy\tLightGCN\tNormal\trecall\t20\t0.3\t0.01\n"
	      "toy-paper\tT2\tToy\tLightGCN\tDeCA\trecall\t20\t0.5\t0.01\n",
		f);
	fclose(f);
}

/* Claims from the published rows: DeCA > Normal (we agree, significantly):
 * supported; T-CE < Normal (ours is significantly above): contradicted;
 * R-CE > Normal (ours equal): not supported. */
static void
test_repro(const struct report_set *s)
{
	char path[512], md[512], tex[512];
	snprintf(path, sizeof path, "%s/refs.tsv", tmp);
	snprintf(md, sizeof md, "%s/repro.md", tmp);
	snprintf(tex, sizeof tex, "%s/repro.tex", tmp);
	write_refs(path);
	struct report_ref *refs;
	size_t n;
	db_err err;
	tap_ok(report_refs_read(path, &refs, &n, &err) == DB_OK && n == 13,
		"13 reference rows read");
	FILE *fm = fopen(md, "w"), *ft = fopen(tex, "w");
	tap_ok(report_repro(fm, ft, s, refs, n, NULL, 0, 0.05, NULL, &err) == DB_OK,
		"reproduction report");
	fclose(fm);
	fclose(ft);
	report_refs_free(refs, n);
	char *m = slurp(md);
	const char *want[] = {
		"| toy-paper | T1 | Toy | GMF | Normal | recall@20 | 0.2510 ± 0.0014 (2) | 0.251 ± "
		"0.001 "
		"| +0.0000 | reproduced |",
		"| toy-paper | T1 | Toy | GMF | DeCA | recall@20 | 0.3010 ± 0.0014 (2) | 0.4 ± "
		"0.01 "
		"| -0.0990 | not reproduced |",
		"| DeCA > Normal on all 2 models at recall@20 | 2 | 2 | 0 |",
		"**supported**",
		"**contradicted**",
		"**not supported**",
		"3 published numbers without a run of ours",
		"- toy-paper T1: Toy LightGCN Normal",
		/* T2: LightGCN was not run, GMF agrees significantly */
		"| toy-paper | T2 | Toy | DeCA > Normal on all 2 models at recall@20 | 1 | 1 | 0 | "
		"-- "
		"| **incomplete** |",
		"| toy-paper | T2 | Toy | DeCA > Normal at recall@20 | LightGCN | +0.2000 | – | – "
		"| not run |",
		"| toy-paper | T1 | Toy | DeCA > Normal at recall@20 | GMF | +0.1490 | +0.0500 [",
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		if (!tap_ok(m && strstr(m, want[i]), "reproduction: %s", want[i]))
			tap_diag("got:\n%s", m ? m : "(nothing)");
	const char *verdicts[] = {"R-CE > Normal", "T-CE < Normal"};
	const char *expect[] = {"**not supported**", "**contradicted**"};
	for (int i = 0; i < 2; i++) {
		const char *line = m ? strstr(m, verdicts[i]) : NULL;
		const char *nl = line ? strchr(line, '\n') : NULL;
		const char *v = line ? strstr(line, expect[i]) : NULL;
		tap_ok(v && v < nl, "claim %s: %s", verdicts[i], expect[i]);
	}
	free(m);
}

/* Verdicts, causes and switches on their own fixture (recall@20 = 0.25 + o):
 *   normal o 0, 0.002: 0.251, sd 0.0014, 95 % CI 0.251 ± 12.706·0.001 = ±0.0127
 *   r-ce 0.05, 0.052: 0.301;  deca 0 / 0.002: 0.251;  ensemble 0.1 / 0.102: 0.351
 *   deca with deca_terms dp 0.1 / 0.102: 0.351
 *   t-ce num_gradual 400 (the deca protocol's default) 0 / 0.002: 0.251;
 *   num_gradual 0 (the switch flipped, first in key order) 0.03 / 0.032: 0.281.
 * Published (sd): normal 0.26 (none): in the CI -> reproduced.  r-ce 0.33
 * (0.02): outside the CI (0.3137), |d| 0.029 <= 1.96·√(0.0014² + 0.02²) =
 * 0.0393 -> close.  deca 0.40 (0.01): d 0.149 > 0.0197, >= 0.1 -> not
 * reproduced, large.  ensemble 0.40 (0.01): d 0.049, < 0.1 -> not reproduced,
 * not large.  t-ce 0.30 (0.001): main cells 0.251, not reproduced, cause
 * with its switch's 0.2810.  deca+deca_terms=dp 0.35 (0.01): reproduced.
 * neumf normal: not run.  Headline: 2 reproduced, 1 close, 3 not, 1 not run,
 * 1 large. */
static void
make_verdicts(const char *dir)
{
	static const struct {
		const char *method, *extra, *tag;
		double o1, o2;
	} v[] = {
		{"normal", "", "", 0, 0.002},
		{"r-ce", "", "", 0.05, 0.052},
		{"deca", "", "", 0, 0.002},
		{"ensemble", "", "", 0.1, 0.102},
		{"deca", "config\tdeca_terms\tdp\n", "-dp", 0.1, 0.102},
		{"t-ce", "config\tnum_gradual\t400\n", "-n400", 0, 0.002},
		{"t-ce", "config\tnum_gradual\t0\n", "-n0", 0.03, 0.032},
	};
	mkdir(dir, 0755);
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		write_result(dir, "gmf", v[i].method, 1, v[i].o1, v[i].extra, v[i].tag);
		write_result(dir, "gmf", v[i].method, 2, v[i].o2, v[i].extra, v[i].tag);
	}
}

static void
write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
}

/* The markdown line of s that starts with start holds want. */
static int
line_has(const char *s, const char *start, const char *want)
{
	const char *l = s ? strstr(s, start) : NULL;
	const char *nl = l ? strchr(l, '\n') : NULL;
	const char *w = l ? strstr(l, want) : NULL;
	if (!(w && w < nl))
		tap_diag("line %s: want %s", start, want);
	return w && w < nl;
}

static void
test_verdicts(void)
{
	char dir[512], refs_p[512], causes_p[512], md[512], tex[512];
	snprintf(dir, sizeof dir, "%s/verdicts", tmp);
	snprintf(refs_p, sizeof refs_p, "%s/vrefs.tsv", tmp);
	snprintf(causes_p, sizeof causes_p, "%s/causes.tsv", tmp);
	snprintf(md, sizeof md, "%s/vrepro.md", tmp);
	snprintf(tex, sizeof tex, "%s/vrepro.tex", tmp);
	make_verdicts(dir);
	write_text(refs_p,
		"paper\ttable\tdataset\tmodel\tmethod\tmetric\tk\tmean\tsd\n"
		"p\tT1\ttoy\tgmf\tnormal\trecall\t20\t0.26\t\n"
		"p\tT1\ttoy\tgmf\tr-ce\trecall\t20\t0.33\t0.02\n"
		"p\tT1\ttoy\tgmf\tdeca\trecall\t20\t0.40\t0.01\n"
		"p\tT1\ttoy\tgmf\tensemble\trecall\t20\t0.40\t0.01\n"
		"p\tT1\ttoy\tgmf\tt-ce\trecall\t20\t0.30\t0.001\n"
		"p\tT1\ttoy\tgmf\tdeca+deca_terms=dp\trecall\t20\t0.35\t0.01\n"
		"p\tT1\ttoy\tneumf\tnormal\trecall\t20\t0.30\t0.01\n");
	write_text(causes_p,
		"paper\ttable\tdataset\tmodel\tmethod\tmetric\tcause\tcitation\t"
		"switch\n# comment\n*\t*\t*\t*\tt-ce\trecall@*\tramp too long\tprotocol.md §4.2\t"
		"num_gradual=0\n*\t*\t*\t*\tt-ce\t*\tnot this one\tx\t-\n");
	struct report_set s;
	struct report_ref *refs;
	struct report_cause *causes;
	size_t n, nc;
	db_err err;
	char *p[] = {dir};
	if (!tap_ok(report_set_load(&s, p, 1, &err) == DB_OK &&
			    !report_refs_read(refs_p, &refs, &n, &err) &&
			    !report_causes_read(causes_p, &causes, &nc, &err) && nc == 2,
		    "verdict fixture, 7 rows and 2 causes read"))
		return;
	const struct report_group *g = report_set_find(&s, "toy", "gmf", "t-ce");
	tap_ok(g && !strcmp(report_cell_config(report_group_cell(&s, g, 0), "num_gradual"), "400"),
		"tables show the main cells, not the switch's extra cells");
	FILE *fm = fopen(md, "w"), *ft = fopen(tex, "w");
	tap_ok(report_repro(fm, ft, &s, refs, n, causes, nc, 0.05, NULL, &err) == DB_OK, "report");
	fclose(fm);
	fclose(ft);
	char *m = slurp(md);
	tap_ok(line_has(m, "| p | T1 | toy | gmf | normal |", "| reproduced |"), "reproduced");
	tap_ok(line_has(m, "| p | T1 | toy | gmf | r-ce |", "| close |"), "close");
	tap_ok(line_has(m, "| p | T1 | toy | gmf | deca |", "| not reproduced (**large miss**) |"),
		"not reproduced, large");
	tap_ok(line_has(m, "| p | T1 | toy | gmf | ensemble |", "| not reproduced |"),
		"not reproduced, not large");
	tap_ok(line_has(m, "| p | T1 | toy | gmf | t-ce |", "| 0.2510 ± 0.0014 (2) |") &&
			line_has(m, "| p | T1 | toy | gmf | t-ce |",
				"| ramp too long (protocol.md §4.2) | "
				"num_gradual=0: 0.2810 |"),
		"t-ce: main cells, first matching cause, switch flipped");
	tap_ok(line_has(m, "| p | T1 | toy | gmf | deca+deca_terms=dp |", "0.3510 ± 0.0014 (2)") &&
			line_has(m, "| p | T1 | toy | gmf | deca+deca_terms=dp |",
				"| reproduced |"),
		"METHOD+KEY=VALUE picks the cells with that setting");
	tap_ok(line_has(m, "| p | T1 | toy | neumf | normal |", "| not run |"), "not run");
	tap_ok(line_has(m, "| p | T1 |", "| 2 | 1 | 3 | 1 | 1 |"), "headline counts");
	free(m);
	report_causes_free(causes, nc);
	report_refs_free(refs, n);
	report_set_free(&s);
	write_text(causes_p,
		"paper\ttable\tdataset\tmodel\tmethod\tmetric\tcause\tcitation\t"
		"switch\n*\t*\t*\t*\t*\t*\tc\tx\tnum_gradual\n");
	tap_ok(report_causes_read(causes_p, &causes, &nc, &err) == DB_EPARSE &&
			strstr(err.msg, "causes.tsv:2:") && strstr(err.msg, "KEY=VALUE"),
		"a bad switch is refused naming file:line (%s)", err.msg);
}

static void
test_compare_identical(const struct report_set *s)
{
	struct report_cmp *c;
	size_t n, unmatched;
	db_err err;
	char *unpaired;
	struct report_pairing all = {NULL, 0, NULL, 0};
	int rc = report_cmp_sets(s, s, &all, "test", "ndcg", 20, &c, &n, &unpaired, &unmatched,
		&err);
	free(unpaired);
	int worse = 0;
	for (size_t i = 0; !rc && i < n; i++)
		worse |= report_cmp_verdict(&c[i], 0.05) != 0;
	tap_ok(!rc && n == 8 && unmatched == 0 && !worse,
		"compare: a set against itself pairs 8 groups, none different");
	free(c);
	const char *ignore[] = {"method"};
	struct report_pairing no_method = {ignore, 1, NULL, 0};
	rc = report_cmp_sets(s, s, &no_method, "test", "ndcg", 20, &c, &n, &unpaired, &unmatched,
		&err);
	free(unpaired);
	tap_ok(!rc && n == 8 && unmatched == 0, "compare --ignore method still pairs one to one");
	free(c);
}

/* Seed 3 for every group but gmf/deca: the caption names that one. */
static void
test_short_group(const struct report_table_opts *o)
{
	char dir[512];
	snprintf(dir, sizeof dir, "%s/short", tmp);
	make_fixture(dir);
	for (int m = 0; m < 2; m++)
		for (size_t v = 0; v < sizeof variants / sizeof variants[0]; v++)
			if (m || strcmp(variants[v].method, "deca"))
				write_result(dir, m ? "neumf" : "gmf", variants[v].method, 3,
					variants[v].o1, "", "");
	struct report_set s;
	db_err err;
	char *paths[] = {dir};
	if (!tap_ok(report_set_load(&s, paths, 1, &err) == DB_OK, "short-group fixture loads"))
		return;
	char *t = render(report_table_deca, &s, o, "short.tex");
	if (!tap_ok(t && strstr(t, "over 2--3 seeds; fewer than 3: toy/gmf/deca (2). ") &&
			    !strstr(t, "neumf/deca ("),
		    "caption: the real seed range and the one group with fewer seeds"))
		tap_diag("got:\n%s", t ? t : "(nothing)");
	free(t);
	report_set_free(&s);
}

/* The buffer entry point (for the fuzz target): a sealed text reads; the
 * same text with one byte changed is refused at the closing line. */
static void
test_read_buffer(void)
{
	const char body[] = "denoisebench-result\t2\ntool\tt\ndata_checksum\t00000000000000aa\n"
			    "config\tdataset\ttoy\nconfig\tmethod\tnormal\nconfig\tmodel\tgmf\n"
			    "config\tseed\t7\nks\ttest\t1\t2\nuser\ttest\t3\tndcg\t0.5\t0.25\n";
	char *text;
	size_t n;
	FILE *f = open_memstream(&text, &n);
	result_seal(f, body, sizeof body - 1);
	fclose(f);
	struct report_cell c;
	db_err err;
	int rc = report_cell_read_buffer(&c, "mem", text, n, &err);
	const struct report_series *s = rc ? NULL : report_cell_series(&c, "test", "ndcg", 2);
	tap_ok(s && s->n == 1 && s->user[0] == 3 && s->value[0] == 0.25 && c.seed == 7,
		"report_cell_read_buffer: a sealed buffer reads");
	if (!rc)
		report_cell_free(&c);
	text[strlen(body) - 3] = '9';
	rc = report_cell_read_buffer(&c, "mem", text, n, &err);
	tap_ok(rc == DB_EPARSE && strstr(err.msg, "mem:10: SHA-256"),
		"report_cell_read_buffer: one byte edited is refused at mem:10 (%s)",
		rc ? err.msg : "read");
	free(text);
}

/* Width and height from a PNG's IHDR chunk (bytes 16..23, big-endian). */
static int
png_size(const char *path, uint32_t *w, uint32_t *h)
{
	unsigned char b[24];
	FILE *f = fopen(path, "rb");
	size_t n = f ? fread(b, 1, sizeof b, f) : 0;
	if (f)
		fclose(f);
	if (n != sizeof b || memcmp(b, "\x89PNG\r\n\x1a\n", 8) || memcmp(b + 12, "IHDR", 4))
		return 0;
	*w = (uint32_t)b[16] << 24 | (uint32_t)b[17] << 16 | (uint32_t)b[18] << 8 | b[19];
	*h = (uint32_t)b[20] << 24 | (uint32_t)b[21] << 16 | (uint32_t)b[22] << 8 | b[23];
	return 1;
}

/* A sweep: gmf normal over three lr values (a line) and gmf t-ce over two
 * drop rates x two ramps (a heat map). */
static void
make_sweep(const char *dir)
{
	const double lr[] = {0.001, 0.01, 0.1};
	mkdir(dir, 0755);
	for (int i = 0; i < 3; i++)
		for (int seed = 1; seed <= 2; seed++) {
			char extra[128], tag[32];
			/* a setting that changes no result (CFG_NOHASH) differs too */
			snprintf(extra, sizeof extra, "config\tlr\t%g\nconfig\tdiag_test\t%s\n",
				lr[i], i ? "false" : "true");
			snprintf(tag, sizeof tag, "-lr%d", i);
			write_result(dir, "gmf", "normal", seed, 0.01 * i + 0.001 * seed, extra,
				tag);
		}
	for (int i = 0; i < 4; i++) {
		char extra[128], tag[32];
		snprintf(extra, sizeof extra, "config\tdrop_rate\t0.%d\nconfig\tnum_gradual\t%d\n",
			1 + i / 2, 100 * (1 + i % 2));
		snprintf(tag, sizeof tag, "-c%d", i);
		write_result(dir, "gmf", "t-ce", 1, 0.01 * i, extra, tag);
	}
	/* DeCA Fig. 6: a C1 x C2 x alpha grid; the key defaults (no paper
	 * configuration for toy) are C1 1000, C2 10, alpha 1 */
	const char *c1[] = {"1", "1000"}, *c2[] = {"10", "1000"}, *al[] = {"0", "1"};
	for (int i = 0; i < 8; i++) {
		char extra[160], tag[32];
		snprintf(extra, sizeof extra,
			"config\tdeca_alpha\t%s\nconfig\tdeca_c1\t%s\n"
			"config\tdeca_c2\t%s\n",
			al[i >> 2], c1[i & 1], c2[i >> 1 & 1]);
		snprintf(tag, sizeof tag, "-g%d", i);
		write_result(dir, "gmf", "deca", 1,
			0.001 * (i & 1) + 0.01 * (i >> 1 & 1) + 0.1 * (i >> 2), extra, tag);
	}
}

/* The grid's slices through the defaults and the smaller sweeps: point
 * counts and values. */
static void
test_grid_slices(const char *dir)
{
	static const struct {
		const char *name, *want;
		int points;
	} slices[] = {
		{"deca-deca_c1-deca_c2", "\n1 1 1000 1000 0.361 1000 1000\n", 4},
		{"deca-deca_alpha-deca_c1", "\n0 1 0 1000 0.251 0 1000\n", 4},
		{"deca-deca_alpha-deca_c2", "\n1 1 1 1000 0.361 1 1000\n", 4},
		{"deca-deca_alpha", "\n0 0.251 0 1\n1 0.351 0 1\n", 2},
		{"deca-deca_c1", "\n1 0.35 0 1\n1000 0.351 0 1\n", 2},
		{"deca-deca_c2", "\n10 0.351 0 1\n1000 0.361 0 1\n", 2},
		/* the two-setting sweeps: a heat map and a line, a row per group */
		{"t-ce-drop_rate-num_gradual", "\n0 0 0.1 100 0.25 0.1 100\n", 4},
		{"normal-lr", "\n0.01 0.2615 ", 3},
	};
	for (size_t i = 0; i < sizeof slices / sizeof slices[0]; i++) {
		char path[700];
		snprintf(path, sizeof path, "%s/sweep-toy-gmf-%s.dat", dir, slices[i].name);
		char *t = slurp(path);
		int rows = 0;
		for (const char *p = t; p && (p = strchr(p, '\n')); p++)
			rows += p[1] && p[1] != '#';
		if (!tap_ok(t && rows == slices[i].points && strstr(t, slices[i].want),
			    "sweep %s: %d points (%d)", slices[i].name, slices[i].points, rows))
			tap_diag("%s", t ? t : "(no file)");
		free(t);
	}
}

/* The new figures' data against the fixture's hand values. */
static void
test_figure_data(const char *dir)
{
	char path[700];
	snprintf(path, sizeof path, "%s/drops-toy-gmf-t-ce.dat", dir);
	char *t = slurp(path);
	/* from the diag_stat counters (5 points), not curve_stat (3) */
	if (!tap_ok(t && strstr(t, "\n8 16 7 32 0.4375 0.21875\n") &&
			    strstr(t, "\n20 40 13 80 0.325 0.1625\n") && !strstr(t, "\n30 "),
		    "drops: diagnostics counts summed over seeds, precision 0.4375, recall "
		    "0.21875"))
		tap_diag("%s", t ? t : "(no file)");
	free(t);
	snprintf(path, sizeof path, "%s/ratings-toy-gmf.dat", dir);
	t = slurp(path);
	if (!tap_ok(t &&
			    strstr(t,
				    "# rating deca normal r-ce t-ce\n1 0.215 0.215 0.215 0.215\n"
				    "5 0.8 0.8 0.8 0.8\n"),
		    "ratings: a column per method, pooled means by rating"))
		tap_diag("%s", t ? t : "(no file)");
	free(t);
	/* a block per method (normal, t-ce, r-ce, deca: panel order) of 5
	 * points each, seeds averaged */
	const char *per_method[] = {"panels-toy-gmf", "along-toy-gmf"};
	for (int k = 0; k < 2; k++) {
		snprintf(path, sizeof path, "%s/%s.dat", dir, per_method[k]);
		t = slurp(path);
		int blocks = 0, rows = 0, ok = t != NULL;
		for (char *line = t; ok && line && *line; line = strchr(line, '\n') + 1) {
			if (*line == '#')
				blocks++;
			else if (*line != '\n')
				rows++;
			if (!strchr(line, '\n'))
				break;
		}
		if (!tap_ok(ok && blocks == 4 && rows == 20, "%s: 4 series of 5 points (%d, %d)",
			    per_method[k], blocks, rows))
			tap_diag("%s", t ? t : "(no file)");
		free(t);
	}
	snprintf(path, sizeof path, "%s/panels-toy-gmf.dat", dir);
	t = slurp(path);
	if (!tap_ok(t && strstr(t, "# normal:") && strstr(t, "# normal:") < strstr(t, "# t-ce:") &&
			    strstr(t, "# r-ce:") < strstr(t, "# deca:") &&
			    strstr(t, "(mean over 2 seeds)\n4 0.48 0.6115\n8 0.46 0.6215\n"),
		    "panels: normal, t-ce, r-ce, deca (the papers' order), t-ce's points (clean "
		    "0.48, noisy mean 0.6115)"))
		tap_diag("%s", t ? t : "(no file)");
	free(t);
	snprintf(path, sizeof path, "%s/preds-toy.dat", dir);
	t = slurp(path);
	if (!tap_ok(t && strstr(t, "\"gmf vs neumf (normal)\" 0.02 0.1 3 3\n") &&
			    strstr(t, "\"gmf seeds 1, 2 (t-ce)\" 0.01 0.05 3 3\n") &&
			    strstr(t, "\"neumf seeds 1, 2 (deca)\" 0.01 0.05 3 3\n"),
		    "preds: mean |P_a - P_b| on clean and noisy lines of model and seed pairs"))
		tap_diag("%s", t ? t : "(no file)");
	free(t);
	snprintf(path, sizeof path, "%s/index.md", dir);
	t = slurp(path);
	if (!tap_ok(t && strstr(t, "| ADT Fig. 3 | figures/panels-toy-gmf.png |") &&
			    strstr(t,
				    "| yes | toy, gmf: normal: mean noisy - clean BCE over the "
				    "first "
				    "half +0.1215") &&
			    strstr(t,
				    "| ADT Fig. 7(b) | figures/panels-toy-gmf.png | T-CE keeps the "
				    "noisy positives' loss above the clean ones' more than normal "
				    "training "
				    "does | yes |") &&
			    strstr(t,
				    "| ADT Fig. 7(c) | figures/panels-toy-gmf.png | R-CE keeps the "
				    "noisy positives' loss above the clean ones' more than normal "
				    "training "
				    "does | no |") &&
			    strstr(t,
				    "| DeCA Fig. 2 | figures/preds-toy.png | two models, and two "
				    "seeds "
				    "of one model, disagree more on noisy than on clean positives "
				    "| yes | "
				    "toy: mean absolute prediction difference over 12 pairs: clean "
				    "lines "
				    "0.0133, noisy lines 0.0667; noisy above clean in 12 of 12 "
				    "(") &&
			    strstr(t,
				    "rises, then falls late in training | no | toy, gmf: normal "
				    "(seed "
				    "1, 5 points): recall@20 0.1100 at the first point, best "
				    "0.1500 at "
				    "iteration 20, 0.1500 at the last") &&
			    strstr(t,
				    "| DeCA Figs. 5, 6 | - | the best C1 is larger than the best "
				    "C2 | "
				    "no data |"),
		    "index: verdicts and measurements of the fixture's claims"))
		tap_diag("%s", t ? t : "(no file)");
	free(t);
}

/* The fixture with its shapes reversed: each verdict turns, its
 * measurement with it (the gap's sign, the pairs, the peak). */
static void
test_index_flip(void)
{
	char dir[512];
	snprintf(dir, sizeof dir, "%s/flip", tmp);
	flip = 1;
	make_fixture(dir);
	flip = 0;
	struct report_set s;
	db_err err;
	char *p[] = {dir}, *t = NULL;
	size_t n;
	FILE *f = open_memstream(&t, &n);
	int rc = report_set_load(&s, p, 1, &err);
	if (!rc)
		rc = report_fig_index(f, &s, "recall", 20, &err);
	fclose(f);
	if (!tap_ok(!rc &&
			    strstr(t,
				    "normal training | no | toy, gmf: normal: mean noisy - clean "
				    "BCE over the first half -0.1215, positive at 0 % of 6 "
				    "points") &&
			    strstr(t,
				    "clean positives | no | toy: mean absolute prediction "
				    "difference "
				    "over 12 pairs: clean lines 0.0667, noisy lines 0.0133; noisy "
				    "above "
				    "clean in 0 of 12 (") &&
			    strstr(t,
				    "rises, then falls late in training | yes | toy, gmf: normal "
				    "(seed "
				    "1, 5 points): recall@20 0.1100 at the first point, best "
				    "0.1300 at "
				    "iteration 12, 0.1100 at the last"),
		    "index, the shapes reversed: ADT Fig. 3 and DeCA Fig. 2 no, DeCA Fig. 3's peak "
		    "yes, with the measurements"))
		tap_diag("%s", t ? t : "(nothing)");
	free(t);
	if (!rc)
		report_set_free(&s);
}

static void
test_figures(const struct report_set *s)
{
	if (system("command -v gnuplot >/dev/null 2>&1") != 0) {
		tap_skip("gnuplot is not installed");
		return;
	}
	char dir[512], sweep[512], data[512], train[600];
	snprintf(sweep, sizeof sweep, "%s/sweep", tmp);
	snprintf(dir, sizeof dir, "%s/fig", tmp);
	snprintf(data, sizeof data, "%s/data", tmp);
	snprintf(train, sizeof train, "%s/toy", data);
	mkdir(data, 0755);
	mkdir(train, 0755);
	strcat(train, "/toy.train.rating");
	FILE *f = fopen(train, "w");
	for (int u = 0; u < 6; u++) /* user u has u + 1 train lines */
		for (int i = 0; i <= u; i++)
			fprintf(f, "%d\t%d\t5\n", u, i);
	fclose(f);
	make_sweep(sweep);
	struct report_set sw;
	db_err err;
	char *p[] = {sweep};
	tap_ok(report_set_load(&sw, p, 1, &err) == DB_OK, "sweep fixture loads");
	struct report_fig_opts o = {dir, data, "test", "recall", 20, 320, 200, 1};
	int n1 = 0, n2 = 0;
	int rc = report_figures(s, &o, NULL, &n1, &err);
	tap_ok(rc == DB_OK && n1 == 9,
		"curves and activity for gmf and neumf, drops, ratings, loss panels and test "
		"recall "
		"along training for gmf, prediction differences: 9 figures (%d) %s",
		n1, rc ? err.msg : "");
	test_figure_data(dir); /* before the sweep set's figures replace some */
	rc = report_figures(&sw, &o, NULL, &n2, &err);
	tap_ok(rc == DB_OK, "sweep figures render %s", rc ? err.msg : "");
	test_grid_slices(dir);
	report_set_free(&sw);
	const char *names[] = {"curve-toy-gmf", "curve-toy-neumf", "activity-toy-gmf",
		"sweep-toy-gmf-normal-lr", "sweep-toy-gmf-t-ce-drop_rate-num_gradual",
		"panels-toy-gmf", "along-toy-gmf", "preds-toy", "drops-toy-gmf-t-ce",
		"ratings-toy-gmf"};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		char png[700], pdf[700], gp[700];
		uint32_t w = 0, h = 0;
		struct stat st;
		snprintf(png, sizeof png, "%s/%s.png", dir, names[i]);
		snprintf(pdf, sizeof pdf, "%s/%s.pdf", dir, names[i]);
		snprintf(gp, sizeof gp, "%s/%s.gp", dir, names[i]);
		int ok = png_size(png, &w, &h);
		tap_ok(ok && w == 320 && h == 200, "%s.png is 320x200 (%ux%u)", names[i], w, h);
		tap_ok(stat(pdf, &st) == 0 && st.st_size > 0 && stat(gp, &st) == 0,
			"%s: .pdf and .gp beside it", names[i]);
	}
}

int
main(void)
{
	/* config's model and method keys take the registries' names, lent from a
	 * constructor in their files; calling them here also links both in */
	tap_ok(!strcmp(config_key_choices(config_key_find("model")), model_names()) &&
			!strcmp(config_key_choices(config_key_find("method")), method_names()),
		"the model and method registries lent config their names");
	if (!mkdtemp(tmp))
		return 1;
	char dir[512];
	snprintf(dir, sizeof dir, "%s/results", tmp);
	make_fixture(dir);
	struct report_set s;
	db_err err;
	char *paths[] = {dir};
	if (!tap_ok(report_set_load(&s, paths, 1, &err) == DB_OK, "fixture loads"))
		return tap_done();
	struct report_table_opts o;
	report_table_opts_default(&o);
	o.metrics = metrics;
	o.nmetrics = 2;
	o.ks = ks;
	o.nks = 1;
	test_load(&s);
	test_deca_table(&s, &o);
	test_adt_table(&s, &o);
	test_repro(&s);
	test_verdicts();
	test_compare_identical(&s);
	test_read_buffer();
	test_short_group(&o);
	test_index_flip();
	test_figures(&s);
	report_set_free(&s);
	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
	if (system(cmd) != 0)
		tap_diag("could not remove %s", tmp);
	return tap_done();
}
