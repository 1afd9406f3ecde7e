/* denoisebench report RESULTS... --out DIR: the paper-style tables, the
 * reproduction report against published numbers and the figures. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "report/report.h"
#include "suite/suite.h"
#include "util/fileio.h"

int cmd_report(int argc, char **argv);

/* A comma-separated option value, split in place (buf); k: the items as
 * numbers, for --ks. */
struct list {
	char *buf;
	const char **item;
	int *k;
	size_t n;
};

struct report_cli {
	char *paths[64];
	size_t npaths;
	const char *out, *reference, *suite, *causes, *data_dir, *figure_metric, *where;
	struct list metrics, ks, baselines;
	struct report_table_opts t;
	int width, height, run_gnuplot;
};

static const char usage[] =
	"usage: denoisebench report RESULTS_DIR... --out DIR [--reference TSV|--suite FILE]\n"
	"       [--causes TSV]\n"
	"       [--metrics recall,ndcg] [--ks 3,20] [--baselines normal,wbpr,t-ce,r-ce,...]\n"
	"       [--split test] [--alpha 0.05] [--digits 3] [--figure-metric recall@20]\n"
	"       [--data DIR] [--size 800x500] [--no-gnuplot] [--where KEY=VALUE]\n\n"
	"Writes into DIR: table-deca.tex (DeCA Table 2 layout) and table-adt.tex (ADT\n"
	"Table 3 layout), standalone LaTeX; rules.md and rules.tex when cells differ\n"
	"by `selection` (each rule beside the others, oracle as an upper bound); with\n"
	"--reference (a TSV with the columns paper table dataset model method metric\n"
	"k mean sd) reproduction.md and\n"
	"reproduction.tex (--suite: the suite file's reference: block instead), with\n"
	"a verdict per number and, with --causes (columns paper table dataset model\n"
	"method metric cause citation switch, fnmatch patterns), the known causes;\n"
	"figures/ with a .dat, .gp, .png and .pdf per figure.\n"
	"--ks: default the K list of the result files.  --data: a directory holding one\n"
	"directory per dataset, for the train counts of the user-activity figure\n"
	"(default: each cell's data setting).  --no-gnuplot writes .dat and .gp only.\n"
	"--where: only the cells with that setting, e.g. selection=last (one selection\n"
	"rule's tables; selection=oracle's are an upper bound, as their captions say).\n"
	"A directory of `denoisebench tune` (its tuning.tsv) adds tuning.md: per searched\n"
	"method the search space, each trial's validation target, the choice and the\n"
	"tuned configuration's test result beside the default one.\n";

static void
list_free(struct list *l)
{
	free(l->buf);
	free(l->item);
	free(l->k);
	*l = (struct list){0};
}

static int
split_list(struct list *l, const char *text, int numeric)
{
	db_err err;
	if (numeric && config_check_value(config_key_find("ks"), text, &err) != DB_OK)
		return cli_usage_error("report", "--%s", err.msg); /* no wrap, no duplicate */
	size_t cap = 1;
	for (const char *p = text; *p; p++)
		cap += *p == ',';
	list_free(l);
	l->buf = strdup(text);
	l->item = calloc(cap, sizeof *l->item);
	l->k = calloc(cap, sizeof *l->k);
	if (!l->buf || !l->item || !l->k)
		return CLI_FAILED;
	for (char *t = strtok(l->buf, ","); t; t = strtok(NULL, ",")) {
		l->item[l->n] = t;
		l->k[l->n] = atoi(t);
		l->n++;
	}
	return l->n ? CLI_OK : cli_usage_error("report", "an empty list");
}

static int
option(struct report_cli *o, const char *a, const char *v)
{
	if (!strcmp(a, "--out"))
		o->out = v;
	else if (!strcmp(a, "--reference"))
		o->reference = v;
	else if (!strcmp(a, "--suite"))
		o->suite = v;
	else if (!strcmp(a, "--causes"))
		o->causes = v;
	else if (!strcmp(a, "--data"))
		o->data_dir = v;
	else if (!strcmp(a, "--where"))
		o->where = v;
	else if (!strcmp(a, "--figure-metric"))
		o->figure_metric = v;
	else if (!strcmp(a, "--split"))
		o->t.split = v;
	else if (!strcmp(a, "--metrics"))
		return split_list(&o->metrics, v, 0);
	else if (!strcmp(a, "--ks"))
		return split_list(&o->ks, v, 1);
	else if (!strcmp(a, "--baselines"))
		return split_list(&o->baselines, v, 0);
	else if (!strcmp(a, "--alpha"))
		o->t.alpha = atof(v);
	else if (!strcmp(a, "--digits"))
		o->t.digits = atoi(v);
	else if (!strcmp(a, "--size") && sscanf(v, "%dx%d", &o->width, &o->height) != 2)
		return cli_usage_error("report", "--size %s: expected WIDTHxHEIGHT", v);
	else if (strcmp(a, "--size"))
		return cli_usage_error("report", "unknown option: %s", a);
	return CLI_OK;
}

