/* Defaults of the authors' code: protocol-wide values and the per-(dataset,
 * model, method) table of DeCA's configs.py (reference/protocol.md §5, §7).
 * They fill only what the user did not set explicitly. */
#include <stdio.h>
#include <string.h>

#include "config/config.h"

struct default_row {
	const char *protocol, *dataset, *model, *method; /* NULL matches anything */
	const char *key, *val;
};

static const struct default_row rows[] = {
	/* protocol-wide (protocol.md §2.1, §2.2, §5.1, §5.2) */
	{"deca", NULL, NULL, NULL, "batch_size", "2048"},
	{"deca", NULL, NULL, NULL, "output", "prob"},
	{"deca", NULL, NULL, NULL, "neg_exclude_pos", "false"},
	{"deca", NULL, NULL, NULL, "eval_freq", "500"},
	{"deca", NULL, NULL, NULL, "selection", "last"},
	{"adt", NULL, NULL, NULL, "batch_size", "1024"},
	{"adt", NULL, NULL, NULL, "output", "logit"},
	{"adt", NULL, NULL, NULL, "neg_exclude_pos", "true"},
	{"adt", NULL, NULL, NULL, "eval_freq", "2000"},
	{"adt", NULL, NULL, NULL, "selection", "best"},
	{"adt", NULL, NULL, NULL, "epochs", "10"},
	{"adt", NULL, NULL, NULL, "l2", "0"},
	{"adt", NULL, NULL, NULL, "early_stop", "false"},
	/* dataset facts (protocol.md §1.4, §6.4) */
	{NULL, "adressa", NULL, NULL, "user_num", "212231"},
	{NULL, "adressa", NULL, NULL, "item_num", "6596"},
	{"deca", "electronics", NULL, NULL, "ks", "5,10,20,50"},
	{"adt", "adressa", NULL, NULL, "ks", "3,20"},
	{"adt", "adressa", NULL, NULL, "eval_freq", "100"},
	{"adt", "yelp", NULL, NULL, "ks", "50,100"},
	{"adt", "amazon-book", NULL, NULL, "ks", "50,100"},
	/* DeCA LightGCN.py: latent_dim 64, not factor_num 32 (§3.4) */
	{NULL, NULL, "lightgcn", NULL, "factors", "64"},
	/* DeCA configs.py, Normal baseline: epochs / early_stop / lambda0 (§7.1) */
#define NORMAL(ds, m, ep, es, l2)                               \
	{"deca", ds, m, "normal", "epochs", ep},                \
	{"deca", ds, m, "normal", "early_stop", es},            \
	{"deca", ds, m, "normal", "l2", l2}
	NORMAL("ml-100k", "gmf", "20", "true", "0.1"),
	NORMAL("ml-100k", "neumf", "100", "true", "0.01"),
	NORMAL("modcloth", "gmf", "40", "true", "0.1"),
	NORMAL("modcloth", "neumf", "40", "true", "10"),
	NORMAL("adressa", "gmf", "10", "true", "0.01"),
	NORMAL("adressa", "neumf", "10", "true", "1"),
	NORMAL("electronics", "gmf", "10", "true", "0.01"),
	NORMAL("electronics", "neumf", "10", "false", "100"),
	NORMAL("ml-100k", "lightgcn", "200", "true", "0.01"),
	NORMAL("modcloth", "lightgcn", "40", "false", "0.1"),
	NORMAL("adressa", "lightgcn", "15", "false", "0.01"),
	NORMAL("electronics", "lightgcn", "10", "false", "0.01"),
	NORMAL("ml-100k", "cdae", "200", "false", "1.0"),
	NORMAL("modcloth", "cdae", "40", "false", "1"),
	NORMAL("adressa", "cdae", "50", "true", "1"),
	NORMAL("electronics", "cdae", "15", "false", "0.1"),
#undef NORMAL
	/* DeCA configs.py, DeCA and DeCA(p): epochs / early_stop / C_1 / C_2 /
	 * alpha / lambda0 / iterative (§7.1); DeCA(p)'s epochs and lambda0 also
	 * govern the pre-training of g (§4.6.5) */
#define DECA(me, ds, m, ep, es, c1, c2, a, l2, it)              \
	{"deca", ds, m, me, "epochs", ep},                      \
	{"deca", ds, m, me, "early_stop", es},                  \
	{"deca", ds, m, me, "deca_c1", c1},                     \
	{"deca", ds, m, me, "deca_c2", c2},                     \
	{"deca", ds, m, me, "deca_alpha", a},                   \
	{"deca", ds, m, me, "l2", l2},                          \
	{"deca", ds, m, me, "deca_iterative", it}
	DECA("deca", "ml-100k", "gmf", "20", "false", "1000", "1000", "1", "0.1", "true"),
	DECA("deca", "ml-100k", "neumf", "100", "false", "1000", "10", "1", "0.01", "true"),
	DECA("deca", "ml-100k", "cdae", "400", "false", "1000", "100", "0.5", "1.0", "true"),
	DECA("deca", "ml-100k", "lightgcn", "150", "true", "100", "100", "0", "0.1", "true"),
	DECA("deca", "modcloth", "gmf", "40", "false", "100", "10", "0", "0.1", "true"),
	DECA("deca", "modcloth", "neumf", "40", "false", "1000", "10", "0.5", "10", "true"),
	DECA("deca", "modcloth", "cdae", "40", "true", "1000", "100", "0", "1", "true"),
	DECA("deca", "modcloth", "lightgcn", "60", "false", "1000", "10", "0", "0.1", "true"),
	DECA("deca", "adressa", "gmf", "15", "false", "100", "10", "1", "0", "true"),
	DECA("deca", "adressa", "neumf", "30", "true", "1000", "10", "0", "1", "true"),
	DECA("deca", "adressa", "cdae", "50", "false", "1000", "10", "0", "0", "true"),
	DECA("deca", "adressa", "lightgcn", "15", "true", "10", "1000", "0", "10", "true"),
	DECA("deca", "electronics", "gmf", "15", "false", "1000", "10", "1", "0.01", "true"),
	DECA("deca", "electronics", "neumf", "15", "false", "100", "10", "0.5", "1000", "true"),
	DECA("deca", "electronics", "cdae", "15", "true", "100", "10", "0", "0.1", "true"),
	DECA("deca", "electronics", "lightgcn", "10", "false", "1000", "10", "1", "0.01", "true"),
	DECA("deca-p", "ml-100k", "gmf", "20", "false", "1000", "1000", "1", "0.1", "true"),
	DECA("deca-p", "ml-100k", "neumf", "100", "true", "100", "10", "1", "0", "true"),
	DECA("deca-p", "ml-100k", "cdae", "500", "false", "1000", "10", "1", "1", "true"),
	DECA("deca-p", "ml-100k", "lightgcn", "150", "true", "1", "1", "1", "0", "true"),
	DECA("deca-p", "modcloth", "gmf", "40", "false", "100", "10", "1", "0.1", "true"),
	DECA("deca-p", "modcloth", "neumf", "40", "true", "1000", "10", "1", "10", "true"),
	DECA("deca-p", "modcloth", "cdae", "40", "true", "1000", "100", "1", "1", "true"),
	DECA("deca-p", "modcloth", "lightgcn", "60", "true", "10", "10", "0.5", "0.1", "true"),
	DECA("deca-p", "adressa", "gmf", "10", "false", "1000", "10", "1", "0.01", "true"),
	DECA("deca-p", "adressa", "neumf", "30", "true", "100", "10", "1", "1", "true"),
	DECA("deca-p", "adressa", "cdae", "50", "false", "100", "10", "1", "0", "true"),
	DECA("deca-p", "adressa", "lightgcn", "15", "true", "1000", "10", "0.5", "0.01", "false"),
	DECA("deca-p", "electronics", "gmf", "10", "false", "1000", "10", "1", "0.01", "true"),
	DECA("deca-p", "electronics", "neumf", "10", "true", "100", "10", "0", "1000", "true"),
	DECA("deca-p", "electronics", "cdae", "15", "true", "100", "10", "0", "0.1", "true"),
	DECA("deca-p", "electronics", "lightgcn", "10", "false", "1000", "10", "1", "0.01", "true"),
#undef DECA
	/* R-CE beta of the ADT HEAD logs (protocol.md §7.4) */
	{"adt", "yelp", "gmf", "r-ce", "rce_beta", "0.2"},
	{"adt", "yelp", "neumf", "r-ce", "rce_beta", "0.2"},
	{"adt", "amazon-book", "gmf", "r-ce", "rce_beta", "0.3"},
	{"adt", "amazon-book", "neumf", "r-ce", "rce_beta", "0.25"},
	{"adt", "adressa", "gmf", "r-ce", "rce_beta", "0.2"},
	{"adt", "adressa", "neumf", "r-ce", "rce_beta", "0.25"},
	/* T-CE (eps_max, num_gradual) of the ADT HEAD logs (protocol.md §7.4) */
	{"adt", "yelp", "gmf", "t-ce", "drop_rate", "0.1"},
	{"adt", "amazon-book", "gmf", "t-ce", "drop_rate", "0.1"},
	{"adt", "adressa", "gmf", "t-ce", "drop_rate", "0.05"},
	{"adt", "adressa", "neumf", "t-ce", "num_gradual", "1000"},
	/* ADT's datasets carry 0/1 flags in their train files: flag 0 is noisy.
	 * A dataset fact, not a protocol one: ml-100k and modcloth keep their
	 * 1-5 ratings (noisy below 4) under adt too */
	{NULL, "adressa", NULL, NULL, "noisy_below", "1"},
	{NULL, "yelp", NULL, NULL, "noisy_below", "1"},
	{NULL, "amazon-book", NULL, NULL, "noisy_below", "1"},
	{NULL, "adressa", NULL, NULL, "clean_threshold", "1"},
	{NULL, "yelp", NULL, NULL, "clean_threshold", "1"},
	{NULL, "amazon-book", NULL, NULL, "clean_threshold", "1"},
	/* DeCA datasets have ~40 iterations per epoch: ramp over ~10 epochs */
	{"deca", NULL, NULL, "t-ce", "num_gradual", "400"},
	/* the newer methods (issue 14): UDT's CDAE script weighs from the batch */
	{NULL, NULL, "cdae", "udt", "udt_weights", "batch"},
	{NULL, NULL, "cdae", "eard", "eard_entity_loss", "sum"},
	/* DCF's drop schedule is T-CE's: the same ramp under deca */
	{"deca", NULL, NULL, "dcf", "num_gradual", "400"},
};

