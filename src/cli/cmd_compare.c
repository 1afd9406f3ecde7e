/* denoisebench compare BASE_DIR NEW_DIR: the CI gate.  TAP on stdout, one
 * test per paired cell group, `not ok` when NEW is significantly worse;
 * a Markdown summary to --summary FILE (or after the TAP on stdout). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "report/report.h"
#include "util/fileio.h"

int cmd_compare(int argc, char **argv);

#define MAX_IGNORE 32

struct compare_opts {
	const char *base, *new_, *summary, *split;
	char metric[32];
	int k;
	double alpha;
	char *ignore_buf, *by_buf;
	const char *ignore[MAX_IGNORE], *by[MAX_IGNORE];
	size_t nignore, nby;
};

static const char usage[] =
	"usage: denoisebench compare BASE_DIR NEW_DIR [--metric ndcg@20] [--alpha 0.05]\n"
	"                            [--split test] [--ignore KEY,...] [--pair-by KEY,...]\n"
	"                            [--summary FILE]\n\n"
	"Pairs the cell groups of two result sets (same settings apart from seed, data and\n"
	"the --ignore keys; with --pair-by only the given keys, e.g. dataset,model and the\n"
	"swept keys, so that two methods pair), compares each pair on the metric with the\n"
	"paired t test over seeds and the Wilcoxon signed-rank test over users, Holm over\n"
	"all of them, and prints TAP: one test per pair, 'not ok' when NEW is significantly\n"
	"worse, when a seed is on one side only or no seed pairs, and one 'not ok' per group\n"
	"without a partner (naming the settings that differ); a '#' line when the two sets\n"
	"name different BLAS kernels.  Exit status 0, 1 on any 'not ok', 2 on bad input or\n"
	"when nothing pairs.\n";

/* KEY,... into keys (at most MAX_IGNORE); buf owns the strings. */
static int
parse_keys(char **buf, const char **keys, size_t *n, const char *list)
{
	free(*buf);
	*buf = strdup(list);
	*n = 0;
	for (char *t = *buf ? strtok(*buf, ",") : NULL; t; t = strtok(NULL, ","))
		if (*n < MAX_IGNORE)
			keys[(*n)++] = t;
	return *buf ? CLI_OK : CLI_FAILED;
}

static int
parse(struct compare_opts *o, int argc, char **argv)
{
	db_err err;
	int npos = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		int has = v != NULL;
		if (!strcmp(a, "--metric") && has) {
			if (report_parse_metric(v, o->metric, sizeof o->metric, &o->k, &err))
				return cli_usage_error("compare", "%s", err.msg);
		} else if (!strcmp(a, "--alpha") && has) {
			char *end;
			o->alpha = strtod(v, &end);
			if (*end || !(o->alpha > 0 && o->alpha < 1))
				return cli_usage_error("compare", "--alpha %s: not in (0, 1)", v);
		} else if (!strcmp(a, "--split") && has)
			o->split = v;
		else if (!strcmp(a, "--summary") && has)
			o->summary = v;
		else if (!strcmp(a, "--ignore") && has) {
			if (parse_keys(&o->ignore_buf, o->ignore, &o->nignore, v))
				return CLI_FAILED;
		} else if (!strcmp(a, "--pair-by") && has) {
			if (parse_keys(&o->by_buf, o->by, &o->nby, v))
				return CLI_FAILED;
		} else if (a[0] == '-')
			return cli_usage_error("compare", "unknown option or missing value: %s", a);
		else {
			*(npos++ ? &o->new_ : &o->base) = a;
			continue;
		}
		i++;
	}
	return npos == 2 ? CLI_OK : cli_usage_error("compare", "give BASE_DIR and NEW_DIR");
}

static const char *
label(const struct report_set *s, const struct report_group *g, char *buf, size_t n)
{
	const struct report_cell *c = report_group_cell(s, g, 0);
	snprintf(buf, n, "%s/%s/%s", c->dataset, c->model, c->method);
	return buf;
}

/* A pair that compared nothing or not everything fails the gate too. */
static int
gap(const struct report_cmp *c)
{
	return c->nseeds == 0 || c->only[0] || isnan(c->mean_a) || isnan(c->mean_b);
}

/* TAP; returns the number of 'not ok'. */
static size_t
tap(const struct report_set *sb, const struct report_cmp *c, size_t n, const char *unpaired,
	const struct compare_opts *o)
{
	size_t t = 0, bad = 0;
	for (size_t i = 0; i < n; i++) {
		char name[256];
		int fail = report_cmp_verdict(&c[i], o->alpha) < 0 || gap(&c[i]);
		bad += fail;
		printf("%s %zu - %s %s@%d: base %.4f new %.4f, difference %+.4f over %zu seeds, "
		       "Holm p: t %.3g, Wilcoxon %.3g (%zu users)%s%s%s%s\n",
			fail ? "not ok" : "ok", ++t, label(sb, c[i].b, name, sizeof name),
			o->metric, o->k, c[i].mean_a, c[i].mean_b, c[i].diff, c[i].nseeds,
			c[i].adj_t, c[i].adj_w, c[i].nusers, c[i].note ? "; " : "",
			c[i].note ? c[i].note : "", c[i].only[0] ? "; seeds " : "", c[i].only);
	}
	for (const char *l = unpaired; l && *l; l = strchr(l, '\n') + 1, bad++)
		printf("not ok %zu - %.*s\n", ++t, (int)strcspn(l, "\n"), l);
	printf("1..%zu\n", t);
	return bad;
}

