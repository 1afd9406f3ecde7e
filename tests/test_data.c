/* TAP tests of src/data: the loader against hand-made fixtures and broken
 * files, the CSR helpers, and the synthetic generator's ground truth.
 * Fixtures live in $DB_SRCDIR/tests/fixtures/data; the CRLF and
 * no-final-newline variants are derived from the LF files at run time so that
 * the comparison is exactly "same lines, different line ends". */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "data/dataset.h"
#include "tap.h"
#include "util/hash.h"

static char tmp_root[] = "/tmp/test_data.XXXXXX";

static const char *const suffixes[] = {".train.rating", ".valid.rating", ".test.negative",
	".test.noisy"};

/* ---- file helpers ---- */

static const char *
fixture_dir(const char *sub)
{
	static char buf[4096];
	const char *top = getenv("DB_SRCDIR");
	snprintf(buf, sizeof buf, "%s/tests/fixtures/data/%s", top ? top : ".", sub);
	return buf;
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 1 << 20, n;
	char *b = malloc(cap);
	n = b ? fread(b, 1, cap, f) : 0;
	fclose(f);
	*len = n;
	return b;
}

static void
spit(const char *path, const char *buf, size_t len)
{
	FILE *f = fopen(path, "wb");
	if (f) {
		fwrite(buf, 1, len, f);
		fclose(f);
	}
}

#define PATH_CAP 4096

/* Into the caller's buffer: two temporary paths are often needed at once. */
static const char *
tmp_path(char out[PATH_CAP], const char *sub)
{
	snprintf(out, PATH_CAP, "%s/%s", tmp_root, sub);
	return out;
}

/* Writes <tmp>/<dir>/<name><suffix> for each non-NULL content. */
static const char *
make_dataset(const char *dir, const char *name, const char *const content[4])
{
	static char d[4096];
	char path[4300];
	snprintf(d, sizeof d, "%s/%s", tmp_root, dir);
	mkdir(d, 0777);
	for (int k = 0; k < 4; k++)
		if (content[k]) {
			snprintf(path, sizeof path, "%s/%s%s", d, name, suffixes[k]);
			spit(path, content[k], strlen(content[k]));
		}
	return d;
}

static void
rm_tree(const char *path)
{
	struct stat st;
	if (lstat(path, &st) != 0)
		return;
	if (S_ISDIR(st.st_mode)) {
		DIR *dir = opendir(path);
		struct dirent *e;
		char sub[4096];
		while (dir && (e = readdir(dir)))
			if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
				snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
				rm_tree(sub);
			}
		if (dir)
			closedir(dir);
		rmdir(path);
	} else {
		unlink(path);
	}
}

static int
count_entries(const char *path)
{
	DIR *dir = opendir(path);
	struct dirent *e;
	int n = 0;
	while (dir && (e = readdir(dir)))
		n += e->d_name[0] != '.';
	if (dir)
		closedir(dir);
	return n;
}

/* ---- dataset comparison ---- */

static int
same_floats(const float *a, const float *b, int n)
{
	for (int k = 0; k < n; k++)
		if (!(a[k] == b[k] || (isnan(a[k]) && isnan(b[k]))))
			return 0;
	return 1;
}

static int
same_interactions(const interactions *a, const interactions *b)
{
	size_t sz = (size_t)a->n * sizeof(int);
	return a->n == b->n && !memcmp(a->user, b->user, sz) && !memcmp(a->item, b->item, sz) &&
		same_floats(a->value, b->value, a->n);
}

static int
same_csr(const csr *a, const csr *b)
{
	return a->nrows == b->nrows &&
		!memcmp(a->ptr, b->ptr, ((size_t)a->nrows + 1) * sizeof(int)) &&
		!memcmp(a->idx, b->idx, (size_t)a->ptr[a->nrows] * sizeof(int));
}

static int
same_truth(const truth *a, const truth *b)
{
	return a->n_users == b->n_users && a->n_lines == b->n_lines &&
		!memcmp(a->users, b->users, (size_t)a->n_users * sizeof(int)) &&
		same_csr(&a->items, &b->items);
}

