/* Adam with PyTorch semantics (torch.optim.Adam, protocol.md §3.6), dense
 * over the whole flat parameter array: rows outside the batch still move
 * while their moments are non-zero, exactly as with PyTorch's dense
 * embedding gradients. */
#ifndef DB_NN_ADAM_H
#define DB_NN_ADAM_H

#include <stddef.h>

#include "config/settings.h"
#include "util/status.h"

typedef struct adam {
	size_t n;
	float *m, *v;
	long t;
	double lr, beta1, beta2, eps;
	int flush; /* FTZ+DAZ during the step (ftz=update) */
} adam;

/* Zero moments for n parameters; the hyper-parameters h (lr, adam_beta1,
 * adam_beta2, adam_eps of the configuration, and whether ftz flushes the
 * update's subnormals). */
int adam_create(adam *a, size_t n, const struct config_adam *h, db_err *err);
void adam_free(adam *a);
/* One step on g = grad + decay * theta (decay: the L2 term's gradient
 * coefficient, 0 for none):
 *   m = b1 m + (1-b1) g;  v = b2 v + (1-b2) g^2;
 *   theta -= (lr / (1-b1^t)) * m / (sqrt(v) / sqrt(1-b2^t) + eps).
 * It consumes the gradient (leaves grad zeroed for the next batch) and
 * returns sum theta^2 before the update, so that L2, its value, the zeroing
 * and the update cost one pass over the parameters instead of four. */
double adam_step(adam *a, float *restrict param, float *restrict grad, float decay);

#endif
