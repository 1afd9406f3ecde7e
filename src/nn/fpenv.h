/* The float environment of a run: flush-to-zero of float32 subnormals.
 *
 * Cold users' rows and Adam moments decay into subnormals under L2 alone,
 * and subnormal arithmetic is many times slower on x86 (GMF on modcloth
 * doubles its epoch time after ~10 epochs).  FTZ (results that would be
 * subnormal become 0) and DAZ (subnormal inputs read as 0) in MXCSR remove
 * that cost; they change arithmetic only where a subnormal occurs.  The
 * setting `ftz` switches them on for the optimiser's update pass (update,
 * where the decay happens: a row that would turn subnormal becomes 0 and
 * stays there) or for the whole run (true: the losses' and the
 * evaluation's arithmetic too). */
#ifndef DB_NN_FPENV_H
#define DB_NN_FPENV_H

#include "util/status.h"

/* The saved environment, to restore after the run. */
typedef struct fpenv_saved {
	unsigned csr;
	int valid;
} fpenv_saved;

/* DB_OK where FTZ+DAZ can be switched on (x86-64 and SSE x86, which have
 * MXCSR), else DB_EINVAL with a message naming the setting. */
int fpenv_can_flush(db_err *err);
/* Switches FTZ+DAZ on (on != 0) or off for the calling thread, saving the
 * previous state in *old.  DB_EINVAL when on is asked on a machine without
 * MXCSR. */
int fpenv_ftz(int on, fpenv_saved *old, db_err *err);
/* FTZ+DAZ on for the calling thread until fpenv_restore(old); nothing where
 * fpenv_can_flush fails (the run has checked it before). */
void fpenv_flush_begin(fpenv_saved *old);
void fpenv_restore(const fpenv_saved *old);
/* 1 when FTZ and DAZ are both on in the calling thread. */
int fpenv_ftz_on(void);
/* 1 when either is: arithmetic that relies on gradual underflow (exact
 * signed zeros) cannot assume it. */
int fpenv_flush_any(void);

#endif