static int
matches(const char *want, const char *have)
{
	return !want || strcmp(want, have) == 0;
}

/* DeCA's configs.py tunes only Normal, DeCA and DeCA(p); the paper trains
 * its other baselines (T-CE, R-CE, WBPR, Ensemble, Clean) with the Normal
 * settings of the cell, so Normal's rows are their defaults too, and their
 * own rows (listed later) still win. */
static int
method_row_matches(const char *want, const char *have)
{
	if (!want || strcmp(want, have) == 0)
		return 1;
	return strcmp(want, "normal") == 0 && strcmp(have, "deca") != 0 &&
		strcmp(have, "deca-p") != 0;
}

/* The dataset name: explicit, else the base name of the data directory. */
static void
dataset_name(const config *c, char *out, size_t n)
{
	const char *name = config_lookup(c, "dataset");
	if (name && *name) {
		snprintf(out, n, "%s", name);
		return;
	}
	const char *dir = config_get(c, "data");
	size_t len = strlen(dir);
	while (len > 1 && dir[len - 1] == '/')
		len--;
	size_t start = len;
	while (start > 0 && dir[start - 1] != '/')
		start--;
	if (len == 0) {
		snprintf(out, n, "synthetic");
		return;
	}
	snprintf(out, n, "%.*s", (int)(len - start), dir + start);
}

