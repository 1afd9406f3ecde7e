/* Suite files: parsing, validation messages with line:column, expansion of
 * every override level and sweep (fixtures: YAML in, cell list out), the
 * reference block, and robustness against truncated and mutated input. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "suite/suite.h"
#include "tap.h"

static const char *
src_path(const char *rel)
{
	static char path[1024];
	const char *src = getenv("DB_SRCDIR");
	snprintf(path, sizeof path, "%s/%s", src ? src : ".", rel);
	return path;
}

static const char *
fix(const char *name)
{
	static char rel[512];
	snprintf(rel, sizeof rel, "tests/fixtures/suites/%s", name);
	return src_path(rel);
}

/* quick.yaml: 1 dataset x {mf, gmf, neumf} x {normal} x seeds {1, 2} = 6
 * cells, dataset outermost, seed innermost; nothing else set explicitly. */
static void
test_expand(void)
{
	struct suite s;
	db_err err;
	tap_ok(suite_load(&s, src_path("suites/quick.yaml"), &err) == DB_OK, "quick.yaml is valid");
	struct suite_cell *cells = NULL;
	size_t n = 0;
	int rc = suite_expand(&s, &cells, &n, &err);
	tap_ok(rc == DB_OK && n == 6, "quick.yaml: 6 cells (got %zu)", n);
	static const char *const want[6][2] = {{"mf", "1"}, {"mf", "2"}, {"gmf", "1"}, {"gmf", "2"},
		{"neumf", "1"}, {"neumf", "2"}};
	int same = n == 6;
	for (size_t i = 0; same && i < n; i++)
		same = !strcmp(config_get(&cells[i].cfg, "model"), want[i][0]) &&
			!strcmp(config_get(&cells[i].cfg, "seed"), want[i][1]) &&
			!config_lookup(&cells[i].cfg, "epochs") &&
			!strcmp(config_get(&cells[i].cfg, "dataset"), "synthetic") &&
			!*config_get(&cells[i].cfg, "data") && !*cells[i].label &&
			!cells[i].data_checksum;
	tap_ok(same, "quick.yaml: model x seed order, epochs left to the defaults, synthetic data");
	suite_cells_free(cells, n);
	suite_free(&s);
}

