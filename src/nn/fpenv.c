#include "nn/fpenv.h"

#include "util/mxcsr.h"

#ifdef DB_HAVE_MXCSR
#include <xmmintrin.h>
/* MXCSR bits: flush-to-zero (15) and denormals-are-zero (6) */
#define FPENV_FTZ_DAZ 0x8040u
#endif

int
fpenv_can_flush(db_err *err)
{
#ifdef DB_HAVE_MXCSR
	(void)err;
	return DB_OK;
#else
	return db_fail(err, DB_EINVAL, "ftz: this machine has no MXCSR (x86 only); use ftz=false");
#endif
}

/* Saves MXCSR in old, then turns FTZ and DAZ on or off. */
static void
fpenv_set(int on, fpenv_saved *old)
{
	old->valid = 0;
#ifdef DB_HAVE_MXCSR
	old->csr = _mm_getcsr();
	old->valid = 1;
	_mm_setcsr(on ? old->csr | FPENV_FTZ_DAZ : old->csr & ~FPENV_FTZ_DAZ);
#else
	(void)on;
#endif
}

int
fpenv_ftz(int on, fpenv_saved *old, db_err *err)
{
	old->valid = 0;
	int rc = on ? fpenv_can_flush(err) : DB_OK;
	if (!rc)
		fpenv_set(on, old);
	return rc;
}

void
fpenv_flush_begin(fpenv_saved *old)
{
	fpenv_set(1, old);
}

void
fpenv_restore(const fpenv_saved *old)
{
#ifdef DB_HAVE_MXCSR
	if (old->valid)
		_mm_setcsr(old->csr);
#else
	(void)old;
#endif
}

int
fpenv_ftz_on(void)
{
#ifdef DB_HAVE_MXCSR
	return (_mm_getcsr() & FPENV_FTZ_DAZ) == FPENV_FTZ_DAZ;
#else
	return 0;
#endif
}

int
fpenv_flush_any(void)
{
#ifdef DB_HAVE_MXCSR
	return (_mm_getcsr() & FPENV_FTZ_DAZ) != 0;
#else
	return 0;
#endif
}
