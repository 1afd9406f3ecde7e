/* Loader of the authors' text layout (reference/protocol.md §1).
 *
 * Each file is read whole into one buffer and parsed in place, so a file
 * costs the same five allocations however many lines it has.  The rules follow the
 * readers of both reference repositories: TAB-separated, LF or CRLF, a last
 * line without newline, ids used directly as indices, the third column
 * mandatory in train/valid (pandas usecols=[0,1,2]) and optional in the test
 * files (read line by line, extra fields ignored), plus ADT's `(u, i)\t...`
 * test form.  Lines that are empty (after dropping a CR) are skipped; any
 * other deviation is an error naming file, 1-based line and expected form,
 * because a silently skipped line would change every metric.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "data/dataset.h"
#include "util/fileio.h"
#include "util/hash.h"

/* Why a line was rejected; the message adds which field. */
enum line_fault {
	LF_OK,
	LF_MISSING, /* the id field is empty or absent */
	LF_NOT_INT,
	LF_NEGATIVE,
	LF_TRAILING, /* digits followed by something other than TAB / end */
	LF_TOO_LARGE,
	LF_NO_VALUE,
	LF_BAD_VALUE,
	LF_BAD_TUPLE
};

struct line_rec {
	int user, item;
	float value;
	enum line_fault fault;
	const char *field; /* "user" or "item" for id faults */
};

/* The ids a file may use: below the train maximum + 1 for valid/test, below
 * a user_num/item_num override anywhere (INT_MAX: no limit). */
struct id_limit {
	int n_users, n_items;
	int users_set, items_set; /* the bound comes from the override */
};

/* Ids stay below INT_MAX so that max id + 1 is still an int count. */
static enum line_fault
parse_id(const char **p, const char *end, int *out)
{
	const char *s = *p;
	if (s == end || *s == '\t')
		return LF_MISSING;
	if (*s == '-' && s + 1 < end && s[1] >= '0' && s[1] <= '9')
		return LF_NEGATIVE;
	if (*s < '0' || *s > '9')
		return LF_NOT_INT;
	long long v = 0;
	for (; s < end && *s >= '0' && *s <= '9'; s++) {
		v = v * 10 + (*s - '0');
		if (v >= INT_MAX)
			return LF_TOO_LARGE;
	}
	*p = s;
	*out = (int)v;
	return LF_OK;
}

/* Most values are small integers (ratings, flags); strtod only for the rest. */
static int
parse_value(const char *s, const char *end, float *out)
{
	const char *q = s + (s < end && *s == '-');
	long v = 0;
	if (q < end && end - q <= 9) {
		const char *d = q;
		while (d < end && *d >= '0' && *d <= '9')
			v = v * 10 + (*d++ - '0');
		if (d == end) {
			*out = (float)(*s == '-' ? -v : v);
			return 1;
		}
	}
	/* strtod alone would also take hex, "inf", leading blanks */
	char buf[64];
	size_t n = (size_t)(end - s);
	if (n == 0 || n >= sizeof buf)
		return 0;
	memcpy(buf, s, n);
	buf[n] = 0;
	if (strspn(buf, "0123456789+-.eE") < n)
		return 0;
	char *stop;
	double x = strtod(buf, &stop);
	if (stop != buf + n || !isfinite(x))
		return 0;
	*out = (float)x;
	return 1;
}

static const char *
skip_spaces(const char *s, const char *end)
{
	while (s < end && *s == ' ')
		s++;
	return s;
}

/* `(u, i)` as Python prints a tuple; on success *p is past the ')'. */
static enum line_fault
parse_tuple(const char **p, const char *end, struct line_rec *r)
{
	const char *s = skip_spaces(*p + 1, end);
	enum line_fault f;
	r->field = "user";
	if ((f = parse_id(&s, end, &r->user)) != LF_OK)
		return f == LF_MISSING ? LF_BAD_TUPLE : f;
	s = skip_spaces(s, end);
	if (s == end || *s != ',')
		return LF_BAD_TUPLE;
	s = skip_spaces(s + 1, end);
	r->field = "item";
	if ((f = parse_id(&s, end, &r->item)) != LF_OK)
		return f == LF_MISSING ? LF_BAD_TUPLE : f;
	s = skip_spaces(s, end);
	if (s == end || *s != ')')
		return LF_BAD_TUPLE;
	*p = s + 1;
	return LF_OK;
}

