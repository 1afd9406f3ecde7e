/* Linear factors over a loss ranking (methods/lossrank.h). */
#include "methods/lossrank.h"

#include <math.h>
#include <stdlib.h>

static int
ranked_cmp(const void *pa, const void *pb)
{
	const struct lossrank_item *a = pa, *b = pb;
	int na = isnan(a->score), nb = isnan(b->score);
	if (na != nb)
		return na - nb;
	if (!na && a->score != b->score)
		return a->score < b->score ? -1 : 1;
	return (a->id > b->id) - (a->id < b->id);
}

void
lossrank_linspace(const double *score, int n, double first, double last, float *out,
	struct lossrank_item *r)
{
	for (int e = 0; e < n; e++)
		r[e] = (struct lossrank_item){score[e], e};
	qsort(r, (size_t)n, sizeof *r, ranked_cmp);
	double step = n > 1 ? (last - first) / (double)(n - 1) : 0;
	for (int k = 0; k < n; k++)
		out[r[k].id] = (float)(first + step * k);
}
