#include "config/config.h"
#include "util/hash.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
config_init(config *c)
{
	c->n = c->cap = 0;
	c->e = NULL;
}

void
config_free(config *c)
{
	for (int i = 0; i < c->n; i++) {
		free(c->e[i].key);
		free(c->e[i].val);
	}
	free(c->e);
	config_init(c);
}

/* key = val in c, replacing an entry for key, without checks: the value
 * is valid already (config_set checked it, or config_copy's source holds
 * it, an outside name included) */
static int
put(config *c, const char *key, const char *val, db_err *err)
{
	char *v = strdup(val);
	if (!v)
		return db_fail(err, DB_ENOMEM, "out of memory");
	for (int i = 0; i < c->n; i++)
		if (strcmp(c->e[i].key, key) == 0) {
			free(c->e[i].val);
			c->e[i].val = v;
			return DB_OK;
		}
	if (c->n == c->cap) {
		int cap = c->cap ? 2 * c->cap : 32;
		struct config_entry *e = realloc(c->e, (size_t)cap * sizeof *e);
		if (!e) {
			free(v);
			return db_fail(err, DB_ENOMEM, "out of memory");
		}
		c->e = e;
		c->cap = cap;
	}
	c->e[c->n].key = strdup(key);
	c->e[c->n].val = v;
	if (!c->e[c->n].key) {
		free(v);
		return db_fail(err, DB_ENOMEM, "out of memory");
	}
	c->n++;
	return DB_OK;
}

int
config_copy(config *dst, const config *src, db_err *err)
{
	config_init(dst);
	for (int i = 0; i < src->n; i++) {
		int rc = put(dst, src->e[i].key, src->e[i].val, err);
		if (rc)
			return rc;
	}
	return DB_OK;
}

enum { CONFIG_MAX_REGISTRIES = 4, CONFIG_MAX_KEYS = 256, CONFIG_MAX_TABLES = 64 };
static const struct config_registry *registries[CONFIG_MAX_REGISTRIES];
static int n_registries;

void
config_registry_add(const struct config_registry *r)
{
	if (n_registries == CONFIG_MAX_REGISTRIES) {
		fprintf(stderr, "config_registry_add(%s): more than %d registries\n", r->key,
			CONFIG_MAX_REGISTRIES);
		abort();
	}
	registries[n_registries++] = r;
}

/* The member at offset off of entry i, an object of type T. */
#define MEMBER(r, i, off, T) (*(T const *)((const char *)(r)->entry(i) + (off)))

const struct config_key *const *
config_registry_keys(const struct config_registry *r, size_t i)
{
	return MEMBER(r, i, r->keys, const struct config_key *const *);
}

const struct config_default *
config_registry_defaults(const struct config_registry *r, size_t i)
{
	return MEMBER(r, i, r->defaults, const struct config_default *);
}

const char *
config_registry_join(const struct config_registry *r, char *buf, size_t size)
{
	size_t n = 0;
	for (size_t i = 0; i < r->n; i++) {
		int w = snprintf(buf + n, size - n, "%s%s", i ? "|" : "",
			MEMBER(r, i, r->name, const char *));
		if (w < 0 || (size_t)w >= size - n) {
			fprintf(stderr, "%s_names: the registry's names exceed %zu bytes\n", r->key,
				size);
			abort();
		}
		n += (size_t)w;
	}
	return buf;
}

const struct config_registry *
config_registry_find(const char *key)
{
	for (int i = 0; i < n_registries; i++)
		if (!strcmp(registries[i]->key, key))
			return registries[i];
	return NULL;
}

/* Every declared key, in the listing order; built at the first lookup, once
 * every registry has lent its tables (constructors run before main). */
static const struct config_key *keys[CONFIG_MAX_KEYS];
static int n_keys = -1;

/* The listing position: the core keys before the tail in their order, then
 * the tail's, then the keys listed nowhere (a new method's) by name. */
static void
key_rank(const struct config_key *k, int *group, int *pos)
{
	for (int i = 0; config_key_tail[i]; i++)
		if (!strcmp(config_key_tail[i], k->name)) {
			*group = 1;
			*pos = i;
			return;
		}
	for (int i = 0; config_core_keys[i].name; i++)
		if (&config_core_keys[i] == k) {
			*group = 0;
			*pos = i;
			return;
		}
	*group = 2;
	*pos = 0;
}

