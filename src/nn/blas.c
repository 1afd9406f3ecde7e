#include "nn/blas.h"

#include <stdio.h>
#include <string.h>

#include "config.h"

#ifdef DB_HAVE_OPENBLAS
void openblas_set_num_threads(int);
char *openblas_get_config(void);
char *openblas_get_corename(void);
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

/* OpenBLAS picks its kernels for the CPU when it loads (or as
 * OPENBLAS_CORETYPE says), and kernels sum in different orders: the same
 * build gives other bits on another CPU (README, "The BLAS kernel is part of
 * a result").  So the kernel goes with the build's BLAS into every result
 * file; a build for one CPU (no DYNAMIC_ARCH) runs its kernel everywhere,
 * and says so. */
const char *
blas_describe(void)
{
	static char buf[192];
	if (buf[0])
		return buf;
#ifdef DB_HAVE_OPENBLAS
	/* openblas_get_config(): "OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH ..." */
	const char *cfg = openblas_get_config(), *v = strchr(cfg, ' ');
	int vlen = v ? (int)strcspn(v + 1, " ") : 0;
	snprintf(buf, sizeof buf, "%s%s%.*s, kernel %s%s", DB_BLAS, vlen ? " " : "", vlen,
		vlen ? v + 1 : "", openblas_get_corename(),
		strstr(cfg, "DYNAMIC_ARCH") ? "" : " (fixed at build time)");
#else
	snprintf(buf, sizeof buf, "%s", DB_BLAS);
#endif
	return buf;
}
