/* One configuration mechanism for everything.
 *
 * A config maps declared keys to string values.  Every key is declared once,
 * with its type, default, range and meaning: the keys every run has in
 * config/keys.c, a method's or a model's own keys in its file (a table its
 * ops name, lent to config by the registry at start-up), so the CLI (--set),
 * suite files and result files speak the same keys, an unknown or mistyped
 * key is refused with a hint, and the identity hash covers every value that
 * can change a number.  Where a key is declared changes neither the hash nor
 * any listing: both follow one canonical order.
 *
 * Resolution order (later wins): key defaults -> protocol defaults ->
 * the papers' per-(dataset, model, method) rows -> explicit settings.
 */
#ifndef DB_CONFIG_H
#define DB_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "util/status.h"

enum config_type { CFG_INT, CFG_FLOAT, CFG_BOOL, CFG_STRING, CFG_CHOICE, CFG_INTLIST };

/* The most values a CFG_INTLIST key takes (ks: eval's EVAL_MAX_K); more are
 * refused, never cut.  Not a format limit but a bound on memory: the
 * evaluation keeps users x 4 metrics x K-count doubles per split. */
#define CONFIG_INTLIST_MAX 4096

/* flags */
#define CFG_NOHASH 1 /* recorded, but does not change results (paths, display) */
/* written and hashed only when set: keys that only some runs have (an
 * import's provenance), so every other cell keeps its identity */
#define CFG_IFSET 2
/* hashed only when set to another value than the default: a key added
 * later keeps the identity (result names) of every earlier cell */
#define CFG_HASH_SET 4
/* a CFG_CHOICE whose values are a registry's names (model, method): the
 * registry lives above config (models/, methods/) and lends its names
 * through config_registry_add, so config never calls up a layer */
#define CFG_REGISTRY 8

/* The inclusive range of a number; values outside cannot describe a run. */
struct config_range {
	double lo, hi;
};
#define CFG_RANGE(lo, hi) (&(const struct config_range){(lo), (hi)})

struct config_key {
	const char *name;
	enum config_type type;
	const char *def;     /* default value as text */
	const char *choices; /* CFG_CHOICE: "a|b|c" */
	int flags;
	const char *doc;
	const struct config_range *range; /* CFG_INT, CFG_FLOAT: CFG_RANGE(lo, hi); NULL: any */
};

/* A table of keys ends with a row whose name is NULL; a method or model
 * names the tables it reads as CONFIG_TABLES(t1, t2, ...). */
#define CONFIG_TABLES(...) ((const struct config_key *const[]){__VA_ARGS__, NULL})

/* A default of the authors' code: key = val for the cells of that protocol,
 * dataset, model and method (NULL matches any).  Tables end with key NULL. */
struct config_default {
	const char *protocol, *dataset, *model, *method;
	const char *key, *val;
};

struct config_entry {
	char *key;
	char *val;
};

typedef struct config {
	int n, cap;
	struct config_entry *e;
} config;

/* The keys every run has (config/keys.c), in their listing order. */
extern const struct config_key config_core_keys[];
/* Where the keys now declared by methods and models were listed among
 * these before they moved (config/keys.c), so that no listing moves. */
extern const char *const config_key_tail[];

/* What a registry lends the key named key: its names "a|b|c", the
 * canonical spelling of a name or alias (NULL when unknown; the member
 * NULL: a registry without aliases), its n entries (entry(i), i < n: an
 * ops struct whose members at the offsets name, keys and defaults are its
 * name, its key tables and its default rows; NULL: none; a table that
 * several entries name is declared once, CONFIG_REGISTRY_MEMBERS gives the
 * offsets), and another entry whose default rows a cell's entry takes too
 * (finetune: its extra_base's; the member NULL: none). */
struct config_registry {
	const char *key;
	const char *(*names)(void);
	const char *(*canonical)(const char *name);
	size_t n;
	const void *(*entry)(size_t i);
	size_t name, keys, defaults;
	const char *(*defaults_also)(const config *ex);
};
#define CONFIG_REGISTRY_MEMBERS(ops)                                                               \
	CONFIG_MEMBER_OF(ops, name, const char *),                                                 \
		CONFIG_MEMBER_OF(ops, keys, const struct config_key *const *),                     \
		CONFIG_MEMBER_OF(ops, defaults, const struct config_default *)
/* offsetof(ops, m), refused at compile time unless m has type T: the
 * registry reads the member through that type (config.c MEMBER). */