/* Everything but the checksum, which covers the bytes and so the line ends. */
static int
same_dataset(const dataset *a, const dataset *b)
{
	return a->n_users == b->n_users && a->n_items == b->n_items &&
		a->has_test_noisy == b->has_test_noisy && !strcmp(a->name, b->name) &&
		same_interactions(&a->train, &b->train) &&
		same_interactions(&a->valid, &b->valid) && same_interactions(&a->test, &b->test) &&
		(!a->has_test_noisy || same_interactions(&a->test_noisy, &b->test_noisy)) &&
		same_csr(&a->train_pos, &b->train_pos) && same_csr(&a->mask, &b->mask) &&
		same_truth(&a->test_truth, &b->test_truth) &&
		(!a->has_test_noisy || same_truth(&a->noisy_truth, &b->noisy_truth)) &&
		!memcmp(a->item_pop, b->item_pop, (size_t)a->n_items * sizeof(int));
}

static int
row_is(const csr *c, int r, const int *want, int n)
{
	return r < c->nrows && c->ptr[r + 1] - c->ptr[r] == n &&
		(n == 0 || !memcmp(c->idx + c->ptr[r], want, (size_t)n * sizeof(int)));
}

static int
is_zeroed(const dataset *d)
{
	return !d->train.user && !d->valid.user && !d->test.user && !d->test_noisy.user &&
		!d->train_pos.ptr && !d->mask.ptr && !d->test_truth.users && !d->item_pop &&
		d->n_users == 0;
}

/* ---- loader on the good fixtures ---- */

static void
check_tiny_content(const dataset *d)
{
	static const float train_v[] = {5, 4, 2, 1, 5, 3, 5};
	static const int pop[] = {1, 2, 1, 1, 2};
	tap_ok(d->n_users == 4 && d->n_items == 5,
		"tiny: n = max train id + 1 (%d users, %d items)", d->n_users, d->n_items);
	tap_ok(d->train.n == 7 && d->valid.n == 3 && d->test.n == 4 && d->test_noisy.n == 6 &&
			d->has_test_noisy,
		"tiny: line counts 7/3/4/6 with the blank line skipped");
	tap_ok(same_floats(d->train.value, train_v, 7), "tiny: train ratings kept in file order");
	tap_ok(isnan(d->test.value[0]) && d->test.value[1] == 5 && d->test.value[2] == 1 &&
			isnan(d->test.value[3]),
		"tiny: test value NAN where absent, extra fields ignored");
	tap_ok(row_is(&d->train_pos, 0, (int[]){1, 3}, 2) &&
			row_is(&d->train_pos, 1, (int[]){2}, 1) &&
			row_is(&d->train_pos, 2, (int[]){0, 4}, 2) &&
			row_is(&d->train_pos, 3, (int[]){4}, 1),
		"tiny: train_pos sorted and distinct");
	tap_ok(row_is(&d->mask, 0, (int[]){1, 2, 3}, 3) && row_is(&d->mask, 1, (int[]){0, 2}, 2) &&
			row_is(&d->mask, 2, (int[]){0, 4}, 2) && row_is(&d->mask, 3, (int[]){4}, 1),
		"tiny: mask = train u valid");
	const truth *t = &d->test_truth, *nt = &d->noisy_truth;
	tap_ok(t->n_users == 2 && t->users[0] == 0 && t->users[1] == 3 && t->n_lines == 4 &&
			row_is(&t->items, 0, (int[]){4, 4}, 2) &&
			row_is(&t->items, 1, (int[]){0, 2}, 2),
		"tiny: test truth in file order, duplicate (0,4) kept");
	tap_ok(nt->n_users == 3 && nt->users[0] == 0 && nt->users[1] == 1 && nt->users[2] == 3 &&
			nt->n_lines == 6 && row_is(&nt->items, 0, (int[]){4, 0, 4}, 3) &&
			row_is(&nt->items, 1, (int[]){3}, 1) &&
			row_is(&nt->items, 2, (int[]){0, 2}, 2),
		"tiny: noisy truth in file order with duplicates");
	tap_ok(!memcmp(d->item_pop, pop, sizeof pop), "tiny: item_pop counts duplicate lines");
	tap_ok(!strcmp(d->name, "tiny"), "tiny: name");
	tap_ok(data_csr_has(&d->train_pos, 0, 3) && !data_csr_has(&d->train_pos, 0, 2) &&
			data_csr_has(&d->mask, 0, 2) && !data_csr_has(&d->mask, 4, 0) &&
			!data_csr_has(&d->mask, -1, 0),
		"tiny: data_csr_has");
}

static uint64_t
chained_checksum(const char *dir, const char *name)
{
	uint64_t h = HASH_FNV_INIT;
	char path[4300];
	for (int k = 0; k < 4; k++) {
		size_t len;
		snprintf(path, sizeof path, "%s/%s%s", dir, name, suffixes[k]);
		char *b = slurp(path, &len);
		if (b)
			h = hash_fnv1a(h, b, len);
		free(b);
	}
	return h;
}

