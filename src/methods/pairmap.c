/* (user, item)-keyed floats (methods/pairmap.h). */
#include "methods/pairmap.h"

#include <math.h>
#include <stdlib.h>

/* splitmix64's finaliser: consecutive ids spread over the table */
static size_t
pairmap_hash(uint64_t k, size_t cap)
{
	k ^= k >> 30;
	k *= 0xbf58476d1ce4e5b9ULL;
	k ^= k >> 27;
	k *= 0x94d049bb133111ebULL;
	k ^= k >> 31;
	return (size_t)k & (cap - 1);
}

int
pairmap_init(struct pairmap *m, size_t max, int nval, int n_items, db_err *err)
{
	*m = (struct pairmap){.max = max ? max : 1, .nval = nval, .n_items = n_items};
	m->cap = 2;
	while (m->cap < 2 * m->max)
		m->cap *= 2;
	m->key = db_calloc(m->cap, sizeof *m->key, err);
	m->val = m->key ? db_calloc(m->cap * (size_t)nval, sizeof *m->val, err) : NULL;
	if (!m->val)
		return DB_ENOMEM;
	pairmap_clear(m);
	return DB_OK;
}

float *
pairmap_get(struct pairmap *m, int u, int i, int insert)
{
	uint64_t k = (uint64_t)u * (uint64_t)m->n_items + (uint64_t)i;
	size_t s = pairmap_hash(k, m->cap);
	while (m->key[s] != PAIRMAP_EMPTY && m->key[s] != k)
		s = (s + 1) & (m->cap - 1);
	if (m->key[s] == k)
		return m->val + s * (size_t)m->nval;
	if (!insert || m->n >= m->max)
		return NULL;
	m->key[s] = k;
	m->n++;
	float *v = m->val + s * (size_t)m->nval;
	for (int j = 0; j < m->nval; j++)
		v[j] = NAN;
	return v;
}

void
pairmap_clear(struct pairmap *m)
{
	for (size_t s = 0; s < m->cap; s++)
		m->key[s] = PAIRMAP_EMPTY;
	m->n = 0;
}

void
pairmap_free(struct pairmap *m)
{
	free(m->key);
	free(m->val);
	*m = (struct pairmap){0};
}
