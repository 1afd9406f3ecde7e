/* The one reader of result files (format: results/result.h).  Every check
 * runs before the caller sees a line: the magic and format on line 1, the
 * closing line's count and SHA-256, then each line's tag and field count
 * against one table, so a damaged file is refused whole, at its first
 * problem, and no reader prints half of it. */
#include "results/result.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <nettle/sha2.h>

/* Kinds of fields 1.. of a tag: s text, h 16 hex digits, i int, l long,
 * n number (strtod, nan allowed); a trailing '*' repeats the kind before it. */
struct tag_spec {
	const char *tag, *kinds;
	int min; /* fields including the tag; the maximum follows from kinds */
};

static const struct tag_spec specs[] = {
	{"version", "s", 2},
	{"blas", "s", 2},
	{"build_flags", "s", 2},
	{"tool", "s", 2},
	{"config_hash", "h", 2},
	{"data_checksum", "h", 2},
	{"config", "ss", 3},
	{"data", "sl", 3},
	{"train", "sn", 3},
	{"curve", "linnnn", 5},
	{"curve_stat", "lsn", 4},
	{"rating_prob", "nln", 4},
	{"metric", "ssin", 5},
	{"ks", "si*", 3},
	{"user", "sisn*", 5},
	{"timing", "sn", 3},
	{"warning", "s", 2},
	{"diag", "linnn", 6},
	{"diag_stat", "lsn", 4},
	{"diag_test", "lsin", 5},
	{"pred", "iinsn", 6},
};

static int
field_ok(char kind, const char *s)
{
	char *end;
	errno = 0;
	switch (kind) {
	case 's':
		return 1;
	case 'h':
		return strlen(s) == 16 && strspn(s, "0123456789abcdef") == 16;
	case 'i': {
		long v = strtol(s, &end, 10);
		return *s && !*end && !errno && v >= INT_MIN && v <= INT_MAX;
	}
	case 'l':
		strtol(s, &end, 10);
		return *s && !*end && !errno;
	default: /* 'n' */
		strtod(s, &end);
		return *s && !*end;
	}
}

static const char *
kind_name(char kind)
{
	return kind == 'h'    ? "16 hex digits"
		: kind == 'i' ? "an integer"
		: kind == 'l' ? "an integer"
		: kind == 'n' ? "a number"
			      : "text";
}

/* "'tag<TAB>text<TAB>a number...'" for messages. */
static void
describe(const struct tag_spec *t, char *out, size_t size)
{
	size_t len = (size_t)snprintf(out, size, "'%s", t->tag);
	for (const char *k = t->kinds; *k && len < size; k++)
		len += (size_t)snprintf(out + len, size - len, "%s",
			*k == '*'           ? "..."
				: *k == 's' ? "<TAB>text"
				: *k == 'h' ? "<TAB>hex16"
				: *k == 'n' ? "<TAB>number"
					    : "<TAB>integer");
	if (len < size)
		snprintf(out + len, size - len, "'%s",
			!strcmp(t->tag, "curve") ? " (the last two optional)" : "");
}

struct reading {
	const char *path;
	char ks_split[64]; /* the split of the last `ks` line and its count */
	int nks;
	db_err *err;
};

/* The Ks k[0..n) of a `ks` line (integers already): what the ks setting
 * admits, since each names one series of per-user values. */
static int
check_ks(const struct reading *r, long lineno, char **k, int n)
{
	if (n > CONFIG_INTLIST_MAX)
		return db_fail(r->err, DB_EPARSE, "%s:%ld: a 'ks' line with %d Ks, at most %d",
			r->path, lineno, n, CONFIG_INTLIST_MAX);
	for (int j = 0; j < n; j++) {
		int v = atoi(k[j]);
		if (v < 1)
			return db_fail(r->err, DB_EPARSE,
				"%s:%ld: K %d in a 'ks' line, expected >= 1", r->path, lineno, v);
		for (int i = 0; i < j; i++)
			if (atoi(k[i]) == v)
				return db_fail(r->err, DB_EPARSE,
					"%s:%ld: K %d twice in a 'ks' line", r->path, lineno, v);
	}
	return DB_OK;
}