static int
parse(struct report_cli *o, int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		int rc;
		if (!strcmp(argv[i], "--no-gnuplot"))
			o->run_gnuplot = 0;
		else if (argv[i][0] != '-' && o->npaths < sizeof o->paths / sizeof o->paths[0])
			o->paths[o->npaths++] = argv[i];
		else if (i + 1 >= argc)
			return cli_usage_error("report", "%s needs a value", argv[i]);
		else if ((rc = option(o, argv[i], argv[i + 1])))
			return rc;
		else
			i++;
	}
	if (!o->npaths || !o->out)
		return cli_usage_error("report", "give RESULTS_DIR and --out DIR");
	if (o->reference && o->suite)
		return cli_usage_error("report", "give --reference or --suite, not both");
	if (!(o->t.alpha > 0 && o->t.alpha < 1) || o->t.digits < 0 || o->t.digits > 9 ||
		o->width < 16 || o->height < 16)
		return cli_usage_error("report", "--alpha in (0, 1), --digits 0..9, --size >= 16");
	return CLI_OK;
}

/* Table options from the lists; the K list defaults to the cells' `ks`. */
static int
table_opts(struct report_cli *o, const struct report_set *s)
{
	if (!o->ks.n && s->ncells) {
		const char *ks = report_cell_config(&s->cells[0], "ks");
		int rc = split_list(&o->ks, ks ? ks : "20", 1);
		if (rc)
			return rc;
	}
	if (o->metrics.n) {
		o->t.metrics = o->metrics.item;
		o->t.nmetrics = o->metrics.n;
	}
	if (o->ks.n) {
		o->t.ks = o->ks.k;
		o->t.nks = o->ks.n;
	}
	if (o->baselines.n) {
		o->t.baselines = o->baselines.item;
		o->t.nbaselines = o->baselines.n;
	}
	return CLI_OK;
}

typedef int (
	*table_fn)(FILE *, const struct report_set *, const struct report_table_opts *, db_err *);

static int
write_table(const char *dir, const char *name, table_fn fn, const struct report_set *s,
	const struct report_table_opts *t, db_err *err)
{
	char path[4200];
	afile a;
	int rc = fileio_join(path, sizeof path, dir, name, NULL, err);
	if (rc || (rc = afile_open(&a, path, err)))
		return rc;
	rc = fn(a.f, s, t, err);
	if (rc) {
		afile_abort(&a);
		return rc;
	}
	return afile_commit(&a, err);
}

/* The suite's reference: block as report rows (the strings stay the suite's). */
static int
suite_refs(const char *path, struct report_ref **rows, size_t *n, db_err *err)
{
	struct suite st;
	int rc = suite_load_labels(&st, path, err);
	for (size_t i = 0; rc == DB_EPARSE && i < st.nproblems; i++)
		fprintf(stderr, "%s\n", st.problems[i]);
	if (rc == DB_EPARSE)
		db_fail(err, rc, "%s: not a valid suite (problems above)", path);
	*n = rc ? 0 : st.nrefs;
	*rows = rc ? NULL : db_calloc(st.nrefs + 1, sizeof **rows, err);
	if (!rc && !*rows)
		rc = DB_ENOMEM;
	for (size_t i = 0; !rc && i < st.nrefs; i++) {
		const struct suite_reference_row *r = &st.refs[i];
		struct report_ref *x = &(*rows)[i];
		char **dst[] = {&x->paper, &x->table, &x->dataset, &x->model, &x->method,
			&x->metric};
		char *src[] = {r->paper, r->table, r->dataset, r->model, r->method, r->metric};
		for (size_t j = 0; j < 6; j++)
			if (!(*dst[j] = strdup(src[j] ? src[j] : "")))
				rc = db_fail(err, DB_ENOMEM, "out of memory");
		x->k = r->k;
		x->mean = r->mean;
		x->sd = r->sd;
		x->has_sd = r->has_sd;
	}
	if (rc && *rows) {
		report_refs_free(*rows, *n);
		*rows = NULL;
	}
	suite_free(&st);
	return rc;
}

