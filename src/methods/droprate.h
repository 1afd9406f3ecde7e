/* The drop-rate schedule of ADT's T-CE, which DCF's code reuses. */
#ifndef DB_METHODS_DROPRATE_H
#define DB_METHODS_DROPRATE_H

/* eps(T) = eps_max^exponent * T / (num_gradual - 1) for T < num_gradual
 * (numpy linspace from 0 with the endpoint, as both codes), eps_max from
 * then on (num_gradual = 0: eps_max from the start). */
double droprate_at(double eps_max, double exponent, long num_gradual, long T);

#endif
