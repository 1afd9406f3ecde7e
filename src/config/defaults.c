/* Defaults of the authors' code: protocol-wide values and dataset facts
 * here, the per-(dataset, model, method) rows (DeCA's configs.py, the ADT
 * logs; reference/protocol.md §5, §7) in the files of the models and
 * methods they are for, lent by their registries.  They fill only what the
 * user did not set explicitly. */
#include <stdio.h>
#include <string.h>

#include "config/config.h"

static const struct config_default rows[] = {
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
	/* ADT's datasets carry 0/1 flags in their train files: flag 0 is noisy.
	 * A dataset fact, not a protocol one: ml-100k and modcloth keep their
	 * 1-5 ratings (noisy below 4) under adt too */
	{NULL, "adressa", NULL, NULL, "noisy_below", "1"},
	{NULL, "yelp", NULL, NULL, "noisy_below", "1"},
	{NULL, "amazon-book", NULL, NULL, "noisy_below", "1"},
	{NULL, "adressa", NULL, NULL, "clean_threshold", "1"},
	{NULL, "yelp", NULL, NULL, "clean_threshold", "1"},
	{NULL, "amazon-book", NULL, NULL, "clean_threshold", "1"},
	/* The RecSys'25 re-evaluation (bachml/EvalDenoisingRec; README "Protocols",
	 * "The recsys25 protocol").  Every method validates at the end of the
	 * epochs its code tests at (the only rows of its CSV, so the only
	 * candidates of its selection), by the mean over the validation batches
	 * of its own criterion, and its selection is the lowest of them */
	{"recsys25", NULL, NULL, NULL, "eval_freq", "0"},
	{"recsys25", NULL, NULL, NULL, "eval_epochs", "1"},
	{"recsys25", NULL, NULL, NULL, "valid_reduce", "mean"},
	{"recsys25", NULL, NULL, NULL, "selection", "best"},
	{"recsys25", NULL, NULL, NULL, "early_stop", "false"},
	{"recsys25", NULL, NULL, NULL, "ks", "5,10,20,50,100"},
	{"recsys25", "ml-100k", NULL, NULL, "valid_split", "noisy"},
	/* epochs of its logs (results/metric_records.zip; main.py's --epochs
	 * default is 10), tested every epoch, every 10th (LightGCN), 20th (CDAE) */
	{"recsys25", NULL, "gmf", NULL, "epochs", "50"},
	{"recsys25", NULL, "neumf", NULL, "epochs", "50"},
	{"recsys25", NULL, "lightgcn", NULL, "epochs", "300"},
	{"recsys25", NULL, "lightgcn", NULL, "eval_epochs", "10"},
	{"recsys25", NULL, "cdae", NULL, "epochs", "500"},
	{"recsys25", NULL, "cdae", NULL, "eval_epochs", "20"},
	/* code/main.py + experiments_config/ml100k/<Model>-<Method>.yaml: ADT's
	 * loop (batches of 1024 mixed samples, negatives rejected against train,
	 * BCE with logits, Adam without weight decay); T-CE's drop_rate 0.2,
	 * num_gradual 30000, exponent 1 are the keys' defaults.  (Rows naming no
	 * method are every method's; DeCA's and DeCA(p)'s below override them;
	 * UDT's batch_size is 2048) */
	{"recsys25", NULL, NULL, NULL, "batch_size", "1024"},
	{"recsys25", NULL, NULL, NULL, "output", "logit"},
	{"recsys25", NULL, NULL, NULL, "neg_exclude_pos", "true"},
	{"recsys25", NULL, NULL, NULL, "l2", "0"},
	{"recsys25", "ml-100k", NULL, "r-ce", "rce_beta", "0.25"},
	/* experiments_config/ml100k/<Model>-UDT.yaml, -DCF.yaml (issue 14's
	 * methods; both validate with plain BCE, as the study's main.py does) */
	{"recsys25", NULL, NULL, "udt", "batch_size", "2048"},
	{"recsys25", NULL, "lightgcn", "udt", "udt_temp1", "0.1"},
	{"recsys25", NULL, NULL, "dcf", "num_gradual", "3500"},
	{"recsys25", NULL, NULL, "dcf", "dcf_co_lambda", "0"},
	{"recsys25", NULL, NULL, "dcf", "dcf_time_step", "1"},
	{"recsys25", NULL, "lightgcn", "dcf", "dcf_relabel_ratio", "0"},
	{"recsys25", NULL, "lightgcn", "dcf", "dcf_co_lambda", "1e-4"},
	/* model.LightGCN(..., factor_num 32, num_layers 3), not DeCA's 64 */
	{"recsys25", NULL, "lightgcn", NULL, "factors", "32"},
	/* its CDAE (code/CDAE/main.py) is another model than DeCA's (ReLU, no
	 * normalisation, logits, corruption 0.2): the nearest settings of ours
	 * (eval() at test, train + valid masked, held-out validation) */
	{"recsys25", NULL, "cdae", NULL, "cdae_corruption", "0.2"},
	{"recsys25", NULL, "cdae", NULL, "cdae_mask", "true"},
	{"recsys25", NULL, "cdae", NULL, "cdae_eval_corruption", "false"},
	{"recsys25", NULL, "cdae", NULL, "cdae_valid", "heldout"},
/* code/DeCA/ (DeCA's code; configs.py edited: epochs, early_stop) trains
	 * DeCA and DeCA(p) in DeCA's loop (batches of 2048 positives, output
	 * prob, L2; DeCA's LightGCN and CDAE, not the rows above); its RS_train
	 * and CDAE_train never stop early */
#define RS25_DECA(me, ds, m, ep, c1, c2, a, l2, it)                                                \
	{"recsys25", ds, m, me, "epochs", ep}, {"recsys25", ds, m, me, "deca_c1", c1},             \
		{"recsys25", ds, m, me, "deca_c2", c2}, {"recsys25", ds, m, me, "deca_alpha", a},  \
		{"recsys25", ds, m, me, "l2", l2},                                                 \
	{                                                                                          \
		"recsys25", ds, m, me, "deca_iterative", it                                        \
	}
#define RS25_DECA_LOOP(me)                                                                         \
	{"recsys25", NULL, NULL, me, "batch_size", "2048"},                                        \
		{"recsys25", NULL, NULL, me, "output", "prob"},                                    \
		{"recsys25", NULL, NULL, me, "neg_exclude_pos", "false"},                          \
		{"recsys25", NULL, "lightgcn", me, "factors", "64"},                               \
		{"recsys25", NULL, "cdae", me, "cdae_corruption", "0.5"},                          \
		{"recsys25", NULL, "cdae", me, "cdae_mask", "false"},                              \
		{"recsys25", NULL, "cdae", me, "cdae_eval_corruption", "true"},                    \
	{                                                                                          \
		"recsys25", NULL, "cdae", me, "cdae_valid", "reference"                            \
	}
	RS25_DECA_LOOP("deca"),
	RS25_DECA_LOOP("deca-p"),
	RS25_DECA("deca", "ml-100k", "gmf", "50", "1000", "1000", "1", "0.1", "true"),
	RS25_DECA("deca", "ml-100k", "neumf", "50", "1000", "10", "1", "0.01", "true"),
	RS25_DECA("deca", "ml-100k", "cdae", "500", "1000", "100", "0.5", "1.0", "true"),
	RS25_DECA("deca", "ml-100k", "lightgcn", "300", "100", "100", "0", "0.1", "true"),
	RS25_DECA("deca-p", "ml-100k", "gmf", "50", "1000", "1000", "1", "0.1", "true"),
	RS25_DECA("deca-p", "ml-100k", "neumf", "50", "100", "10", "1", "0", "true"),
	RS25_DECA("deca-p", "ml-100k", "cdae", "500", "1000", "10", "1", "1", "true"),
	RS25_DECA("deca-p", "ml-100k", "lightgcn", "300", "1", "1", "1", "0", "true"),
#undef RS25_DECA_LOOP
#undef RS25_DECA
};

