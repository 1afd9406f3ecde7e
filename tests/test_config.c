/* Settings: typing, hints, canonical form and hash, and the defaults of
 * the authors' code for each protocol/dataset/model. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "config/settings.h"
#include "eval/eval.h"
#include "methods/method.h"
#include "models/model.h"
#include "tap.h"
#include "util/hash.h"

static int
set(config *c, const char *k, const char *v)
{
	db_err err = {{0}};
	return config_set(c, k, v, &err);
}

/* "1,2,...,n-1,LAST" (LAST "": n), allocated. */
static char *
long_ks(int n, const char *last)
{
	char *s = malloc((size_t)n * 12 + 1), *p = s;
	for (int i = 1; s && i < n; i++)
		p += sprintf(p, "%d,", i);
	if (s && *last)
		strcpy(p, last);
	else if (s)
		sprintf(p, "%d", n);
	return s;
}

static void
test_typing(void)
{
	config c;
	db_err err = {{0}};
	config_init(&c);
	tap_ok(set(&c, "epochs", "7") == DB_OK && config_int(&c, "epochs") == 7, "int setting");
	tap_ok(config_set(&c, "epochs", "7.5", &err) == DB_EINVAL && strstr(err.msg, "integer"),
		"non-integer refused: %s", err.msg);
	tap_ok(config_set(&c, "epoch", "3", &err) == DB_EINVAL && strstr(err.msg, "'epochs'"),
		"unknown key gets a did-you-mean hint: %s", err.msg);
	tap_ok(config_set(&c, "protocol", "paper", &err) == DB_EINVAL &&
			strstr(err.msg, "deca|adt"),
		"bad choice lists the choices: %s", err.msg);
	tap_ok(config_set(&c, "early_stop", "maybe", &err) == DB_EINVAL, "bad boolean refused");
	tap_ok(config_set(&c, "batch_size", "0", &err) == DB_EINVAL && strstr(err.msg, "range"),
		"impossible value refused: %s", err.msg);
	tap_ok(config_set(&c, "ks", "3,,5", &err) == DB_EINVAL, "malformed K list refused");
	/* K lists: no wrap (4294967299 is 3 mod 2^32), no duplicate, no zero, no silent cut */
	static const struct {
		const char *val, *phrase;
	} bad_ks[] = {
		{"4294967299", "4294967299 is too large (at most 2147483647)"},
		{"3,2147483648", "2147483648 is too large"},
		{"99999999999999999999", "is too large"},
		{"5,10,5", "5 is listed twice in '5,10,5'"},
		{"0,3", "not a comma-separated list of positive integers"},
		{"3,", "not a comma-separated list"},
		{"", "empty list"},
	};
	for (size_t i = 0; i < sizeof bad_ks / sizeof *bad_ks; i++)
		tap_ok(config_set(&c, "ks", bad_ks[i].val, &err) == DB_EINVAL &&
				strstr(err.msg, bad_ks[i].phrase),
			"ks '%.20s' refused: %s", bad_ks[i].val, err.msg);
	/* any length up to CONFIG_INTLIST_MAX values, none cut; one more is refused */
	char *list = long_ks(CONFIG_INTLIST_MAX, "2147483647");
	tap_ok(list && set(&c, "ks", list) == DB_OK, "ks: %d values up to INT_MAX accepted",
		CONFIG_INTLIST_MAX);
	int *ks = NULL, n = config_intlist(&c, "ks", &ks, &err);
	tap_ok(n == CONFIG_INTLIST_MAX && ks[0] == 1 && ks[n - 2] == n - 1 && ks[n - 1] == INT_MAX,
		"ks: config_intlist gives all %d values back (got %d)", CONFIG_INTLIST_MAX, n);
	free(ks);
	free(list);
	list = long_ks(CONFIG_INTLIST_MAX + 1, "");
	tap_ok(list && config_set(&c, "ks", list, &err) == DB_EINVAL &&
			strstr(err.msg, "4097 values in '1,2,3,") &&
			strstr(err.msg, "at most 4096"),
		"ks: %d values refused, naming the count: %s", CONFIG_INTLIST_MAX + 1, err.msg);
	free(list);
	list = long_ks(71, "70");
	tap_ok(list && config_set(&c, "ks", list, &err) == DB_EINVAL &&
			strstr(err.msg, "70 is listed twice"),
		"ks: a repeat after 69 values refused: %s", err.msg);
	free(list);
	tap_ok(config_set_kv(&c, "lr=0.01", &err) == DB_OK && config_double(&c, "lr") == 0.01,
		"key=value form");
	tap_ok(config_set_kv(&c, "lr", &err) == DB_EINVAL, "key without value refused");
	set(&c, "ks", "3,20");
	tap_ok(config_intlist(&c, "ks", &ks, &err) == 2 && ks[0] == 3 && ks[1] == 20, "K list");
	free(ks);
	config_free(&c);
}

