/* The drop-rate schedule of ADT's T-CE, which DCF's code reuses. */
#ifndef DB_METHODS_DROPRATE_H
#define DB_METHODS_DROPRATE_H

#include "config/config.h"
#include "results/train_log.h"

/* T-CE's keys: drop_rate (eps_max), drop_exponent, num_gradual. */
struct droprate {
	double eps_max, exponent;
	long num_gradual;
};

/* Reads T-CE's keys from cfg (once, in a method's create). */
void droprate_parse(struct droprate *r, const config *cfg);

/* eps(T) = eps_max^exponent * T / (num_gradual - 1) for T < num_gradual
 * (numpy linspace from 0 with the endpoint, as both codes), eps_max from
 * then on (num_gradual = 0: eps_max from the start). */
double droprate_at(const struct droprate *r, long T);

/* A warnings hook's part (method.h): when cfg's ramp is longer than a run of
 * `iterations`, writes into out[0] that `who` ("T-CE") reaches only part of
 * drop_rate, ending with `weak` when that part is under a quarter, and
 * returns 1; else 0. */
int droprate_warning(const config *cfg, long iterations, const char *who, const char *weak,
	char (*out)[TRAIN_WARNING_LEN], int max);

#endif
