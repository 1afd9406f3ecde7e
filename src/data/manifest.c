/* Dataset manifests: reading them and checking a directory against one.
 * SHA-256 comes from Nettle; the data checksum is the loader's FNV-1a. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nettle/sha2.h>

#include "data/manifest.h"
#include "util/fileio.h"
#include "util/hash.h"

/* Feeds every byte of path to fn; DB_EIO when unreadable, with errno left
 * as fopen set it so that callers can tell an absent file. */
static int
each_block(const char *path, void (*fn)(void *, const unsigned char *, size_t), void *arg,
	db_err *err)
{
	FILE *f = fileio_open_regular(path, err);
	if (!f)
		return DB_EIO;
	unsigned char buf[65536];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		fn(arg, buf, n);
	int bad = ferror(f);
	fclose(f);
	return bad ? db_fail(err, DB_EIO, "%s: read error", path) : DB_OK;
}

struct digest {
	struct sha256_ctx sha;
	long newlines;
	unsigned char last;
};

static void
digest_block(void *arg, const unsigned char *b, size_t n)
{
	struct digest *d = arg;
	sha256_update(&d->sha, n, b);
	for (size_t i = 0; i < n; i++)
		d->newlines += b[i] == '\n';
	d->last = b[n - 1];
}

int
manifest_file_digest(const char *path, char hex[65], long *lines, db_err *err)
{
	struct digest d = {.last = '\n'};
	sha256_init(&d.sha);
	int rc = each_block(path, digest_block, &d, err);
	if (rc)
		return rc;
	unsigned char out[SHA256_DIGEST_SIZE];
	sha256_digest(&d.sha, sizeof out, out);
	for (int i = 0; i < SHA256_DIGEST_SIZE; i++)
		snprintf(hex + 2 * i, 3, "%02x", out[i]);
	*lines = d.newlines + (d.last != '\n'); /* a last line without newline counts */
	return DB_OK;
}

static void
fnv_block(void *arg, const unsigned char *b, size_t n)
{
	*(uint64_t *)arg = hash_fnv1a(*(uint64_t *)arg, b, n);
}

/* The first n files of the fixed order, a missing one skipped. */
static int
checksum_files(const char *dir, const char *name, size_t n, uint64_t *sum, db_err *err)
{
	static const char *const order[] = {".train.rating", ".valid.rating", ".test.negative",
		".test.noisy"};
	*sum = HASH_FNV_INIT;
	for (size_t i = 0; i < n && i < sizeof order / sizeof *order; i++) {
		char path[4096];
		int rc = fileio_join(path, sizeof path, dir, name, order[i], err);
		if (rc == DB_OK && (rc = each_block(path, fnv_block, sum, err)) && errno == ENOENT)
			rc = DB_OK;
		if (rc)
			return rc;
	}
	return DB_OK;
}

int
data_dir_checksum(const char *dir, const char *name, uint64_t *sum, db_err *err)
{
	return checksum_files(dir, name, 4, sum, err);
}

int
data_dir_checksum_valid(const char *dir, const char *name, uint64_t *sum, db_err *err)
{
	return checksum_files(dir, name, 2, sum, err);
}

/* "-" or a whole number >= 0; -2 when neither. */
static long
count_field(const char *v)
{
	char *end;
	if (!strcmp(v, "-"))
		return -1;
	long n = strtol(v, &end, 10);
	return *v && !*end && n >= 0 ? n : -2;
}

static int
hash_field(const char *v, char out[65])
{
	if (!strcmp(v, "-")) {
		out[0] = '\0';
		return 1;
	}
	if (strlen(v) != 64)
		return 0;
	for (int i = 0; i < 64; i++) {
		if (!isxdigit((unsigned char)v[i]))
			return 0;
		out[i] = (char)tolower((unsigned char)v[i]);
	}
	out[64] = '\0';
	return 1;
}

/* One `file NAME LINES SHA256 [optional]` line (its fields after "file"). */
static int
file_line(struct manifest *m, char *rest, const char *where, db_err *err)
{
	char *f[5];
	int nf = 0;
	for (char *t = strtok(rest, " \t"); t && nf < 5; t = strtok(NULL, " \t"))
		f[nf++] = t;
	struct manifest_file mf = {0};
	if (nf < 3 || nf > 4 || (nf == 4 && strcmp(f[3], "optional")) ||
		(mf.lines = count_field(f[1])) == -2 || !hash_field(f[2], mf.sha256))
		return db_fail(err, DB_EPARSE,
			"%s: expected 'file NAME LINES SHA256 [optional]' "
			"with LINES a count or '-' and SHA256 64 hex digits or '-'",
			where);
	struct manifest_file *grown = realloc(m->files, (m->nfiles + 1) * sizeof *grown);
	if (!grown || !(mf.name = strdup(f[0]))) {
		if (grown)
			m->files = grown;
		return db_fail(err, DB_ENOMEM, "out of memory");
	}
	mf.optional = nf == 4;
	m->files = grown;
	m->files[m->nfiles++] = mf;
	return DB_OK;
}