static int
key_order(const void *a, const void *b)
{
	const struct config_key *const *x = a, *const *y = b;
	int gx, px, gy, py;
	key_rank(*x, &gx, &px);
	key_rank(*y, &gy, &py);
	if (gx != gy || px != py)
		return gx != gy ? gx - gy : px - py;
	return strcmp((*x)->name, (*y)->name);
}

/* Adds the table's keys; a key declared twice is a programming error. */
static void
index_table(const struct config_key *t)
{
	for (; t->name; t++) {
		for (int i = 0; i < n_keys; i++)
			if (!strcmp(keys[i]->name, t->name)) {
				fprintf(stderr, "config: setting '%s' is declared twice\n",
					t->name);
				abort();
			}
		if (n_keys == CONFIG_MAX_KEYS) {
			fprintf(stderr, "config: more than %d settings\n", CONFIG_MAX_KEYS);
			abort();
		}
		keys[n_keys++] = t;
	}
}

/* The distinct tables that the registries' entries name, in their order. */
static int
registry_tables(const struct config_key **out)
{
	int n = 0;
	for (int r = 0; r < n_registries; r++) {
		const struct config_key *const *t;
		for (size_t e = 0; e < registries[r]->n; e++)
			for (t = config_registry_keys(registries[r], e); t && *t; t++) {
				int seen = 0;
				for (int i = 0; i < n && !seen; i++)
					seen = out[i] == *t;
				if (!seen && n == CONFIG_MAX_TABLES) {
					fprintf(stderr, "config: more than %d key tables\n",
						CONFIG_MAX_TABLES);
					abort();
				}
				if (!seen)
					out[n++] = *t;
			}
	}
	return n;
}

static void
build_index(void)
{
	const struct config_key *tables[CONFIG_MAX_TABLES];
	int nt = registry_tables(tables);
	n_keys = 0;
	index_table(config_core_keys);
	for (int i = 0; i < nt; i++)
		index_table(tables[i]);
	qsort(keys, (size_t)n_keys, sizeof keys[0], key_order);
}

int
config_nkeys(void)
{
	if (n_keys < 0)
		build_index();
	return n_keys;
}

const struct config_key *
config_key_at(int i)
{
	return i >= 0 && i < config_nkeys() ? keys[i] : NULL;
}

const struct config_key *
config_key_find(const char *name)
{
	for (int i = 0; i < config_nkeys(); i++)
		if (strcmp(keys[i]->name, name) == 0)
			return keys[i];
	return NULL;
}

/* The registry behind a CFG_REGISTRY key; a program that links none for
 * it is a programming error (aborts), never a silently unchecked key. */
static const struct config_registry *
registry_of(const struct config_key *k)
{
	const struct config_registry *r = config_registry_find(k->name);
	if (r)
		return r;
	fprintf(stderr, "config: no registry for setting '%s' (its registry is not linked)\n",
		k->name);
	abort();
}

/* The loop of the RecSys'25 re-evaluation (EvalDenoisingRec): code/DeCA/ (DeCA's
 * reference, edited) trains DeCA and DeCA(p); code/main.py (ADT's T_CE/main.py,
 * edited) trains every other method. */
static enum config_protocol
recsys25_loop(const char *method)
{
	return !strcmp(method, "deca") || !strcmp(method, "deca-p") ? PROTOCOL_DECA : PROTOCOL_ADT;
}

enum config_protocol
config_protocol(const config *c)
{
	const char *p = config_get(c, "protocol");
	if (!strcmp(p, "recsys25")) /* README "Protocols": the study runs DeCA's code for */
		return recsys25_loop(config_key_canonical(config_key_find("method"),
			config_get(c, "method"))); /* deca, ADT's for the others */
	return strcmp(p, "adt") == 0 ? PROTOCOL_ADT : PROTOCOL_DECA;
}

const char *
config_key_choices(const struct config_key *k)
{
	if (k->flags & CFG_REGISTRY)
		return registry_of(k)->names();
	return k->choices ? k->choices : "";
}

const char *
config_key_canonical(const struct config_key *k, const char *val)
{
	const struct config_registry *r = k->flags & CFG_REGISTRY ? registry_of(k) : NULL;
	const char *name = r && r->canonical ? r->canonical(val) : NULL;
	return name ? name : val;
}

