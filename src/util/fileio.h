/* Files that are either complete or absent: output goes to a temporary file
 * in the same directory, is flushed to disk, then renamed over the target,
 * so a crash or kill never leaves a half-written result. */
#ifndef DB_UTIL_FILEIO_H
#define DB_UTIL_FILEIO_H

#include <stdio.h>

#include "util/status.h"

typedef struct afile {
	FILE *f;
	char path[4096], tmp[4096 + 32];
} afile;

int afile_open(afile *a, const char *path, db_err *err);
/* Flushes, fsyncs and renames; on failure removes the temporary file. */
int afile_commit(afile *a, db_err *err);
/* Drops the temporary file. */
void afile_abort(afile *a);
/* mkdir -p */
int fileio_mkdir_p(const char *dir, db_err *err);
/* Joins dir/name[suffix] into out; DB_EINVAL if it does not fit. */
int fileio_join(char *out, size_t n, const char *dir, const char *name, const char *suffix,
	db_err *err);

/* Opens path for reading only when it is a regular file: a FIFO, device or
 * directory is refused at once (opened without blocking, then fstat), so a
 * stray pipe among the inputs never hangs a run.  NULL with err filled. */
FILE *fileio_open_regular(const char *path, db_err *err);

/* NULL when name may be one component of a path the tool writes (a dataset,
 * suite or model name): non-empty, at most FILEIO_NAME_MAX bytes, not "." or
 * "..", no '/', '\\' or control character (TAB, newline, ...); else what is
 * wrong with it. */
#define FILEIO_NAME_MAX 128
const char *fileio_name_problem(const char *name);

/* The directory for temporary files: $TMPDIR when set and non-empty, else /tmp. */
const char *fileio_tmpdir(void);

#endif