/* Checks fields f[0..n) of line lineno against the table. */
static int
check_line(struct reading *r, long lineno, char **f, int n)
{
	const struct tag_spec *t = NULL;
	for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++)
		if (!strcmp(specs[i].tag, f[0]))
			t = &specs[i];
	if (!t)
		return db_fail(r->err, DB_EPARSE, "%s:%ld: unknown line '%.40s'", r->path, lineno,
			f[0]);
	size_t nk = strlen(t->kinds);
	int rep = t->kinds[nk - 1] == '*', max = rep ? INT_MAX : (int)nk + 1;
	if (n < t->min || n > max || (!strcmp(f[0], "curve") && n == 6)) {
		char want[256];
		describe(t, want, sizeof want);
		return db_fail(r->err, DB_EPARSE, "%s:%ld: a '%s' line with %d fields, expected %s",
			r->path, lineno, f[0], n, want);
	}
	for (int j = 1; j < n; j++) {
		size_t k = (size_t)j - 1;
		char kind = rep && k >= nk - 2 ? t->kinds[nk - 2] : t->kinds[k];
		if (!field_ok(kind, f[j]))
			return db_fail(r->err, DB_EPARSE,
				"%s:%ld: field %d of a '%s' line ('%.40s') "
				"is not %s",
				r->path, lineno, j + 1, f[0], f[j], kind_name(kind));
	}
	if (!strcmp(f[0], "ks")) {
		int rc = check_ks(r, lineno, f + 2, n - 2);
		if (rc)
			return rc;
		snprintf(r->ks_split, sizeof r->ks_split, "%s", f[1]);
		r->nks = n - 2;
	} else if (!strcmp(f[0], "user") && (strcmp(f[1], r->ks_split) || n != 4 + r->nks))
		return db_fail(r->err, DB_EPARSE,
			"%s:%ld: a 'user' line must follow its split's "
			"'ks' line and give one value per K (%d)",
			r->path, lineno, r->nks);
	return DB_OK;
}

/* Splits line at TABs in place into *f (grown as needed); returns the count. */
static int
split(char *line, char ***f, size_t *cap)
{
	size_t n = 1;
	for (const char *p = line; (p = strchr(p, '\t')); p++)
		n++;
	if (n > *cap) {
		char **g = realloc(*f, n * sizeof *g);
		if (!g)
			return -1;
		*f = g;
		*cap = n;
	}
	(*f)[0] = line;
	for (size_t i = 1; i < n; i++) {
		char *tab = strchr((*f)[i - 1], '\t');
		*tab = 0;
		(*f)[i] = tab + 1;
	}
	return (int)n > 0 ? (int)n : -1;
}

