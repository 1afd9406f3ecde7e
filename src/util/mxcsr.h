/* Whether the target has x86's MXCSR, whose FTZ and DAZ bits flush float32
 * subnormals (nn/fpenv.c); config's `ftz` default depends on it. */
#ifndef DB_UTIL_MXCSR_H
#define DB_UTIL_MXCSR_H

#if defined(__SSE2__) || defined(__x86_64__)
#define DB_HAVE_MXCSR 1
#endif

#endif