/* Copies the tiny fixture with CRLF line ends and/or no final newline. */
static const char *
tiny_variant(const char *sub, int crlf, int no_final_nl)
{
	static char dir[PATH_CAP];
	char src[4300], dst[4300];
	tmp_path(dir, sub);
	mkdir(dir, 0777);
	for (int k = 0; k < 4; k++) {
		size_t len, w = 0;
		snprintf(src, sizeof src, "%s/tiny%s", fixture_dir("tiny"), suffixes[k]);
		snprintf(dst, sizeof dst, "%s/tiny%s", dir, suffixes[k]);
		char *b = slurp(src, &len), *out = malloc(2 * len + 1);
		for (size_t i = 0; b && out && i < len; i++) {
			if (b[i] == '\n' && crlf)
				out[w++] = '\r';
			out[w++] = b[i];
		}
		if (no_final_nl && w > 0 && out[w - 1] == '\n')
			w -= crlf ? 2 : 1;
		spit(dst, out, w);
		free(b);
		free(out);
	}
	return dir;
}

static void
test_tiny(void)
{
	dataset d, v;
	db_err err = {{0}};
	int rc = data_load(&d, fixture_dir("tiny"), "tiny", NULL, &err);
	if (!tap_ok(rc == DB_OK, "tiny loads: %s", err.msg))
		return;
	check_tiny_content(&d);
	tap_ok(d.checksum == chained_checksum(fixture_dir("tiny"), "tiny"),
		"tiny: checksum is FNV-1a chained over train, valid, test, test.noisy");
	static const struct {
		const char *sub;
		int crlf, no_nl;
	} variants[] = {{"crlf", 1, 0}, {"nonl", 0, 1}, {"crlf-nonl", 1, 1}};
	for (size_t k = 0; k < sizeof variants / sizeof variants[0]; k++) {
		const char *dir =
			tiny_variant(variants[k].sub, variants[k].crlf, variants[k].no_nl);
		rc = data_load(&v, dir, "tiny", NULL, &err);
		tap_ok(rc == DB_OK && same_dataset(&d, &v), "tiny %s: same dataset as LF (%s)",
			variants[k].sub, rc ? err.msg : "ok");
		if (variants[k].crlf)
			tap_ok(v.checksum != d.checksum, "tiny %s: checksum sees the bytes",
				variants[k].sub);
		data_free(&v);
	}
	data_free(&d);
}

static void
test_options(void)
{
	dataset d;
	db_err err = {{0}};
	struct data_opts o = {.mask_valid = 0};
	int rc = data_load(&d, fixture_dir("tiny"), "tiny", &o, &err);
	tap_ok(rc == DB_OK && same_csr(&d.mask, &d.train_pos), "mask_valid=0: mask = train only");
	data_free(&d);
	o = (struct data_opts){.user_num = 10, .item_num = 8, .mask_valid = 1};
	rc = data_load(&d, fixture_dir("tiny"), "tiny", &o, &err);
	tap_ok(rc == DB_OK && d.n_users == 10 && d.n_items == 8 && d.train_pos.nrows == 10 &&
			d.mask.nrows == 10 && d.item_pop[7] == 0 && d.item_pop[4] == 2,
		"user_num/item_num override the counts");
	data_free(&d);
	o = (struct data_opts){.user_num = 3, .mask_valid = 1};
	rc = data_load(&d, fixture_dir("tiny"), "tiny", &o, &err);
	tap_ok(rc == DB_EPARSE && strstr(err.msg, "tiny.train.rating:8:") &&
			strstr(err.msg, "user 3 is beyond the range 0..2 set by user_num"),
		"user_num below a train id is an error: %s", err.msg);
	tap_ok(is_zeroed(&d), "failed load leaves the dataset zeroed");
	data_free(&d);
	o = (struct data_opts){.item_num = 4, .mask_valid = 1};
	rc = data_load(&d, fixture_dir("tiny"), "tiny", &o, &err);
	tap_ok(rc == DB_EPARSE && strstr(err.msg, "tiny.train.rating:5:") &&
			strstr(err.msg, "item 4 is beyond the range 0..3 set by item_num"),
		"item_num below a train id is an error: %s", err.msg);
}

