/* Suite files: libyaml document tree -> struct suite, validated.
 *
 * libyaml returns 1 on success and 0 on failure; that convention stays inside
 * this file.  Every value is checked where it appears so that each message
 * carries its own line and column (libyaml marks are 0-based).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <yaml.h>

#include "methods/method.h"
#include "models/model.h"
#include "suite/suite.h"

struct ctx {
	struct suite *s;
	const char *file;
	yaml_document_t *doc;
};

__attribute__((format(printf, 3, 4)))
static void problem(struct ctx *c, const yaml_node_t *n, const char *fmt, ...)
{
	char msg[768];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	size_t len = strlen(c->file) + strlen(msg) + 48;
	char *line = malloc(len);
	char **grown = realloc(c->s->problems, (c->s->nproblems + 1) * sizeof *grown);
	if (!line || !grown) {
		free(line);
		if (grown)
			c->s->problems = grown;
		return; /* out of memory: the suite still counts as invalid below */
	}
	snprintf(line, len, "%s:%zu:%zu: %s", c->file, n->start_mark.line + 1,
		n->start_mark.column + 1, msg);
	c->s->problems = grown;
	c->s->problems[c->s->nproblems++] = line;
}

static const char *scalar(struct ctx *c, const yaml_node_t *n, const char *what)
{
	if (n && n->type == YAML_SCALAR_NODE)
		return (const char *)n->data.scalar.value;
	if (n)
		problem(c, n, "%s must be a single value; write `%s: VALUE`", what, what);
	return NULL;
}

static yaml_node_t *node(struct ctx *c, int id)
{
	return yaml_document_get_node(c->doc, id);
}

static int is_seq(struct ctx *c, const yaml_node_t *n, const char *what)
{
	if (n->type == YAML_SEQUENCE_NODE)
		return 1;
	problem(c, n, "%s must be a list; write `%s: [a, b]`", what, what);
	return 0;
}

static int is_map(struct ctx *c, const yaml_node_t *n, const char *what)
{
	if (n->type == YAML_MAPPING_NODE)
		return 1;
	problem(c, n, "%s must be a mapping of key: value", what);
	return 0;
}

/* "${VAR}" replaced by the environment; NULL (with a problem) when unset. */
static char *expand_vars(struct ctx *c, const yaml_node_t *n, const char *in)
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
				problem(c, n, "environment variable %s is not set; export it or "
					"write the path in full", var);
				free(out);
				return NULL;
			}
			addlen = strlen(add);
			p = end + 1;
		} else {
			p++;
		}
		char *grown = len + addlen + 1 > cap ? realloc(out, cap = 2 * (len + addlen + 1)) : out;
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

static void settings(struct ctx *c, const yaml_node_t *m, struct suite_setting **set, size_t *nset)
{
	if (!is_map(c, m, "settings"))
		return;
	size_t n = (size_t)(m->data.mapping.pairs.top - m->data.mapping.pairs.start);
	*set = calloc(n ? n : 1, sizeof **set);
	if (!*set)
		return;
	for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
		yaml_node_t *kn = node(c, p->key), *vn = node(c, p->value);
		const char *k = scalar(c, kn, "a setting name"), *v = scalar(c, vn, k ? k : "a setting");
		if (!k || !v)
			continue;
		const struct config_key *key = config_key_find(k);
		db_err e;
		if (!key) {
			config t;
			config_init(&t);
			config_set(&t, k, v, &e); /* for its did-you-mean hint */
			config_free(&t);
			problem(c, kn, "%s", e.msg);
			continue;
		}
		if (config_check_value(key, v, &e) != DB_OK) {
			problem(c, vn, "%s", e.msg);
			continue;
		}
		struct suite_setting *st = &(*set)[(*nset)++];
		st->key = strdup(k);
		st->val = strdup(v);
		st->line = vn->start_mark.line + 1;
		st->col = vn->start_mark.column + 1;
	}
}

static char **names(struct ctx *c, const yaml_node_t *n, const char *what, size_t *count,
	int (*known)(const char *), const char *choices)
{
	*count = 0;
	if (!is_seq(c, n, what))
		return NULL;
	size_t cap = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	char **out = calloc(cap ? cap : 1, sizeof *out);
	for (yaml_node_item_t *i = n->data.sequence.items.start; out && i < n->data.sequence.items.top; i++) {
		yaml_node_t *in = node(c, *i);
		const char *v = scalar(c, in, what);
		if (v && !known(v))
			problem(c, in, "unknown %s '%s'; one of %s", what, v, choices);
		else if (v)
			out[(*count)++] = strdup(v);
	}
	return out;
}

static int model_known(const char *n) { return model_find(n) != NULL; }
static int method_known(const char *n) { return method_find(n) != NULL; }

static void seeds(struct ctx *c, const yaml_node_t *n)
{
	if (!is_seq(c, n, "seeds"))
		return;
	size_t cap = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	c->s->seeds = calloc(cap ? cap : 1, sizeof *c->s->seeds);
	const struct config_key *k = config_key_find("seed");
	for (yaml_node_item_t *i = n->data.sequence.items.start; c->s->seeds && i < n->data.sequence.items.top; i++) {
		yaml_node_t *in = node(c, *i);
		const char *v = scalar(c, in, "a seed");
		db_err e;
		if (v && config_check_value(k, v, &e) != DB_OK)
			problem(c, in, "%s", e.msg);
		else if (v)
			c->s->seeds[c->s->nseeds++] = strtol(v, NULL, 10);
	}
}

