/* Model registry and what every model shares: the flat parameter buffer,
 * L2 and the optimiser step. */
#include "models/model.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/settings.h"
#include "nn/adam.h"
#include "nn/blas.h"

/* The models, each defined in its own file; adding one = its file, a
 * declaration here and its row below (CONTRIBUTING.md). */
extern const struct model_ops model_mf, model_gmf, model_neumf, model_mostpop, model_random,
	model_oracle;
extern const struct model_ops model_lightgcn, model_itemknn, model_ease;
extern const struct model_ops model_cdae;

static const struct model_ops *const registry[] = {
	&model_mf,
	&model_gmf,
	&model_neumf,
	&model_mostpop,
	&model_random,
	&model_oracle,
	&model_lightgcn,
	&model_itemknn,
	&model_ease,
	&model_cdae,
};
#define NREG (sizeof registry / sizeof registry[0])

const struct model_ops *
model_find(const char *name)
{
	for (size_t i = 0; i < NREG; i++)
		if (strcmp(registry[i]->name, name) == 0)
			return registry[i];
	return NULL;
}

static const void *
entry(size_t i)
{
	return registry[i];
}

/* config's model key takes its values, and config its models' keys and
 * defaults, from this registry. */
static const struct config_registry config_registry = {
	"model",
	model_names,
	NULL,
	NREG,
	entry,
	CONFIG_REGISTRY_MEMBERS(struct model_ops),
	NULL,
};

const char *
model_names(void)
{
	static char buf[512];
	return config_registry_join(&config_registry, buf, sizeof buf);
}

__attribute__((constructor)) static void
model_registry_lend(void)
{
	config_registry_add(&config_registry);
}

int
batch_alloc(batch *b, int cap, db_err *err)
{
	memset(b, 0, sizeof *b);
	b->cap = cap;
	b->user = db_calloc((size_t)cap, sizeof(int), err);
	b->item = db_calloc((size_t)cap, sizeof(int), err);
	b->label = db_calloc((size_t)cap, sizeof(float), err);
	b->rating = db_calloc((size_t)cap, sizeof(float), err);
	if (!b->user || !b->item || !b->label || !b->rating) {
		batch_free(b);
		return DB_ENOMEM;
	}
	return DB_OK;
}

void
batch_free(batch *b)
{
	free(b->user);
	free(b->item);
	free(b->label);
	free(b->rating);
	memset(b, 0, sizeof *b);
}

size_t
model_add_tensor(model *m, const char *name, size_t rows, size_t cols)
{
	struct param_tensor *t = &m->tensor[m->n_tensors++];
	if (m->n_tensors > MODEL_MAX_TENSORS)
		abort(); /* programming error: raise MODEL_MAX_TENSORS */
	t->name = name;
	t->offset = m->n_params;
	t->rows = rows;
	t->cols = cols;
	m->n_params += rows * cols;
	return t->offset;
}

int
model_alloc_params(model *m, db_err *err)
{
	/* BLAS takes int lengths: a larger table must fail here, not wrap */
	for (int t = 0; t < m->n_tensors; t++)
		if (m->tensor[t].rows * m->tensor[t].cols > INT_MAX)
			return db_fail(err, DB_EINVAL,
				"%s: tensor %s has %zu x %zu entries, more "
				"than BLAS can index",
				m->ops->name, m->tensor[t].name, m->tensor[t].rows,
				m->tensor[t].cols);
	m->param = db_calloc(m->n_params, sizeof(float), err);
	m->grad = db_calloc(m->n_params, sizeof(float), err);
	return m->param && m->grad ? DB_OK : DB_ENOMEM;
}

int
model_create(model *m, const struct model_ops *ops, const dataset *d, const config *cfg,
	int batch_cap, int eval_block, db_err *err)
{
	/* every program linking the library gets one fixed-order BLAS thread */
	blas_init();
	memset(m, 0, sizeof *m);
	m->ops = ops;
	m->n_users = d->n_users;
	m->n_items = d->n_items;
	m->l2_form = L2_HALF_SQ_PER_USER;
	struct config_settings s;
	config_settings_parse(&s, cfg);
	struct model_args a = {s.factors, s.seed, batch_cap, eval_block, cfg};
	int rc = ops->create(m, d, &a, err);
	if (rc)
		model_destroy(m);
	return rc;
}

void
model_destroy(model *m)
{
	if (m->ops && m->ops->destroy)
		m->ops->destroy(m);
	free(m->param);
	free(m->grad);
	memset(m, 0, sizeof *m);
}

int
model_score_share(model *m, int block, model *c, db_err *err)
{
	(void)block, (void)err;
	*c = *m;
	return DB_OK;
}

void
model_zero_grad(model *m)
{
	memset(m->grad, 0, m->n_params * sizeof(float));
}

/* DeCA (protocol.md §4.1.2): lambda * 1/2 * sum theta^2 / user_num over
 * whole tables, gradient lambda * theta / user_num; CDAE (§4.1.3):
 * lambda * sum_tensors ||theta||_F, gradient lambda * theta / ||theta||_F. */
double
model_l2(model *m, double lambda, int add_grad)
{
	if (lambda == 0)
		return 0;
	double total = 0;
	for (int t = 0; t < m->n_tensors; t++) {
		const struct param_tensor *pt = &m->tensor[t];
		const float *p = m->param + pt->offset;
		float *g = m->grad + pt->offset;
		int n = (int)(pt->rows * pt->cols);
		/* BLAS: CDAE steps this over all its tables at every batch */
		double ss = cblas_dsdot(n, p, 1, p, 1);
		double scale;
		if (m->l2_form == L2_HALF_SQ_PER_USER) {
			total += lambda * 0.5 * ss / m->n_users;
			scale = lambda / m->n_users;
		} else {
			double norm = sqrt(ss);
			total += lambda * norm;
			scale = norm > 0 ? lambda / norm : 0;
		}
		if (add_grad)
			cblas_saxpy(n, (float)scale, p, 1, g, 1);
	}
	return total;
}

double
model_step(model *m, struct adam *opt, double lambda)
{
	double value;
	if (m->l2_form == L2_HALF_SQ_PER_USER) {
		/* the gradient lambda*theta/user_num is fused into Adam's pass */
		float decay = (float)(lambda / m->n_users);
		double ss = adam_step(opt, m->param, m->grad, decay);
		value = lambda * 0.5 * ss / m->n_users;
	} else {
		value = model_l2(m, lambda, 1);
		adam_step(opt, m->param, m->grad, 0.0f);
	}
	model_params_changed(m);
	return value;
}

void
model_params_changed(model *m)
{
	if (m->ops->params_changed)
		m->ops->params_changed(m);
}

void
model_set_params(model *m, const float *src)
{
	memcpy(m->param, src, m->n_params * sizeof *m->param);
	model_params_changed(m);
}

const struct param_tensor *
model_tensor(const model *m, const char *name)
{
	for (int t = 0; t < m->n_tensors; t++)
		if (strcmp(m->tensor[t].name, name) == 0)
			return &m->tensor[t];
	return NULL;
}
