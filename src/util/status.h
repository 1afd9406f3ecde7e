/* Status codes and error messages.
 *
 * Library code never prints or exits: it returns one of these codes and, on
 * failure, fills a db_err with a message that already names the file, line
 * and what was expected.  Only src/cli/ prints and chooses the exit status.
 */
#ifndef DB_UTIL_STATUS_H
#define DB_UTIL_STATUS_H

#include <stddef.h>

enum db_status {
	DB_OK = 0,
	DB_EIO,      /* a file could not be opened, read or written */
	DB_EPARSE,   /* a file's content is not what its format expects */
	DB_EINVAL,   /* an argument, option or configuration value is invalid */
	DB_ENOMEM,   /* allocation failed */
	DB_EDIVERGE, /* training produced a non-finite loss */
	DB_EWORKER   /* a worker process died before its end */
};

typedef struct db_err {
	char msg[1024];
} db_err;

/* Formats a message into err (if non-NULL) and returns code, so that callers
 * can write `return db_fail(err, DB_EPARSE, "%s:%zu: ...", ...)`. */
int db_fail(db_err *err, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

const char *db_status_name(int code);

/* Allocation that reports failure through db_err instead of aborting. */
void *db_calloc(size_t n, size_t size, db_err *err);

#endif
