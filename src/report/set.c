/* A result set: every result file under some paths, grouped into cell groups. */
#include "report/report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "results/result.h"

static int
add_file(struct report_set *s, size_t *cap, const char *path, db_err *err)
{
	if (s->ncells == *cap) {
		size_t n = *cap ? 2 * *cap : 32;
		struct report_cell *c = realloc(s->cells, n * sizeof *c);
		if (!c)
			return db_fail(err, DB_ENOMEM, "out of memory");
		s->cells = c;
		*cap = n;
	}
	int rc = report_cell_read(&s->cells[s->ncells], path, err);
	if (!rc)
		s->ncells++;
	return rc;
}

struct adding {
	struct report_set *s;
	size_t *cap;
	const char *key, *val; /* keep only the cells with this setting (key NULL: all) */
	size_t keylen;
};

static int
add_walked(const char *file, void *arg, db_err *err)
{
	struct adding *a = arg;
	int rc = add_file(a->s, a->cap, file, err);
	if (rc || !a->key)
		return rc;
	struct report_cell *c = &a->s->cells[a->s->ncells - 1];
	char key[64];
	snprintf(key, sizeof key, "%.*s", (int)a->keylen, a->key);
	const char *v = report_cell_config(c, key);
	if (!v || strcmp(v, a->val)) {
		report_cell_free(c);
		a->s->ncells--;
	}
	return DB_OK;
}

static const struct report_set *sort_set; /* qsort has no context argument */

static int
cell_cmp(const void *a, const void *b)
{
	const struct report_cell *x = &sort_set->cells[*(const size_t *)a];
	const struct report_cell *y = &sort_set->cells[*(const size_t *)b];
	int c = strcmp(x->group_key, y->group_key);
	return c ? c : (x->seed > y->seed) - (x->seed < y->seed);
}

/* Sorts cell indices by (group key, seed) and cuts runs of equal keys. */
static int
group(struct report_set *s, db_err *err)
{
	size_t *order = db_calloc(s->ncells + 1, sizeof *order, err);
	s->groups = db_calloc(s->ncells + 1, sizeof *s->groups, err);
	if (!order || !s->groups) {
		free(order);
		return DB_ENOMEM;
	}
	for (size_t i = 0; i < s->ncells; i++)
		order[i] = i;
	sort_set = s;
	qsort(order, s->ncells, sizeof *order, cell_cmp);
	for (size_t i = 0; i < s->ncells; i++) {
		const char *key = s->cells[order[i]].group_key;
		if (i == 0 || strcmp(key, s->cells[order[i - 1]].group_key))
			s->groups[s->ngroups++].cells = order + i;
		s->groups[s->ngroups - 1].n++;
	}
	/* the groups point into one array, owned by the first group */
	if (s->ngroups == 0)
		free(order);
	return DB_OK;
}

/* A cell group pools seeds of one experiment: the same data, the same tool
 * and one result per seed; anything else is refused, naming both files. */
static int
check_pooling(const struct report_set *s, const struct report_group *g, db_err *err)
{
	const struct report_cell *a = report_group_cell(s, g, 0);
	for (size_t i = 1; i < g->n; i++) {
		const struct report_cell *b = report_group_cell(s, g, i);
		if (strcmp(a->checksum, b->checksum))
			return db_fail(err, DB_EPARSE,
				"%s:%ld: data_checksum %s, but %s:%ld of the "
				"same cell group (%s/%s/%s) has %s: results of different data are "
				"not "
				"pooled",
				b->path, b->checksum_line, b->checksum, a->path, a->checksum_line,
				a->dataset, a->model, a->method, a->checksum);
		if (strcmp(a->tool, b->tool))
			return db_fail(err, DB_EPARSE,
				"%s:%ld: tool %s, but %s:%ld of the same cell "
				"group (%s/%s/%s) has %s: results of different builds are not "
				"pooled",
				b->path, b->tool_line, b->tool, a->path, a->tool_line, a->dataset,
				a->model, a->method, a->tool);
		const struct report_cell *prev = report_group_cell(s, g, i - 1);
		if (prev->seed == b->seed)
			return db_fail(err, DB_EPARSE,
				"%s and %s: two results of seed %ld in one cell "
				"group (%s/%s/%s)",
				prev->path, b->path, b->seed, a->dataset, a->model, a->method);
	}
	return DB_OK;
}

int
report_set_load(struct report_set *s, char *const *paths, size_t npaths, db_err *err)
{
	return report_set_load_where(s, paths, npaths, NULL, err);
}

