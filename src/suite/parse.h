/* Internal to src/suite: the libyaml document walk shared by the parsers of
 * the suite's parts.  Each helper reports what is wrong at the node's own
 * line and column and returns NULL or 0, so parsing goes on and every problem
 * of a file is found in one pass. */
#ifndef DB_SUITE_PARSE_H
#define DB_SUITE_PARSE_H

#include <yaml.h>

#include "suite/suite.h"

struct suite_ctx {
	struct suite *s;
	const char *file;
	yaml_document_t *doc;
	int labels; /* suite_load_labels: dataset paths kept as written, not looked at */
};

void suite_problem(struct suite_ctx *c, const yaml_node_t *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The same at a 1-based line and column (a setting's own position). */
void suite_problem_at(struct suite_ctx *c, size_t line, size_t col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
yaml_node_t *suite_node(struct suite_ctx *c, int id);
/* The node's text, or NULL (with a problem naming `what`) when not a scalar. */
const char *suite_scalar(struct suite_ctx *c, const yaml_node_t *n, const char *what);
int suite_is_seq(struct suite_ctx *c, const yaml_node_t *n, const char *what);
int suite_is_map(struct suite_ctx *c, const yaml_node_t *n, const char *what);
size_t suite_seq_len(const yaml_node_t *n);

/* The matrix lists (matrix.c).  Entries of models and methods are names or
 * mappings {name, settings, sweep}; rules (`cells:`) are checked against the
 * lists, so they are parsed after them. */
void suite_parse_datasets(struct suite_ctx *c, const yaml_node_t *n);
void suite_parse_entries(struct suite_ctx *c, const yaml_node_t *n, const char *what,
	struct suite_entry **out, size_t *count);
void suite_parse_seeds(struct suite_ctx *c, const yaml_node_t *n);
void suite_parse_rules(struct suite_ctx *c, const yaml_node_t *n);
void suite_entries_free(struct suite_entry *e, size_t n);

/* The `exclude:` list (exclude.c), parsed after the matrix lists it names;
 * suite_excluded: whether a rule without values drops every cell of
 * (d, m, t); suite_cell_excluded: whether a rule drops this cell. */
void suite_parse_excludes(struct suite_ctx *c, const yaml_node_t *n);
void suite_excludes_free(struct suite *s);
int suite_excluded(const struct suite *s, size_t d, size_t m, size_t t);
/* Whether rule x's names match (d, m, t), whatever its values. */
int suite_exclude_matches(const struct suite *s, const struct suite_exclude *x, size_t d, size_t m,
	size_t t);
int suite_cell_excluded(const struct suite *s, size_t d, size_t m, size_t t, const config *cfg);

/* The winning setting of every key for one (dataset, model, method), later
 * levels winning (expand.c); free set. */
struct suite_merged {
	const struct suite_setting **set;
	size_t n;
};
int suite_merge(const struct suite *s, size_t d, size_t m, size_t t, struct suite_merged *out);

/* What run would refuse, checked on the parsed suite (validate.c): a
 * training-free model with a gradient method, a method-specific key on a
 * method that ignores it, more cells than max_cells (counted, not expanded). */
void suite_validate(struct suite_ctx *c);

/* 1 when the names a name is compared under are equal (a method alias is
 * its canonical name). */
int suite_same_name(const char *what, const char *a, const char *b);

/* A `settings:` (one value per key) or `sweep:` (a list per key) mapping,
 * appended to lv; a key given again replaces the earlier entry. */
void suite_parse_settings(struct suite_ctx *c, const yaml_node_t *m, int sweep,
	struct suite_level *lv);
/* Field k of a level (a dataset, a model or method entry, a cells rule)
 * when it is one of the level's blocks, settings, sweep and (with search)
 * search, parsed into lv; 0 for any other field. */
int suite_parse_level(struct suite_ctx *c, const char *k, const yaml_node_t *vn, int search,
	struct suite_level *lv);
void suite_level_free(struct suite_level *lv);
/* An exclude rule's `values:` mapping, KEY: V or KEY: [V, ...], each value
 * checked; suite_value_in: whether v is one of st's values (numbers compared
 * as numbers). */
void suite_parse_values(struct suite_ctx *c, const yaml_node_t *m, struct suite_level *lv);
int suite_value_in(const struct suite_setting *st, const char *v);

/* Tuning (search.c): a level's `search:` block (KEY: [values] or
 * KEY: {log|lin: [lo, hi], points: N}) appended to lv as SUITE_SEARCH
 * settings; the suite's own `search:` options; the check that every
 * searched group has a budget and no sweep. */
void suite_parse_search(struct suite_ctx *c, const yaml_node_t *m, struct suite_level *lv);
void suite_parse_search_opts(struct suite_ctx *c, const yaml_node_t *m);
void suite_search_check(struct suite_ctx *c);
/* suite_merge less the SUITE_SEARCH settings (the ordinary cells'). */
int suite_merge_plain(const struct suite *s, size_t d, size_t m, size_t t,
	struct suite_merged *out);
int suite_has_search(const struct suite_merged *mg);

/* The `reference:` block: a mapping {paper, table, rows} or a list of them. */
void suite_parse_reference(struct suite_ctx *c, const yaml_node_t *n);
void suite_reference_free(struct suite *s);

#endif
