#include "nn/blas.h"

#ifdef DB_HAVE_OPENBLAS
void openblas_set_num_threads(int);
#endif

void
blas_init(void)
{
#ifdef DB_HAVE_OPENBLAS
	static int done;
	if (!done)
		openblas_set_num_threads(1);
	done = 1;
#endif
}