#define CONFIG_MEMBER_OF(ops, m, T)                                                                \
	(offsetof(ops, m) + 0 * sizeof(struct {                                                    \
		_Static_assert(_Generic(((ops *)0)->m, T: 1, default: 0), #ops "." #m " is not " #T); \
		int unused;                                                                        \
	}))
/* Entry i's key tables (NULL-ended) and default rows. */
const struct config_key *const *config_registry_keys(const struct config_registry *r, size_t i);
const struct config_default *config_registry_defaults(const struct config_registry *r, size_t i);
/* The entries' names joined by '|' into buf (the registry's names); aborts
 * when they do not fit, as a registry too long for its buffer is a bug. */
const char *config_registry_join(const struct config_registry *r, char *buf, size_t size);
/* Called by each registry at start-up (a constructor in its file); a
 * CFG_REGISTRY key whose registry never called it aborts at first use. */
void config_registry_add(const struct config_registry *r);
/* The registry lending the key named key, or NULL. */
const struct config_registry *config_registry_find(const char *key);

/* Every declared key in the canonical listing order (`denoisebench keys`,
 * `check --resolved`): config_key_at(0 .. config_nkeys() - 1). */
int config_nkeys(void);
const struct config_key *config_key_at(int i);

void config_init(config *c);
void config_free(config *c);
/* dst = a copy of src's entries as they are (outside names included). */
int config_copy(config *dst, const config *src, db_err *err);

const struct config_key *config_key_find(const char *name);
/* "a|b|c": the allowed values of a CFG_CHOICE key. */
const char *config_key_choices(const struct config_key *k);
/* The spelling a value is stored and hashed under: a registry's canonical
 * name for an alias (method dpi -> deca), else val itself (config/keys.c). */
const char *config_key_canonical(const struct config_key *k, const char *val);
/* Checks that value parses as the key's type; returns DB_EINVAL with a hint. */
int config_check_value(const struct config_key *k, const char *val, db_err *err);
/* Sets key (validated) to val, replacing an earlier value. */
int config_set(config *c, const char *key, const char *val, db_err *err);
/* Sets a registry key (model, method) to a name outside its registry: the
 * outside method of an imported run.  Refuses registry names (an import
 * must never pass for a built-in run) and names other than [A-Za-z0-9._-]. */
int config_set_outside_name(config *c, const char *key, const char *name, db_err *err);
/* Parses "key=value". */
int config_set_kv(config *c, const char *kv, db_err *err);
/* Explicitly set value, or NULL. */
const char *config_lookup(const config *c, const char *key);
/* Value or the key's default.  The key must be declared (programming error
 * otherwise: aborts with a message). */
const char *config_get(const config *c, const char *key);
long config_int(const config *c, const char *key);
double config_double(const config *c, const char *key);
int config_bool(const config *c, const char *key);
/* The protocol key, typed once: the rules that depend on it compare this
 * enum instead of the string.  It names the loop (batches, loss, output):
 * recsys25 is DECA for methods deca and deca-p and ADT for the others, its
 * own cadence and selection being settings (src/config/defaults.c). */
enum config_protocol { PROTOCOL_DECA, PROTOCOL_ADT };
enum config_protocol config_protocol(const config *c);
/* The values of an int list "3,5,10,20" (config_set checked it) in *out,
 * allocated (the caller frees); returns their count, or -1 (DB_ENOMEM in
 * err, *out NULL). */
int config_intlist(const config *c, const char *key, int **out, db_err *err);

/* "key\tvalue\n" for every declared key, sorted, resolved; caller frees. */
char *config_canonical(const config *c);
/* 1 when a and b hold the same value for every declared key but key (their
 * canonical texts with b's key set to a's are equal); 0 otherwise, and on
 * running out of memory. */
int config_same_except(const config *a, const config *b, const char *key);
/* FNV-1a over the canonical text of all hashed keys. */
uint64_t config_hash(const config *c);

/* Fills a resolved config: defaults, protocol and paper defaults, then
 * `explicit` on top.  `explicit` must name model and method at least when
 * the defaults are wanted for them. */
int config_resolve(config *out, const config *explicit_, db_err *err);
/* Where key's resolved value comes from: "explicit" (set in explicit_: the
 * command line or a suite), "paper config" (the per-(dataset, model, method)
 * table), "dataset fact", "protocol", "data directory" (the dataset name) or
 * "default" (the key's own). */
const char *config_origin(const config *explicit_, const char *key);

#endif
