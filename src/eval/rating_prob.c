/* Mean predicted P(r = 1 | interacted) by rating (DeCA Fig. 4): how much
 * the trained model believes the train interactions of each rating.  One
 * forward over the train lines in file order, in evaluation mode. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_sort.h>

#include "eval/eval.h"

/* The distinct non-NAN values of x->value, ascending, into r->rating. */
static int
distinct_ratings(eval_rating_prob *r, const interactions *x, db_err *err)
{
	double *v = db_calloc((size_t)x->n + 1, sizeof *v, err);
	if (!v)
		return DB_ENOMEM;
	size_t n = 0;
	for (int i = 0; i < x->n; i++)
		if (!isnan(x->value[i]))
			v[n++] = x->value[i];
	gsl_sort(v, 1, n);
	size_t u = 0;
	for (size_t i = 0; i < n; i++)
		if (u == 0 || v[i] != v[u - 1])
			v[u++] = v[i];
	r->n = (int)u;
	r->rating = v;
	r->mean = db_calloc(u + 1, sizeof *r->mean, err);
	r->count = r->mean ? db_calloc(u + 1, sizeof *r->count, err) : NULL;
	return r->count ? DB_OK : DB_ENOMEM;
}

static int
rating_cmp(const void *key, const void *elem)
{
	double a = *(const double *)key, b = *(const double *)elem;
	return (a > b) - (a < b);
}

/* Adds sigmoid(z) of the batch's samples to the sums of their ratings. */
static void
accumulate(eval_rating_prob *r, const batch *b, const float *z)
{
	for (int k = 0; k < b->n; k++) {
		double key = b->rating[k];
		const double *hit = bsearch(&key, r->rating, (size_t)r->n, sizeof key, rating_cmp);
		size_t j = (size_t)(hit - r->rating);
		r->mean[j] += 1.0f / (1.0f + expf(-z[k]));
		r->count[j]++;
	}
}

int
eval_rating_prob_compute(model *m, const interactions *x, int batch_cap, eval_rating_prob *r,
	db_err *err)
{
	batch b;
	memset(r, 0, sizeof *r);
	float *z = NULL;
	int rc = distinct_ratings(r, x, err);
	if (!rc && !(rc = batch_alloc(&b, batch_cap, err)) &&
		!(z = db_calloc((size_t)batch_cap, sizeof *z, err)))
		batch_free(&b);
	if (rc || !z) {
		eval_rating_prob_free(r);
		return rc ? rc : DB_ENOMEM;
	}
	if (m->ops->set_mode)
		m->ops->set_mode(m, 0);
	for (int i = 0; i < x->n;) {
		b.n = 0;
		for (; i < x->n && b.n < batch_cap; i++)
			if (!isnan(x->value[i])) {
				b.user[b.n] = x->user[i];
				b.item[b.n] = x->item[i];
				b.label[b.n] = 1;
				b.rating[b.n++] = x->value[i];
			}
		b.n_pos = b.n;
		if (b.n) {
			m->ops->forward(m, &b, z);
			accumulate(r, &b, z);
		}
	}
	if (m->ops->set_mode)
		m->ops->set_mode(m, 1);
	for (int j = 0; j < r->n; j++)
		r->mean[j] /= (double)r->count[j];
	free(z);
	batch_free(&b);
	return DB_OK;
}

void
eval_rating_prob_free(eval_rating_prob *r)
{
	free(r->rating);
	free(r->mean);
	free(r->count);
	memset(r, 0, sizeof *r);
}