static void
test_adt(void)
{
	dataset d;
	db_err err = {{0}};
	int rc = data_load(&d, fixture_dir("adt"), "adt", NULL, &err);
	if (!tap_ok(rc == DB_OK, "adt loads: %s", err.msg))
		return;
	const truth *t = &d.test_truth;
	tap_ok(!d.has_test_noisy && d.n_users == 3 && d.n_items == 3, "adt: no test.noisy, 3x3");
	tap_ok(t->n_users == 3 && t->users[2] == 2 && row_is(&t->items, 0, (int[]){2}, 1) &&
			row_is(&t->items, 1, (int[]){1}, 1) && row_is(&t->items, 2, (int[]){0}, 1),
		"adt: '(u, i)' tuples give the test pairs");
	tap_ok(isnan(d.test.value[0]) && isnan(d.test.value[2]),
		"adt: fields after the tuple are not a value");
	tap_ok(d.train.value[1] == 0 && d.train.value[0] == 1, "adt: 0/1 flags kept as values");
	data_free(&d);
}

/* ---- single lines through data_read_file ---- */

static void
test_good_lines(void)
{
	static const struct {
		const char *text;
		int need_value, user, item;
		float value; /* NAN: expect NAN */
	} cases[] = {
		{"0\t1\t4.5\n", 1, 0, 1, 4.5f},
		{"0\t1\t-1\n", 1, 0, 1, -1},
		{"7\t9\t1e0", 1, 7, 9, 1},
		{"(3, 4)\t5\n", 1, 3, 4, 5},
		{"( 3 ,4 )\n", 0, 3, 4, NAN},
		{"3\t4\n", 0, 3, 4, NAN},
		{"3\t4\t\n", 0, 3, 4, NAN},
		{"\n\r\n2147483646\t0\t2\t", 1, 2147483646, 0, 2},
	};
	char path[PATH_CAP];
	tmp_path(path, "good.rating");
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		interactions x;
		db_err err = {{0}};
		spit(path, cases[k].text, strlen(cases[k].text));
		int rc = data_read_file(path, cases[k].need_value, &x, &err);
		int ok = rc == DB_OK && x.n == 1 && x.user[0] == cases[k].user &&
			x.item[0] == cases[k].item && same_floats(x.value, &cases[k].value, 1);
		tap_ok(ok, "good line %zu (need_value=%d) parses %s", k, cases[k].need_value,
			rc ? err.msg : "");
		data_interactions_free(&x);
	}
}

static void
test_bad_lines(void)
{
	static const struct {
		const char *text;
		int need_value, line;
		const char *phrase;
	} cases[] = {
		{"0\t1\t5\nabc\t1\t5\n", 1, 2, "the user id is not a decimal integer"},
		{"0\t1\t5\n\n0\t-3\t5\n", 1, 3, "the item id is negative"},
		{"12x\t1\t5\n", 1, 1, "trailing characters after the user id"},
		{"0\t1 \t5\n", 1, 1, "trailing characters after the item id"},
		{"0 1 5\n", 1, 1, "trailing characters after the user id"},
		{"0\t1\t5\n7\n", 1, 2, "missing item id"},
		{"0\t\t5\n", 1, 1, "missing item id"},
		{"0\t1\t5\r\n\r\n0\t1\r\n", 1, 3, "missing third column"},
		{"0\t1\tfive\n", 1, 1, "the value is not a number"},
		{"0\t1\t5\n0\t1\t0x1A\n", 1, 2, "the value is not a number"},
		{"0\t1\tnan\n", 1, 1, "the value is not a number"},
		{"0\t1\t\n", 1, 1, "the value is not a number"},
		{"0\t1\t5\n2147483647\t1\t5\n", 1, 2, "the user id is too large"},
		{"0\t99999999999999999999\t5\n", 1, 1, "the item id is too large"},
		{"0\t1\n1\t2\tx\n", 0, 2, "the value is not a number"},
		{"(0 2)\t1\n", 0, 1, "not a '(user, item)' tuple"},
		{"(0, 2\n", 0, 1, "not a '(user, item)' tuple"},
		{"(0, 2)x\t1\n", 0, 1, "not a '(user, item)' tuple"},
		{"1\t1\n(0, -2)\t1\n", 0, 2, "the item id is negative"},
		{"(0, 2)\n", 1, 1, "missing third column"},
	};
	char path[PATH_CAP];
	tmp_path(path, "bad.rating");
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		interactions x;
		db_err err = {{0}};
		char where[64];
		spit(path, cases[k].text, strlen(cases[k].text));
		int rc = data_read_file(path, cases[k].need_value, &x, &err);
		snprintf(where, sizeof where, "bad.rating:%d: expected '", cases[k].line);
		tap_ok(rc == DB_EPARSE && strstr(err.msg, where) &&
				strstr(err.msg, cases[k].phrase) && !x.user,
			"bad line %zu: '%s' at line %d: %s", k, cases[k].phrase, cases[k].line,
			err.msg);
		data_interactions_free(&x);
	}
}