/* The figures' metric: --figure-metric, else the first table column's
 * metric at its largest K. */
static int
figure_metric(const struct report_cli *o, char *metric, size_t size, int *k, db_err *err)
{
	if (o->figure_metric)
		return report_parse_metric(o->figure_metric, metric, size, k, err);
	snprintf(metric, size, "%s", o->t.metrics[0]);
	*k = o->t.ks[o->t.nks - 1];
	return DB_OK;
}

/* The figures' options: dir (room for 4200) is OUT/figures, metric (32). */
static int
fig_opts(const struct report_cli *o, struct report_fig_opts *f, char *dir, char *metric,
	db_err *err)
{
	int k = 0;
	int rc = fileio_join(dir, 4200, o->out, "figures", NULL, err);
	if (!rc)
		rc = figure_metric(o, metric, 32, &k, err);
	*f = (struct report_fig_opts){dir, o->data_dir, o->t.split, metric, k, o->width, o->height,
		o->run_gnuplot};
	return rc;
}

static int
write_repro(const struct report_cli *o, const struct report_set *s, db_err *err)
{
	struct report_ref *refs;
	size_t n;
	char pm[4200], pt[4200];
	afile md, tex;
	int rc = o->suite ? suite_refs(o->suite, &refs, &n, err)
			  : report_refs_read(o->reference, &refs, &n, err);
	if (rc)
		return rc;
	if ((rc = fileio_join(pm, sizeof pm, o->out, "reproduction.md", NULL, err)) ||
		(rc = fileio_join(pt, sizeof pt, o->out, "reproduction.tex", NULL, err)) ||
		(rc = afile_open(&md, pm, err))) {
		report_refs_free(refs, n);
		return rc;
	}
	if ((rc = afile_open(&tex, pt, err))) {
		afile_abort(&md);
		report_refs_free(refs, n);
		return rc;
	}
	struct report_cause *causes = NULL;
	size_t nc = 0;
	if (o->causes && (rc = report_causes_read(o->causes, &causes, &nc, err))) {
		afile_abort(&md);
		afile_abort(&tex);
		report_refs_free(refs, n);
		return rc;
	}
	char dir[4200], metric[32];
	struct report_fig_opts f;
	rc = fig_opts(o, &f, dir, metric, err);
	if (!rc)
		rc = report_repro(md.f, tex.f, s, refs, n, causes, nc, o->t.alpha, &f, err);
	if (!rc)
		rc = report_fig_index(md.f, s, f.metric, f.k, err);
	report_causes_free(causes, nc);
	report_refs_free(refs, n);
	if (rc) {
		afile_abort(&md);
		afile_abort(&tex);
		return rc;
	}
	rc = afile_commit(&md, err);
	if (rc) {
		afile_abort(&tex);
		return rc;
	}
	return afile_commit(&tex, err);
}

static int
write_figures(const struct report_cli *o, const struct report_set *s, db_err *err)
{
	char dir[4200], metric[32];
	struct report_fig_opts f;
	int nfig;
	int rc = fig_opts(o, &f, dir, metric, err);
	if (!rc)
		rc = report_figures(s, &f, stderr, &nfig, err);
	if (!rc)
		fprintf(stderr, "report: %d figures in %s\n", nfig, dir);
	return rc;
}

/* The suite's datasets, models and methods as the tables' order. */
static int
suite_order(const char *path, struct suite *st, struct report_table_opts *t, db_err *err)
{
	int rc = suite_load_labels(st, path, err);
	if (rc) {
		suite_free(st);
		return rc == DB_EPARSE ? db_fail(err, rc, "%s: not a valid suite", path) : rc;
	}
	const char **v[3] = {db_calloc(st->ndata + 1, sizeof(char *), err),
		db_calloc(st->nmodels + 1, sizeof(char *), err),
		db_calloc(st->nmethods + 1, sizeof(char *), err)};
	if (!v[0] || !v[1] || !v[2]) {
		free(v[0]), free(v[1]), free(v[2]);
		suite_free(st);
		return DB_ENOMEM;
	}
	for (size_t i = 0; i < st->ndata; i++)
		v[0][i] = st->data[i].name;
	for (size_t i = 0; i < st->nmodels; i++)
		v[1][i] = st->models[i].name;
	for (size_t i = 0; i < st->nmethods; i++)
		v[2][i] = st->methods[i].name;
	size_t n[3] = {st->ndata, st->nmodels, st->nmethods};
	for (size_t a = 0; a < 3; a++) {
		t->order[a] = v[a];
		t->norder[a] = n[a];
	}
	return DB_OK;
}