/* Levenshtein distance of a and b; SIZE_MAX past 62 characters. */
static size_t
edit_distance(const char *a, size_t n, const char *b)
{
	size_t m = strlen(b), prev[64], cur[64];
	if (n >= 63 || m >= 63)
		return (size_t)-1;
	for (size_t j = 0; j <= m; j++)
		prev[j] = j;
	for (size_t i = 1; i <= n; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= m; j++) {
			size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
			size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
			cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
		}
		memcpy(prev, cur, (m + 1) * sizeof prev[0]);
	}
	return prev[m];
}

/* The declared key closest to `name` (edit distance), for "did you mean". */
static const char *
closest_key(const char *name)
{
	const char *best = NULL;
	size_t bestd = (size_t)-1;
	for (int k = 0; k < config_nkeys(); k++) {
		size_t d = edit_distance(name, strlen(name), keys[k]->name);
		if (d < bestd) {
			bestd = d;
			best = keys[k]->name;
		}
	}
	return bestd <= 3 ? best : NULL;
}

/* The choice of "a|b|c" closest to val into out ("" when none is within 2
 * edits), for "did you mean". */
static void
closest_choice(const char *choices, const char *val, char *out, size_t size)
{
	size_t bestd = 3;
	out[0] = 0;
	for (const char *c = choices; *c;) {
		size_t len = strcspn(c, "|");
		char cand[64];
		snprintf(cand, sizeof cand, "%.*s", (int)len, c);
		size_t d = edit_distance(val, strlen(val), cand);
		if (d < bestd) {
			bestd = d;
			snprintf(out, size, "%s", cand);
		}
		c += len + (c[len] == '|');
	}
}

static int
parse_long(const char *s, long *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end)
		return -1;
	*out = v;
	return 0;
}

static int
parse_double(const char *s, double *out)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (errno || end == s || *end)
		return -1;
	*out = v;
	return 0;
}

static int
parse_bool(const char *s, int *out)
{
	if (!strcmp(s, "true") || !strcmp(s, "1") || !strcmp(s, "yes")) {
		*out = 1;
		return 0;
	}
	if (!strcmp(s, "false") || !strcmp(s, "0") || !strcmp(s, "no")) {
		*out = 0;
		return 0;
	}
	return -1;
}

static int
choice_ok(const char *choices, const char *v)
{
	size_t n = strlen(v);
	for (const char *p = choices; *p;) {
		const char *bar = strchr(p, '|');
		size_t len = bar ? (size_t)(bar - p) : strlen(p);
		if (len == n && strncmp(p, v, n) == 0)
			return 1;
		p += len + (bar != NULL);
	}
	return 0;
}

/* The values of an intlist text into v[0..*n): positive ints (no silent
 * wrap: 4294967299 is not 3). */
static int
parse_intlist(const struct config_key *k, const char *val, long *v, int *n, db_err *err)
{
	*n = 0;
	for (const char *p = val; *p;) {
		char *end;
		errno = 0;
		long x = strtol(p, &end, 10);
		if (end == p || x <= 0 || (*end && *end != ',') || (*end == ',' && !end[1]))
			return db_fail(err, DB_EINVAL,
				"%s: '%.60s%s' is not a comma-separated list "
				"of positive integers",
				k->name, val, strlen(val) > 60 ? "..." : "");
		if (errno == ERANGE || x > INT_MAX)
			return db_fail(err, DB_EINVAL, "%s: %.*s is too large (at most %d)",
				k->name, (int)(end - p), p, INT_MAX);
		v[(*n)++] = x;
		p = *end ? end + 1 : end;
	}
	return DB_OK;
}

static int
long_cmp(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;
	return (x > y) - (x < y);
}

/* Positive ints, each once, at most CONFIG_INTLIST_MAX of them (refused,
 * never cut).  Texts are quoted up to 60 bytes: a long list would fill the
 * message. */