int
report_set_load_where(struct report_set *s, char *const *paths, size_t npaths, const char *where,
	db_err *err)
{
	memset(s, 0, sizeof *s);
	size_t cap = 0;
	const char *eq = where ? strchr(where, '=') : NULL;
	struct adding a = {s, &cap, where, eq ? eq + 1 : NULL, eq ? (size_t)(eq - where) : 0};
	if (where && (!eq || eq == where || a.keylen >= 64))
		return db_fail(err, DB_EINVAL,
			"--where '%s': expected KEY=VALUE, e.g. "
			"selection=oracle",
			where);
	int rc = DB_OK;
	for (size_t i = 0; !rc && i < npaths; i++)
		rc = result_walk(paths[i], add_walked, &a, err);
	if (!rc)
		rc = group(s, err);
	for (size_t i = 0; !rc && i < s->ngroups; i++)
		rc = check_pooling(s, &s->groups[i], err);
	if (rc)
		report_set_free(s);
	return rc;
}

void
report_set_free(struct report_set *s)
{
	for (size_t i = 0; i < s->ncells; i++)
		report_cell_free(&s->cells[i]);
	free(s->cells);
	if (s->groups && s->ngroups)
		free(s->groups[0].cells);
	free(s->groups);
	memset(s, 0, sizeof *s);
}

const struct report_cell *
report_group_cell(const struct report_set *s, const struct report_group *g, size_t i)
{
	return &s->cells[g->cells[i]];
}

/* Among groups of equal seeds, the one with fewest settings off the
 * defaults is the suite's main cell and the others its extra cells (a
 * cause's switch flipped, README "Reports"). */
size_t
report_cell_off_default(const struct report_cell *c)
{
	/* the defaults of the cell's protocol, dataset, model and method */
	static const char *const keys[] = {"protocol", "dataset", "model", "method"};
	config ex, def;
	db_err ignored;
	config_init(&ex);
	int rc = 0;
	for (size_t i = 0; !rc && i < sizeof keys / sizeof *keys; i++) {
		const char *v = report_cell_config(c, keys[i]);
		rc = v ? config_set(&ex, keys[i], v, &ignored) : 0;
	}
	if (rc || config_resolve(&def, &ex, &ignored)) {
		config_free(&ex);
		return 0;
	}
	size_t n = 0;
	for (size_t i = 0; i < c->nconfig; i++) {
		const char *d = config_lookup(&def, c->config[i].key);
		n += d && strcmp(d, c->config[i].val) != 0;
	}
	config_free(&ex);
	config_free(&def);
	return n;
}

const struct report_group *
report_set_find(const struct report_set *s, const char *ds, const char *mo, const char *me)
{
	return report_set_find_if(s, ds, mo, me, NULL, NULL);
}

const struct report_group *
report_set_find_if(const struct report_set *s, const char *ds, const char *mo, const char *me,
	int (*keep)(const struct report_cell *, const void *), const void *ctx)
{
	const struct report_group *best = NULL;
	size_t best_off = 0;
	for (size_t i = 0; i < s->ngroups; i++) {
		const struct report_group *g = &s->groups[i];
		const struct report_cell *c = report_group_cell(s, g, 0);
		if (strcmp(c->dataset, ds) || strcmp(c->model, mo) || strcmp(c->method, me) ||
			report_cell_is_trial(c) || (keep && !keep(c, ctx)))
			continue;
		size_t off = report_cell_off_default(c);
		if (!best || g->n > best->n || (g->n == best->n && off < best_off)) {
			best = g;
			best_off = off;
		}
	}
	return best;
}

size_t
report_group_values(const struct report_set *s, const struct report_group *g, const char *split,
	const char *metric, int k, double *v)
{
	size_t n = 0;
	for (size_t i = 0; i < g->n; i++) {
		double x = report_cell_metric(report_group_cell(s, g, i), split, metric, k);
		if (!isnan(x))
			v[n++] = x;
	}
	return n;
}

const char **
report_set_distinct(const struct report_set *s, const char *key, size_t *n)
{
	const char **out = calloc(s->ncells + 1, sizeof *out);
	*n = 0;
	for (size_t i = 0; out && i < s->ncells; i++) {
		const char *v = report_cell_config(&s->cells[i], key);
		size_t j = 0;
		while (v && j < *n && strcmp(out[j], v))
			j++;
		if (v && j == *n)
			out[(*n)++] = v;
	}
	return out;
}

int
report_parse_metric(const char *spec, char *metric, size_t size, int *k, db_err *err)
{
	const char *at = strchr(spec, '@');
	char *end;
	long v = at ? strtol(at + 1, &end, 10) : 0;
	if (!at || at == spec || (size_t)(at - spec) >= size || *end || v <= 0)
		return db_fail(err, DB_EINVAL, "'%s': expected METRIC@K, e.g. ndcg@20", spec);
	snprintf(metric, size, "%.*s", (int)(at - spec), spec);
	*k = (int)v;
	return DB_OK;
}
