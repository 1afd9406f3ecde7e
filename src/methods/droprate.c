/* The T-CE drop-rate schedule (methods/droprate.h). */
#include "methods/droprate.h"

#include <math.h>
#include <stdio.h>

void
droprate_parse(struct droprate *r, const config *cfg)
{
	r->eps_max = config_double(cfg, "drop_rate");
	r->exponent = config_double(cfg, "drop_exponent");
	r->num_gradual = config_int(cfg, "num_gradual");
}

double
droprate_at(const struct droprate *r, long T)
{
	if (T >= r->num_gradual)
		return r->eps_max;
	if (r->num_gradual == 1)
		return 0;
	return pow(r->eps_max, r->exponent) * (double)T / (double)(r->num_gradual - 1);
}

int
droprate_warning(const config *cfg, long iterations, const char *who, const char *weak,
	char (*out)[TRAIN_WARNING_LEN], int max)
{
	struct droprate r;
	droprate_parse(&r, cfg);
	long ramp = r.num_gradual;
	if (max < 1 || ramp <= iterations)
		return 0;
	double eps = droprate_at(&r, iterations > 0 ? iterations - 1 : 0); /* at the last batch */
	snprintf(out[0], TRAIN_WARNING_LEN,
		"%s's drop-rate ramp (num_gradual %ld) is "
		"longer than the run (%ld iterations): the drop rate reaches only %.3g of "
		"drop_rate %g%s",
		who, ramp, iterations, eps, r.eps_max, eps < 0.25 * r.eps_max ? weak : "");
	return 1;
}
