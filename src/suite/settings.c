/* `settings:` and `sweep:` blocks of any suite level -> struct suite_level.
 * Every value is checked against its key's type and range where it appears. */
#include <stdlib.h>
#include <string.h>

#include "suite/parse.h"

/* Keys the matrix itself sets for every cell. */
static const char *const matrix_keys[] = {"dataset", "data", "model", "method", "seed"};

/* The key's entry in lv, emptied for reuse, or a new one, set to the kind
 * sweep (0 a setting, 1 a sweep, SUITE_SEARCH) at vn; NULL when out of
 * memory (the caller refuses the suite). */
static struct suite_setting *
slot(struct suite_level *lv, const char *key, const yaml_node_t *vn, int sweep)
{
	struct suite_setting *st = NULL;
	for (size_t i = 0; !st && i < lv->nset; i++)
		if (!strcmp(lv->set[i].key, key)) {
			st = &lv->set[i];
			for (size_t v = 0; v < st->nvals; v++)
				free(st->vals[v]);
			free(st->vals);
		}
	if (!st) {
		struct suite_setting *grown = realloc(lv->set, (lv->nset + 1) * sizeof *grown);
		if (!grown)
			return NULL;
		lv->set = grown;
		st = &lv->set[lv->nset];
		if (!(st->key = strdup(key)))
			return NULL;
		lv->nset++;
	}
	*st = (struct suite_setting){.key = st->key,
		.sweep = sweep,
		.line = vn->start_mark.line + 1,
		.col = vn->start_mark.column + 1};
	return st;
}

/* The key named by kn, or NULL with a problem (unknown, or set by the matrix). */
static const struct config_key *
known_key(struct suite_ctx *c, const yaml_node_t *kn)
{
	const char *k = suite_scalar(c, kn, "a setting name");
	if (!k)
		return NULL;
	for (size_t i = 0; i < sizeof matrix_keys / sizeof *matrix_keys; i++)
		if (!strcmp(k, matrix_keys[i])) {
			suite_problem(c, kn,
				"'%s' is chosen by the suite's datasets, models, methods "
				"and seeds lists, not by a setting",
				k);
			return NULL;
		}
	const struct config_key *key = config_key_find(k);
	if (!key) {
		config t;
		db_err e;
		config_init(&t);
		config_set(&t, k, "", &e); /* for its did-you-mean hint */
		config_free(&t);
		suite_problem(c, kn, "%s", e.msg);
	}
	return key;
}

/* 1 when v is one of the values already kept (numbers compared as numbers:
 * 0.1 and 0.10 train the same cell). */
static int
seen(const struct config_key *key, const struct suite_setting *st, const char *v)
{
	int numeric = key->type == CFG_INT || key->type == CFG_FLOAT;
	for (size_t i = 0; i < st->nvals; i++)
		if (numeric ? strtod(st->vals[i], NULL) == strtod(v, NULL)
			    : !strcmp(st->vals[i], v))
			return 1;
	return 0;
}

/* The values of one key: the scalar itself, or each item of a sweep's list. */
static void
values(struct suite_ctx *c, const struct config_key *key, const yaml_node_t *vn, int sweep,
	struct suite_setting *st)
{
	const yaml_node_item_t *first = sweep ? vn->data.sequence.items.start : NULL;
	size_t n = sweep ? suite_seq_len(vn) : 1;
	st->vals = calloc(n ? n : 1, sizeof *st->vals);
	for (size_t i = 0; st->vals && i < n; i++) {
		const yaml_node_t *in = sweep ? suite_node(c, first[i]) : vn;
		const char *v = suite_scalar(c, in, key->name);
		db_err e;
		if (v && config_check_value(key, v, &e) != DB_OK)
			suite_problem(c, in, "%s", e.msg);
		else if (v && seen(key, st, v))
			suite_problem(c, in, "sweep of %s lists %s twice; each value is one cell",
				key->name, v);
		else if (v && (st->vals[st->nvals] = strdup(v)))
			st->nvals++;
	}
}