/* The rows that apply to ex's protocol, dataset, model and method, in
 * order (later rows win); fn returns non-zero to stop. */
typedef int (*row_fn)(const struct default_row *d, void *arg, db_err *err);
static int
each_row(const config *ex, char *ds, size_t dsn, row_fn fn, void *arg, db_err *err)
{
	int rc;
	dataset_name(ex, ds, dsn);
	const char *proto = config_get(ex, "protocol");
	const char *model = config_get(ex, "model");
	/* rows name canonical methods; config_set already stores aliases so */
	const char *method = config_key_canonical(config_key_find("method"),
		config_get(ex, "method"));
	/* finetune and warmup train with T-CE or R-CE in their ADT phase: that
	 * method's rows (e.g. deca's num_gradual 400) are theirs too */
	const char *base = !strcmp(method, "finetune") || !strcmp(method, "warmup")
		? config_get(ex, "extra_base") : method;
	/* rows are ordered general -> specific, so later rows win */
	for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++) {
		const struct default_row *d = &rows[r];
		if (matches(d->protocol, proto) && matches(d->dataset, ds) &&
		    matches(d->model, model) &&
		    (method_row_matches(d->method, method) || (d->method && !strcmp(d->method, base))))
			if ((rc = fn(d, arg, err)))
				return rc;
	}
	return DB_OK;
}

static int
row_set(const struct default_row *d, void *arg, db_err *err)
{
	return config_set(arg, d->key, d->val, err);
}

int
config_resolve(config *out, const config *ex, db_err *err)
{
	char ds[256];
	int rc;
	config_init(out);
	if ((rc = each_row(ex, ds, sizeof ds, row_set, out, err)))
		return rc;
	if ((rc = config_set(out, "dataset", ds, err)))
		return rc;
	for (int i = 0; i < ex->n; i++)
		if ((rc = config_set(out, ex->e[i].key, ex->e[i].val, err)))
			return rc;
	return DB_OK;
}

struct origin_arg {
	const char *key, *origin;
};

static int
row_origin(const struct default_row *d, void *arg, db_err *err)
{
	struct origin_arg *o = arg;
	(void)err;
	if (!strcmp(d->key, o->key))
		o->origin = d->model || d->method ? "paper config" : d->dataset ? "dataset fact"
			: "protocol";
	return DB_OK;
}

const char *
config_origin(const config *ex, const char *key)
{
	char ds[256];
	struct origin_arg o = {key, "default"};
	if (config_lookup(ex, key))
		return "explicit";
	if (!strcmp(key, "dataset"))
		return "data directory";
	each_row(ex, ds, sizeof ds, row_origin, &o, NULL);
	return o.origin;
}
