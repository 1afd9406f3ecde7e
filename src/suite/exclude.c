/* `exclude:` rules: parts of the matrix that are not run, so that one grid
 * can hold, say, the training-free baselines with Normal only:
 *
 *   exclude:
 *     - {model: [mostpop, ease], method: [t-ce, deca]}
 *     - {method: normal, values: {drop_rate: [0.1, 0.3]}}
 *
 * dataset, model and method take a name or a list of names of the suite's
 * lists; `values` a mapping KEY: V or KEY: [V, ...].  A cell is excluded
 * when it matches every field a rule gives. */
#include <stdlib.h>
#include <string.h>

#include "methods/method.h"
#include "suite/parse.h"

int
suite_same_name(const char *what, const char *a, const char *b)
{
	if (!strcmp(what, "method") && method_canonical(a) && method_canonical(b))
		return !strcmp(method_canonical(a), method_canonical(b));
	return !strcmp(a, b);
}

/* 1 when name is in the suite's list of `what`. */
static int
listed(const struct suite *s, const char *what, const char *name)
{
	size_t n = !strcmp(what, "dataset") ? s->ndata
		: !strcmp(what, "model")    ? s->nmodels
					    : s->nmethods;
	for (size_t i = 0; i < n; i++) {
		const char *have = !strcmp(what, "dataset") ? s->data[i].name
			: !strcmp(what, "model")            ? s->models[i].name
							    : s->methods[i].name;
		if (have && suite_same_name(what, have, name))
			return 1;
	}
	return 0;
}

/* A name or a list of names, each in the suite's list of `what`. */
static void
names(struct suite_ctx *c, const yaml_node_t *vn, const char *what, char ***out, size_t *n)
{
	int seq = vn->type == YAML_SEQUENCE_NODE;
	size_t count = seq ? suite_seq_len(vn) : 1;
	char **grown = realloc(*out, (*n + count + 1) * sizeof *grown);
	if (!grown)
		return;
	*out = grown;
	for (size_t i = 0; i < count; i++) {
		const yaml_node_t *in = seq ? suite_node(c, vn->data.sequence.items.start[i]) : vn;
		const char *v = suite_scalar(c, in, what);
		if (v && !listed(c->s, what, v))
			suite_problem(c, in, "exclude: %s '%s' is not in the suite's %ss", what, v,
				what);
		else if (v && ((*out)[*n] = strdup(v)))
			(*n)++;
	}
}

static void
one_exclude(struct suite_ctx *c, const yaml_node_t *m, struct suite_exclude *x)
{
	x->line = m->start_mark.line + 1;
	x->col = m->start_mark.column + 1;
	if (!suite_is_map(c, m, "an exclude rule"))
		return;
	size_t fields = 0;
	for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top;
		p++) {
		yaml_node_t *kn = suite_node(c, p->key), *vn = suite_node(c, p->value);
		const char *k = suite_scalar(c, kn, "an exclude field");
		fields += k != NULL;
		if (k && !strcmp(k, "dataset"))
			names(c, vn, k, &x->datasets, &x->ndatasets);
		else if (k && !strcmp(k, "model"))
			names(c, vn, k, &x->models, &x->nmodels);
		else if (k && !strcmp(k, "method"))
			names(c, vn, k, &x->methods, &x->nmethods);
		else if (k && !strcmp(k, "values"))
			suite_parse_values(c, vn, &x->values);
		else if (k)
			suite_problem(c, kn,
				"unknown exclude field '%s'; one of dataset, model, method, "
				"values",
				k);
	}
	if (!fields)
		suite_problem(c, m, "an empty exclude rule would exclude every cell");
}

void
suite_parse_excludes(struct suite_ctx *c, const yaml_node_t *n)
{
	if (!suite_is_seq(c, n, "exclude") || c->s->excludes)
		return;
	c->s->excludes = calloc(suite_seq_len(n) + 1, sizeof *c->s->excludes);
	for (size_t i = 0; c->s->excludes && i < suite_seq_len(n); i++)
		one_exclude(c, suite_node(c, n->data.sequence.items.start[i]),
			&c->s->excludes[c->s->nexcludes++]);
}

static void
names_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void
suite_excludes_free(struct suite *s)
{
	for (size_t i = 0; i < s->nexcludes; i++) {
		struct suite_exclude *x = &s->excludes[i];
		names_free(x->datasets, x->ndatasets);
		names_free(x->models, x->nmodels);
		names_free(x->methods, x->nmethods);
		suite_level_free(&x->values);
	}
	free(s->excludes);
	s->excludes = NULL;
	s->nexcludes = 0;
}

/* An empty list matches any name. */
static int
in(const char *what, char *const *list, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (suite_same_name(what, list[i], name))
			return 1;
	return n == 0;
}

int
suite_exclude_matches(const struct suite *s, const struct suite_exclude *x, size_t d, size_t m,
	size_t t)
{
	return in("dataset", x->datasets, x->ndatasets, s->data[d].name) &&
		in("model", x->models, x->nmodels, s->models[m].name) &&
		in("method", x->methods, x->nmethods, s->methods[t].name);
}

int
suite_excluded(const struct suite *s, size_t d, size_t m, size_t t)
{
	for (size_t i = 0; i < s->nexcludes; i++)
		if (!s->excludes[i].values.nset &&
			suite_exclude_matches(s, &s->excludes[i], d, m, t))
			return 1;
	return 0;
}

int
suite_cell_excluded(const struct suite *s, size_t d, size_t m, size_t t, const config *cfg)
{
	for (size_t i = 0; i < s->nexcludes; i++) {
		const struct suite_exclude *x = &s->excludes[i];
		int all = suite_exclude_matches(s, x, d, m, t);
		for (size_t k = 0; all && k < x->values.nset; k++)
			all = suite_value_in(&x->values.set[k],
				config_get(cfg, x->values.set[k].key));
		if (all)
			return 1;
	}
	return 0;
}