/* ---- whole-dataset errors ---- */

static void
expect_load_error(const char *dir, const char *name, const struct data_opts *o, int code,
	const char *p1, const char *p2, const char *what)
{
	dataset d;
	db_err err = {{0}};
	int rc = data_load(&d, dir, name, o, &err);
	tap_ok(rc == code && strstr(err.msg, p1) && strstr(err.msg, p2) && is_zeroed(&d), "%s: %s",
		what, err.msg);
	data_free(&d);
}

static void
test_load_errors(void)
{
	const char *tr = "0\t0\t5\n1\t1\t5\n";
	const char *dir = make_dataset("miss", "m", (const char *[]){tr, NULL, NULL, NULL});
	expect_load_error(dir, "m", NULL, DB_EIO, "m.valid.rating: cannot open", ".test.negative",
		"missing valid file names it and the layout");
	dir = make_dataset("vrange", "v",
		(const char *[]){tr, "0\t1\t5\n2\t0\t5\n", "0\t0\n", NULL});
	expect_load_error(dir, "v", NULL, DB_EPARSE, "v.valid.rating:2:",
		"user 2 is beyond the train range 0..1; valid/test ids must appear in train",
		"valid user beyond train");
	dir = make_dataset("trange", "t",
		(const char *[]){tr, "0\t1\t5\n", "0\t0\n\n1\t5\n", NULL});
	expect_load_error(dir, "t", NULL, DB_EPARSE,
		"t.test.negative:3:", "item 5 is beyond the train range 0..1",
		"test item beyond train");
	const char *noisy = "0\t0\t5\n1\t0\t4\n0\t1\t4\n5\t1\t1\n";
	dir = make_dataset("nrange", "n", (const char *[]){tr, "0\t1\t5\n", "0\t0\n", noisy});
	expect_load_error(dir, "n", NULL, DB_EPARSE, "n.test.noisy:4:", "user 5 is beyond",
		"test.noisy user beyond train");
	struct data_opts o = {.user_num = 5, .mask_valid = 1};
	dir = make_dataset("orange", "o", (const char *[]){tr, "7\t1\t5\n", "0\t0\n", NULL});
	expect_load_error(dir, "o", &o, DB_EPARSE,
		"o.valid.rating:1:", "user 7 is beyond the range 0..4 set by user_num",
		"valid user beyond user_num");
	dir = make_dataset("empty", "e", (const char *[]){"\n\r\n", "0\t1\t5\n", "0\t0\n", NULL});
	expect_load_error(dir, "e", NULL, DB_EPARSE, "e.train.rating", "empty train file",
		"empty train file");
	dir = make_dataset("vbad", "b", (const char *[]){tr, "0\t1\n", "0\t0\n", NULL});
	expect_load_error(dir, "b", NULL, DB_EPARSE, "b.valid.rating:1:", "missing third column",
		"valid needs the third column");
}

/* Input that could hang, exhaust memory or write elsewhere is refused. */
static void
test_input_safety(void)
{
	/* one stray id near 2^31: refused before any table of that size exists */
	const char *tr = "0\t0\t5\n2147483000\t1\t5\n";
	const char *dir =
		make_dataset("bigid", "g", (const char *[]){tr, "0\t1\t5\n", "0\t0\n", NULL});
	expect_load_error(dir, "g", NULL, DB_EPARSE,
		"g.train.rating: user id 2147483000 (train line 2", "is above max_id 50000000",
		"an id near 2^31 is refused (max_id)");
	/* the setting decides: an item id of 1000 loads with max_id 1000, not 999 */
	dir = make_dataset("midid", "h",
		(const char *[]){"0\t1000\t5\n1\t0\t5\n", "0\t1\t5\n", "0\t0\n", NULL});
	struct data_opts o = {.mask_valid = 1, .max_id = 1000};
	dataset d;
	db_err err = {{0}};
	tap_ok(data_load(&d, dir, "h", &o, &err) == DB_OK && d.n_items == 1001,
		"max_id 1000: item id 1000 loads (%s)", err.msg);
	data_free(&d);
	o.max_id = 999;
	expect_load_error(dir, "h", &o, DB_EPARSE, "item id 1000 (train line 1", "above max_id 999",
		"max_id 999: item id 1000 refused");
	/* a FIFO as the train file: refused at once, not read (would block) */
	char fifo_dir[PATH_CAP], fifo[PATH_CAP + 32];
	tmp_path(fifo_dir, "fifo");
	mkdir(fifo_dir, 0700);
	snprintf(fifo, sizeof fifo, "%s/p.train.rating", fifo_dir);
	tap_ok(mkfifo(fifo, 0600) == 0, "mkfifo");
	expect_load_error(fifo_dir, "p", NULL, DB_EIO, "p.train.rating: not a regular file", "pipe",
		"a FIFO as data file is refused without blocking");
	dir = make_dataset("dotdot", "n",
		(const char *[]){"0\t0\t5\n", "0\t0\t5\n", "0\t0\n", NULL});
	expect_load_error(dir, "..", NULL, DB_EINVAL, "dataset name '..'", "would name a directory",
		"dataset name '..' refused");
	expect_load_error(dir, "../x", NULL, DB_EINVAL, "dataset name '../x'", "path separator",
		"dataset name '../x' refused");
	expect_load_error(dir, "a\tb", NULL, DB_EINVAL, "dataset name", "control character",
		"dataset name with a TAB refused");
	struct synth_opts so;
	synth_default_opts(&so);
	tap_ok(synth_write(&so, dir, "../../escape", &err) == DB_EINVAL &&
			strstr(err.msg, "path separator"),
		"synth refuses a name with '/': %s", err.msg);
}