static int
check_intlist(const struct config_key *k, const char *val, db_err *err)
{
	size_t n = 1;
	for (const char *p = val; *p; p++)
		n += *p == ',';
	if (n > CONFIG_INTLIST_MAX)
		return db_fail(err, DB_EINVAL, "%s: %zu values in '%.60s...', at most %d", k->name,
			n, val, CONFIG_INTLIST_MAX);
	long *v = malloc(n * sizeof *v);
	if (!v)
		return db_fail(err, DB_ENOMEM, "out of memory");
	int got, rc = parse_intlist(k, val, v, &got, err);
	if (!rc && !got)
		rc = db_fail(err, DB_EINVAL, "%s: empty list; give at least one value", k->name);
	if (!rc)
		qsort(v, (size_t)got, sizeof *v, long_cmp);
	for (int i = 1; !rc && i < got; i++)
		if (v[i] == v[i - 1])
			rc = db_fail(err, DB_EINVAL, "%s: %ld is listed twice in '%.60s%s'",
				k->name, v[i], val, strlen(val) > 60 ? "..." : "");
	free(v);
	return rc;
}

static int
check_type(const struct config_key *k, const char *val, db_err *err)
{
	long l;
	double d;
	int b;
	switch (k->type) {
	case CFG_INT:
		if (parse_long(val, &l))
			return db_fail(err, DB_EINVAL, "%s: '%s' is not an integer", k->name, val);
		return DB_OK;
	case CFG_FLOAT:
		if (parse_double(val, &d))
			return db_fail(err, DB_EINVAL, "%s: '%s' is not a number", k->name, val);
		return DB_OK;
	case CFG_BOOL:
		if (parse_bool(val, &b))
			return db_fail(err, DB_EINVAL, "%s: '%s' is not a boolean (true or false)",
				k->name, val);
		return DB_OK;
	case CFG_CHOICE:
		if (!choice_ok(config_key_choices(k), config_key_canonical(k, val))) {
			char hint[64];
			closest_choice(config_key_choices(k), val, hint, sizeof hint);
			return db_fail(err, DB_EINVAL, "%s: '%s' is not one of %s%s%s%s", k->name,
				val, config_key_choices(k), *hint ? "; did you mean '" : "", hint,
				*hint ? "'?" : "");
		}
		return DB_OK;
	case CFG_INTLIST:
		return check_intlist(k, val, err);
	case CFG_STRING:
		return DB_OK;
	}
	return DB_OK;
}

int
config_check_value(const struct config_key *k, const char *val, db_err *err)
{
	int rc = check_type(k, val, err);
	if (rc || (k->type != CFG_INT && k->type != CFG_FLOAT))
		return rc;
	double v = strtod(val, NULL);
	if (k->range && !(v >= k->range->lo && v <= k->range->hi))
		return db_fail(err, DB_EINVAL, "%s: %s is out of range [%g, %g]", k->name, val,
			k->range->lo, k->range->hi);
	return DB_OK;
}

int
config_set(config *c, const char *key, const char *val, db_err *err)
{
	const struct config_key *k = config_key_find(key);
	if (!k) {
		const char *hint = closest_key(key);
		return db_fail(err, DB_EINVAL,
			"unknown setting '%s'%s%s%s (see `denoisebench keys`)", key,
			hint ? "; did you mean '" : "", hint ? hint : "", hint ? "'?" : "");
	}
	val = config_key_canonical(k, val);
	int rc = config_check_value(k, val, err);
	if (rc)
		return rc;
	return put(c, key, val, err);
}

