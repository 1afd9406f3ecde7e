#include "train/sampler.h"

#include <math.h>
#include <stdlib.h>

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

int
sampler_create(sampler *s, enum sampler_kind kind, const dataset *d, const interactions *src,
	int batch_size, int neg_ratio, int exclude_pos, gsl_rng *shuffle, gsl_rng *neg,
	db_err *err)
{
	*s = (sampler){.kind = kind, .d = d, .src = src, .batch_size = batch_size,
		.neg_ratio = neg_ratio, .exclude_pos = exclude_pos, .shuffle = shuffle,
		.neg = neg, .draw = draw_uniform};
	s->draw_ctx = s;
	if (batch_size <= 0 || neg_ratio < 0)
		return db_fail(err, DB_EINVAL, "batch_size must be > 0 and neg_ratio >= 0");
	if (exclude_pos)
		for (int u = 0; u < d->n_users; u++)
			if (d->train_pos.ptr[u + 1] - d->train_pos.ptr[u] >= d->n_items)
				return db_fail(err, DB_EINVAL,
					"user %d has interacted with every item: no negative can "
					"be drawn with neg_exclude_pos", u);
	long n = kind == SAMPLER_PAIRS ? src->n : (long)src->n * (1 + neg_ratio);
	if (n > 0x7fffffffL)
		return db_fail(err, DB_EINVAL, "too many samples per epoch (%ld)", n);
	s->n_samples = (int)n;
	s->order = db_calloc((size_t)n, sizeof(int), err);
	s->neg_item = kind == SAMPLER_MIXED
		? db_calloc((size_t)src->n * (size_t)neg_ratio, sizeof(int), err) : NULL;
	if (!s->order || (kind == SAMPLER_MIXED && !s->neg_item)) {
		sampler_free(s);
		return DB_ENOMEM;
	}
	return DB_OK;
}

void
sampler_free(sampler *s)
{
	free(s->order);
	free(s->neg_item);
	s->order = s->neg_item = NULL;
}

int
sampler_batch_cap(const sampler *s)
{
	return s->kind == SAMPLER_PAIRS ? s->batch_size * (1 + s->neg_ratio) : s->batch_size;
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

int
sampler_next(sampler *s, batch *b)
{
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
