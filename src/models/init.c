/* The initialisers of the reference models (protocol.md §3.5). */
#include <gsl/gsl_randist.h>

#include "models/model.h"

void
init_normal(float *x, size_t n, double sd, gsl_rng *r)
{
	for (size_t i = 0; i < n; i++)
		x[i] = (float)gsl_ran_gaussian(r, sd);
}

void
init_uniform(float *x, size_t n, double bound, gsl_rng *r)
{
	for (size_t i = 0; i < n; i++)
		x[i] = (float)((2.0 * gsl_rng_uniform(r) - 1.0) * bound);
}
