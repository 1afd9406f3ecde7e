/* Per-user compressed sparse rows built from (user, item) pairs.
 *
 * A counting sort by row keeps each row in input order, which is what the
 * ground-truth lists need (file order, duplicates kept, protocol §1.6 item 4);
 * the distinct variant then sorts and deduplicates every row so that
 * data_csr_has can binary-search it (train positives, test-time masks).
 */
#include <stdlib.h>
#include <string.h>

#include "data/dataset.h"

static int
cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

/* Sorts and deduplicates every row in place, moving rows down to close the
 * gaps; ptr is rewritten to the compacted layout. */
static void
csr_make_distinct(csr *c)
{
	int w = 0;
	for (int r = 0; r < c->nrows; r++) {
		int lo = c->ptr[r], hi = c->ptr[r + 1];
		qsort(c->idx + lo, (size_t)(hi - lo), sizeof c->idx[0], cmp_int);
		c->ptr[r] = w;
		for (int k = lo; k < hi; k++)
			if (k == lo || c->idx[k] != c->idx[k - 1])
				c->idx[w++] = c->idx[k];
	}
	c->ptr[c->nrows] = w;
}

int
data_csr_build(csr *out, int nrows, const int *user, const int *item, int n, int distinct,
	db_err *err)
{
	memset(out, 0, sizeof *out);
	if (nrows < 0 || n < 0)
		return db_fail(err, DB_EINVAL, "csr: negative size (%d rows, %d entries)", nrows,
			n);
	for (int k = 0; k < n; k++)
		if (user[k] < 0 || user[k] >= nrows || item[k] < 0)
			return db_fail(err, DB_EINVAL,
				"csr: entry %d (%d, %d) is outside rows 0..%d", k, user[k], item[k],
				nrows - 1);
	out->ptr = db_calloc((size_t)nrows + 1, sizeof *out->ptr, err);
	out->idx = db_calloc((size_t)n, sizeof *out->idx, err);
	if (!out->ptr || !out->idx) {
		data_csr_free(out);
		return DB_ENOMEM;
	}
	out->nrows = nrows;
	for (int k = 0; k < n; k++)
		out->ptr[user[k] + 1]++;
	for (int r = 0; r < nrows; r++)
		out->ptr[r + 1] += out->ptr[r];
	/* ptr[r] doubles as the fill cursor of row r, then is shifted back */
	for (int k = 0; k < n; k++)
		out->idx[out->ptr[user[k]]++] = item[k];
	memmove(out->ptr + 1, out->ptr, (size_t)nrows * sizeof *out->ptr);
	out->ptr[0] = 0;
	if (distinct)
		csr_make_distinct(out);
	return DB_OK;
}

void
data_csr_free(csr *c)
{
	free(c->ptr);
	free(c->idx);
	memset(c, 0, sizeof *c);
}

const int *
data_int_find(const int *sorted, int n, int key)
{
	return bsearch(&key, sorted, (size_t)n, sizeof *sorted, cmp_int);
}

int
data_csr_has(const csr *c, int u, int item)
{
	if (u < 0 || u >= c->nrows)
		return 0;
	return data_int_find(c->idx + c->ptr[u], c->ptr[u + 1] - c->ptr[u], item) != NULL;
}
