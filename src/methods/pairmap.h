/* A table of floats keyed by (user, item) pair, for methods whose state
 * follows interactions that are not train lines (EARD's negatives, DCF's
 * per-interaction keying).  Open addressing, sized once: the loss hook
 * that fills it has no error path, so it never grows. */
#ifndef DB_METHODS_PAIRMAP_H
#define DB_METHODS_PAIRMAP_H

#include <stddef.h>
#include <stdint.h>

#include "util/status.h"

struct pairmap {
	uint64_t *key; /* PAIRMAP_EMPTY or user * n_items + item */
	float *val;    /* nval floats per slot */
	size_t cap, n, max;
	int nval, n_items;
};

#define PAIRMAP_EMPTY UINT64_MAX

/* Room for max pairs at once (the table keeps its load at most 1/2). */
int pairmap_init(struct pairmap *m, size_t max, int nval, int n_items, db_err *err);
/* The nval floats of (u, i); absent: NULL, or with insert a new entry whose
 * floats are NAN (NULL when max pairs are already held). */
float *pairmap_get(struct pairmap *m, int u, int i, int insert);
/* Removes every pair. */
void pairmap_clear(struct pairmap *m);
void pairmap_free(struct pairmap *m);

#endif