static void
order_free(struct report_table_opts *t)
{
	for (size_t a = 0; a < 3; a++)
		free((void *)t->order[a]);
}

/* The report's sections written from the table options: file, writer and
 * whether the result set has what it shows (NULL: always). */
static const struct {
	const char *file;
	table_fn fn;
	int (*applies)(const struct report_set *);
} sections[] = {
	{"table-deca.tex", report_table_deca, NULL},
	{"table-adt.tex", report_table_adt, NULL},
	{"rules.md", report_rules_md, report_rules_applies},
	{"rules.tex", report_rules_tex, report_rules_applies},
};

/* Tables in the suite's order, each dataset with the Ks of its published rows. */
static int
write_tables(struct report_cli *o, const struct report_set *s, db_err *err)
{
	struct suite st;
	struct report_ref *refs = NULL;
	size_t n = 0;
	int rc = o->suite      ? suite_refs(o->suite, &refs, &n, err)
		: o->reference ? report_refs_read(o->reference, &refs, &n, err)
			       : DB_OK;
	if (!rc && o->suite && (rc = suite_order(o->suite, &st, &o->t, err)))
		report_refs_free(refs, n);
	if (rc)
		return rc;
	o->t.refs = refs;
	o->t.nrefs = n;
	for (size_t i = 0; !rc && i < sizeof sections / sizeof sections[0]; i++)
		if (!sections[i].applies || sections[i].applies(s))
			rc = write_table(o->out, sections[i].file, sections[i].fn, s, &o->t, err);
	o->t.refs = NULL;
	o->t.nrefs = 0;
	report_refs_free(refs, n);
	if (o->suite) {
		order_free(&o->t);
		suite_free(&st);
	}
	return rc;
}

/* OUT/tuning.md when the first results directory holds a `tune` run's
 * tuning.tsv; the test metric is the figures'. */
static int
write_tuning(const struct report_cli *o, const struct report_set *s, db_err *err)
{
	char tsv[4200], md[4200], metric[32];
	int k = 0;
	afile a;
	if (fileio_join(tsv, sizeof tsv, o->paths[0], "tuning.tsv", NULL, err) || access(tsv, F_OK))
		return DB_OK;
	int rc = fileio_join(md, sizeof md, o->out, "tuning.md", NULL, err);
	if (!rc)
		rc = figure_metric(o, metric, sizeof metric, &k, err);
	if (rc || (rc = afile_open(&a, md, err)))
		return rc;
	if ((rc = report_tuning(a.f, tsv, s, metric, k, err))) {
		afile_abort(&a);
		return rc;
	}
	fprintf(stderr, "report: the tuning section in %s\n", md);
	return afile_commit(&a, err);
}

static int
run(struct report_cli *o, db_err *err)
{
	struct report_set s;
	int rc = report_set_load_where(&s, o->paths, o->npaths, o->where, err);
	if (rc)
		return rc;
	if (s.ncells == 0)
		rc = db_fail(err, DB_EINVAL, "%s: no result files", o->paths[0]);
	else if (table_opts(o, &s))
		rc = db_fail(err, DB_EINVAL, "bad --ks, --metrics or --baselines");
	if (!rc)
		rc = fileio_mkdir_p(o->out, err);
	if (!rc)
		rc = write_tables(o, &s, err);
	if (!rc && (o->reference || o->suite))
		rc = write_repro(o, &s, err);
	if (!rc)
		rc = write_figures(o, &s, err);
	if (!rc)
		rc = write_tuning(o, &s, err);
	if (!rc)
		fprintf(stderr, "report: %zu result files, %zu cell groups -> %s\n", s.ncells,
			s.ngroups, o->out);
	report_set_free(&s);
	return rc;
}

int
cmd_report(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "--help")) {
		fputs(usage, stdout);
		return CLI_OK;
	}
	struct report_cli o = {.width = 800, .height = 500, .run_gnuplot = 1};
	report_table_opts_default(&o.t);
	int status = parse(&o, argc, argv);
	if (status == CLI_OK) {
		db_err err = {{0}};
		int rc = run(&o, &err);
		status = rc ? cli_error(rc, &err) : CLI_OK;
	}
	list_free(&o.metrics);
	list_free(&o.ks);
	list_free(&o.baselines);
	return status;
}