static void one_dataset(struct ctx *c, const yaml_node_t *m, struct suite_dataset *d)
{
	if (!is_map(c, m, "a dataset"))
		return;
	const yaml_node_t *pathn = NULL;
	for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
		yaml_node_t *kn = node(c, p->key), *vn = node(c, p->value);
		const char *k = scalar(c, kn, "a dataset field"), *v;
		if (!k)
			continue;
		if (!strcmp(k, "settings")) {
			settings(c, vn, &d->set, &d->nset);
		} else if (!(v = scalar(c, vn, k))) {
			continue;
		} else if (!strcmp(k, "name")) {
			free(d->name);
			d->name = strdup(v);
		} else if (!strcmp(k, "path")) {
			free(d->path);
			d->path = expand_vars(c, vn, v);
			pathn = vn;
		} else if (!strcmp(k, "optional")) {
			if (strcmp(v, "true") && strcmp(v, "false"))
				problem(c, vn, "optional must be true or false, not '%s'", v);
			d->optional = !strcmp(v, "true");
		} else {
			problem(c, kn, "unknown dataset field '%s'; one of name, path, optional, settings", k);
		}
	}
	if (!d->name)
		problem(c, m, "dataset without a name; add `name: NAME`");
	struct stat st;
	if (d->path && (stat(d->path, &st) || !S_ISDIR(st.st_mode))) {
		if (d->optional)
			d->missing = 1;
		else
			problem(c, pathn, "data directory '%s' not found; fix the path or mark the "
				"dataset `optional: true`", d->path);
	}
}

static void datasets(struct ctx *c, const yaml_node_t *n)
{
	if (!is_seq(c, n, "datasets"))
		return;
	size_t cap = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	c->s->data = calloc(cap ? cap : 1, sizeof *c->s->data);
	for (yaml_node_item_t *i = n->data.sequence.items.start; c->s->data && i < n->data.sequence.items.top; i++)
		one_dataset(c, node(c, *i), &c->s->data[c->s->ndata++]);
}

static void top_level(struct ctx *c, const yaml_node_t *root)
{
	if (!root || !is_map(c, root, "a suite")) {
		if (!root)
			problem(c, &(yaml_node_t){0}, "empty suite file");
		return;
	}
	for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top; p++) {
		yaml_node_t *kn = node(c, p->key), *vn = node(c, p->value);
		const char *k = scalar(c, kn, "a suite field");
		if (!k)
			continue;
		if (!strcmp(k, "name")) {
			const char *v = scalar(c, vn, "name");
			if (v && (!*v || strchr(v, '/')))
				problem(c, vn, "suite name '%s' must be non-empty and without '/'", v);
			else if (v)
				c->s->name = strdup(v);
		} else if (!strcmp(k, "datasets")) {
			datasets(c, vn);
		} else if (!strcmp(k, "models")) {
			c->s->models = names(c, vn, "model", &c->s->nmodels, model_known,
				config_key_choices(config_key_find("model")));
		} else if (!strcmp(k, "methods")) {
			c->s->methods = names(c, vn, "method", &c->s->nmethods, method_known,
				config_key_choices(config_key_find("method")));
		} else if (!strcmp(k, "seeds")) {
			seeds(c, vn);
		} else if (!strcmp(k, "settings")) {
			settings(c, vn, &c->s->set, &c->s->nset);
		} else {
			problem(c, kn, "unknown suite field '%s'; one of name, datasets, models, "
				"methods, seeds, settings", k);
		}
	}
	static const char *const required[] = {"name", "datasets", "models", "methods", "seeds"};
	size_t have[] = {c->s->name != NULL, c->s->ndata, c->s->nmodels, c->s->nmethods, c->s->nseeds};
	for (size_t i = 0; i < 5; i++)
		if (!have[i] && !c->s->nproblems)
			problem(c, root, "suite has no %s; add `%s:`", required[i], required[i]);
}

int suite_load(struct suite *s, const char *path, db_err *err)
{
	*s = (struct suite){0};
	FILE *f = fopen(path, "rb");
	if (!f)
		return db_fail(err, DB_EIO, "%s: cannot open the suite file", path);
	yaml_parser_t parser;
	yaml_document_t doc;
	if (!yaml_parser_initialize(&parser)) {
		fclose(f);
		return db_fail(err, DB_ENOMEM, "%s: cannot start the YAML parser", path);
	}
	yaml_parser_set_input_file(&parser, f);
	struct ctx c = {.s = s, .file = path, .doc = &doc};
	if (!yaml_parser_load(&parser, &doc)) {
		yaml_node_t at = {.start_mark = parser.problem_mark};
		problem(&c, &at, "YAML syntax: %s%s%s", parser.problem ? parser.problem : "error",
			parser.context ? " " : "", parser.context ? parser.context : "");
	} else {
		top_level(&c, yaml_document_get_root_node(&doc));
		yaml_document_delete(&doc);
	}
	yaml_parser_delete(&parser);
	fclose(f);
	return s->nproblems ? db_fail(err, DB_EPARSE, "%s: %zu problem(s)", path, s->nproblems) : DB_OK;
}

static void settings_free(struct suite_setting *set, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(set[i].key);
		free(set[i].val);
	}
	free(set);
}

static void strings_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void suite_free(struct suite *s)
{
	for (size_t i = 0; i < s->ndata; i++) {
		free(s->data[i].name);
		free(s->data[i].path);
		settings_free(s->data[i].set, s->data[i].nset);
	}
	free(s->data);
	free(s->name);
	strings_free(s->models, s->nmodels);
	strings_free(s->methods, s->nmethods);
	free(s->seeds);
	settings_free(s->set, s->nset);
	strings_free(s->problems, s->nproblems);
	*s = (struct suite){0};
}
