/* Per-entity factors from a ranking of losses, shared by UDT and EARD. */
#ifndef DB_METHODS_LOSSRANK_H
#define DB_METHODS_LOSSRANK_H

struct lossrank_item {
	double score;
	int id;
};

/* out[e] = first + (last - first) * r / (n - 1), r = the rank of entity e
 * when the n entities are sorted by ascending score: the authors' code
 * assigns torch.linspace(first, last, n) to torch.argsort(score).  Ties
 * keep the lower id first; a NAN score (an entity without samples: 0/0 in
 * the code) ranks after every number, as argsort puts NaN last.  The
 * linspace is computed in double and rounded to float once.  scratch: n
 * items (the caller's, so that a loss hook needs no allocation). */
void lossrank_linspace(const double *score, int n, double first, double last, float *out,
	struct lossrank_item *scratch);

#endif
