/* The T-CE drop-rate schedule (methods/droprate.h). */
#include "methods/droprate.h"

#include <math.h>

double
droprate_at(double eps_max, double exponent, long num_gradual, long T)
{
	if (T >= num_gradual)
		return eps_max;
	if (num_gradual == 1)
		return 0;
	return pow(eps_max, exponent) * (double)T / (double)(num_gradual - 1);
}
