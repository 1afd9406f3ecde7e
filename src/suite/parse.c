/* Suite files: libyaml document tree -> struct suite, validated; the helpers
 * of the walk and the top level (the matrix lists are in matrix.c).
 *
 * libyaml returns 1 on success and 0 on failure; that convention stays inside
 * src/suite.  Every value is checked where it appears so that each message
 * carries its own line and column (libyaml marks are 0-based).
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "suite/parse.h"
#include "util/fileio.h"

__attribute__((format(printf, 4, 0))) static void
problem(struct suite_ctx *c, size_t lineno, size_t col, const char *fmt, va_list ap)
{
	char msg[768];
	vsnprintf(msg, sizeof msg, fmt, ap);
	size_t len = strlen(c->file) + strlen(msg) + 48;
	char *line = malloc(len);
	char **grown = realloc(c->s->problems, (c->s->nproblems + 1) * sizeof *grown);
	if (!line || !grown) {
		free(line);
		if (grown)
			c->s->problems = grown;
		return; /* out of memory: the suite still counts as invalid below */
	}
	snprintf(line, len, "%s:%zu:%zu: %s", c->file, lineno, col, msg);
	c->s->problems = grown;
	c->s->problems[c->s->nproblems++] = line;
}

void
suite_problem(struct suite_ctx *c, const yaml_node_t *n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	problem(c, n->start_mark.line + 1, n->start_mark.column + 1, fmt, ap);
	va_end(ap);
}

void
suite_problem_at(struct suite_ctx *c, size_t line, size_t col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	problem(c, line, col, fmt, ap);
	va_end(ap);
}

const char *
suite_scalar(struct suite_ctx *c, const yaml_node_t *n, const char *what)
{
	if (n && n->type == YAML_SCALAR_NODE)
		return (const char *)n->data.scalar.value;
	if (n)
		suite_problem(c, n, "%s must be a single value; write `%s: VALUE`", what, what);
	return NULL;
}

yaml_node_t *
suite_node(struct suite_ctx *c, int id)
{
	return yaml_document_get_node(c->doc, id);
}

int
suite_is_seq(struct suite_ctx *c, const yaml_node_t *n, const char *what)
{
	if (n->type == YAML_SEQUENCE_NODE)
		return 1;
	suite_problem(c, n, "%s must be a list; write `%s: [a, b]`", what, what);
	return 0;
}

int
suite_is_map(struct suite_ctx *c, const yaml_node_t *n, const char *what)
{
	if (n->type == YAML_MAPPING_NODE)
		return 1;
	suite_problem(c, n, "%s must be a mapping of key: value", what);
	return 0;
}

