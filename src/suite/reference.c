/* The `reference:` block: published numbers, copied from the papers as data,
 * that the report sets beside the suite's results.
 *
 *   reference:                 # a mapping, or a list of them (several tables)
 *     paper: deca-www22
 *     table: Table 2
 *     rows:                    # dataset, model, method, metric, k, mean[, sd]
 *       - [ml-100k, gmf, normal, recall, 3, 0.021, 0.001]
 *
 * Model and method names are not checked against the registry: a paper's
 * table names methods this tool may not have yet. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "suite/parse.h"

static const char *const metrics[] = {"recall", "ndcg", "precision", "mrr"};

static int
number(const char *v, double *out)
{
	char *end;
	errno = 0;
	*out = strtod(v, &end);
	return *v && !*end && !errno && isfinite(*out);
}

static int
metric_known(const char *m)
{
	for (size_t i = 0; i < sizeof metrics / sizeof *metrics; i++)
		if (!strcmp(m, metrics[i]))
			return 1;
	return 0;
}

static int
duplicate(const struct suite *s, const struct suite_reference_row *r)
{
	const struct suite_reference_row *o =
		suite_reference_find(s, r->dataset, r->model, r->method, r->metric, r->k);
	return o && !strcmp(o->paper, r->paper) && !strcmp(o->table, r->table);
}

/* Checks the metric and the numbers of one row into r; 0 (with problems) when wrong. */
static int
numbers(struct suite_ctx *c, const yaml_node_t *const f[7], size_t nf, const char *const v[7],
	struct suite_reference_row *r)
{
	double k;
	int ok = 1;
	if (!metric_known(v[3]))
		ok = 0,
		suite_problem(c, f[3],
			"unknown metric '%s'; one of recall, ndcg, "
			"precision, mrr",
			v[3]);
	if (!number(v[4], &k) || k < 1 || k > 100000 || k != floor(k))
		ok = 0, suite_problem(c, f[4], "K '%s' must be a whole number from 1", v[4]);
	if (!number(v[5], &r->mean))
		ok = 0, suite_problem(c, f[5], "mean '%s' is not a number", v[5]);
	r->has_sd = nf == 7 && strcmp(v[6], "null") && strcmp(v[6], "~") && *v[6];
	if (r->has_sd && (!number(v[6], &r->sd) || r->sd < 0))
		ok = 0,
		suite_problem(c, f[6],
			"sd '%s' must be a number >= 0, or null when the "
			"paper gives none",
			v[6]);
	r->k = ok ? (int)k : 0;
	return ok;
}

static void
row(struct suite_ctx *c, const yaml_node_t *n, const char *paper, const char *table)
{
	if (!suite_is_seq(c, n, "a reference row"))
		return;
	size_t nf = suite_seq_len(n);
	if (nf != 6 && nf != 7) {
		suite_problem(c, n,
			"a reference row has %zu fields; write [dataset, model, "
			"method, metric, k, mean, sd] (sd may be null or left out)",
			nf);
		return;
	}
	const yaml_node_t *f[7];
	const char *v[7];
	for (size_t i = 0; i < nf; i++)
		if (!(v[i] = suite_scalar(c, f[i] = suite_node(c, n->data.sequence.items.start[i]),
			      "a reference field")))
			return;
	struct suite_reference_row r = {0};
	if (!numbers(c, f, nf, v, &r))
		return;
	struct suite_reference_row *grown = realloc(c->s->refs, (c->s->nrefs + 1) * sizeof *grown);
	if (!grown)
		return;
	c->s->refs = grown;
	r.paper = strdup(paper), r.table = strdup(table), r.dataset = strdup(v[0]);
	r.model = strdup(v[1]), r.method = strdup(v[2]), r.metric = strdup(v[3]);
	if (duplicate(c->s, &r))
		suite_problem(c, n, "duplicate reference row for %s %s %s %s@%d", v[0], v[1], v[2],
			v[3], r.k);
	c->s->refs[c->s->nrefs++] = r;
}

/* paper, table and rows of one block; rows need the other two first. */
static void
block(struct suite_ctx *c, const yaml_node_t *m)
{
	if (!suite_is_map(c, m, "a reference block"))
		return;
	const char *paper = NULL, *table = NULL;
	const yaml_node_t *rows = NULL;
	for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top;
		p++) {
		yaml_node_t *kn = suite_node(c, p->key), *vn = suite_node(c, p->value);
		const char *k = suite_scalar(c, kn, "a reference field");
		if (!k)
			continue;
		if (!strcmp(k, "paper"))
			paper = suite_scalar(c, vn, "paper");
		else if (!strcmp(k, "table"))
			table = suite_scalar(c, vn, "table");
		else if (!strcmp(k, "rows"))
			rows = vn;
		else
			suite_problem(c, kn,
				"unknown reference field '%s'; one of paper, table, rows", k);
	}
	if (!paper || !table || !rows) {
		suite_problem(c, m, "a reference block needs paper, table and rows");
		return;
	}
	if (!suite_is_seq(c, rows, "rows"))
		return;
	for (size_t i = 0; i < suite_seq_len(rows); i++)
		row(c, suite_node(c, rows->data.sequence.items.start[i]), paper, table);
}

void
suite_parse_reference(struct suite_ctx *c, const yaml_node_t *n)
{
	if (n->type != YAML_SEQUENCE_NODE) {
		block(c, n);
		return;
	}
	for (size_t i = 0; i < suite_seq_len(n); i++)
		block(c, suite_node(c, n->data.sequence.items.start[i]));
}

const struct suite_reference_row *
suite_reference_find(const struct suite *s, const char *dataset, const char *model,
	const char *method, const char *metric, int k)
{
	for (size_t i = 0; i < s->nrefs; i++) {
		const struct suite_reference_row *r = &s->refs[i];
		if (r->k == k && !strcmp(r->dataset, dataset) && !strcmp(r->model, model) &&
			!strcmp(r->method, method) && !strcmp(r->metric, metric))
			return r;
	}
	return NULL;
}

void
suite_reference_free(struct suite *s)
{
	for (size_t i = 0; i < s->nrefs; i++) {
		struct suite_reference_row *r = &s->refs[i];
		free(r->paper), free(r->table), free(r->dataset);
		free(r->model), free(r->method), free(r->metric);
	}
	free(s->refs);
	s->refs = NULL;
	s->nrefs = 0;
}
