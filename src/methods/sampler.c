#include "methods/sampler.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "nn/rng.h"

static int
draw_uniform(void *ctx, int user, gsl_rng *r)
{
	const sampler *s = ctx;
	(void)user;
	return (int)gsl_rng_uniform_int(r, (unsigned long)s->d->n_items);
}

static int
draw_negative(sampler *s, int user)
{
	for (;;) {
		int j = s->draw(s->draw_ctx, user, s->neg);
		if (!s->exclude_pos || !data_csr_has(&s->d->train_pos, user, j))
			return j;
	}
}

/* Distinct positives per user, and the third column of each pair's first
 * line (a repeated train line is one cell of the reference's matrix). */
static int
build_user_rows(sampler *s, db_err *err)
{
	const interactions *x = s->src;
	csr *R = &s->rows;
	int rc = data_csr_build(R, s->d->n_users, x->user, x->item, x->n, 1, err);
	if (rc)
		return rc;
	s->row_rating = db_calloc((size_t)R->ptr[R->nrows], sizeof(float), err);
	if (!s->row_rating)
		return DB_ENOMEM;
	for (int p = 0; p < R->ptr[R->nrows]; p++)
		s->row_rating[p] = NAN;
	for (int k = 0; k < x->n; k++) {
		int u = x->user[k];
		const int *hit =
			data_int_find(R->idx + R->ptr[u], R->ptr[u + 1] - R->ptr[u], x->item[k]);
		float *v = s->row_rating + (hit - R->idx);
		if (isnan(*v))
			*v = x->value[k];
	}
	return DB_OK;
}

/* The user-chunk sampler's own buffers (see build_user_rows). */
static int
create_users(sampler *s, db_err *err)
{
	int rc = build_user_rows(s, err);
	if (rc)
		return rc;
	size_t chunk = (size_t)(s->batch_size < s->d->n_users ? s->batch_size : s->d->n_users);
	s->chunk = db_calloc(chunk, sizeof(int), err);
	s->taken = db_calloc((chunk * (size_t)s->d->n_items + 7) / 8, 1, err);
	return s->chunk && s->taken ? DB_OK : DB_ENOMEM;
}

int
sampler_create(sampler *s, enum sampler_kind kind, const dataset *d, const interactions *src,
	int batch_size, int neg_ratio, int exclude_pos, gsl_rng *shuffle, gsl_rng *neg, db_err *err)
{
	*s = (sampler){.kind = kind,
		.d = d,
		.src = src,
		.batch_size = batch_size,
		.neg_ratio = neg_ratio,
		.exclude_pos = exclude_pos,
		.shuffle = shuffle,
		.neg = neg,
		.draw = draw_uniform};
	s->draw_ctx = s;
	if (batch_size <= 0 || neg_ratio < 0)
		return db_fail(err, DB_EINVAL, "batch_size must be > 0 and neg_ratio >= 0");
	if (exclude_pos)
		for (int u = 0; u < d->n_users; u++)
			if (d->train_pos.ptr[u + 1] - d->train_pos.ptr[u] >= d->n_items)
				return db_fail(err, DB_EINVAL,
					"user %d has interacted with every item: no negative can "
					"be drawn with neg_exclude_pos",
					u);
	long n = kind == SAMPLER_PAIRS  ? src->n
		: kind == SAMPLER_USERS ? d->n_users
					: (long)src->n * (1 + neg_ratio);
	if (n > 0x7fffffffL)
		return db_fail(err, DB_EINVAL, "too many samples per epoch (%ld)", n);
	s->n_samples = (int)n;
	s->order = db_calloc((size_t)n, sizeof(int), err);
	s->neg_item = kind == SAMPLER_MIXED
		? db_calloc((size_t)src->n * (size_t)neg_ratio, sizeof(int), err)
		: NULL;
	int rc = !s->order || (kind == SAMPLER_MIXED && !s->neg_item) ? DB_ENOMEM : DB_OK;
	if (!rc && kind == SAMPLER_USERS)
		rc = create_users(s, err);
	if (rc)
		sampler_free(s);
	return rc;
}

void
sampler_free(sampler *s)
{
	free(s->order);
	free(s->neg_item);
	free(s->row_rating);
	free(s->chunk);
	free(s->taken);
	data_csr_free(&s->rows);
	s->order = s->neg_item = s->chunk = NULL;
	s->row_rating = NULL;
	s->taken = NULL;
}

long
sampler_user_chunk_cap(const csr *rows, int chunk_users, int neg_ratio)
{
	long all = rows->ptr[rows->nrows], longest = 0;
	for (int u = 0; u < rows->nrows; u++)
		if (rows->ptr[u + 1] - rows->ptr[u] > longest)
			longest = rows->ptr[u + 1] - rows->ptr[u];
	long pos = (long)chunk_users * longest < all ? (long)chunk_users * longest : all;
	return pos * (1 + neg_ratio);
}