static int
matches(const char *want, const char *have)
{
	return !want || strcmp(want, have) == 0;
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

/* The cell a row must match: its protocol, dataset, model, method and the
 * method whose rows it takes too (finetune's extra_base), or NULL. */
struct cell {
	const char *proto, *ds, *model, *method, *also;
};

static int
row_matches(const struct config_default *d, const struct cell *c)
{
	return matches(d->protocol, c->proto) && matches(d->dataset, c->ds) &&
		matches(d->model, c->model) &&
		(matches(d->method, c->method) || (c->also && !strcmp(d->method, c->also)));
}

typedef int (*row_fn)(const struct config_default *d, void *arg, db_err *err);

/* The registered rows of the pass: those naming no method (models',
 * Normal's), then those naming one, so that a method's own rows win. */
static int
each_registered_row(const struct cell *c, int with_method, row_fn fn, void *arg, db_err *err)
{
	int rc;
	for (int r = 0; r < 2; r++) {
		const struct config_registry *reg = config_registry_find(r ? "method" : "model");
		for (size_t e = 0; reg && e < reg->n; e++)
			for (const struct config_default *d = config_registry_defaults(reg, e);
				d && d->key; d++)
				if (!d->method == !with_method && row_matches(d, c) &&
					(rc = fn(d, arg, err)))
					return rc;
	}
	return DB_OK;
}

/* The rows that apply to ex's protocol, dataset, model and method, in
 * order (later rows win): the protocol's and the datasets' (above), then
 * the models' and the methods' own; fn returns non-zero to stop. */
static int
each_row(const config *ex, char *ds, size_t dsn, row_fn fn, void *arg, db_err *err)
{
	int rc;
	dataset_name(ex, ds, dsn);
	const struct config_registry *methods = config_registry_find("method");
	/* rows name canonical methods; config_set already stores aliases so */
	struct cell c = {config_get(ex, "protocol"), ds, config_get(ex, "model"),
		config_key_canonical(config_key_find("method"), config_get(ex, "method")),
		methods && methods->defaults_also ? methods->defaults_also(ex) : NULL};
	for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++)
		if (row_matches(&rows[r], &c) && (rc = fn(&rows[r], arg, err)))
			return rc;
	if ((rc = each_registered_row(&c, 0, fn, arg, err)) ||
		(rc = each_registered_row(&c, 1, fn, arg, err)))
		return rc;
	/* a protocol's own per-(model, method) rows (recsys25's) describe its
	 * code's cells, so they win over the models' and methods' general rows */
	for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++)
		if ((rows[r].model || rows[r].method) && row_matches(&rows[r], &c) &&
			(rc = fn(&rows[r], arg, err)))
			return rc;
	return DB_OK;
}

static int
row_set(const struct config_default *d, void *arg, db_err *err)
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
row_origin(const struct config_default *d, void *arg, db_err *err)
{
	struct origin_arg *o = arg;
	(void)err;
	if (!strcmp(d->key, o->key))
		o->origin = d->model || d->method ? "paper config"
			: d->dataset              ? "dataset fact"
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