static void
test_csr(void)
{
	static const int u[] = {1, 0, 1, 1, 0}, i[] = {5, 2, 3, 5, 2};
	csr c;
	db_err err = {{0}};
	int rc = data_csr_build(&c, 3, u, i, 5, 0, &err);
	tap_ok(rc == DB_OK && row_is(&c, 0, (int[]){2, 2}, 2) &&
			row_is(&c, 1, (int[]){5, 3, 5}, 3) && row_is(&c, 2, NULL, 0),
		"csr: input order and duplicates kept");
	data_csr_free(&c);
	rc = data_csr_build(&c, 3, u, i, 5, 1, &err);
	tap_ok(rc == DB_OK && row_is(&c, 0, (int[]){2}, 1) && row_is(&c, 1, (int[]){3, 5}, 2) &&
			c.ptr[3] == 3 && data_csr_has(&c, 1, 5) && !data_csr_has(&c, 1, 4),
		"csr: distinct rows are sorted and deduplicated");
	data_csr_free(&c);
	rc = data_csr_build(&c, 1, u, i, 5, 1, &err);
	tap_ok(rc == DB_EINVAL && !c.ptr && strstr(err.msg, "outside rows"),
		"csr: a row id beyond nrows is rejected");
}

/* ---- synthetic data ---- */

/* The files of two synth outputs under the temporary root. */
static int
files_equal(const char *sub1, const char *sub2, const char *suffix)
{
	char p1[PATH_CAP], p2[PATH_CAP], f1[4300], f2[4300];
	size_t n1 = 0, n2 = 0;
	snprintf(f1, sizeof f1, "%s/syn%s", tmp_path(p1, sub1), suffix);
	snprintf(f2, sizeof f2, "%s/syn%s", tmp_path(p2, sub2), suffix);
	char *a = slurp(f1, &n1), *b = slurp(f2, &n2);
	int eq = a && b && n1 == n2 && n1 > 0 && !memcmp(a, b, n1);
	free(a);
	free(b);
	return eq;
}

static double
share(const interactions *x, float lo, float hi)
{
	int n = 0;
	for (int k = 0; k < x->n; k++)
		n += x->value[k] >= lo && x->value[k] <= hi;
	return x->n ? (double)n / x->n : -1;
}

static int
load_synth(dataset *d, const struct synth_opts *o, const char *sub)
{
	db_err err = {{0}};
	char dir[PATH_CAP];
	int rc = synth_write(o, tmp_path(dir, sub), "syn", &err);
	if (!rc)
		rc = data_load(d, dir, "syn", NULL, &err);
	if (rc)
		tap_diag("synth %s: %s", sub, err.msg);
	return rc;
}