/* Whether the canonical line l ("key\tvalue\n") was hashed before the
 * keys added with CFG_HASH_SET existed. */
static int
kept_before(const char *l)
{
	static const char *const added[] = {"eval_noisy", "eval_test", "eval_valid_rank",
		"eval_rating_prob", "ftz", "eval_epochs", "valid_reduce", "valid_split",
		"revised_drop", "oracle_metric", "neumf_item_once"};
	/* the newer methods' keys (issue 14), by their family prefix */
	static const char *const family[] = {"udt_", "eard_", "dcf_", "pld_"};
	size_t n = strcspn(l, "\t");
	for (int i = 0; i < (int)(sizeof added / sizeof added[0]); i++)
		if (strlen(added[i]) == n && !strncmp(l, added[i], n))
			return 0;
	for (int i = 0; i < (int)(sizeof family / sizeof family[0]); i++)
		if (!strncmp(l, family[i], strlen(family[i])))
			return 0;
	for (int i = 0; i < config_nkeys(); i++)
		if (strlen(config_key_at(i)->name) == n && !strncmp(l, config_key_at(i)->name, n))
			return !(config_key_at(i)->flags & CFG_NOHASH);
	return 0;
}

static void
test_hash(void)
{
	config a, b;
	config_init(&a);
	config_init(&b);
	set(&a, "model", "neumf");
	set(&a, "lr", "0.002");
	set(&b, "lr", "0.002");
	set(&b, "model", "neumf");
	tap_ok(config_hash(&a) == config_hash(&b), "hash does not depend on setting order");
	set(&b, "data", "/elsewhere/ml-100k");
	set(&b, "eval_block", "64");
	tap_ok(config_hash(&a) == config_hash(&b), "paths and display settings are not hashed");
	set(&b, "seed", "2");
	tap_ok(config_hash(&a) != config_hash(&b), "a result-changing setting changes the hash");
	/* config_same_except: b differs from a in seed (set on b only) and in two
	 * keys the hash leaves out; equal but for seed once a has those too */
	tap_ok(!config_same_except(&a, &b, "seed"), "same_except: unhashed keys differ too: unequal");
	set(&a, "data", "/elsewhere/ml-100k");
	set(&a, "eval_block", "64");
	tap_ok(config_same_except(&a, &b, "seed") && config_same_except(&b, &a, "seed"),
		"same_except: only the key differs (set on one side): equal, either order");
	tap_ok(!config_same_except(&a, &b, "model"), "same_except: another key differs: unequal");
	config oa, ob;
	config_init(&oa);
	config_init(&ob);
	tap_ok(!config_set_outside_name(&oa, "method", "ext-foo", NULL) &&
			!config_set_outside_name(&ob, "method", "ext-foo", NULL) &&
			config_same_except(&oa, &ob, "seed") &&
			config_same_except(&oa, &ob, "method"),
		"same_except: an outside method's name (imported results) is copied, not refused");
	config_free(&oa);
	config_free(&ob);
	/* keys added later enter the hash only when set off their default, so
	 * every earlier cell keeps its result name */
	config c;
	config_init(&c);
	set(&c, "model", "neumf");
	set(&c, "lr", "0.002");
	char *all = config_canonical(&c), *old = all ? malloc(strlen(all) + 1) : NULL, *o = old;
	for (const char *l = all; old && *l;) {
		const char *e = strchr(l, '\n') + 1;
		if (kept_before(l))
			o += sprintf(o, "%.*s", (int)(e - l), l);
		l = e;
	}
	tap_ok(old && config_hash(&c) == hash_str(HASH_FNV_INIT, old),
		"keys added later (evaluation passes, ftz, recsys25's, newer methods, "
		"neumf_item_once) at their "
		"defaults "
		"leave the hash "
		"as before");
	free(all);
	free(old);
	set(&c, "eval_noisy", "yes");
	tap_ok(config_hash(&a) == config_hash(&c), "a pass key set to its default: same hash");
	set(&c, "eval_noisy", "false");
	tap_ok(config_hash(&a) != config_hash(&c), "a pass switched off changes the hash");
	/* ftz: the default (update, on x86) keeps the names the cells had when it
	 * was false; false and true are other runs now */
	config f;
	config_init(&f);
	set(&f, "model", "neumf");
	set(&f, "lr", "0.002");
	uint64_t h0 = config_hash(&f);
	const char *def = config_key_find("ftz")->def, *const modes[] = {"false", "update", "true"};
	int named = 1;
	for (int i = 0; i < 3; i++) {
		set(&f, "ftz", modes[i]);
		named &= (config_hash(&f) == h0) == !strcmp(modes[i], def);
	}
	tap_ok(named, "ftz: every mode but the default (%s) changes the hash", def);
	config_free(&f);
	config_free(&c);
	char *canon = config_canonical(&a);
	tap_ok(canon && strstr(canon, "model\tneumf\n") && strstr(canon, "adam_beta1\t0.9\n") &&
			strstr(canon, "adam_beta1") < strstr(canon, "model"),
		"canonical form lists every key, resolved and sorted");
	free(canon);
	config_free(&a);
	config_free(&b);
}