static void
markdown(FILE *f, const struct report_set *sb, const struct report_cmp *c, size_t n,
	size_t unmatched, const char *note, const struct compare_opts *o)
{
	size_t worse = 0, better = 0;
	for (size_t i = 0; i < n; i++) {
		int v = report_cmp_verdict(&c[i], o->alpha);
		worse += v < 0;
		better += v > 0;
	}
	fprintf(f,
		"## denoisebench compare: %s@%d on %s\n\n"
		"BASE `%s`, NEW `%s`: %zu paired cell groups, %zu significantly worse, %zu "
		"significantly better (alpha %g, Holm over the paired t test over seeds and the "
		"Wilcoxon signed-rank test over users); %zu groups without a partner.%s%s\n\n"
		"| cell group | seeds | BASE | NEW | NEW − BASE (95 %% CI) | Holm p (t) "
		"| Holm p (Wilcoxon) | verdict |\n|---|---|---|---|---|---|---|---|\n",
		o->metric, o->k, o->split, o->base, o->new_, n, worse, better, o->alpha, unmatched,
		*note ? " " : "", note);
	for (size_t i = 0; i < n; i++) {
		char name[256];
		int v = report_cmp_verdict(&c[i], o->alpha);
		fprintf(f, "| %s | %zu | %.4f | %.4f | %+.4f", label(sb, c[i].b, name, sizeof name),
			c[i].nseeds, c[i].mean_a, c[i].mean_b, c[i].diff);
		if (!isnan(c[i].diff_lo))
			fprintf(f, " [%+.4f, %+.4f]", c[i].diff_lo, c[i].diff_hi);
		fprintf(f, " | %.3g | %.3g | %s |\n", c[i].adj_t, c[i].adj_w,
			v < 0           ? "**worse**"
				: v > 0 ? "better"
					: "no significant difference");
	}
}

static int
write_summary(const struct report_set *sb, const struct report_cmp *c, size_t n, size_t unmatched,
	const char *note, const struct compare_opts *o, db_err *err)
{
	if (!o->summary) {
		markdown(stdout, sb, c, n, unmatched, note, o);
		return DB_OK;
	}
	afile a;
	int rc = afile_open(&a, o->summary, err);
	if (rc)
		return rc;
	markdown(a.f, sb, c, n, unmatched, note, o);
	return afile_commit(&a, err);
}

/* When a paired seed's BASE and NEW files name different BLAS lines, a
 * sentence saying in how many pairs, with the first, into note (else ""):
 * NeuMF's metrics move with the CPU kernel (README, "The BLAS kernel is
 * part of a result"), so a difference may be the machine's. */
static void
blas_note(const struct report_set *sa, const struct report_set *sb, const struct report_cmp *c,
	size_t n, char *note, size_t size)
{
	size_t differ = 0, first = 0;
	const struct report_cell *fx = NULL, *fy = NULL;
	for (size_t i = 0; i < n; i++) {
		const struct report_cell *x = NULL, *y = NULL;
		for (size_t j = 0; j < c[i].a->n && !x; j++)
			for (size_t l = 0; l < c[i].b->n && !x; l++) {
				const struct report_cell *p = report_group_cell(sa, c[i].a, j),
							 *q = report_group_cell(sb, c[i].b, l);
				if (p->seed == q->seed && strcmp(report_cell_blas(p), report_cell_blas(q)))
					x = p, y = q;
			}
		if (x && !differ++)
			first = i, fx = x, fy = y;
	}
	note[0] = 0;
	if (differ) {
		char name[256];
		snprintf(note, size,
			"BLAS differs in %zu of %zu pairs (first: in %s seed %ld BASE has `%s`, NEW "
			"`%s`). Results move with the CPU kernel, so part of a difference may be the "
			"machine's.",
			differ, n, label(sb, c[first].b, name, sizeof name), fx->seed,
			report_cell_blas(fx), report_cell_blas(fy));
	}
}

static int
run(const struct compare_opts *o, db_err *err, int *worse)
{
	struct report_set sa, sb;
	char *pa[] = {(char *)o->base}, *pb[] = {(char *)o->new_};
	int rc = report_set_load(&sa, pa, 1, err);
	if (rc)
		return rc;
	if ((rc = report_set_load(&sb, pb, 1, err))) {
		report_set_free(&sa);
		return rc;
	}
	struct report_cmp *c = NULL;
	size_t n = 0, unmatched = 0;
	char *unpaired = NULL;
	struct report_pairing how = {o->ignore, o->nignore, o->by, o->nby};
	rc = report_cmp_sets(&sa, &sb, &how, o->split, o->metric, o->k, &c, &n, &unpaired,
		&unmatched, err);
	if (!rc && n == 0)
		rc = db_fail(err, DB_EINVAL,
			"no cell group of %s has a partner in %s (see "
			"--ignore, --pair-by):\n%s",
			o->new_, o->base, unpaired ? unpaired : "");
	if (!rc) {
		char note[1400];
		blas_note(&sa, &sb, c, n, note, sizeof note);
		if (*note)
			printf("# %s\n", note);
		*worse = tap(&sb, c, n, unpaired, o) > 0;
		rc = write_summary(&sb, c, n, unmatched, note, o, err);
	}
	free(unpaired);
	free(c);
	report_set_free(&sa);
	report_set_free(&sb);
	return rc;
}

int
cmd_compare(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "--help")) {
		fputs(usage, stdout);
		return CLI_OK;
	}
	struct compare_opts o = {.split = "test", .metric = "ndcg", .k = 20, .alpha = 0.05};
	int status = parse(&o, argc, argv), worse = 0;
	db_err err = {{0}};
	if (status == CLI_OK) {
		int rc = run(&o, &err, &worse);
		status = rc ? cli_error(rc, &err) : worse ? CLI_FAILED : CLI_OK;
	}
	free(o.ignore_buf);
	free(o.by_buf);
	return status;
}