/* 1 if lv already has key from the other kind of block. */
static int
both(const struct suite_level *lv, const char *key, int sweep)
{
	for (size_t i = 0; i < lv->nset; i++)
		if (!strcmp(lv->set[i].key, key))
			return lv->set[i].sweep != sweep;
	return 0;
}

/* One block's keys: each that known_key knows, with its node and value,
 * to one (sweep: the block's kind, for one that reads it). */
typedef void key_fn(struct suite_ctx *c, const struct config_key *key, const yaml_node_t *kn,
	const yaml_node_t *vn, int sweep, struct suite_level *lv);

static void
each_key(struct suite_ctx *c, const yaml_node_t *m, const char *what, int sweep,
	struct suite_level *lv, key_fn *one)
{
	if (!suite_is_map(c, m, what))
		return;
	for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top;
		p++) {
		const yaml_node_t *kn = suite_node(c, p->key), *vn = suite_node(c, p->value);
		const struct config_key *key = known_key(c, kn);
		if (key)
			one(c, key, kn, vn, sweep, lv);
	}
}

static void
setting(struct suite_ctx *c, const struct config_key *key, const yaml_node_t *kn,
	const yaml_node_t *vn, int sweep, struct suite_level *lv)
{
	if (sweep && vn->type != YAML_SEQUENCE_NODE)
		suite_problem(c, vn,
			"sweep of %s must be a list of values; write "
			"`%s: [a, b]`, or put a single value under settings:",
			key->name, key->name);
	else if (sweep && !suite_seq_len(vn))
		suite_problem(c, vn, "sweep of %s has no values", key->name);
	else if (both(lv, key->name, sweep))
		suite_problem(c, kn, "%s is both set and swept at this level; keep one", key->name);
	else {
		struct suite_setting *st = slot(lv, key->name, vn, sweep);
		if (st)
			values(c, key, vn, sweep, st);
	}
}

void
suite_parse_settings(struct suite_ctx *c, const yaml_node_t *m, int sweep, struct suite_level *lv)
{
	each_key(c, m, sweep ? "sweep" : "settings", sweep, lv, setting);
}

/* A searched range: {log: [lo, hi]} or {lin: [lo, hi]}, points: N for a
 * grid (default 3); both ends checked as values of the key, lo < hi, and a
 * log range positive. */
static void
search_range(struct suite_ctx *c, const struct config_key *key, const yaml_node_t *vn,
	struct suite_setting *st)
{
	st->points = 3;
	for (yaml_node_pair_t *p = vn->data.mapping.pairs.start; p < vn->data.mapping.pairs.top;
		p++) {
		yaml_node_t *kn = suite_node(c, p->key), *in = suite_node(c, p->value);
		const char *k = suite_scalar(c, kn, "a range field");
		if (k && !strcmp(k, "points")) {
			const char *v = suite_scalar(c, in, "points");
			char *end;
			unsigned long n = v ? strtoul(v, &end, 10) : 0;
			if (v && (*end || n < 2 || n > 1000))
				suite_problem(c, in,
					"points must be a whole number from 2 to 1000");
			st->points = n;
			continue;
		}
		if (!k || (strcmp(k, "log") && strcmp(k, "lin"))) {
			if (k)
				suite_problem(c, kn,
					"unknown range field '%s'; one of log, lin, points", k);
			continue;
		}
		if (st->scale != SUITE_LIST) { /* a second scale would redo the values */
			suite_problem(c, kn, "a range has one scale: log or lin, not both");
			continue;
		}
		st->scale = !strcmp(k, "log") ? SUITE_LOG : SUITE_LIN;
		if (in->type != YAML_SEQUENCE_NODE || suite_seq_len(in) != 2) {
			suite_problem(c, in, "a range is `%s: [LOW, HIGH]`", k);
			continue;
		}
		values(c, key, in, 1, st);
		if (st->nvals == 2) {
			st->lo = strtod(st->vals[0], NULL), st->hi = strtod(st->vals[1], NULL);
			if (!(st->lo < st->hi) || (st->scale == SUITE_LOG && st->lo <= 0))
				suite_problem(c, in, "range of %s: expected LOW < HIGH%s",
					key->name,
					st->scale == SUITE_LOG ? ", both > 0 on a log scale" : "");
		}
	}
	if (key->type == CFG_INT && st->scale == SUITE_LIN && st->nvals == 2 &&
		st->points > st->hi - st->lo + 1)
		suite_problem(c, vn,
			"range of %s: %zu points, but %s..%s holds only %.0f whole numbers",
			key->name, st->points, st->vals[0], st->vals[1], st->hi - st->lo + 1);
	if (st->scale == SUITE_LIST)
		suite_problem(c, vn, "range of %s has no scale; write `%s: {log: [a, b]}` or lin",
			key->name, key->name);
	else if (key->type != CFG_INT && key->type != CFG_FLOAT)
		suite_problem(c, vn, "%s is not a number; search it with a list of values",
			key->name);
}