/* Plain `u<TAB>i`; on success *p is at the TAB after the item or at end. */
static enum line_fault
parse_pair(const char **p, const char *end, struct line_rec *r)
{
	const char *s = *p;
	enum line_fault f;
	r->field = "user";
	if ((f = parse_id(&s, end, &r->user)) != LF_OK)
		return f;
	if (s < end && *s != '\t')
		return LF_TRAILING;
	r->field = "item";
	if (s == end)
		return LF_MISSING;
	s++;
	if ((f = parse_id(&s, end, &r->item)) != LF_OK)
		return f;
	*p = s;
	return LF_OK;
}

/* The field after the ids is the value.  In the tuple form of a test file
 * the following fields are NCF's sampled negatives, not a value. */
static void
parse_line(const char *s, const char *end, int need_value, struct line_rec *r)
{
	int tuple = *s == '(';
	r->value = NAN;
	r->fault = tuple ? parse_tuple(&s, end, r) : parse_pair(&s, end, r);
	if (r->fault != LF_OK)
		return;
	if (s < end && *s != '\t') {
		r->fault = tuple ? LF_BAD_TUPLE : LF_TRAILING;
		return;
	}
	if (s == end) {
		if (need_value)
			r->fault = LF_NO_VALUE;
		return;
	}
	const char *v = ++s;
	while (s < end && *s != '\t')
		s++;
	if (!need_value && (tuple || s == v))
		return;
	if (!parse_value(v, s, &r->value))
		r->fault = LF_BAD_VALUE;
}

/* The offending line, with TAB and CR made visible and long lines cut. */
static void
show_line(char *out, size_t cap, const char *s, const char *end)
{
	size_t w = 0;
	for (; s < end && w + 8 < cap; s++) {
		if (*s == '\t' || *s == '\r') {
			out[w++] = '\\';
			out[w++] = *s == '\t' ? 't' : 'r';
		} else {
			out[w++] = (*s >= 32 && *s < 127) ? *s : '?';
		}
	}
	if (s < end)
		w += (size_t)snprintf(out + w, cap - w, "...");
	out[w] = 0;
}

static int
line_error(const char *path, size_t lineno, int need_value, const struct line_rec *r, const char *s,
	const char *end, db_err *err)
{
	char shown[96], why[128];
	show_line(shown, sizeof shown, s, end);
	const char *f = r->field;
	switch (r->fault) {
	case LF_MISSING:
		snprintf(why, sizeof why, "missing %s id", f);
		break;
	case LF_NOT_INT:
		snprintf(why, sizeof why, "the %s id is not a decimal integer", f);
		break;
	case LF_NEGATIVE:
		snprintf(why, sizeof why, "the %s id is negative", f);
		break;
	case LF_TRAILING:
		snprintf(why, sizeof why, "trailing characters after the %s id", f);
		break;
	case LF_TOO_LARGE:
		snprintf(why, sizeof why, "the %s id is too large (ids must be below %d)", f,
			INT_MAX);
		break;
	case LF_NO_VALUE:
		snprintf(why, sizeof why, "missing third column (value)");
		break;
	case LF_BAD_VALUE:
		snprintf(why, sizeof why, "the value is not a number");
		break;
	case LF_BAD_TUPLE:
		snprintf(why, sizeof why, "field 0 is not a '(user, item)' tuple");
		break;
	case LF_OK:
		why[0] = 0;
		break;
	}
	return db_fail(err, DB_EPARSE, "%s:%zu: expected %s, got '%s': %s", path, lineno,
		need_value ? "'user<TAB>item<TAB>value'"
			   : "'user<TAB>item[<TAB>value...]' or '(user, item)<TAB>...'",
		shown, why);
}

static int
range_error(const char *path, size_t lineno, const char *kind, int id, int n, int set, db_err *err)
{
	if (set)
		return db_fail(err, DB_EPARSE,
			"%s:%zu: %s %d is beyond the range 0..%d set by %s_num; %s_num must "
			"exceed every id in the files",
			path, lineno, kind, id, n - 1, kind, kind);
	return db_fail(err, DB_EPARSE,
		"%s:%zu: %s %d is beyond the train range 0..%d; valid/test ids must appear in "
		"train or set %s_num",
		path, lineno, kind, id, n - 1, kind);
}