static void
test_synth_determinism(void)
{
	struct synth_opts o;
	db_err err = {{0}};
	synth_default_opts(&o);
	tap_ok(o.n_users == 300 && o.n_items == 200 && o.dim == 8 && o.mean_per_user == 20 &&
			o.noise_rate == 0.2 && o.valid_frac == 0.1 && o.test_frac == 0.2 &&
			o.seed == 1,
		"synth: default options");
	char dir[PATH_CAP];
	int rc = synth_write(&o, tmp_path(dir, "s1"), "syn", &err);
	rc |= synth_write(&o, tmp_path(dir, "nested/dir/s2"), "syn", &err);
	int same = 1;
	for (int k = 0; k < 4; k++)
		same &= files_equal("s1", "nested/dir/s2", suffixes[k]);
	tap_ok(rc == DB_OK && same, "synth: same seed gives byte-identical files %s",
		rc ? err.msg : "");
	tap_ok(count_entries(tmp_path(dir, "s1")) == 4,
		"synth: exactly the 4 files, no temporaries");
	o.seed = 2;
	rc = synth_write(&o, tmp_path(dir, "s3"), "syn", &err);
	tap_ok(rc == DB_OK && !files_equal("s1", "s3", suffixes[0]),
		"synth: another seed gives other data");
	synth_default_opts(&o);
	o.n_items = 5;
	rc = synth_write(&o, tmp_path(dir, "bad"), "syn", &err);
	tap_ok(rc == DB_EINVAL && strstr(err.msg, "n_items"), "synth: too few items rejected: %s",
		err.msg);
	synth_default_opts(&o);
	o.valid_frac = 0.6;
	o.test_frac = 0.5;
	rc = synth_write(&o, tmp_path(dir, "bad"), "syn", &err);
	tap_ok(rc == DB_EINVAL && strstr(err.msg, "valid_frac"),
		"synth: split fractions summing over 1 rejected: %s", err.msg);
}

/* .test.negative must be exactly the rating-5 rows of .test.noisy, in order. */
static int
clean_is_fives_of_noisy(const dataset *d)
{
	int k = 0;
	for (int j = 0; j < d->test_noisy.n; j++) {
		if (d->test_noisy.value[j] != 5)
			continue;
		if (k >= d->test.n || d->test.user[k] != d->test_noisy.user[j] ||
			d->test.item[k] != d->test_noisy.item[j] || d->test.value[k] != 5)
			return 0;
		k++;
	}
	return k == d->test.n;
}

static int
lines_distinct_per_user(const dataset *d)
{
	int n = d->n_users;
	if (d->train_pos.ptr[n] != d->train.n || d->mask.ptr[n] != d->train.n + d->valid.n)
		return 0;
	for (int k = 0; k < d->test_noisy.n; k++)
		if (data_csr_has(&d->mask, d->test_noisy.user[k], d->test_noisy.item[k]))
			return 0;
	return 1;
}

static void
check_synth_truth(const dataset *d, const struct synth_opts *o)
{
	int all = d->train.n + d->valid.n + d->test_noisy.n, empty = 0;
	for (int u = 0; u < d->n_users; u++)
		empty += d->train_pos.ptr[u + 1] == d->train_pos.ptr[u];
	tap_ok(d->n_users == o->n_users && d->n_items <= o->n_items && empty == 0,
		"synth: %d users, %d items, every user has train lines", d->n_users, d->n_items);
	tap_near(share(&d->train, 1, 2), o->noise_rate, 0.05, "synth: noise share of train");
	tap_near(share(&d->valid, 1, 2), o->noise_rate, 0.05, "synth: noise share of valid");
	tap_near(share(&d->test_noisy, 1, 2), o->noise_rate, 0.05, "synth: noise share of test");
	tap_ok(share(&d->train, 3, 3) == 0 && share(&d->train, 1, 5) == 1,
		"synth: ratings are 1, 2 (noise), 4 or 5 (true)");
	double trues = share(&d->train, 4, 5) * d->train.n + share(&d->valid, 4, 5) * d->valid.n +
		share(&d->test_noisy, 4, 5) * d->test_noisy.n;
	tap_near(trues / d->n_users, o->mean_per_user, 1.0, "synth: true positives per user");
	tap_near(share(&d->train, 5, 5) / share(&d->train, 4, 5), 0.6, 0.05,
		"synth: share of fives among true positives");
	tap_near((double)d->valid.n / all, o->valid_frac, 0.02, "synth: valid share");
	tap_near((double)d->test_noisy.n / all, o->test_frac, 0.02, "synth: test share");
	tap_ok(d->has_test_noisy && d->test.n > 0 && clean_is_fives_of_noisy(d),
		"synth: test.negative = rating-5 rows of test.noisy (subset, all 5)");
	tap_ok(lines_distinct_per_user(d), "synth: a user's items are distinct across splits");
}