static int
one_line(struct manifest *m, char *line, const char *where, db_err *err)
{
	line[strcspn(line, "#\r\n")] = '\0';
	char *field = strtok(line, " \t");
	char *rest = field ? strtok(NULL, "") : NULL;
	if (!field)
		return DB_OK;
	if (!rest)
		return db_fail(err, DB_EPARSE, "%s: '%s' without a value", where, field);
	if (!strcmp(field, "file"))
		return file_line(m, rest, where, err);
	if (!strcmp(field, "name")) {
		free(m->name);
		rest += strspn(rest, " \t");
		return (m->name = strdup(rest)) ? DB_OK : db_fail(err, DB_ENOMEM, "out of memory");
	}
	static const char *const text[] = {"title", "licence", "source", "clean_test", "ks",
		"note"};
	for (size_t i = 0; i < sizeof text / sizeof *text; i++)
		if (!strcmp(field, text[i]))
			return DB_OK; /* for people; the tool needs only name and files */
	return db_fail(err, DB_EPARSE,
		"%s: unknown field '%s'; one of name, file, title, licence, "
		"source, clean_test, ks, note",
		where, field);
}

int
manifest_load(struct manifest *m, const char *path, db_err *err)
{
	*m = (struct manifest){0};
	FILE *f = fileio_open_regular(path, err);
	if (!f)
		return DB_EIO;
	char *line = NULL, where[4200];
	size_t cap = 0;
	int rc = DB_OK;
	/* getline: a line of any length is one line (a long comment stays a comment) */
	for (long n = 1; rc == DB_OK && getline(&line, &cap, f) >= 0; n++) {
		snprintf(where, sizeof where, "%s:%ld", path, n);
		rc = one_line(m, line, where, err);
	}
	free(line);
	fclose(f);
	if (rc == DB_OK && (!m->name || !m->nfiles))
		rc = db_fail(err, DB_EPARSE,
			"%s: a manifest needs a 'name' and at least one 'file' line", path);
	if (rc)
		manifest_free(m);
	return rc;
}

void
manifest_free(struct manifest *m)
{
	for (size_t i = 0; i < m->nfiles; i++)
		free(m->files[i].name);
	free(m->files);
	free(m->name);
	*m = (struct manifest){0};
}

__attribute__((format(printf, 4, 5))) static int
add_diff(char ***diffs, size_t *n, db_err *err, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	char **grown = realloc(*diffs, (*n + 1) * sizeof *grown);
	if (grown)
		*diffs = grown;
	if (!grown || !(grown[*n] = strdup(msg)))
		return db_fail(err, DB_ENOMEM, "out of memory");
	(*n)++;
	return DB_OK;
}

static int
verify_file(const struct manifest_file *mf, const char *dir, char ***diffs, size_t *n, db_err *err)
{
	char path[4096], hex[65];
	long lines;
	int rc = fileio_join(path, sizeof path, dir, mf->name, NULL, err);
	if (rc)
		return rc;
	if ((rc = manifest_file_digest(path, hex, &lines, err)) != DB_OK)
		return errno != ENOENT ? rc
			: mf->optional ? DB_OK
				       : add_diff(diffs, n, err, "%s: missing", path);
	if (mf->lines >= 0 && lines != mf->lines)
		rc = add_diff(diffs, n, err, "%s: %ld lines, the manifest says %ld", path, lines,
			mf->lines);
	if (rc == DB_OK && mf->sha256[0] && strcmp(hex, mf->sha256))
		rc = add_diff(diffs, n, err, "%s: SHA-256 %s, the manifest says %s", path, hex,
			mf->sha256);
	return rc;
}

int
manifest_verify(const struct manifest *m, const char *dir, char ***diffs, size_t *ndiffs,
	db_err *err)
{
	*diffs = NULL;
	*ndiffs = 0;
	int rc = DB_OK;
	for (size_t i = 0; i < m->nfiles && rc == DB_OK; i++)
		rc = verify_file(&m->files[i], dir, diffs, ndiffs, err);
	if (rc) {
		manifest_diffs_free(*diffs, *ndiffs);
		*diffs = NULL;
		*ndiffs = 0;
	}
	return rc;
}

void
manifest_diffs_free(char **diffs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(diffs[i]);
	free(diffs);
}
