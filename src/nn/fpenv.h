/* The float environment of a run: flush-to-zero of float32 subnormals.
 *
 * Cold users' rows and Adam moments decay into subnormals under L2 alone,
 * and subnormal arithmetic is many times slower on x86 (GMF on modcloth
 * doubles its epoch time after ~10 epochs).  FTZ (results that would be
 * subnormal become 0) and DAZ (subnormal inputs read as 0) in MXCSR remove
 * that cost; they change arithmetic only where a subnormal occurs, so a run
 * with them is a different run (setting `ftz`, hashed when on). */
#ifndef DB_NN_FPENV_H
#define DB_NN_FPENV_H

#include "util/status.h"

/* The saved environment, to restore after the run. */
typedef struct fpenv_saved {
	unsigned csr;
	int valid;
} fpenv_saved;

/* Switches FTZ+DAZ on (on != 0) or off for the calling thread, saving the
 * previous state in *old.  DB_EINVAL when on is asked on a machine without
 * MXCSR (only x86-64 and SSE x86 have one). */
int fpenv_ftz(int on, fpenv_saved *old, db_err *err);
void fpenv_restore(const fpenv_saved *old);
/* 1 when FTZ and DAZ are both on in the calling thread. */
int fpenv_ftz_on(void);

#endif