static int
by_key(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "DATASET/MODEL-METHOD[-LABEL]-sSEED k=v ..." with the cell's explicit
 * settings other than the matrix keys, sorted by key. */
static void
cell_line(const struct suite_cell *c, char *out, size_t size)
{
	const config *g = &c->cfg;
	int len = snprintf(out, size, "%s/%s-%s%s%s-s%s", config_get(g, "dataset"),
		config_get(g, "model"), config_get(g, "method"), *c->label ? "-" : "", c->label,
		config_get(g, "seed"));
	char *kv[64];
	int n = 0;
	for (int i = 0; i < g->n && n < 64; i++) {
		const char *k = g->e[i].key;
		if (strcmp(k, "dataset") && strcmp(k, "data") && strcmp(k, "model") &&
			strcmp(k, "method") && strcmp(k, "seed"))
			kv[n++] = g->e[i].key;
	}
	qsort(kv, (size_t)n, sizeof *kv, by_key);
	for (int i = 0; i < n && len > 0 && (size_t)len < size; i++)
		len += snprintf(out + len, size - (size_t)len, " %s=%s", kv[i],
			config_get(g, kv[i]));
}

/* NAME.yaml expands to exactly the lines of NAME.cells, in order. */
static void
test_cells_fixture(const char *name)
{
	char yaml[64], want_file[64];
	snprintf(yaml, sizeof yaml, "%s.yaml", name);
	snprintf(want_file, sizeof want_file, "%s.cells", name);
	struct suite s;
	struct suite_cell *cells = NULL;
	size_t n = 0, line = 0;
	db_err err;
	int rc = suite_load_cells(&s, fix(yaml), &cells, &n, &err);
	tap_ok(rc == DB_OK, "%s: valid (%s)", yaml, s.nproblems ? s.problems[0] : "");
	FILE *f = fopen(fix(want_file), "r");
	char want[512], got[512];
	int same = f != NULL;
	while (same && f && fgets(want, sizeof want, f)) {
		want[strcspn(want, "\n")] = '\0';
		if (line < n)
			cell_line(&cells[line], got, sizeof got);
		same = line < n && !strcmp(want, got);
		if (!same)
			tap_diag("cell %zu: want '%s', got '%s'", line + 1, want,
				line < n ? got : "(none)");
		line++;
	}
	if (f)
		fclose(f);
	tap_ok(same && line == n, "%s: the %zu cells of %s, in order", yaml, line, want_file);
	suite_cells_free(cells, n);
	suite_free(&s);
}

/* The swept values name the result file. */
static void
test_sweep_path(void)
{
	struct suite s;
	struct suite_cell *cells = NULL;
	size_t n = 0;
	db_err err;
	char path[4096] = "";
	if (suite_load_cells(&s, fix("sweep.yaml"), &cells, &n, &err) == DB_OK && n > 4)
		suite_cell_path(&cells[4], "R", path, sizeof path, &err);
	static const char want[] = "R/syn/gmf-t-ce-drop_rate=0.1,num_gradual=100-s1-";
	tap_ok(!strncmp(path, want, strlen(want)) && strlen(path) == strlen(want) + 12 + 7,
		"result path names the swept values: %s", path);
	suite_cells_free(cells, n);
	suite_free(&s);
}

/* NAME.yaml is refused with exactly the messages of NAME.expect, in order. */
static void
test_messages(const char *name)
{
	char yaml[64], exp[64];
	snprintf(yaml, sizeof yaml, "%s.yaml", name);
	snprintf(exp, sizeof exp, "%s.expect", name);
	struct suite s;
	db_err err;
	int rc = suite_load(&s, fix(yaml), &err);
	FILE *f = fopen(fix(exp), "r");
	char want[512];
	size_t i = 0;
	tap_ok(rc == DB_EPARSE, "%s refused", yaml);
	while (f && fgets(want, sizeof want, f)) {
		want[strcspn(want, "\n")] = '\0';
		const char *got = i < s.nproblems ? strstr(s.problems[i], want) : NULL;
		tap_ok(got != NULL, "%s", want);
		if (!got)
			tap_diag("got: %s", i < s.nproblems ? s.problems[i] : "(nothing)");
		i++;
	}
	if (f)
		fclose(f);
	tap_ok(f && s.nproblems == i, "%s: all %zu problems at once (got %zu)", yaml, i,
		s.nproblems);
	suite_free(&s);
}

/* here: the fixtures dir exists (epochs 2 from its settings); gone: optional
 * and absent, skipped; absent: not optional, so the suite is refused. */
static void
test_paths(void)
{
	struct suite s;
	db_err err;
	char dir[1024];
	snprintf(dir, sizeof dir, "%s", src_path("tests/fixtures"));
	setenv("DB_TEST_DIR", dir, 1);
	int rc = suite_load(&s, fix("paths.yaml"), &err);
	tap_ok(rc == DB_EPARSE && s.nproblems == 1 &&
			strstr(s.problems[0],
				"paths.yaml:10:11: data directory '/nonexistent/denoisebench' not "
				"found"),
		"missing required data directory: %s", s.nproblems ? s.problems[0] : "(none)");
	tap_ok(s.ndata == 3 && !s.data[0].missing && s.data[1].missing && s.data[0].path &&
			!strcmp(s.data[0].path + strlen(dir), "/suites"),
		"${VAR} expanded; optional absent dataset skipped");
	suite_free(&s);
	unsetenv("DB_TEST_DIR");
	rc = suite_load(&s, fix("paths.yaml"), &err);
	tap_ok(rc == DB_EPARSE && s.nproblems >= 1 &&
			strstr(s.problems[0],
				"paths.yaml:4:11: environment variable DB_TEST_DIR is not set"),
		"unset variable: %s", s.nproblems ? s.problems[0] : "(none)");
	suite_free(&s);
}

static void
test_reference(void)
{
	struct suite s;
	db_err err;
	int rc = suite_load(&s, fix("reference.yaml"), &err);
	tap_ok(rc == DB_OK && s.nrefs == 3, "reference.yaml: 3 rows from 2 blocks (got %zu)",
		s.nrefs);
	const struct suite_reference_row *r =
		suite_reference_find(&s, "ml-100k", "gmf", "deca-p", "recall", 3);
	tap_ok(r && !strcmp(r->paper, "deca-www22") && !strcmp(r->table, "Table 2") &&
			r->mean == 0.027 && r->has_sd && r->sd == 0.002,
		"row with mean and sd");
	r = suite_reference_find(&s, "ml-100k", "cdae", "normal", "ndcg", 20);
	tap_ok(r && r->mean == 0.052 && !r->has_sd,
		"row without sd; model names not in the registry kept");
	r = suite_reference_find(&s, "adressa", "gmf", "t-ce", "recall", 20);
	tap_ok(r && !strcmp(r->paper, "adt-wsdm21") && r->mean == 0.2170 && !r->has_sd,
		"second block, sd null");
	tap_ok(!suite_reference_find(&s, "adressa", "gmf", "t-ce", "recall", 3),
		"absent row: NULL");
	suite_free(&s);
}

/* deca-www22.yaml: Table 2 for ml-100k and modcloth is 2 datasets x 4
 * models x 6 methods x 4 metric columns = 192 published numbers; its
 * DeCA(p) GMF MovieLens R@3 is 0.027 +- 0.002 in the paper. */
static void
test_deca_suite(void)
{
	char tmp[] = "/tmp/db_suite_dataXXXXXX", d1[64], d2[64];
	if (!mkdtemp(tmp)) {
		tap_skip("cannot create a temporary directory");
		return;
	}
	snprintf(d1, sizeof d1, "%s/ml-100k", tmp);
	snprintf(d2, sizeof d2, "%s/modcloth", tmp);
	mkdir(d1, 0700), mkdir(d2, 0700);
	setenv("DENOISEBENCH_DATA", tmp, 1);
	struct suite s;
	db_err err;
	int rc = suite_load(&s, src_path("suites/deca-www22.yaml"), &err);
	tap_ok(rc == DB_OK && s.nrefs == 192,
		"deca-www22.yaml: valid, 192 reference rows (got %zu; %s)", s.nrefs,
		s.nproblems ? s.problems[0] : "");
	const struct suite_reference_row *r =
		suite_reference_find(&s, "ml-100k", "gmf", "deca-p", "recall", 3);
	tap_ok(r && r->mean == 0.027 && r->sd == 0.002,
		"deca-www22.yaml: GMF DeCA(p) R@3 on ml-100k");
	tap_ok(s.ndata == 4 && s.data[2].missing && s.data[3].missing,
		"adressa and electronics optional, skipped");
	suite_free(&s);
	/* 2 datasets x (GMF: normal + 6 x 5 T-CE + 7 R-CE; NeuMF: 3) x 3 seeds */
	struct suite_cell *cells = NULL;
	size_t n = 0;
	rc = suite_load_cells(&s, src_path("suites/adt-wsdm21.yaml"), &cells, &n, &err);
	tap_ok(rc == DB_OK && n == 2 * 41 * 3 && s.nrefs == 108,
		"adt-wsdm21.yaml: valid, 246 cells with the Figure 8 sweeps, 108 Table 3 rows "
		"(%zu, %zu)",
		n, s.nrefs);
	suite_cells_free(cells, n);
	suite_free(&s);
	rmdir(d1), rmdir(d2), rmdir(tmp);
	unsetenv("DENOISEBENCH_DATA");
}

/* Deterministic truncations and byte mutations of a suite file: each must
 * load as valid (and expand) or be refused with at least one message. */
static int
fuzz(const char *path, int rounds)
{
	FILE *f = fopen(path, "rb");
	char text[8192];
	size_t len = f ? fread(text, 1, sizeof text, f) : 0;
	if (f)
		fclose(f);
	static const char bytes[] = ":-[]{}\n #'\"&*!|>%@`\t\0x9,$";
	char tmp[] = "/tmp/db_suite_fuzzXXXXXX";
	int fd = mkstemp(tmp), bad = 0, tried = 0;
	FILE *out = fd >= 0 ? fdopen(fd, "wb") : NULL;
	for (int k = 0; out && len && k < rounds; k++) {
		char m[8192];
		size_t n = len;
		memcpy(m, text, len);
		if (k < rounds / 3)
			n = len * (size_t)k / (size_t)(rounds / 3); /* truncation */
		else
			for (int j = 0; j <= k % 3; j++) /* one to three bytes changed */
				m[((size_t)k * 7919 + (size_t)j * 104729) % len] =
					bytes[(k + j) % (sizeof bytes - 1)];
		rewind(out);
		if (ftruncate(fileno(out), 0) || fwrite(m, 1, n, out) != n || fflush(out))
			break;
		struct suite s;
		db_err err;
		int rc = suite_load(&s, tmp, &err);
		struct suite_cell *cells = NULL;
		size_t nc = 0;
		if (rc == DB_OK && suite_expand(&s, &cells, &nc, &err) != DB_OK)
			bad++;
		else if (rc != DB_OK && !s.nproblems)
			bad++;
		suite_cells_free(cells, nc);
		suite_free(&s);
		tried++;
	}
	if (out)
		fclose(out);
	remove(tmp);
	return tried == rounds ? bad : -1;
}

static void
test_fuzz(void)
{
	static const char *const files[] = {"suites/quick.yaml", "tests/fixtures/suites/sweep.yaml",
		"tests/fixtures/suites/levels.yaml", "tests/fixtures/suites/reference.yaml"};
	for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
		int bad = fuzz(src_path(files[i]), 100);
		tap_ok(bad == 0,
			"%s: 100 truncated/mutated copies, each valid or refused with a message "
			"(%d bad)",
			files[i], bad);
	}
}

