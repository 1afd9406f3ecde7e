/* Named random streams.  Every draw of a run comes from a stream derived from
 * (seed, purpose), so adding draws for one purpose never shifts another, and
 * no environment variable can change a result (never gsl_rng_env_setup). */
#ifndef DB_NN_RNG_H
#define DB_NN_RNG_H

#include <stdint.h>

#include <gsl/gsl_rng.h>

/* A mt19937 stream seeded from hash(seed, purpose); NULL on allocation failure. */
gsl_rng *rng_stream(uint64_t seed, const char *purpose);
/* Fisher-Yates shuffle of ints (gsl_ran_shuffle). */
void rng_shuffle_int(gsl_rng *r, int *a, int n);

#endif
