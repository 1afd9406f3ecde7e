/* The matrix lists of a suite: datasets, models, methods, seeds, and the
 * `cells:` rules that address parts of the matrix. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "methods/method.h"
#include "models/model.h"
#include "suite/parse.h"
#include "util/fileio.h"

/* "${VAR}" replaced by the environment; NULL (with a problem) when unset. */
static char *
expand_vars(struct suite_ctx *c, const yaml_node_t *n, const char *in)
{
	size_t cap = strlen(in) + 1, len = 0;
	char *out = malloc(cap);
	for (const char *p = in; out && *p;) {
		const char *add = p, *end;
		size_t addlen = 1;
		if (p[0] == '$' && p[1] == '{' && (end = strchr(p, '}'))) {
			char var[256];
			snprintf(var, sizeof var, "%.*s", (int)(end - p - 2), p + 2);
			add = getenv(var);
			if (!add) {
				suite_problem(c, n,
					"environment variable %s is not set; export it or "
					"write the path in full",
					var);
				free(out);
				return NULL;
			}
			addlen = strlen(add);
			p = end + 1;
		} else {
			p++;
		}
		char *grown =
			len + addlen + 1 > cap ? realloc(out, cap = 2 * (len + addlen + 1)) : out;
		if (!grown) {
			free(out);
			return NULL;
		}
		out = grown;
		memcpy(out + len, add, addlen);
		len += addlen;
	}
	if (out)
		out[len] = '\0';
	return out;
}

/* The dataset's directory must exist unless it is optional (then skipped). */
static void
dataset_dir(struct suite_ctx *c, const yaml_node_t *pathn, struct suite_dataset *d)
{
	struct stat st;
	if (!d->path || (!stat(d->path, &st) && S_ISDIR(st.st_mode)))
		return;
	if (d->optional)
		d->missing = 1;
	else
		suite_problem(c, pathn,
			"data directory '%s' not found; fix the path or mark the "
			"dataset `optional: true`",
			d->path);
}

static void
one_dataset(struct suite_ctx *c, const yaml_node_t *m, struct suite_dataset *d)
{
	if (!suite_is_map(c, m, "a dataset"))
		return;
	const yaml_node_t *pathn = NULL;
	for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top;
		p++) {
		yaml_node_t *kn = suite_node(c, p->key), *vn = suite_node(c, p->value);
		const char *k = suite_scalar(c, kn, "a dataset field"), *v;
		if (!k)
			continue;
		if (suite_parse_level(c, k, vn, 0, &d->lv) || !(v = suite_scalar(c, vn, k))) {
			continue;
		} else if (!strcmp(k, "name")) {
			const char *bad = fileio_name_problem(v);
			if (bad)
				suite_problem(c, vn,
					"dataset name '%s' %s; it names the result "
					"directory DIR/NAME and the files NAME.train.rating, ...",
					v, bad);
			free(d->name);
			d->name = strdup(bad ? "" : v);
		} else if (!strcmp(k, "path")) {
			free(d->path);
			d->path = c->labels ? strdup(v) : expand_vars(c, vn, v);
			pathn = vn;
		} else if (!strcmp(k, "optional")) {
			if (strcmp(v, "true") && strcmp(v, "false"))
				suite_problem(c, vn, "optional must be true or false, not '%s'", v);
			d->optional = !strcmp(v, "true");
		} else {
			suite_problem(c, kn,
				"unknown dataset field '%s'; one of name, path, optional, "
				"settings, sweep",
				k);
		}
	}
	if (!d->name)
		suite_problem(c, m, "dataset without a name; add `name: NAME`");
	if (!c->labels)
		dataset_dir(c, pathn, d);
}

void
suite_parse_datasets(struct suite_ctx *c, const yaml_node_t *n)
{
	if (!suite_is_seq(c, n, "datasets") || c->s->data)
		return;
	c->s->data = calloc(suite_seq_len(n) + 1, sizeof *c->s->data);
	for (size_t i = 0; c->s->data && i < suite_seq_len(n); i++) {
		const yaml_node_t *in = suite_node(c, n->data.sequence.items.start[i]);
		struct suite_dataset *d = &c->s->data[c->s->ndata++];
		one_dataset(c, in, d);
		for (size_t j = 0; d->name && *d->name && j + 1 < c->s->ndata; j++)
			if (c->s->data[j].name && !strcmp(c->s->data[j].name, d->name))
				suite_problem(c, in, "dataset '%s' is listed twice", d->name);
	}
}

static int
known(const char *what, const char *name)
{
	return !strcmp(what, "model") ? model_find(name) != NULL : method_find(name) != NULL;
}

/* An entry's name, from a plain name or from the mapping's `name:`; its
 * settings and sweeps go to e. */
static const yaml_node_t *
entry(struct suite_ctx *c, const yaml_node_t *n, const char *what, struct suite_entry *e)
{
	if (n->type != YAML_MAPPING_NODE)
		return n;
	const yaml_node_t *name = NULL;
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top;
		p++) {
		yaml_node_t *kn = suite_node(c, p->key), *vn = suite_node(c, p->value);
		const char *k = suite_scalar(c, kn, "a field");
		if (k && !strcmp(k, "name"))
			name = vn;
		else if (k && !suite_parse_level(c, k, vn, 1, &e->lv))
			suite_problem(c, kn,
				"unknown %s field '%s'; one of name, settings, sweep, search", what,
				k);
	}
	if (!name)
		suite_problem(c, n, "%s without a name; add `name: NAME`", what);
	return name;
}

