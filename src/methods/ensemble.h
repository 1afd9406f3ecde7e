/* Ensemble internals shared by its training hooks (ensemble.c) and its
 * scorer (ensemble_score.c); see ensemble.c for the definition. */
#ifndef DB_METHODS_ENSEMBLE_H
#define DB_METHODS_ENSEMBLE_H

#include "methods/method.h"
#include "nn/adam.h"

enum ensemble_combine { ENS_PROB, ENS_LOGIT, ENS_RANK };

struct ensemble {
	model *f;   /* the target, trained by the loop */
	model twin; /* the second member, trained here */
	adam opt;
	const dataset *d;
	uint64_t seed;
	double l2;
	int exclude; /* neg_exclude_pos */
	enum ensemble_combine combine;
	gsl_rng *neg;          /* the twin's negatives */
	batch bb;              /* the twin's copy of the batch */
	float *z2, *dz2, *sl2; /* the twin's logits, dL/dz, per-sample losses */
	float *best;           /* the twin's kept parameters (selection=best) */
	model composite;       /* what evaluation ranks */
	float *score2;         /* the twin's scores: eval_block x n_items */
	size_t *order;         /* rank combine: one user's item order */
};

/* "prob|logit|rank" (validated by the config) to the enum. */
enum ensemble_combine ensemble_combine_parse(const char *name);
/* The combined probability of one sample from the members' logits. */
double ensemble_prob(enum ensemble_combine c, float z1, float z2);
/* Sets up s->composite, whose score_users ranks by s->combine. */
void ensemble_scorer_init(struct ensemble *s);

#endif
