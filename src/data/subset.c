/* Subsets of a file's lines: Clean training's rating filter and the extra
 * feedback's known share both start from the lines a threshold calls clean. */
#include <stdlib.h>

#include "data/dataset.h"

int
data_lines_at_least(const interactions *t, double threshold, int **idx, int *n, db_err *err)
{
	*n = 0;
	*idx = db_calloc((size_t)t->n + 1, sizeof(int), err);
	if (!*idx)
		return DB_ENOMEM;
	for (int k = 0; k < t->n; k++)
		if (t->value[k] >= threshold) /* NAN (no third column) is never clean */
			(*idx)[(*n)++] = k;
	return DB_OK;
}

int
data_interactions_pick(const interactions *t, const int *idx, int n, interactions *out, db_err *err)
{
	*out = (interactions){.n = n, .path = t->path};
	out->user = db_calloc((size_t)n + 1, sizeof(int), err);
	out->item = out->user ? db_calloc((size_t)n + 1, sizeof(int), err) : NULL;
	out->value = out->item ? db_calloc((size_t)n + 1, sizeof(float), err) : NULL;
	if (!out->value) {
		data_interactions_pick_free(out);
		return DB_ENOMEM;
	}
	for (int j = 0; j < n; j++) {
		out->user[j] = t->user[idx[j]];
		out->item[j] = t->item[idx[j]];
		out->value[j] = t->value[idx[j]];
	}
	return DB_OK;
}

void
data_interactions_pick_free(interactions *x)
{
	free(x->user);
	free(x->item);
	free(x->value);
	*x = (interactions){0};
}
