/* Batches as the two reference codes build them (protocol.md §2).
 *
 * deca pairs: the positives (train lines) are shuffled every epoch and cut
 *   into batches of batch_size; each positive gets neg_ratio negatives drawn
 *   on the fly, laid out [positives | 1st negatives | 2nd negatives ...].
 * mixed (adt, and validation in both protocols): at the start of every
 *   epoch each positive gets neg_ratio fresh negatives, positives and
 *   negatives are shuffled together and cut into batches of batch_size.
 * users (DeCA's CDAE loop, §2.3): every epoch a permutation of all user
 *   ids cut into chunks of batch_size users; users without a positive are
 *   dropped from their chunk; a batch is [every positive of the chunk's
 *   users | #positives x neg_ratio distinct zero cells of the chunk].
 * Negatives are uniform over all items; with exclude_pos a draw that is a
 * train positive of the user is redrawn (rejection), as ADT does; the DeCA
 * training code never rejects (§2.2).
 */
#ifndef DB_METHODS_SAMPLER_H
#define DB_METHODS_SAMPLER_H

#include <gsl/gsl_rng.h>

#include "data/dataset.h"
#include "models/model.h"

enum sampler_kind { SAMPLER_PAIRS, SAMPLER_MIXED, SAMPLER_USERS };

/* Draws one negative item for user u (methods may replace the default). */
typedef int (*sampler_neg_fn)(void *ctx, int user, gsl_rng *r);

typedef struct sampler {
	enum sampler_kind kind;
	const dataset *d;
	const interactions *src; /* the positives: train or valid lines */
	int batch_size, neg_ratio, exclude_pos;
	int n_samples;        /* per epoch */
	int *order;           /* pairs: line order; mixed: sample codes (see .c) */
	int *neg_item;        /* mixed: this epoch's negatives */
	csr rows;             /* users: distinct positives per user */
	float *row_rating;    /* users: third column of each row entry's first line */
	int *chunk;           /* users: the current chunk's users with positives */
	unsigned char *taken; /* users: chunk cells already in the batch, a bit each */
	int cursor;
	gsl_rng *shuffle, *neg;
	sampler_neg_fn draw;
	void *draw_ctx;
} sampler;

int sampler_create(sampler *s, enum sampler_kind kind, const dataset *d, const interactions *src,
	int batch_size, int neg_ratio, int exclude_pos, gsl_rng *shuffle, gsl_rng *neg,
	db_err *err);
void sampler_free(sampler *s);
/* Most samples a batch can hold. */
int sampler_batch_cap(const sampler *s);
/* Most samples a user-chunk batch over rows can hold: (1 + neg_ratio) x the
 * positives of the chunk_users longest rows. */
long sampler_user_chunk_cap(const csr *rows, int chunk_users, int neg_ratio);
void sampler_begin_epoch(sampler *s);
/* Fills b with the next batch; 0 when the epoch is done. */
int sampler_next(sampler *s, batch *b);

#endif