/* A `search:` key: a list or a range; a key that changes no result has
 * identical trials and is refused. */
static void
search_key(struct suite_ctx *c, const struct config_key *key, const yaml_node_t *kn,
	const yaml_node_t *vn, int sweep, struct suite_level *lv)
{
	struct suite_setting *st = NULL;
	if (key->flags & CFG_NOHASH)
		suite_problem(c, kn,
			"%s does not change results; searching it gives identical trials",
			key->name);
	else if (!(st = slot(lv, key->name, vn, sweep)))
		return;
	else if (vn->type == YAML_MAPPING_NODE)
		search_range(c, key, vn, st);
	else if (vn->type == YAML_SEQUENCE_NODE && suite_seq_len(vn))
		values(c, key, vn, 1, st);
	else
		suite_problem(c, vn,
			"search of %s must be a list `[a, b]` or a range `{log: [a, b]}`",
			key->name);
}

void
suite_parse_search(struct suite_ctx *c, const yaml_node_t *m, struct suite_level *lv)
{
	each_key(c, m, "search", SUITE_SEARCH, lv, search_key);
}

int
suite_parse_level(struct suite_ctx *c, const char *k, const yaml_node_t *vn, int search,
	struct suite_level *lv)
{
	if (!strcmp(k, "settings") || !strcmp(k, "sweep"))
		suite_parse_settings(c, vn, !strcmp(k, "sweep"), lv);
	else if (search && !strcmp(k, "search"))
		suite_parse_search(c, vn, lv);
	else
		return 0;
	return 1;
}

/* An exclude rule's `values:`: each key's value or list of values. */
static void
value_key(struct suite_ctx *c, const struct config_key *key, const yaml_node_t *kn,
	const yaml_node_t *vn, int sweep, struct suite_level *lv)
{
	(void)kn;
	struct suite_setting *st = slot(lv, key->name, vn, sweep);
	if (st)
		values(c, key, vn, vn->type == YAML_SEQUENCE_NODE, st);
}

void
suite_parse_values(struct suite_ctx *c, const yaml_node_t *m, struct suite_level *lv)
{
	each_key(c, m, "values", 1, lv, value_key);
}

int
suite_value_in(const struct suite_setting *st, const char *v)
{
	const struct config_key *key = config_key_find(st->key);
	return key && seen(key, st, v);
}

void
suite_level_free(struct suite_level *lv)
{
	for (size_t i = 0; i < lv->nset; i++) {
		for (size_t v = 0; v < lv->set[i].nvals; v++)
			free(lv->set[i].vals[v]);
		free(lv->set[i].vals);
		free(lv->set[i].key);
	}
	free(lv->set);
	*lv = (struct suite_level){0};
}
