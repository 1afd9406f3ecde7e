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
};

void suite_problem(struct suite_ctx *c, const yaml_node_t *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
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

/* A `settings:` (one value per key) or `sweep:` (a list per key) mapping,
 * appended to lv; a key given again replaces the earlier entry. */
void suite_parse_settings(struct suite_ctx *c, const yaml_node_t *m, int sweep,
	struct suite_level *lv);
void suite_level_free(struct suite_level *lv);

/* The `reference:` block: a mapping {paper, table, rows} or a list of them. */
void suite_parse_reference(struct suite_ctx *c, const yaml_node_t *n);
void suite_reference_free(struct suite *s);

#endif