int
sampler_batch_cap(const sampler *s)
{
	if (s->kind == SAMPLER_USERS)
		return (int)sampler_user_chunk_cap(&s->rows, s->batch_size, s->neg_ratio);
	long bs = s->batch_size;
	return (int)(s->kind == SAMPLER_PAIRS ? bs * (1 + s->neg_ratio) : bs);
}

/* Mixed sample codes: c < n_lines is positive line c; otherwise negative
 * number c - n_lines, of line (c - n_lines) % n_lines. */
void
sampler_begin_epoch(sampler *s)
{
	int n_lines = s->src->n;
	s->cursor = 0;
	if (s->kind == SAMPLER_MIXED)
		for (int r = 0; r < s->neg_ratio; r++)
			for (int k = 0; k < n_lines; k++)
				s->neg_item[r * n_lines + k] = draw_negative(s, s->src->user[k]);
	for (int c = 0; c < s->n_samples; c++)
		s->order[c] = c;
	rng_shuffle_int(s->shuffle, s->order, s->n_samples);
}

static void
put(batch *b, int user, int item, float label, float rating)
{
	b->user[b->n] = user;
	b->item[b->n] = item;
	b->label[b->n] = label;
	b->rating[b->n] = rating;
	b->n++;
}

/* Zero cells of the chunk without replacement: a uniform row, then the
 * item by the draw function (uniform: a uniform cell), rejected when the
 * cell is a positive or already drawn.  The reference samples
 * #positives x neg_ratio cells (random.sample); a chunk with fewer zero
 * cells gets all of them.  A chunk whose users all lack positives gives an
 * empty batch: the reference still steps on its L2 term. */
static int
next_user_chunk(sampler *s, batch *b)
{
	const csr *R = &s->rows;
	size_t ni = (size_t)s->d->n_items;
	int take = s->n_samples - s->cursor, nu = 0;
	if (take <= 0)
		return 0;
	if (take > s->batch_size)
		take = s->batch_size;
	for (int k = 0; k < take; k++) {
		int u = s->order[s->cursor + k];
		if (R->ptr[u + 1] > R->ptr[u])
			s->chunk[nu++] = u;
	}
	s->cursor += take;
	b->n = 0;
	for (int r = 0; r < nu; r++)
		for (int p = R->ptr[s->chunk[r]]; p < R->ptr[s->chunk[r] + 1]; p++) {
			size_t c = r * ni + (size_t)R->idx[p];
			s->taken[c >> 3] |= (unsigned char)(1u << (c & 7));
			put(b, s->chunk[r], R->idx[p], 1.0f, s->row_rating[p]);
		}
	b->n_pos = b->n;
	long zeros = (long)nu * (long)ni - b->n_pos, want = (long)b->n_pos * s->neg_ratio;
	if (want > zeros)
		want = zeros;
	/* a method's draw (WBPR: popularity^gamma) may never reach some zero
	 * cells; a long run of misses means the reachable ones are used up,
	 * and the chunk keeps the negatives it has rather than spin forever */
	long misses = 0, patience = s->draw == draw_uniform ? LONG_MAX : 64 * (want + 16);
	while (b->n - b->n_pos < want && misses < patience) {
		int r = (int)gsl_rng_uniform_int(s->neg, (unsigned long)nu);
		int i = s->draw(s->draw_ctx, s->chunk[r], s->neg);
		size_t c = r * ni + (size_t)i;
		if (s->taken[c >> 3] & (1u << (c & 7))) {
			misses++;
			continue;
		}
		misses = 0;
		s->taken[c >> 3] |= (unsigned char)(1u << (c & 7));
		put(b, s->chunk[r], i, 0.0f, NAN);
	}
	memset(s->taken, 0, ((size_t)nu * ni + 7) / 8);
	return 1;
}

int
sampler_next(sampler *s, batch *b)
{
	if (s->kind == SAMPLER_USERS)
		return next_user_chunk(s, b);
	const interactions *x = s->src;
	int take = s->n_samples - s->cursor;
	if (take <= 0)
		return 0;
	if (take > s->batch_size)
		take = s->batch_size;
	b->n = 0;
	if (s->kind == SAMPLER_PAIRS) {
		for (int k = 0; k < take; k++) {
			int line = s->order[s->cursor + k];
			put(b, x->user[line], x->item[line], 1.0f, x->value[line]);
		}
		b->n_pos = take;
		for (int r = 0; r < s->neg_ratio; r++)
			for (int k = 0; k < take; k++)
				put(b, b->user[k], draw_negative(s, b->user[k]), 0.0f, NAN);
	} else {
		int n_pos = 0;
		for (int k = 0; k < take; k++) {
			int c = s->order[s->cursor + k];
			if (c < x->n) {
				put(b, x->user[c], x->item[c], 1.0f, x->value[c]);
				n_pos++;
			} else {
				int line = (c - x->n) % x->n;
				put(b, x->user[line], s->neg_item[c - x->n], 0.0f, NAN);
			}
		}
		b->n_pos = n_pos; /* positives are not first in a mixed batch */
	}
	s->cursor += take;
	return 1;
}