int
config_set_outside_name(config *c, const char *key, const char *name, db_err *err)
{
	const struct config_key *k = config_key_find(key);
	if (!k || k->type != CFG_CHOICE || !(k->flags & CFG_REGISTRY))
		return db_fail(err, DB_EINVAL, "%s: not a registry setting", key);
	size_t n = strlen(name);
	if (n == 0 || n > 31 ||
		strspn(name,
			"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			"0123456789._-") != n ||
		name[0] == '.' || name[0] == '-')
		return db_fail(err, DB_EINVAL,
			"%s '%s': expected 1 to 31 of A-Z a-z 0-9 . _ - (not starting with . or -)",
			key, name);
	if (choice_ok(config_key_choices(k), config_key_canonical(k, name)))
		return db_fail(err, DB_EINVAL,
			"%s '%s' is built in; name the outside %s differently (e.g. %s-ext)", key,
			name, key, name);
	/* an entry for key (with a valid value) first, then the name in its place */
	int rc = config_set(c, key, k->def, err);
	for (int i = 0; !rc && i < c->n; i++)
		if (!strcmp(c->e[i].key, key)) {
			char *v = strdup(name);
			if (!v)
				return db_fail(err, DB_ENOMEM, "out of memory");
			free(c->e[i].val);
			c->e[i].val = v;
		}
	return rc;
}

int
config_set_kv(config *c, const char *kv, db_err *err)
{
	const char *eq = strchr(kv, '=');
	if (!eq || eq == kv)
		return db_fail(err, DB_EINVAL, "'%s': expected key=value", kv);
	char key[128];
	size_t n = (size_t)(eq - kv);
	if (n >= sizeof key)
		return db_fail(err, DB_EINVAL, "'%s': key too long", kv);
	memcpy(key, kv, n);
	key[n] = 0;
	return config_set(c, key, eq + 1, err);
}

const char *
config_lookup(const config *c, const char *key)
{
	for (int i = 0; i < c->n; i++)
		if (strcmp(c->e[i].key, key) == 0)
			return c->e[i].val;
	return NULL;
}

const char *
config_get(const config *c, const char *key)
{
	const char *v = config_lookup(c, key);
	if (v)
		return v;
	const struct config_key *k = config_key_find(key);
	if (!k) {
		fprintf(stderr, "denoisebench: internal error: undeclared setting '%s'\n", key);
		abort();
	}
	return k->def;
}

long
config_int(const config *c, const char *key)
{
	return strtol(config_get(c, key), NULL, 10);
}

double
config_double(const config *c, const char *key)
{
	return strtod(config_get(c, key), NULL);
}

int
config_bool(const config *c, const char *key)
{
	int b = 0;
	parse_bool(config_get(c, key), &b);
	return b;
}

int
config_intlist(const config *c, const char *key, int **out, db_err *err)
{
	const char *val = config_get(c, key);
	size_t cap = 1;
	for (const char *p = val; *p; p++)
		cap += *p == ',';
	if (!(*out = db_calloc(cap, sizeof **out, err)))
		return -1;
	int n = 0;
	for (const char *p = val; *p;) {
		char *end;
		(*out)[n++] = (int)strtol(p, &end, 10);
		p = *end ? end + 1 : end;
	}
	return n;
}

static int
key_cmp(const void *a, const void *b)
{
	const struct config_key *const *x = a, *const *y = b;
	return strcmp((*x)->name, (*y)->name);
}

/* Whether key k enters the hash of c. */
static int
key_hashed(const config *c, const struct config_key *k)
{
	if (k->flags & CFG_NOHASH)
		return 0;
	if (!(k->flags & CFG_HASH_SET))
		return 1;
	if (k->type == CFG_BOOL) /* "yes" is the default "true" */
		return config_bool(c, k->name) != !strcmp(k->def, "true");
	return strcmp(config_get(c, k->name), k->def) != 0;
}

/* Canonical text of the resolved config; `hashed_only` keeps the keys that
 * enter the hash. */
static char *
canonical(const config *c, int hashed_only)
{
	const struct config_key *sorted[CONFIG_MAX_KEYS];
	int n = 0;
	for (int i = 0; i < config_nkeys(); i++)
		if ((!(keys[i]->flags & CFG_IFSET) || config_lookup(c, keys[i]->name)) &&
			(!hashed_only || key_hashed(c, keys[i])))
			sorted[n++] = keys[i];
	qsort(sorted, (size_t)n, sizeof sorted[0], key_cmp);
	size_t len = 1;
	for (int i = 0; i < n; i++)
		len += strlen(sorted[i]->name) + strlen(config_get(c, sorted[i]->name)) + 2;
	char *s = malloc(len), *p = s;
	if (!s)
		return NULL;
	for (int i = 0; i < n; i++)
		p += sprintf(p, "%s\t%s\n", sorted[i]->name, config_get(c, sorted[i]->name));
	*p = 0;
	return s;
}

char *
config_canonical(const config *c)
{
	return canonical(c, 0);
}

int
config_same_except(const config *a, const config *b, const char *key)
{
	config x;
	db_err e;
	int same = !config_copy(&x, b, &e) && !put(&x, key, config_get(a, key), &e);
	char *p = same ? config_canonical(a) : NULL, *q = same ? config_canonical(&x) : NULL;
	same = p && q && !strcmp(p, q);
	free(p);
	free(q);
	config_free(&x);
	return same;
}

uint64_t
config_hash(const config *c)
{
	char *s = canonical(c, 1);
	uint64_t h = s ? hash_str(HASH_FNV_INIT, s) : 0;
	free(s);
	return h;
}
