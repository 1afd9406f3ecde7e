/* The selection-rules section (src/report/rules.c) from hand-made result
 * files whose verdicts are known.
 *
 * Fixture: dataset "toy", model gmf, six users, seeds 1-3, methods normal,
 * t-ce, dcf, each under the rules last, best and oracle.  User u of a cell
 * with offset o scores ndcg@20 = 0.1 + 0.05u + o + j and recall@20 = 0.2 +
 * 0.1u + o + j, j = +0.05 for even u and -0.05 for odd u on t-ce and dcf (0
 * on normal), so the means are 0.225 + o and 0.45 + o.  Offsets per seed:
 *   normal  last  n = (0, 0.001, -0.001);  best  n + b, b = (0.05, 0.0501, 0.0502)
 *   t-ce    last  n + (0.02, 0.0201, 0.0202)      best  n + b + (0.0001, -0.0001, 0)
 *   dcf     last  n + (0.009, 0.012, 0.015)       best  n + b + (0.03, 0.0301, 0.0302)
 *   oracle  = best + 0.02 for every method and seed;  normal alone also
 *   under revised: n + 0.005 (as the recsys25 suite runs it).
 * Against normal under the same rule, over the seeds (paired t, 2 df):
 * t-ce last d = 0.0201 ± sd 0.0001: t = 348, p ~ 8e-6; dcf last 0.012 ±
 * 0.003: t = 6.93, p = 0.020, below 0.05 but not after Holm (4 tests of the
 * rule: 3 x 0.020 = 0.06); t-ce best 0.0000: p = 1; dcf best 0.0301 ±
 * 0.0001: p ~ 4e-6.  Over the users the jitter j puts three differences at
 * d + 0.05 and three at d - 0.05 (|d| < 0.05): W- = 6 of 21, p > 0.4, never
 * significant.  So, at N@20 and R@20 alike: under last t-ce beats normal,
 * under best and oracle dcf does, nothing is below normal.  Compared with
 * normal under `last` instead of its own rule, t-ce under best would differ
 * by 0.0501 ± 0.0001 (significant).  Oracle − rule (means): normal +0.0200
 * best, +0.0701 last, +0.0651 revised; t-ce +0.0200, +0.0500; dcf +0.0200, +0.0882.  The
 * sds (N@20): normal 0.0010 under every rule; t-ce 0.0010 last, 0.0009
 * best; dcf 0.0026 last, 0.0009 best (the oracle's as best's). */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "report/report.h"
#include "results/result.h"
#include "rig.h"
#include "tap.h"

static char tmp[] = "/tmp/db-test-rules-XXXXXX";

static const double normal_last[3] = {0, 0.001, -0.001}, best_shift[3] = {0.05, 0.0501, 0.0502};

struct variant {
	const char *method;
	double last[3], best[3]; /* over normal's offsets of the same rule */
};

static const struct variant variants[] = {
	{"normal", {0, 0, 0}, {0, 0, 0}},
	{"t-ce", {0.02, 0.0201, 0.0202}, {0.0001, -0.0001, 0}},
	{"dcf", {0.009, 0.012, 0.015}, {0.03, 0.0301, 0.0302}},
};

static void
write_result(const char *dir, const char *method, const char *rule, int seed, double o,
	double jitter)
{
	char path[512], *body;
	size_t len;
	snprintf(path, sizeof path, "%s/gmf-%s-%s-s%d.result", dir, method, rule, seed);
	FILE *f = open_memstream(&body, &len);
	fprintf(f,
		"denoisebench-result\t%d\ntool\t0.1.0-test\nconfig_hash\t%016x\n"
		"data_checksum\t00000000000000aa\n"
		"config\tdata\t\nconfig\tdataset\ttoy\nconfig\tmethod\t%s\nconfig\tmodel\tgmf\n"
		"config\tseed\t%d\nconfig\tselection\t%s\n"
		"metric\ttest\trecall\t20\t%.17g\nmetric\ttest\tndcg\t20\t%.17g\n"
		"metric\ttest\tusers\t0\t6\nks\ttest\t20\n",
		RESULT_FORMAT, seed, method, seed, rule, 0.45 + o, 0.225 + o);
	for (int u = 0; u < 6; u++) {
		double j = u % 2 ? -jitter : jitter;
		fprintf(f, "user\ttest\t%d\trecall\t%.17g\nuser\ttest\t%d\tndcg\t%.17g\n", u,
			0.2 + 0.1 * u + o + j, u, 0.1 + 0.05 * u + o + j);
	}
	rig_seal(path, f, &body, &len);
}

/* rules: 1 last only; 3 last, best, oracle and revised for normal */
static void
make_fixture(const char *dir, int rules)
{
	mkdir(dir, 0755);
	for (size_t v = 0; v < sizeof variants / sizeof variants[0]; v++)
		for (int s = 0; s < 3; s++) {
			const struct variant *x = &variants[v];
			double j = v ? 0.05 : 0, best = normal_last[s] + best_shift[s] + x->best[s];
			write_result(dir, x->method, "last", s + 1, normal_last[s] + x->last[s], j);
			if (rules > 1)
				write_result(dir, x->method, "best", s + 1, best, j);
			if (rules > 2)
				write_result(dir, x->method, "oracle", s + 1, best + 0.02, j);
			if (rules > 2 && v == 0)
				write_result(dir, x->method, "revised", s + 1,
					normal_last[s] + 0.005, j);
		}
}

static char *
render(int (*fn)(FILE *, const struct report_set *, const struct report_table_opts *, db_err *),
	const struct report_set *s, const struct report_table_opts *o)
{
	char *text;
	size_t len;
	db_err err;
	FILE *f = open_memstream(&text, &len);
	int rc = fn(f, s, o, &err);
	fclose(f);
	tap_ok(rc == DB_OK, "the section renders");
	return text;
}

