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
#endif
