#include "nn/blas.h"

#ifdef DB_HAVE_OPENBLAS
void openblas_set_num_threads(int);
#endif

void
blas_init(void)
{
#ifdef DB_HAVE_OPENBLAS
	openblas_set_num_threads(1);
#endif
}