size_t
suite_seq_len(const yaml_node_t *n)
{
	return (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
}

static void
top_field(struct suite_ctx *c, const char *k, const yaml_node_t *kn, const yaml_node_t *vn)
{
	if (suite_parse_level(c, k, vn, 0, &c->s->lv))
		return; /* settings, sweep; the top level's search: holds the options */
	if (!strcmp(k, "name")) {
		const char *v = suite_scalar(c, vn, "name"),
			   *bad = v ? fileio_name_problem(v) : NULL;
		if (bad)
			suite_problem(c, vn,
				"suite name '%s' %s; it names the results directory "
				"results/NAME, so write one file name",
				v, bad);
		else if (v && !c->s->name)
			c->s->name = strdup(v);
	} else if (!strcmp(k, "max_cells")) {
		const char *v = suite_scalar(c, vn, "max_cells");
		char *end;
		unsigned long long n = v ? strtoull(v, &end, 10) : 0;
		if (v && (*v < '1' || *v > '9' || *end || n > SIZE_MAX))
			suite_problem(c, vn, "max_cells must be a whole number from 1, not '%s'",
				v);
		else if (v)
			c->s->max_cells = (size_t)n;
	} else if (!strcmp(k, "datasets")) {
		suite_parse_datasets(c, vn);
	} else if (!strcmp(k, "models")) {
		suite_parse_entries(c, vn, "model", &c->s->models, &c->s->nmodels);
	} else if (!strcmp(k, "methods")) {
		suite_parse_entries(c, vn, "method", &c->s->methods, &c->s->nmethods);
	} else if (!strcmp(k, "seeds")) {
		suite_parse_seeds(c, vn);
	} else if (!strcmp(k, "reference")) {
		suite_parse_reference(c, vn);
	} else if (!strcmp(k, "search")) {
		suite_parse_search_opts(c, vn);
	} else {
		suite_problem(c, kn,
			"unknown suite field '%s'; one of name, datasets, models, "
			"methods, seeds, settings, sweep, search, cells, exclude, max_cells, "
			"reference",
			k);
	}
}

static void
top_level(struct suite_ctx *c, const yaml_node_t *root)
{
	if (!root || !suite_is_map(c, root, "a suite")) {
		if (!root)
			suite_problem(c, &(yaml_node_t){0}, "empty suite file");
		return;
	}
	/* parsed last: their rules name the lists' entries */
	const yaml_node_t *cells = NULL, *exclude = NULL;
	for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top;
		p++) {
		yaml_node_t *kn = suite_node(c, p->key), *vn = suite_node(c, p->value);
		const char *k = suite_scalar(c, kn, "a suite field");
		if (k && !strcmp(k, "cells"))
			cells = vn;
		else if (k && !strcmp(k, "exclude"))
			exclude = vn;
		else if (k)
			top_field(c, k, kn, vn);
	}
	if (cells)
		suite_parse_rules(c, cells);
	if (exclude)
		suite_parse_excludes(c, exclude);
	static const char *const required[] = {"name", "datasets", "models", "methods", "seeds"};
	size_t have[] = {c->s->name != NULL, c->s->ndata, c->s->nmodels, c->s->nmethods,
		c->s->nseeds};
	for (size_t i = 0; i < 5; i++)
		if (!have[i] && !c->s->nproblems)
			suite_problem(c, root, "suite has no %s; add `%s:`", required[i],
				required[i]);
	if (!c->s->nproblems)
		suite_search_check(c);
	if (!c->s->nproblems)
		suite_validate(c); /* on a sound suite only: no echo of the problems above */
}

static int
load(struct suite *s, const char *path, int labels, db_err *err)
{
	*s = (struct suite){0};
	FILE *f = fileio_open_regular(path, err);
	if (!f)
		return DB_EIO;
	yaml_parser_t parser;
	yaml_document_t doc;
	if (!yaml_parser_initialize(&parser)) {
		fclose(f);
		return db_fail(err, DB_ENOMEM, "%s: cannot start the YAML parser", path);
	}
	yaml_parser_set_input_file(&parser, f);
	struct suite_ctx c = {.s = s, .file = path, .doc = &doc, .labels = labels};
	if (!yaml_parser_load(&parser, &doc)) {
		yaml_node_t at = {.start_mark = parser.problem_mark};
		suite_problem(&c, &at, "YAML syntax: %s%s%s",
			parser.problem ? parser.problem : "error", parser.context ? " " : "",
			parser.context ? parser.context : "");
	} else {
		top_level(&c, yaml_document_get_root_node(&doc));
		yaml_document_delete(&doc);
	}
	yaml_parser_delete(&parser);
	fclose(f);
	return s->nproblems ? db_fail(err, DB_EPARSE, "%s: %zu problem(s)", path, s->nproblems)
			    : DB_OK;
}

int
suite_load(struct suite *s, const char *path, db_err *err)
{
	return load(s, path, 0, err);
}

int
suite_load_labels(struct suite *s, const char *path, db_err *err)
{
	return load(s, path, 1, err);
}

void
suite_free(struct suite *s)
{
	for (size_t i = 0; i < s->ndata; i++) {
		free(s->data[i].name);
		free(s->data[i].path);
		suite_level_free(&s->data[i].lv);
	}
	free(s->data);
	free(s->name);
	suite_entries_free(s->models, s->nmodels);
	suite_entries_free(s->methods, s->nmethods);
	for (size_t i = 0; i < s->nrules; i++) {
		free(s->rules[i].dataset), free(s->rules[i].model), free(s->rules[i].method);
		suite_level_free(&s->rules[i].lv);
	}
	free(s->rules);
	suite_excludes_free(s);
	free(s->seeds);
	suite_level_free(&s->lv);
	suite_reference_free(s);
	free(s->search.target);
	for (size_t i = 0; i < s->nproblems; i++)
		free(s->problems[i]);
	free(s->problems);
	*s = (struct suite){0};
}