static const char *metrics[] = {"ndcg", "recall"};
static const int ks[] = {5, 20};

/* The row of method in the table headed head, up to its line end. */
static int
has_row(const char *text, const char *head, const char *row)
{
	const char *t = strstr(text, head);
	const char *end = t ? strstr(t + 1, "\n### ") : NULL;
	const char *r = t ? strstr(t, row) : NULL;
	return r && (!end || r < end);
}

static void
test_markdown(const struct report_set *s, const struct report_table_opts *o)
{
	char *md = render(report_rules_md, s, o);
	const char *head =
		"### toy / gmf: N@20\n\n| method | last | best | revised | oracle (upper bound) "
		"| oracle − last | oracle − best | oracle − revised |\n"
		"|---|---|---|---|---|---|---|---|\n";
	if (!tap_ok(strstr(md, head) != NULL, "N@20: rules in column order, oracle marked"))
		tap_diag("got:\n%s", md);
	tap_ok(has_row(md, "N@20",
		       "| normal | 0.2250 ± 0.0010 (3) | 0.2751 ± 0.0010 (3) | 0.2300 ± 0.0010 (3) "
		       "| "
		       "0.2951 ± 0.0010 (3) | +0.0701 | +0.0200 | +0.0651 |"),
		"normal: means over seeds, unmarked, oracle gaps");
	tap_ok(has_row(md, "N@20",
		       "| t-ce | 0.2451 ± 0.0010 (3) † | 0.2751 ± 0.0009 (3) | – | "
		       "0.2951 ± 0.0009 (3) | +0.0500 | +0.0200 | – |"),
		"t-ce: marked under last only (compared under its own rule)");
	tap_ok(has_row(md, "N@20",
		       "| dcf | 0.2370 ± 0.0026 (3) | 0.3052 ± 0.0009 (3) † | – | "
		       "0.3252 ± 0.0009 (3) † | +0.0882 | +0.0200 | – |"),
		"dcf: not marked under last (Holm), marked under best and oracle");
	const char *lines = "- last: methods beating normal (Holm α 0.05): t-ce; below it: none\n"
			    "- best: methods beating normal (Holm α 0.05): dcf; below it: none\n"
			    "- revised: normal ran alone under it\n"
			    "- oracle (upper bound): methods beating normal (Holm α 0.05): dcf; "
			    "below it: none\n";
	tap_ok(strstr(md, lines) != NULL, "a line per rule naming the methods beating normal");
	tap_ok(strstr(md, "### toy / gmf: R@20") && has_row(md, "R@20", "| t-ce | 0.4701") &&
			strstr(strstr(md, "R@20"), lines),
		"R@20: its own table, the same verdicts; K 20 of the list 5,20");
	tap_ok(!strstr(md, "@5"), "no table at K 5");
	const char *n = strstr(md, "| normal |"), *d = strstr(md, "| dcf |"),
		   *t = strstr(md, "| t-ce |");
	tap_ok(n && d && t && n < d && d < t, "rows: normal first, then by name");
	free(md);
}

static void
test_tex(const struct report_set *s, const struct report_table_opts *o)
{
	char *tex = render(report_rules_tex, s, o);
	tap_ok(strstr(tex, "\\documentclass") && strstr(tex, "\\end{document}") &&
			strstr(tex,
				"Method & last & best & revised & oracle (upper bound) & oracle "
				"$-$ "
				"last & oracle $-$ best & oracle $-$ revised \\\\"),
		"LaTeX: standalone, oracle marked as the upper bound");
	tap_ok(strstr(tex,
		       "t-ce & $0.2451\\pm0.0010^{\\dagger}$ & $0.2751\\pm0.0009$ & -- & "
		       "$0.2951\\pm0.0009$ & $+0.0500$ & $+0.0200$ & -- \\\\") &&
			strstr(tex, "dcf & $0.2370\\pm0.0026$ & $0.3052\\pm0.0009^{\\dagger}$"),
		"LaTeX: the same marks and gaps");
	tap_ok(strstr(tex,
		       "best: methods beating normal (Holm $\\alpha$ 0.05): dcf; below it: "
		       "none") != NULL,
		"LaTeX: the line per rule");
	free(tex);
}

static int
load(struct report_set *s, const char *name, int rules)
{
	char dir[512];
	db_err err;
	snprintf(dir, sizeof dir, "%s/%s", tmp, name);
	make_fixture(dir, rules);
	char *paths[] = {dir};
	return report_set_load(s, paths, 1, &err);
}

int
main(void)
{
	if (!mkdtemp(tmp))
		return 1;
	struct report_table_opts o;
	report_table_opts_default(&o);
	o.metrics = metrics;
	o.nmetrics = 2;
	o.ks = ks;
	o.nks = 2;
	struct report_set s, one;
	if (!tap_ok(load(&s, "three", 3) == DB_OK && s.ngroups == 10, "fixture: 10 groups load"))
		return tap_done();
	tap_ok(report_rules_applies(&s), "groups differing by selection: the section applies");
	test_markdown(&s, &o);
	test_tex(&s, &o);
	o.reference_method = "clean";
	char *md = render(report_rules_md, &s, &o);
	tap_ok(strstr(md, "- last: clean did not run under it\n") && !strstr(md, ") †"),
		"no reference method: no marks, each rule says so");
	free(md);
	report_set_free(&s);
	if (tap_ok(load(&one, "one", 1) == DB_OK, "one rule loads")) {
		tap_ok(!report_rules_applies(&one), "one rule only: the section does not apply");
		report_set_free(&one);
	}
	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
	if (system(cmd) != 0)
		tap_diag("could not remove %s", tmp);
	return tap_done();
}