void
suite_parse_entries(struct suite_ctx *c, const yaml_node_t *n, const char *what,
	struct suite_entry **out, size_t *count)
{
	if (!suite_is_seq(c, n, what) || *out)
		return;
	*out = calloc(suite_seq_len(n) + 1, sizeof **out);
	const char *choices = config_key_choices(config_key_find(what));
	for (size_t i = 0; *out && i < suite_seq_len(n); i++) {
		struct suite_entry *e = &(*out)[*count];
		const yaml_node_t *nn =
			entry(c, suite_node(c, n->data.sequence.items.start[i]), what, e);
		const char *v = nn ? suite_scalar(c, nn, what) : NULL;
		if (v && !known(what, v))
			suite_problem(c, nn, "unknown %s '%s'; one of %s", what, v, choices);
		for (size_t j = 0; v && j < *count; j++)
			if (!strcmp((*out)[j].name, v))
				suite_problem(c, nn, "%s '%s' is listed twice", what, v);
		e->name = strdup(v ? v : "");
		e->line = nn ? nn->start_mark.line + 1 : 0;
		e->col = nn ? nn->start_mark.column + 1 : 0;
		(*count)++;
	}
}

void
suite_entries_free(struct suite_entry *e, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(e[i].name);
		suite_level_free(&e[i].lv);
	}
	free(e);
}

void
suite_parse_seeds(struct suite_ctx *c, const yaml_node_t *n)
{
	if (!suite_is_seq(c, n, "seeds") || c->s->seeds)
		return;
	c->s->seeds = calloc(suite_seq_len(n) + 1, sizeof *c->s->seeds);
	const struct config_key *k = config_key_find("seed");
	for (size_t i = 0; c->s->seeds && i < suite_seq_len(n); i++) {
		yaml_node_t *in = suite_node(c, n->data.sequence.items.start[i]);
		const char *v = suite_scalar(c, in, "a seed");
		db_err e;
		long seed = v ? strtol(v, NULL, 10) : 0;
		size_t j = 0;
		while (v && j < c->s->nseeds && c->s->seeds[j] != seed)
			j++;
		if (v && config_check_value(k, v, &e) != DB_OK)
			suite_problem(c, in, "%s", e.msg);
		else if (v && j < c->s->nseeds)
			suite_problem(c, in,
				"seed %ld is listed twice; its two cells would write one "
				"result file",
				seed);
		else if (v)
			c->s->seeds[c->s->nseeds++] = seed;
	}
}

/* A rule's dataset, model or method must name an entry of the suite's list. */
static char *
listed(struct suite_ctx *c, const yaml_node_t *vn, const char *what,
	int (*has)(const struct suite *, const char *))
{
	const char *v = suite_scalar(c, vn, what);
	if (v && !has(c->s, v))
		suite_problem(c, vn, "cells: %s '%s' is not in the suite's %ss", what, v, what);
	return v ? strdup(v) : NULL;
}

static int
has_dataset(const struct suite *s, const char *v)
{
	for (size_t i = 0; i < s->ndata; i++)
		if (s->data[i].name && !strcmp(s->data[i].name, v))
			return 1;
	return 0;
}

static int
has_entry(const struct suite_entry *e, size_t n, const char *v)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(e[i].name, v))
			return 1;
	return 0;
}

static int
has_model(const struct suite *s, const char *v)
{
	return has_entry(s->models, s->nmodels, v);
}
static int
has_method(const struct suite *s, const char *v)
{
	return has_entry(s->methods, s->nmethods, v);
}

static void
one_rule(struct suite_ctx *c, const yaml_node_t *m, struct suite_rule *r)
{
	if (!suite_is_map(c, m, "a cells rule"))
		return;
	for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top;
		p++) {
		yaml_node_t *kn = suite_node(c, p->key), *vn = suite_node(c, p->value);
		const char *k = suite_scalar(c, kn, "a cells field");
		char **slot = !k                ? NULL
			: !strcmp(k, "dataset") ? &r->dataset
			: !strcmp(k, "model")   ? &r->model
			: !strcmp(k, "method")  ? &r->method
						: NULL;
		if (slot) {
			free(*slot);
			*slot = listed(c, vn, k,
				slot == &r->dataset         ? has_dataset
					: slot == &r->model ? has_model
							    : has_method);
		} else if (k && !suite_parse_level(c, k, vn, 1, &r->lv)) {
			suite_problem(c, kn,
				"unknown cells field '%s'; one of dataset, model, method, "
				"settings, sweep, search",
				k);
		}
	}
	if (!r->lv.nset)
		suite_problem(c, m, "a cells rule without settings or sweep changes nothing");
}

void
suite_parse_rules(struct suite_ctx *c, const yaml_node_t *n)
{
	if (!suite_is_seq(c, n, "cells"))
		return;
	c->s->rules = calloc(suite_seq_len(n) + 1, sizeof *c->s->rules);
	for (size_t i = 0; c->s->rules && i < suite_seq_len(n); i++)
		one_rule(c, suite_node(c, n->data.sequence.items.start[i]),
			&c->s->rules[c->s->nrules++]);
}
