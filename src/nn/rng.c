#include "nn/rng.h"

#include <gsl/gsl_randist.h>

#include "util/hash.h"

gsl_rng *
rng_stream(uint64_t seed, const char *purpose)
{
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
	if (!r)
		return NULL;
	uint64_t h = hash_mix(hash_str(hash_fnv1a(HASH_FNV_INIT, &seed, sizeof seed), purpose));
	/* mt19937 takes 32 bits of seed; 0 would select GSL's default seed */
	unsigned long s = (unsigned long)(h & 0xffffffffu);
	gsl_rng_set(r, s ? s : 1);
	return r;
}

void
rng_shuffle_int(gsl_rng *r, int *a, int n)
{
	if (n > 1)
		gsl_ran_shuffle(r, a, (size_t)n, sizeof a[0]);
}