static int
read_whole(const char *path, char **buf, size_t *len, db_err *err)
{
	FILE *f = fileio_open_regular(path, err);
	if (!f)
		return DB_EIO;
	struct stat st;
	size_t cap = fstat(fileno(f), &st) == 0 && st.st_size > 0 ? (size_t)st.st_size + 1 : 4096;
	size_t n = 0;
	char *b = malloc(cap);
	while (b) {
		n += fread(b + n, 1, cap - n, f);
		if (n < cap || ferror(f))
			break;
		char *bigger = realloc(b, cap *= 2);
		if (!bigger)
			free(b);
		b = bigger;
	}
	int rc = !b ? DB_ENOMEM : ferror(f) ? DB_EIO : DB_OK;
	fclose(f);
	if (rc) {
		free(b);
		return db_fail(err, rc, "%s: cannot read%s", path,
			rc == DB_ENOMEM ? ": out of memory" : "");
	}
	*buf = b;
	*len = n;
	return DB_OK;
}

static int
interactions_alloc(interactions *x, const char *path, size_t n, db_err *err)
{
	if (n > INT_MAX)
		return db_fail(err, DB_EPARSE, "%s: more than %d lines", path, INT_MAX);
	x->user = db_calloc(n, sizeof *x->user, err);
	x->item = db_calloc(n, sizeof *x->item, err);
	x->value = db_calloc(n, sizeof *x->value, err);
	x->path = db_calloc(strlen(path) + 1, 1, err);
	if (!x->user || !x->item || !x->value || !x->path)
		return DB_ENOMEM;
	strcpy(x->path, path);
	return DB_OK;
}

static int
parse_buffer(const char *buf, size_t len, int need_value, const struct id_limit *lim,
	interactions *x, db_err *err)
{
	const char *end = buf + len;
	size_t lineno = 0;
	for (const char *s = buf; s < end;) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *e = nl ? nl : end, *next = nl ? nl + 1 : end;
		lineno++;
		if (e > s && e[-1] == '\r')
			e--;
		if (e > s) {
			struct line_rec r;
			parse_line(s, e, need_value, &r);
			if (r.fault != LF_OK)
				return line_error(x->path, lineno, need_value, &r, s, e, err);
			if (r.user >= lim->n_users)
				return range_error(x->path, lineno, "user", r.user, lim->n_users,
					lim->users_set, err);
			if (r.item >= lim->n_items)
				return range_error(x->path, lineno, "item", r.item, lim->n_items,
					lim->items_set, err);
			x->user[x->n] = r.user;
			x->item[x->n] = r.item;
			x->value[x->n++] = r.value;
		}
		s = next;
	}
	return DB_OK;
}

/* Reads and parses one file, chaining its bytes into *hash. */
static int
read_file_limited(const char *path, int need_value, const struct id_limit *lim, interactions *out,
	uint64_t *hash, db_err *err)
{
	char *buf = NULL;
	size_t len = 0, lines = 1;
	memset(out, 0, sizeof *out);
	int rc = read_whole(path, &buf, &len, err);
	if (rc)
		return rc;
	for (const char *s = buf; (s = memchr(s, '\n', len - (size_t)(s - buf))); s++)
		lines++;
	rc = interactions_alloc(out, path, lines, err);
	if (!rc)
		rc = parse_buffer(buf, len, need_value, lim, out, err);
	*hash = hash_fnv1a(*hash, buf, len);
	free(buf);
	if (rc)
		data_interactions_free(out);
	return rc;
}

int
data_read_file(const char *path, int need_value, interactions *out, db_err *err)
{
	static const struct id_limit none = {INT_MAX, INT_MAX, 0, 0};
	uint64_t h = HASH_FNV_INIT;
	return read_file_limited(path, need_value, &none, out, &h, err);
}

void
data_interactions_free(interactions *x)
{
	free(x->user);
	free(x->item);
	free(x->value);
	free(x->path);
	memset(x, 0, sizeof *x);
}

/* Rows of users without lines are dropped; the items array is reused as is
 * because empty rows occupy no entries. */