/* Cosine item-item scores of user u from train co-occurrence counts co. */
static void
knn_scores(const dataset *d, const double *co, int u, double *s)
{
	size_t ni = (size_t)d->n_items;
	const csr *p = &d->train_pos;
	for (size_t i = 0; i < ni; i++) {
		s[i] = 0;
		for (int a = p->ptr[u]; a < p->ptr[u + 1]; a++) {
			size_t j = (size_t)p->idx[a];
			double norm = sqrt(co[i * ni + i] * co[j * ni + j]);
			s[i] += norm > 0 ? co[i * ni + j] / norm : 0;
		}
	}
}

/* Clean-test items ranked in the top 10 among unmasked items, scored by
 * item-kNN (co given) or by train popularity (co NULL). */
static int
hits_at_10(const dataset *d, const double *co, double *s)
{
	int hits = 0;
	const truth *t = &d->test_truth;
	for (int k = 0; k < t->n_users; k++) {
		int u = t->users[k];
		for (int i = 0; i < d->n_items; i++)
			s[i] = d->item_pop[i];
		if (co)
			knn_scores(d, co, u, s);
		for (int x = t->items.ptr[k]; x < t->items.ptr[k + 1]; x++) {
			int it = t->items.idx[x], above = 0;
			for (int i = 0; i < d->n_items; i++)
				above += !data_csr_has(&d->mask, u, i) && s[i] > s[it];
			hits += above < 10;
		}
	}
	return hits;
}

/* The generator must let a learner of preferences beat popularity. */
static void
test_synth_beats_popularity(const dataset *d)
{
	size_t ni = (size_t)d->n_items;
	const csr *p = &d->train_pos;
	double *co = calloc(ni * ni, sizeof *co), *s = calloc(ni, sizeof *s);
	int knn = 0, pop = 0;
	if (co && s) {
		for (int u = 0; u < d->n_users; u++)
			for (int a = p->ptr[u]; a < p->ptr[u + 1]; a++)
				for (int b = p->ptr[u]; b < p->ptr[u + 1]; b++)
					co[(size_t)p->idx[a] * ni + (size_t)p->idx[b]] += 1;
		knn = hits_at_10(d, co, s);
		pop = hits_at_10(d, NULL, s);
	}
	tap_ok(knn > 1.3 * pop && pop > 0,
		"synth: item-kNN beats popularity on the clean test (hits@10 %d vs %d)", knn, pop);
	free(co);
	free(s);
}

/* With few lines per item, the largest item ids often miss train; the
 * generator must still write data whose valid/test ids are in range. */
static void
test_synth_sparse(void)
{
	struct synth_opts o;
	dataset d;
	int loaded = 0, seeds = 10;
	synth_default_opts(&o);
	o.n_users = 5;
	o.n_items = 400;
	o.mean_per_user = 4;
	o.valid_frac = o.test_frac = 0.3;
	for (o.seed = 1; o.seed <= (uint64_t)seeds; o.seed++) {
		loaded += load_synth(&d, &o, "sparse") == DB_OK;
		data_free(&d);
	}
	tap_ok(loaded == seeds, "synth: sparse outputs load for %d of %d seeds", loaded, seeds);
}

static void
test_synth_data(void)
{
	struct synth_opts o;
	dataset d;
	synth_default_opts(&o);
	if (!tap_ok(load_synth(&d, &o, "load") == DB_OK, "synth: output loads with data_load"))
		return;
	check_synth_truth(&d, &o);
	test_synth_beats_popularity(&d);
	data_free(&d);
	o.noise_rate = 0.4;
	o.seed = 7;
	if (tap_ok(load_synth(&d, &o, "noisy") == DB_OK, "synth: noise_rate 0.4 loads"))
		tap_near(share(&d.train, 1, 2), 0.4, 0.05, "synth: noise_rate 0.4 is honoured");
	data_free(&d);
	o.noise_rate = 0;
	if (tap_ok(load_synth(&d, &o, "clean") == DB_OK, "synth: noise_rate 0 loads"))
		tap_ok(share(&d.train, 1, 2) == 0 && share(&d.test_noisy, 1, 2) == 0,
			"synth: noise_rate 0 plants no noise");
	data_free(&d);
	test_synth_sparse();
}

int
main(void)
{
	if (!mkdtemp(tmp_root)) {
		tap_ok(0, "mkdtemp %s", tmp_root);
		return tap_done();
	}
	test_tiny();
	test_options();
	test_adt();
	test_good_lines();
	test_bad_lines();
	test_load_errors();
	test_input_safety();
	test_csr();
	test_synth_determinism();
	test_synth_data();
	rm_tree(tmp_root);
	return tap_done();
}