static void
expect(const config *r, const char *k, const char *v, const char *what)
{
	tap_ok(!strcmp(config_get(r, k), v), "%s: %s = %s (got %s)", what, k, v, config_get(r, k));
}

static void
test_defaults(void)
{
	config ex, r;
	db_err err = {{0}};
	config_init(&ex);
	set(&ex, "data", "/some/where/ml-100k/");
	set(&ex, "model", "neumf");
	tap_ok(config_resolve(&r, &ex, &err) == DB_OK, "resolve");
	expect(&r, "dataset", "ml-100k", "name from the directory");
	expect(&r, "epochs", "100", "DeCA configs.py ml-100k NeuMF Normal");
	expect(&r, "l2", "0.01", "DeCA configs.py ml-100k NeuMF Normal");
	expect(&r, "early_stop", "true", "DeCA configs.py ml-100k NeuMF Normal");
	expect(&r, "batch_size", "2048", "deca protocol");
	expect(&r, "neg_exclude_pos", "false", "deca code never rejects");
	config_free(&r);
	set(&ex, "protocol", "adt");
	set(&ex, "epochs", "3");
	config_resolve(&r, &ex, &err);
	expect(&r, "batch_size", "1024", "adt protocol");
	expect(&r, "output", "logit", "adt protocol");
	expect(&r, "selection", "best", "adt protocol");
	expect(&r, "l2", "0", "adt protocol");
	expect(&r, "epochs", "3", "explicit setting wins");
	config_free(&r);
	config_free(&ex);
	config_init(&ex);
	set(&ex, "data", "x/modcloth");
	set(&ex, "model", "gmf");
	config_resolve(&r, &ex, &err);
	expect(&r, "epochs", "40", "DeCA configs.py modcloth GMF Normal");
	expect(&r, "l2", "0.1", "DeCA configs.py modcloth GMF Normal");
	config_free(&r);
	config_free(&ex);
}

/* The choice lists of the model and method keys name exactly the registry. */
static void
test_registries(void)
{
	config c;
	db_err err = {{0}};
	config_init(&c);
	tap_ok(!strcmp(config_key_choices(config_key_find("model")), model_names()),
		"model choices come from the model registry (%s)", model_names());
	tap_ok(config_set(&c, "model", "neumf", &err) == DB_OK &&
			config_set(&c, "model", "xyz", &err) == DB_EINVAL &&
			strstr(err.msg, "neumf"),
		"an unknown model is refused with the list: %s", err.msg);
	tap_ok(config_set(&c, "method", "normal", &err) == DB_OK, "method normal accepted");
	config_free(&c);
}

/* The listing order does not depend on where a key is declared: the keys
 * that moved into method and model files keep their old places among the
 * core keys (`denoisebench keys` and `check --resolved` do not move). */
static void
test_listing_order(void)
{
	static const char *const order[] = {"data", "factors", "mlp_layers", "user_num", "ftz",
		"rce_beta", "drop_rate", "noisy_below", "clean_threshold", "extra_share",
		"cdae_hidden", "ease_lambda", "deca_c1", "deca_pretrain_cache", "cache_dir"};
	int last = -1, ok = 1;
	for (size_t j = 0; j < sizeof order / sizeof order[0]; j++) {
		int at = -1;
		for (int i = 0; i < config_nkeys(); i++)
			if (!strcmp(config_key_at(i)->name, order[j]))
				at = i;
		if (at <= last)
			printf("# %s listed at %d, after %d\n", order[j], at, last);
		ok &= at > last;
		last = at;
	}
	/* after cache_dir only keys the old listing did not have (newer
	 * methods'), by name */
	int tail_sorted = last >= 0;
	for (int i = last + 1; tail_sorted && i < config_nkeys(); i++) {
		const char *name = config_key_at(i)->name;
		for (int t = 0; config_key_tail[t]; t++)
			tail_sorted &= strcmp(config_key_tail[t], name) != 0;
		tail_sorted &= strcmp(config_key_at(i - 1)->name, name) < 0 || i == last + 1;
	}
	tap_ok(ok && tail_sorted && !strcmp(config_key_at(0)->name, "data"),
		"the keys are listed in their old order wherever they are declared, new ones after "
		"cache_dir by name (%d keys)",
		config_nkeys());
	tap_ok(config_key_at(config_nkeys()) == NULL, "past the last key: NULL");
}