static int
truth_build(truth *t, int n_users, const interactions *x, db_err *err)
{
	csr all;
	int rc = data_csr_build(&all, n_users, x->user, x->item, x->n, 0, err);
	if (rc)
		return rc;
	int k = 0;
	for (int u = 0; u < n_users; u++)
		k += all.ptr[u + 1] > all.ptr[u];
	t->users = db_calloc((size_t)k, sizeof *t->users, err);
	t->items.ptr = db_calloc((size_t)k + 1, sizeof *t->items.ptr, err);
	if (!t->users || !t->items.ptr) {
		data_csr_free(&all);
		return DB_ENOMEM;
	}
	t->items.idx = all.idx;
	all.idx = NULL;
	t->n_users = t->items.nrows = k;
	t->n_lines = x->n;
	for (int u = 0, r = 0; u < n_users; u++)
		if (all.ptr[u + 1] > all.ptr[u]) {
			t->users[r] = u;
			t->items.ptr[++r] = all.ptr[u + 1];
		}
	data_csr_free(&all);
	return DB_OK;
}

static int
mask_build(dataset *d, int with_valid, db_err *err)
{
	const interactions *tr = &d->train, *va = &d->valid;
	if (!with_valid || va->n == 0)
		return data_csr_build(&d->mask, d->n_users, tr->user, tr->item, tr->n, 1, err);
	size_t n = (size_t)tr->n + (size_t)va->n;
	if (n > INT_MAX)
		return db_fail(err, DB_EINVAL, "%s: train + valid exceed %d lines", va->path,
			INT_MAX);
	int *u = db_calloc(n, sizeof *u, err), *i = db_calloc(n, sizeof *i, err);
	int rc = u && i ? DB_OK : DB_ENOMEM;
	if (!rc) {
		memcpy(u, tr->user, (size_t)tr->n * sizeof *u);
		memcpy(u + tr->n, va->user, (size_t)va->n * sizeof *u);
		memcpy(i, tr->item, (size_t)tr->n * sizeof *i);
		memcpy(i + tr->n, va->item, (size_t)va->n * sizeof *i);
		rc = data_csr_build(&d->mask, d->n_users, u, i, (int)n, 1, err);
	}
	free(u);
	free(i);
	return rc;
}

static int
derive_views(dataset *d, const struct data_opts *o, db_err *err)
{
	const interactions *tr = &d->train;
	int rc = data_csr_build(&d->train_pos, d->n_users, tr->user, tr->item, tr->n, 1, err);
	if (!rc)
		rc = mask_build(d, o->mask_valid, err);
	if (!rc)
		rc = truth_build(&d->test_truth, d->n_users, &d->test, err);
	if (!rc && d->has_test_noisy)
		rc = truth_build(&d->noisy_truth, d->n_users, &d->test_noisy, err);
	if (!rc)
		rc = truth_build(&d->valid_truth, d->n_users, &d->valid, err);
	if (rc)
		return rc;
	d->item_pop = db_calloc((size_t)d->n_items, sizeof *d->item_pop, err);
	if (!d->item_pop)
		return DB_ENOMEM;
	for (int k = 0; k < tr->n; k++)
		d->item_pop[tr->item[k]]++;
	return DB_OK;
}

/* A missing file is the commonest mistake; say what the layout is. */
static int
load_split(const char *dir, const char *name, const char *suffix, int need_value,
	const struct id_limit *lim, interactions *x, uint64_t *hash, db_err *err)
{
	char path[4096];
	int rc = fileio_join(path, sizeof path, dir, name, suffix, err);
	if (rc)
		return rc;
	rc = read_file_limited(path, need_value, lim, x, hash, err);
	if (rc == DB_EIO && err) {
		size_t used = strlen(err->msg);
		if (!strcmp(suffix, ".valid.noisy"))
			snprintf(err->msg + used, sizeof err->msg - used,
				"; valid_split=noisy validates on %s/%s.valid.noisy", dir, name);
		else
			snprintf(err->msg + used, sizeof err->msg - used,
				"; a dataset is %s/%s.train.rating, .valid.rating, .test.negative "
				"and optionally .test.noisy",
				dir, name);
	}
	return rc;
}

/* Tables are sized by the largest train id: refuse an id above max_id, and
 * warn when the ids are far sparser than the lines read (a typo'd id makes
 * every per-user or per-item table that large). */
static int
id_bound(const interactions *x, const char *kind, int max, int num, long max_id, db_err *err)
{
	if (num > 0)
		return DB_OK; /* the table size is the override, checked per line */
	long limit = max_id > 0 ? max_id : DATA_MAX_ID;
	int k = 0;
	while (k < x->n && (!strcmp(kind, "user") ? x->user[k] : x->item[k]) != max)
		k++;
	if (max > limit)
		return db_fail(err, DB_EPARSE,
			"%s: %s id %d (train line %d, blank lines not "
			"counted) is above max_id %ld: the %s tables would have %ld rows for %d "
			"lines; fix the id, or raise max_id (or set %s_num) if the data really "
			"has that many",
			x->path, kind, max, k + 1, limit, kind, (long)max + 1, x->n, kind);
	if ((long)max > 1000L * x->n + 1000000L)
		fprintf(stderr,
			"denoisebench: warning: %s: %s id %d (train line %d) sizes the %s "
			"tables at %ld rows for only %d lines\n",
			x->path, kind, max, k + 1, kind, (long)max + 1, x->n);
	return DB_OK;
}

