/* Minimal TAP producer for the C tests (Automake's tap-driver reads it).
 * Every check is one numbered test line; the plan is printed at the end. */
#ifndef DB_TESTS_TAP_H
#define DB_TESTS_TAP_H

#include <math.h>
#include <stdarg.h>
#include <stdio.h>

static int tap_n, tap_failed;

static inline int
tap_ok(int cond, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	printf("%s %d - ", cond ? "ok" : "not ok", ++tap_n);
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
	if (!cond)
		tap_failed++;
	fflush(stdout);
	return cond;
}

static inline void
tap_skip(const char *why)
{
	printf("ok %d # SKIP %s\n", ++tap_n, why);
}

static inline void
tap_diag(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	printf("# ");
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
}

/* |got - want| <= tol, with both values in the line */
static inline int
tap_near(double got, double want, double tol, const char *what)
{
	return tap_ok(fabs(got - want) <= tol, "%s: got %.9g, want %.9g (tol %.1e)", what, got,
		want, tol);
}

static inline int
tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

#endif