void
result_sha256_hex(const char *data, size_t n, char hex[65])
{
	struct sha256_ctx ctx;
	unsigned char d[SHA256_DIGEST_SIZE];
	sha256_init(&ctx);
	sha256_update(&ctx, n, (const uint8_t *)data);
	sha256_digest(&ctx, sizeof d, d);
	for (size_t i = 0; i < sizeof d; i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
}

/* Line 1: the magic and a format this tool reads. */
static int
check_magic(const char *path, const char *line, db_err *err)
{
	const char magic[] = "denoisebench-result\t";
	if (strncmp(line, magic, sizeof magic - 1))
		return db_fail(err, DB_EPARSE,
			"%s:1: not a denoisebench result file (expected "
			"'denoisebench-result<TAB>%d')",
			path, RESULT_FORMAT);
	char *end;
	errno = 0;
	long v = strtol(line + sizeof magic - 1, &end, 10);
	if ((*end && *end != '\n') || end == line + sizeof magic - 1 || errno || v < 1)
		return db_fail(err, DB_EPARSE, "%s:1: a format version must be a number", path);
	if (v > RESULT_FORMAT)
		return db_fail(err, DB_EPARSE,
			"%s:1: result format %ld is newer than this "
			"denoisebench reads (%d): use the version that wrote it",
			path, v, RESULT_FORMAT);
	if (v < RESULT_FORMAT)
		return db_fail(err, DB_EPARSE,
			"%s:1: result format %ld has no closing checksum "
			"line and is no longer read: run its cell again",
			path, v);
	return DB_OK;
}

/* The closing line `end<TAB>lines<TAB>sha256` (last, nul-terminated) after
 * the len bytes of body, which hold lines lines. */
static int
check_end(const char *path, const char *body, size_t len, long lines, const char *last, db_err *err)
{
	char hex[65], *end;
	errno = 0;
	long n = strncmp(last, "end\t", 4) ? -1 : strtol(last + 4, &end, 10);
	if (n < 0 || errno || *end != '\t' || strlen(end + 1) != 64 ||
		strspn(end + 1, "0123456789abcdef") != 64)
		return db_fail(err, DB_EPARSE,
			"%s:%ld: no closing line 'end<TAB>lines<TAB>"
			"sha256': the file is truncated or damaged",
			path, lines + 1);
	if (n != lines)
		return db_fail(err, DB_EPARSE,
			"%s:%ld: the closing line counts %ld lines above "
			"it, the file has %ld: lines were lost or added",
			path, lines + 1, n, lines);
	result_sha256_hex(body, len, hex);
	if (strcmp(hex, end + 1))
		return db_fail(err, DB_EPARSE,
			"%s:%ld: SHA-256 of the lines above is %.12s..., "
			"the closing line says %.12s...: the file was edited or damaged",
			path, lines + 1, hex, end + 1);
	return DB_OK;
}

/* Validates every line of text (nul-terminated, lines lines), keeping each
 * one split in place and its field count in nf[]. */
static int
check_all(struct reading *r, char *text, long lines, int *nf, char ***f, size_t *cap)
{
	char *line = text;
	for (long i = 0; i < lines; i++) {
		char *nl = strchr(line, '\n');
		*nl = 0;
		if (i > 0) { /* line 1, the magic, is checked first */
			if ((nf[i] = split(line, f, cap)) < 0)
				return db_fail(r->err, DB_ENOMEM, "out of memory");
			int rc = check_line(r, i + 1, *f, nf[i]);
			if (rc)
				return rc;
		}
		line = nl + 1;
	}
	return DB_OK;
}

/* Hands lines 2.. (already split) to fn. */
static int
deliver(const char *path, char *text, long lines, const int *nf, char ***f, result_line_fn fn,
	void *arg, db_err *err)
{
	char *line = text + strlen(text) + 1;
	for (long i = 1; i < lines; i++) {
		char *p = line;
		for (int j = 0; j < nf[i]; j++) {
			(*f)[j] = p;
			p += strlen(p) + 1;
		}
		struct result_line l = {path, i + 1, *f, nf[i]};
		int rc = fn(&l, arg, err);
		if (rc)
			return rc;
		line = p;
	}
	return DB_OK;
}

int
result_read_buffer(const char *path, const char *buf, size_t len, result_line_fn fn, void *arg,
	db_err *err)
{
	if (len == 0)
		return db_fail(err, DB_EPARSE, "%s:1: empty file, not a result", path);
	long lines = 0;
	for (size_t i = 0; i < len; i++) {
		if (buf[i] == 0)
			return db_fail(err, DB_EPARSE, "%s:%ld: a NUL byte", path, lines + 1);
		lines += buf[i] == '\n';
	}
	if (buf[len - 1] != '\n')
		return db_fail(err, DB_EPARSE,
			"%s:%ld: the last line has no newline: the file "
			"is truncated",
			path, lines + 1);
	size_t body = len - 1; /* the closing line starts after the last-but-one newline */
	while (body > 0 && buf[body - 1] != '\n')
		body--;
	char *text = malloc(len + 1);
	int *nf = calloc((size_t)lines, sizeof *nf);
	char **f = NULL;
	size_t cap = 0;
	int rc = text && nf ? DB_OK : db_fail(err, DB_ENOMEM, "out of memory");
	struct reading r = {.path = path, .err = err};
	if (!rc) {
		memcpy(text, buf, len);
		text[len] = 0;
		text[len - 1] = 0; /* the closing line as a string */
		rc = check_magic(path, text, err);
		if (!rc && lines > 1)
			rc = check_end(path, buf, body, lines - 1, text + body, err);
		else if (!rc)
			rc = db_fail(err, DB_EPARSE, "%s:2: no closing line: the file is truncated",
				path);
		text[len - 1] = '\n';
	}
	if (!rc)
		rc = check_all(&r, text, lines - 1, nf, &f, &cap);
	if (!rc)
		rc = deliver(path, text, lines - 1, nf, &f, fn, arg, err);
	free(text);
	free(nf);
	free(f);
	return rc;
}

int
result_read(const char *path, result_line_fn fn, void *arg, db_err *err)
{
	FILE *in = fopen(path, "rb");
	if (!in)
		return db_fail(err, DB_EIO, "%s: cannot open: %s", path, strerror(errno));
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	char block[65536];
	size_t n;
	int bad = !mem;
	while (!bad && (n = fread(block, 1, sizeof block, in)) > 0)
		bad = fwrite(block, 1, n, mem) != n;
	bad |= ferror(in);
	fclose(in);
	if (mem)
		bad |= fclose(mem) != 0;
	int rc = bad ? db_fail(err, DB_EIO, "%s: read error", path)
		     : result_read_buffer(path, buf, len, fn, arg, err);
	free(buf);
	return rc;
}