/* huge.yaml: 273 bytes, an aliased 30-value list swept over 5 keys (24.3 M
 * cells) is refused from the sweep sizes, before anything is expanded, and
 * max_cells: above the count lets the count through. */
static void
test_huge(void)
{
	struct suite s;
	db_err err;
	clock_t t0 = clock();
	int rc = suite_load(&s, fix("huge.yaml"), &err);
	double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
	tap_ok(rc == DB_EPARSE && s.nproblems == 1 && secs < 1.0,
		"24.3 M-cell suite refused in %.3f s (< 1 s): %s", secs,
		s.nproblems ? s.problems[0] : "");
	suite_free(&s);
	char path[4096];
	snprintf(path, sizeof path, "%s/huge-max.yaml",
		getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	FILE *in = fopen(fix("huge.yaml"), "r"), *out = fopen(path, "w");
	char line[512];
	while (in && out && fgets(line, sizeof line, in))
		fputs(line, out);
	if (out)
		fputs("max_cells: 24300000\n", out), fclose(out);
	if (in)
		fclose(in);
	rc = suite_load(&s, path, &err);
	tap_ok(rc == DB_OK, "max_cells: 24300000 admits the 24300000 cells (not expanded here)");
	suite_free(&s);
	remove(path);
}

int
main(void)
{
	test_expand();
	test_cells_fixture("levels");
	test_cells_fixture("sweep");
	test_sweep_path();
	test_messages("bad");
	test_messages("bad_levels");
	test_messages("bad_reference");
	test_messages("bad_names");
	test_messages("bad_matrix");
	test_messages("bad_matrix2");
	test_messages("bad_exclude");
	test_cells_fixture("exclude");
	test_huge();
	test_paths();
	test_reference();
	test_deca_suite();
	test_fuzz();
	return tap_done();
}
