/* The CBLAS interface: OpenBLAS when configure found it, GSL's otherwise.
 * Both declare the standard cblas_* names and enums. */
#ifndef DB_NN_BLAS_H
#define DB_NN_BLAS_H
#ifdef DB_HAVE_OPENBLAS
#include <cblas.h>
#else
#include <gsl/gsl_cblas.h>
#endif
/* Single-threaded BLAS: runs are parallel across processes, and one thread
 * keeps every product's summation order fixed.  Idempotent; model_create
 * calls it, so every program that builds a model gets it. */
void blas_init(void);
/* The BLAS in use, with its version and, for OpenBLAS, the CPU kernel it
 * chose at load time: "OpenBLAS (serial) 0.3.21, kernel Haswell". */
const char *blas_describe(void);
/* The OpenBLAS kernel running ("Haswell"), or NULL when it cannot be chosen
 * at run time (no OpenBLAS, or one built for one CPU). */
const char *blas_kernel(void);

/* Pinning the kernel, so that every x86-64 machine with AVX2 and FMA writes
 * the same bits (README, "The BLAS kernel is part of a result").  OpenBLAS
 * reads OPENBLAS_CORETYPE once, when it loads, so a process pins by
 * restarting itself with it set (main.c). */
enum {
	BLAS_CPU_SSE3 = 1 << 0,
	BLAS_CPU_SSE42 = 1 << 1,
	BLAS_CPU_AVX = 1 << 2,
	BLAS_CPU_AVX2 = 1 << 3,
	BLAS_CPU_FMA = 1 << 4,
	BLAS_CPU_AVX512 = 1 << 5, /* F, BW, DQ, VL and CD */
	BLAS_CPU_AVX512BF16 = 1 << 6,
};
unsigned blas_cpu_features(void);
enum { BLAS_PIN_ERROR = -1, BLAS_PIN_NONE, BLAS_PIN_EXEC };
/* What WANT ("native", "portable" or a kernel name, any case) asks of a
 * process running kernel RUNNING (blas_kernel(); NULL: nothing to choose) on a
 * CPU with features CPU, restarted already with kernel RESTARTED (NULL: not
 * restarted): BLAS_PIN_NONE, or BLAS_PIN_EXEC with *NAME the kernel to
 * restart with, or BLAS_PIN_ERROR with a message in ERR.  "portable" is
 * Haswell where the CPU has its instructions and native elsewhere; a kernel
 * name where there is nothing to choose is an error, and so is a restart
 * with the kernel that did not take. */
int blas_pin_plan(const char *want, const char *running, unsigned cpu, const char *restarted,
	const char **name, char *err, size_t n);
#endif
