/* Method registry and the default validation criterion. */
#include "methods/method.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The methods, each defined in its own file with its settings; adding one =
 * its file, a declaration here and its row below (CONTRIBUTING.md). */
extern const struct method_ops method_tce, method_rce, method_clean, method_wbpr, method_ensemble;
extern const struct method_ops method_deca;  /* deca.c: g = MF trained jointly */
extern const struct method_ops method_decap; /* deca.c: "deca-p", g = frozen pre-trained f */
/* Extra-feedback methods (extended ADT paper §3.4, §5.3): staged.c
 * (finetune, warmup), nmtr.c, nr.c; extra.h has the shared parts. */
extern const struct method_ops method_finetune, method_warmup, method_nmtr, method_nr;
/* The newer methods (issue 14): udt.c, eard.c, dcf.c, pld.c. */
extern const struct method_ops method_udt, method_eard, method_dcf, method_pld;
#ifdef METHOD_TEST_FIXTURE
/* tests/test_recipe's own build of this file adds a throw-away method */
extern const struct method_ops METHOD_TEST_FIXTURE;
#endif

static const struct method_ops *const registry[] = {
	&method_normal,
	&method_tce,
	&method_rce,
	&method_clean,
	&method_wbpr,
	&method_ensemble,
	&method_deca,
	&method_decap,
	&method_finetune,
	&method_warmup,
	&method_nmtr,
	&method_nr,
	&method_udt,
	&method_eard,
	&method_dcf,
	&method_pld,
#ifdef METHOD_TEST_FIXTURE
	&METHOD_TEST_FIXTURE,
#endif
};
#define NREG (sizeof registry / sizeof registry[0])

/* Names that papers use for the same method. */
static const struct {
	const char *alias, *name;
} aliases[] = {
	{"dpi", "deca"},
	{"dvae", "deca-p"},
};

const struct method_ops *
method_find(const char *name)
{
	for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
		if (strcmp(aliases[i].alias, name) == 0)
			name = aliases[i].name;
	for (size_t i = 0; i < NREG; i++)
		if (strcmp(registry[i]->name, name) == 0)
			return registry[i];
	return NULL;
}

const char *
method_canonical(const char *name)
{
	const struct method_ops *m = method_find(name);
	return m ? m->name : NULL;
}

const struct method_ops *
method_at(size_t i)
{
	return i < NREG ? registry[i] : NULL;
}

/* 1 when one of the method's key tables declares key. */
static int
reads(const struct method_ops *m, const char *key)
{
	for (const struct config_key *const *t = m->keys; t && *t; t++)
		for (const struct config_key *k = *t; k->name; k++)
			if (!strcmp(k->name, key))
				return 1;
	return 0;
}

int
method_ignores(const struct method_ops *me, const char *key, char *readers, size_t size)
{
	size_t used = 0;
	if (size)
		readers[0] = '\0';
	for (size_t i = 0; i < NREG; i++)
		if (reads(registry[i], key) && used + 1 < size)
			used += (size_t)snprintf(readers + used, size - used, "%s%s",
				used ? ", " : "", registry[i]->name);
	return used && !reads(me, key);
}

static const void *
entry(size_t i)
{
	return registry[i];
}

static const char *
defaults_also(const config *ex)
{
	const struct method_ops *m = method_find(config_get(ex, "method"));
	return m && m->defaults_from ? config_get(ex, m->defaults_from) : NULL;
}

/* config's method key takes its values, and config its methods' keys and
 * defaults, from this registry. */
static const struct config_registry config_registry = {
	"method",
	method_names,
	method_canonical,
	NREG,
	entry,
	CONFIG_REGISTRY_MEMBERS(struct method_ops),
	defaults_also,
};

const char *
method_names(void)
{
	static char buf[512];
	return config_registry_join(&config_registry, buf, sizeof buf);
}

__attribute__((constructor)) static void
method_registry_lend(void)
{
	config_registry_add(&config_registry);
}

int
method_create(method *me, const struct method_ops *ops, const struct train_ctx *ctx, db_err *err)
{
	me->ops = ops;
	me->state = NULL;
	/* a hand-built context would lack the batch capacity and the loop's
	 * services; the protocol's rule lives in train_ctx_init only */
	if (!ctx->loop)
		return db_fail(err, DB_EINVAL, "method %s: context not filled by train_ctx_init",
			ops->name);
	return ops->create ? ops->create(me, ctx, err) : DB_OK;
}

void
method_destroy(method *me)
{
	if (me->ops && me->ops->destroy)
		me->ops->destroy(me);
	me->ops = NULL;
	me->state = NULL;
}

double
method_valid_loss(method *me, const struct train_ctx *ctx, const batch *b, const float *logit,
	float *scratch_dz)
{
	if (me->ops->valid_loss)
		return me->ops->valid_loss(me, ctx, b, logit);
	return method_plain_valid_loss(ctx, b, logit, scratch_dz);
}

double
method_loss(method *me, const struct train_ctx *ctx, const batch *b, const float *logit,
	float *dlogit)
{
	return (me->ops->loss ? me->ops->loss : method_normal.loss)(me, ctx, b, logit, dlogit);
}

double
method_plain_valid_loss(const struct train_ctx *ctx, const batch *b, const float *logit,
	float *scratch_dz)
{
	/* both reference codes: the batch mean of the plain criterion over the
	 * mixed validation batch (protocol.md §5.1, §5.2) */
	loss_bce(logit, b->label, b->n, ctx->output_prob, ctx->sample_loss, scratch_dz);
	return loss_reduce(b, ctx->sample_loss, scratch_dz, REDUCE_MEAN, 1);
}