static int
load_files(dataset *d, const char *dir, const char *name, const struct data_opts *o, db_err *err)
{
	uint64_t h = HASH_FNV_INIT;
	struct id_limit lim = {o->user_num > 0 ? o->user_num : INT_MAX,
		o->item_num > 0 ? o->item_num : INT_MAX, o->user_num > 0, o->item_num > 0};
	int rc = load_split(dir, name, ".train.rating", 1, &lim, &d->train, &h, err);
	if (rc)
		return rc;
	if (d->train.n == 0)
		return db_fail(err, DB_EPARSE,
			"%s: empty train file: expected at least one "
			"'user<TAB>item<TAB>value' line",
			d->train.path);
	int mu = 0, mi = 0;
	for (int k = 0; k < d->train.n; k++) {
		mu = d->train.user[k] > mu ? d->train.user[k] : mu;
		mi = d->train.item[k] > mi ? d->train.item[k] : mi;
	}
	rc = id_bound(&d->train, "user", mu, o->user_num, o->max_id, err);
	if (!rc)
		rc = id_bound(&d->train, "item", mi, o->item_num, o->max_id, err);
	if (rc)
		return rc;
	d->n_users = o->user_num > 0 ? o->user_num : mu + 1;
	d->n_items = o->item_num > 0 ? o->item_num : mi + 1;
	lim.n_users = d->n_users;
	lim.n_items = d->n_items;
	rc = load_split(dir, name, o->valid_noisy ? ".valid.noisy" : ".valid.rating", 1, &lim,
		&d->valid, &h, err);
	if (!rc && !o->no_test)
		rc = load_split(dir, name, ".test.negative", 0, &lim, &d->test, &h, err);
	if (rc || o->no_test) {
		d->checksum = h;
		return rc;
	}
	char noisy[4096];
	rc = fileio_join(noisy, sizeof noisy, dir, name, ".test.noisy", err);
	d->has_test_noisy = !rc && access(noisy, F_OK) == 0;
	if (!rc && d->has_test_noisy)
		rc = load_split(dir, name, ".test.noisy", 0, &lim, &d->test_noisy, &h, err);
	d->checksum = h;
	return rc;
}

int
data_load(dataset *d, const char *dir, const char *name, const struct data_opts *o, db_err *err)
{
	static const struct data_opts reference = {0, 0, 1, 0, 0, 0};
	memset(d, 0, sizeof *d);
	if (!o)
		o = &reference;
	if (o->user_num < 0 || o->item_num < 0)
		return db_fail(err, DB_EINVAL, "user_num/item_num must be >= 0 (got %d/%d)",
			o->user_num, o->item_num);
	const char *bad = fileio_name_problem(name);
	if (bad)
		return db_fail(err, DB_EINVAL,
			"dataset name '%s' %s; a name is one file-name "
			"component",
			name, bad);
	if (strlen(name) >= sizeof d->name)
		return db_fail(err, DB_EINVAL, "dataset name '%.40s...' is longer than %zu bytes",
			name, sizeof d->name - 1);
	strcpy(d->name, name);
	int rc = load_files(d, dir, name, o, err);
	if (!rc)
		rc = derive_views(d, o, err);
	if (rc)
		data_free(d);
	return rc;
}

static void
truth_free(truth *t)
{
	free(t->users);
	data_csr_free(&t->items);
	memset(t, 0, sizeof *t);
}

void
data_free(dataset *d)
{
	data_interactions_free(&d->train);
	data_interactions_free(&d->valid);
	data_interactions_free(&d->test);
	data_interactions_free(&d->test_noisy);
	data_csr_free(&d->train_pos);
	data_csr_free(&d->mask);
	truth_free(&d->test_truth);
	truth_free(&d->noisy_truth);
	truth_free(&d->valid_truth);
	free(d->item_pop);
	memset(d, 0, sizeof *d);
}
