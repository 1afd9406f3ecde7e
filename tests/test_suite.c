/* Suite files: parsing, validation messages with line:column, expansion, and
 * robustness against truncated and byte-mutated input. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "suite/suite.h"
#include "tap.h"

static char fixture[512];

static const char *fix(const char *name)
{
	const char *src = getenv("DB_SRCDIR");
	snprintf(fixture, sizeof fixture, "%s/tests/fixtures/suites/%s", src ? src : ".", name);
	return fixture;
}

/* quick.yaml: 1 dataset x {mf, gmf, neumf} x {normal} x seeds {1, 2} = 6
 * cells, dataset outermost, seed innermost; nothing else set explicitly. */
static void test_expand(void)
{
	struct suite s;
	db_err err;
	char path[512];
	snprintf(path, sizeof path, "%s/suites/quick.yaml", getenv("DB_SRCDIR") ? getenv("DB_SRCDIR") : ".");
	tap_ok(suite_load(&s, path, &err) == DB_OK, "quick.yaml is valid");
	config *cells = NULL;
	size_t n = 0;
	int rc = suite_expand(&s, &cells, &n, &err);
	tap_ok(rc == DB_OK && n == 6, "quick.yaml: 6 cells (got %zu)", n);
	static const char *const want[6][2] = {{"mf", "1"}, {"mf", "2"}, {"gmf", "1"},
		{"gmf", "2"}, {"neumf", "1"}, {"neumf", "2"}};
	int same = n == 6;
	for (size_t i = 0; same && i < n; i++)
		same = !strcmp(config_get(&cells[i], "model"), want[i][0]) &&
			!strcmp(config_get(&cells[i], "seed"), want[i][1]) &&
			!config_lookup(&cells[i], "epochs") &&
			!strcmp(config_get(&cells[i], "dataset"), "synthetic") &&
			!*config_get(&cells[i], "data");
	tap_ok(same, "quick.yaml: model x seed order, epochs left to the defaults, synthetic data");
	suite_cells_free(cells, n);
	suite_free(&s);
}

static void test_bad(void)
{
	static const char *const want[] = {
		"bad.yaml:4:5: unknown dataset field 'colour'; one of name, path, optional, settings",
		"bad.yaml:5:15: unknown model 'nosuchmodel'; one of",
		"bad.yaml:7:12: seed: 'x' is not an integer",
		"bad.yaml:9:3: unknown setting 'epoch'; did you mean 'epochs'?",
		"bad.yaml:10:15: batch_size: 0 is out of range",
	};
	struct suite s;
	db_err err;
	int rc = suite_load(&s, fix("bad.yaml"), &err);
	tap_ok(rc == DB_EPARSE, "bad.yaml refused");
	tap_ok(s.nproblems == 5, "bad.yaml: all 5 problems reported at once (got %zu)", s.nproblems);
	for (size_t i = 0; i < 5 && i < s.nproblems; i++)
		tap_ok(strstr(s.problems[i], want[i]) != NULL, "%s", s.problems[i]);
	suite_free(&s);
}

/* here: the fixtures dir exists (epochs 2 from its settings); gone: optional
 * and absent, skipped; absent: not optional, so the suite is refused. */
static void test_paths(void)
{
	struct suite s;
	db_err err;
	char dir[512];
	snprintf(dir, sizeof dir, "%s/tests/fixtures", getenv("DB_SRCDIR") ? getenv("DB_SRCDIR") : ".");
	setenv("DB_TEST_DIR", dir, 1);
	int rc = suite_load(&s, fix("paths.yaml"), &err);
	tap_ok(rc == DB_EPARSE && s.nproblems == 1 &&
		strstr(s.problems[0], "paths.yaml:10:11: data directory '/nonexistent/denoisebench' not found"),
		"missing required data directory: %s", s.nproblems ? s.problems[0] : "(none)");
	tap_ok(s.ndata == 3 && !s.data[0].missing && s.data[1].missing && s.data[0].path &&
		!strcmp(s.data[0].path + strlen(dir), "/suites"), "${VAR} expanded; optional absent dataset skipped");
	suite_free(&s);
	unsetenv("DB_TEST_DIR");
	rc = suite_load(&s, fix("paths.yaml"), &err);
	tap_ok(rc == DB_EPARSE && s.nproblems >= 1 &&
		strstr(s.problems[0], "paths.yaml:4:11: environment variable DB_TEST_DIR is not set"),
		"unset variable: %s", s.nproblems ? s.problems[0] : "(none)");
	suite_free(&s);
}

/* Deterministic truncations and byte mutations of quick.yaml: each must load
 * as valid (and expand) or be refused with at least one message. */
static void test_fuzz(void)
{
	char path[512];
	snprintf(path, sizeof path, "%s/suites/quick.yaml", getenv("DB_SRCDIR") ? getenv("DB_SRCDIR") : ".");
	FILE *f = fopen(path, "rb");
	char text[4096];
	size_t len = f ? fread(text, 1, sizeof text, f) : 0;
	if (f)
		fclose(f);
	static const char bytes[] = ":-[]{}\n #'\"&*!|>%@`\t\0x9";
	char tmp[] = "/tmp/db_suite_fuzzXXXXXX";
	int fd = mkstemp(tmp), bad = 0, tried = 0;
	FILE *out = fd >= 0 ? fdopen(fd, "wb") : NULL;
	for (int k = 0; out && k < 300; k++) {
		char m[4096];
		size_t n = len;
		memcpy(m, text, len);
		if (k < 100)
			n = len * (size_t)k / 100; /* truncation */
		else
			m[(size_t)k * 7919 % len] = bytes[k % (sizeof bytes - 1)];
		rewind(out);
		if (ftruncate(fileno(out), 0) || fwrite(m, 1, n, out) != n || fflush(out))
			break;
		struct suite s;
		db_err err;
		int rc = suite_load(&s, tmp, &err);
		config *cells = NULL;
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
	tap_ok(tried == 300 && !bad, "300 truncated/mutated suites: each valid or refused with a message (%d bad)", bad);
}

int main(void)
{
	test_expand();
	test_bad();
	test_paths();
	test_fuzz();
	return tap_done();
}