/* config_settings_parse types every field from its own key: each key set
 * to a value unlike its default and unlike the others' shows in its field. */
static void
test_settings(void)
{
	static const char *const kv[] = {"data=dir/x", "dataset=x", "model=neumf", "method=t-ce",
		"protocol=adt", "seed=11", "output=logit", "epochs=4", "batch_size=7", "lr=0.5",
		"adam_beta1=0.8", "adam_beta2=0.99", "adam_eps=1e-6", "l2=0.25", "neg_ratio=3",
		"neg_exclude_pos=true", "eval_freq=9", "early_stop=true", "early_stop_rounds=5",
		"selection=best", "user_num=12", "item_num=13", "max_id=14", "mask_valid=false",
		"eval_block=33", "eval_noisy=false", "eval_valid_rank=false",
		"eval_rating_prob=false", "diag_test=true", "dump_preds=15", "ftz=true",
		"noisy_below=2", "eval_epochs=6", "valid_reduce=mean", "valid_split=noisy",
		"revised_drop=0.35", "oracle_metric=recall@7", "factors=17", "diag_freq=19"};
	db_err err = {{0}};
	config c;
	struct config_settings s;
	config_init(&c);
	int rc = 0;
	for (size_t i = 0; i < sizeof kv / sizeof kv[0] && !rc; i++)
		rc = config_set_kv(&c, kv[i], &err);
	config_settings_parse(&s, &c);
	tap_ok(!rc && !strcmp(s.data, "dir/x") && !strcmp(s.dataset, "x") &&
			!strcmp(s.model, "neumf") && !strcmp(s.method, "t-ce") &&
			s.protocol == PROTOCOL_ADT && s.seed == 11 && !s.output_prob,
		"settings: what is run");
	tap_ok(s.epochs == 4 && s.batch_size == 7 && s.adam.lr == 0.5 && s.adam.beta1 == 0.8 &&
			s.adam.beta2 == 0.99 && s.adam.eps == 1e-6 && s.l2 == 0.25 &&
			s.neg_ratio == 3 && s.neg_exclude_pos && s.eval_freq == 9 && s.early_stop &&
			s.early_stop_rounds == 5 && s.selection == CONFIG_SELECT_BEST &&
			s.keep_best,
		"settings: optimisation, sampling, selection");
	tap_ok(s.user_num == 12 && s.item_num == 13 && s.max_id == 14 && !s.mask_valid &&
			s.eval_block == 33 && !s.eval_noisy && !s.eval_valid_rank &&
			!s.eval_rating_prob && s.diag_test && s.dump_preds == 15 &&
			s.ftz == CONFIG_FTZ_ALL && s.adam.flush && s.noisy_below == 2,
		"settings: data and evaluation");
	tap_ok(s.eval_epochs == 6 && s.valid_mean && s.valid_noisy && s.revised_drop == 0.35 &&
			!strcmp(s.oracle_metric, "recall@7") && s.factors == 17 &&
			s.diag_freq == 19,
		"settings: recsys25's cadence, validation and selection keys, factors, diag_freq");
	/* every selection rule to its own value, and checkpoints for all but last */
	static const char *const rules[] = {"last", "best", "revised", "oracle"};
	int bad = 0;
	for (int i = 0; i < 4; i++) {
		config_set(&c, "selection", rules[i], &err);
		config_settings_parse(&s, &c);
		bad += (int)s.selection != i || s.keep_best != (i != 0);
	}
	tap_ok(!bad, "settings: selection last, best, revised, oracle in order; kept unless last");
	config_free(&c);
	config_init(&c);
	config_settings_parse(&s, &c);
	tap_ok(s.protocol == PROTOCOL_DECA && s.output_prob && s.selection == CONFIG_SELECT_LAST &&
			!s.keep_best && s.batch_size == 2048 && s.adam.lr == 0.001,
		"settings: the keys' defaults when nothing is set");
	config_free(&c);
}

int
main(void)
{
	/* config's model and method keys take the registries' names, lent from a
	 * constructor in their files; calling them here also links both in */
	tap_ok(!strcmp(config_key_choices(config_key_find("model")), model_names()) &&
			!strcmp(config_key_choices(config_key_find("method")), method_names()),
		"the model and method registries lent config their names");
	test_typing();
	test_hash();
	test_defaults();
	test_registries();
	test_listing_order();
	test_settings();
	return tap_done();
}
