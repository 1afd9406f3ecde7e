#include "util/status.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

int
db_fail(db_err *err, int code, const char *fmt, ...)
{
	if (err) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof err->msg, fmt, ap);
		va_end(ap);
	}
	return code;
}

const char *
db_status_name(int code)
{
	switch (code) {
	case DB_OK:
		return "ok";
	case DB_EIO:
		return "I/O error";
	case DB_EPARSE:
		return "parse error";
	case DB_EINVAL:
		return "invalid value";
	case DB_ENOMEM:
		return "out of memory";
	case DB_EDIVERGE:
		return "training diverged";
	case DB_EWORKER:
		return "a worker process died";
	}
	return "unknown error";
}

void *
db_calloc(size_t n, size_t size, db_err *err)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		db_fail(err, DB_ENOMEM, "out of memory allocating %zu x %zu bytes", n, size);
	return p;
}
