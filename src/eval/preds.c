/* Per-line predictions of chosen train lines (DeCA Fig. 2; eval/eval.h).
 * The choice depends on the data alone (its checksum seeds the stream), so
 * two cells of a dataset predict the very same lines. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "eval/eval.h"
#include "nn/rng.h"

void
eval_preds_free(eval_preds *p)
{
	free(p->user);
	free(p->item);
	free(p->noisy);
	free(p->rating);
	free(p->prob);
	memset(p, 0, sizeof *p);
}

/* Appends up to k lines of x of class `noisy`, chosen by r in line order. */
static int
choose_class(eval_preds *p, const interactions *x, int noisy, float noisy_below, int k, gsl_rng *r,
	db_err *err)
{
	int *idx = db_calloc((size_t)x->n + 1, sizeof *idx, err);
	if (!idx)
		return DB_ENOMEM;
	int n = 0;
	for (int i = 0; i < x->n; i++)
		if (!isnan(x->value[i]) && (x->value[i] < noisy_below) == noisy)
			idx[n++] = i;
	int take = k < n ? k : n;
	if (take > 0 && take < n)
		gsl_ran_choose(r, idx, (size_t)take, idx, (size_t)n, sizeof *idx);
	for (int j = 0; j < take; j++, p->n++) {
		p->user[p->n] = x->user[idx[j]];
		p->item[p->n] = x->item[idx[j]];
		p->rating[p->n] = x->value[idx[j]];
		p->noisy[p->n] = noisy;
	}
	free(idx);
	return DB_OK;
}

/* One forward per batch_cap lines, in evaluation mode. */
static int
predict(model *m, eval_preds *p, int batch_cap, db_err *err)
{
	batch b;
	float *z = db_calloc((size_t)batch_cap, sizeof *z, err);
	if (!z || batch_alloc(&b, batch_cap, err)) {
		free(z);
		return DB_ENOMEM;
	}
	if (m->ops->set_mode)
		m->ops->set_mode(m, 0);
	for (int i = 0; i < p->n; i += b.n) {
		b.n = p->n - i < batch_cap ? p->n - i : batch_cap;
		for (int k = 0; k < b.n; k++) {
			b.user[k] = p->user[i + k];
			b.item[k] = p->item[i + k];
			b.label[k] = 1;
			b.rating[k] = (float)p->rating[i + k];
		}
		b.n_pos = b.n;
		m->ops->forward(m, &b, z);
		for (int k = 0; k < b.n; k++)
			p->prob[i + k] = 1.0f / (1.0f + expf(-z[k]));
	}
	if (m->ops->set_mode)
		m->ops->set_mode(m, 1);
	free(z);
	batch_free(&b);
	return DB_OK;
}

int
eval_preds_compute(model *m, const interactions *x, uint64_t data_seed, int per_class,
	float noisy_below, int batch_cap, eval_preds *p, db_err *err)
{
	memset(p, 0, sizeof *p);
	size_t cap = 2 * (size_t)per_class + 1;
	gsl_rng *r = rng_stream(data_seed, "dump-preds");
	p->user = db_calloc(cap, sizeof *p->user, err);
	p->item = p->user ? db_calloc(cap, sizeof *p->item, err) : NULL;
	p->noisy = p->item ? db_calloc(cap, sizeof *p->noisy, err) : NULL;
	p->rating = p->noisy ? db_calloc(cap, sizeof *p->rating, err) : NULL;
	p->prob = p->rating ? db_calloc(cap, sizeof *p->prob, err) : NULL;
	int rc = r && p->prob ? DB_OK : db_fail(err, DB_ENOMEM, "out of memory");
	for (int c = 0; c < 2 && !rc; c++)
		rc = choose_class(p, x, c, noisy_below, per_class, r, err);
	if (!rc && p->n)
		rc = predict(m, p, batch_cap, err);
	if (r)
		gsl_rng_free(r);
	if (rc)
		eval_preds_free(p);
	return rc;
}
