/* Dataset manifests (datasets/NAME.manifest): what a published split holds,
 * so that a user's copy can be checked before anything is trained on it.
 *
 * A manifest is a text file of `FIELD VALUE...` lines ('#' starts a comment):
 *   name        ml-100k
 *   title       free text          (also: licence, source, clean_test, ks, note)
 *   file        NAME LINES SHA256 [optional]   one line per file; '-' where not
 *                                              known; an optional file may be absent
 * Line counts count a last line without a newline too; SHA-256 is of the
 * file's bytes.
 */
#ifndef DB_DATA_MANIFEST_H
#define DB_DATA_MANIFEST_H

#include <stddef.h>
#include <stdint.h>

#include "util/status.h"

struct manifest_file {
	char *name;
	long lines;      /* -1: not known */
	char sha256[65]; /* lower-case hex; "": not known */
	int optional;    /* unused by the tool: absence is no difference */
};

struct manifest {
	char *name;
	struct manifest_file *files;
	size_t nfiles;
};

/* Reads a manifest; errors name path:line and what was expected. */
int manifest_load(struct manifest *m, const char *path, db_err *err);
void manifest_free(struct manifest *m);

/* Compares the files in dir with m.  Each difference becomes one message in
 * *diffs ("FILE: missing", "FILE: N lines, the manifest says M", "FILE:
 * SHA-256 X, the manifest says Y"); *ndiffs = 0 when the copy matches.  The
 * caller frees the messages with manifest_diffs_free. */
int manifest_verify(const struct manifest *m, const char *dir, char ***diffs, size_t *ndiffs,
	db_err *err);
void manifest_diffs_free(char **diffs, size_t n);

/* SHA-256 (hex) and line count of one file. */
int manifest_file_digest(const char *path, char hex[65], long *lines, db_err *err);

/* The checksum data_load records as dataset.checksum (FNV-1a chained over
 * the bytes of NAME.train.rating, .valid.rating, .test.negative and
 * .test.noisy in that order), without parsing; absent files are left out, so
 * the loader, not the checksum, says what is missing. */
int data_dir_checksum(const char *dir, const char *name, uint64_t *sum, db_err *err);
/* The same over the train and valid files only (a tuning trial's data). */
int data_dir_checksum_valid(const char *dir, const char *name, uint64_t *sum, db_err *err);

#endif
