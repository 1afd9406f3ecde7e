/* Tuning trials (README "Tuning"): the suite's `search:` options and the
 * trial values of each searched (dataset, model, method).  The values come
 * from GSL's mt19937 on a stream named by the search seed and the group, so
 * a suite gives the same trials on any machine and in any order of groups. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "eval/eval.h"
#include "nn/rng.h"
#include "suite/parse.h"

/* A whole number from lo, or 0 with a problem. */
static unsigned long
whole(struct suite_ctx *c, const yaml_node_t *vn, const char *what, unsigned long lo)
{
	const char *v = suite_scalar(c, vn, what);
	char *end;
	unsigned long n = v ? strtoul(v, &end, 10) : 0;
	if (v && (*v < '0' || *v > '9' || *end || n < lo || n > 100000)) {
		suite_problem(c, vn, "%s must be a whole number from %lu to 100000, not '%s'", what,
			lo, v);
		return 0;
	}
	return n;
}

/* valid_loss, or valid:METRIC@K with METRIC one of the evaluation's. */
static void
target(struct suite_ctx *c, const yaml_node_t *vn)
{
	struct suite_search *sr = &c->s->search;
	const char *v = suite_scalar(c, vn, "target");
	if (!v)
		return;
	free(sr->target);
	sr->target = strdup(v);
	sr->loss = !strcmp(v, "valid_loss");
	char name[32];
	int k, used = 0;
	if (sr->loss)
		return;
	if (sscanf(v, "valid:%31[a-z]@%d%n", name, &k, &used) == 2 && !v[used] && k > 0)
		for (int m = 0; m < METRIC_COUNT; m++)
			if (!strcmp(name, metric_names[m])) {
				sr->metric = m, sr->k = k;
				return;
			}
	suite_problem(c, vn,
		"target '%s': expected valid_loss or valid:METRIC@K (METRIC recall, ndcg, "
		"precision or mrr; K one of the cells' ks)",
		v);
}

/* Whether key k of pair p appears in an earlier pair of mapping m. */
static int
repeated(struct suite_ctx *c, const yaml_node_t *m, const yaml_node_pair_t *p, const char *k)
{
	for (const yaml_node_pair_t *q = m->data.mapping.pairs.start; q < p; q++) {
		const yaml_node_t *qk = suite_node(c, q->key);
		if (qk->type == YAML_SCALAR_NODE && !strcmp((const char *)qk->data.scalar.value, k))
			return 1;
	}
	return 0;
}

void
suite_parse_search_opts(struct suite_ctx *c, const yaml_node_t *m)
{
	struct suite_search *sr = &c->s->search;
	if (!suite_is_map(c, m, "search"))
		return;
	if (sr->line)
		suite_problem(c, m, "a second `search:` block (the first at line %zu)", sr->line);
	free(sr->target);
	*sr = (struct suite_search){.nseeds = 1,
		.seed = 1,
		.metric = METRIC_NDCG,
		.k = 20,
		.line = m->start_mark.line + 1,
		.col = m->start_mark.column + 1};
	for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top;
		p++) {
		yaml_node_t *kn = suite_node(c, p->key), *vn = suite_node(c, p->value);
		const char *k = suite_scalar(c, kn, "a search field"), *v;
		if (!k)
			continue;
		if (repeated(c, m, p, k))
			suite_problem(c, kn, "search field '%s' given twice", k);
		else if (!strcmp(k, "budget"))
			sr->budget = whole(c, vn, "budget", 1);
		else if (!strcmp(k, "seeds"))
			sr->nseeds = whole(c, vn, "search seeds", 1);
		else if (!strcmp(k, "seed"))
			sr->seed = whole(c, vn, "search seed", 0);
		else if (!strcmp(k, "target"))
			target(c, vn);
		else if (!strcmp(k, "strategy") && (v = suite_scalar(c, vn, "strategy"))) {
			sr->random = !strcmp(v, "random");
			if (!sr->random && strcmp(v, "grid"))
				suite_problem(c, vn, "strategy must be grid or random, not '%s'",
					v);
		} else if (strcmp(k, "strategy"))
			suite_problem(c, kn,
				"unknown search field '%s'; one of budget, strategy, seed, seeds, "
				"target",
				k);
	}
	if (!sr->budget)
		suite_problem(c, m, "search: needs `budget: N` (trials per searched method)");
	if (!sr->target && !(sr->target = strdup("valid:ndcg@20")))
		return;
}

int
suite_has_search(const struct suite_merged *mg)
{
	for (size_t k = 0; k < mg->n; k++)
		if (mg->set[k]->sweep == SUITE_SEARCH)
			return 1;
	return 0;
}

/* A search key's grid points: its list, or `points` points lo..hi. */
static size_t
grid_size(const struct suite_setting *st)
{
	return st->scale == SUITE_LIST ? st->nvals : st->points;
}

/* The grid of group mg over the cap of 10^7 points: at the key that takes it
 * over (the product is checked before it can overflow). */
static void
grid_cap(struct suite_ctx *c, const struct suite_merged *mg)
{
	size_t total = 1;
	for (size_t k = 0; k < mg->n; k++) {
		const struct suite_setting *st = mg->set[k];
		if (st->sweep != SUITE_SEARCH)
			continue;
		if (total > 10000000 / grid_size(st)) {
			suite_problem_at(c, st->line, st->col,
				"the search grid has over 10^7 points with %s; fewer points or "
				"strategy: random",
				st->key);
			return;
		}
		total *= grid_size(st);
	}
}

/* The target against the group's resolved settings (the defaults of its
 * protocol, dataset, model and method filled in): its K among the ks, and
 * valid_loss with a validation cadence. */
static void
target_check(struct suite_ctx *c, size_t d, size_t m, size_t t, const struct suite_merged *mg)
{
	const struct suite *s = c->s;
	config ex, cfg;
	db_err err;
	config_init(&ex);
	int rc = config_set(&ex, "model", s->models[m].name, &err);
	rc = rc ? rc : config_set(&ex, "method", s->methods[t].name, &err);
	if (!rc && s->data[d].path)
		rc = config_set(&ex, "data", s->data[d].path, &err);
	for (size_t k = 0; !rc && k < mg->n; k++)
		if (mg->set[k]->sweep != SUITE_SEARCH)
			rc = config_set(&ex, mg->set[k]->key, mg->set[k]->vals[0], &err);
	if (!rc && !(rc = config_resolve(&cfg, &ex, &err))) {
		char ks[256];
		snprintf(ks, sizeof ks, "%s", config_get(&cfg, "ks"));
		int found = 0;
		for (char *p = strtok(ks, ","); p && !found; p = strtok(NULL, ","))
			found = atoi(p) == s->search.k;
		if (!s->search.loss && !found)
			suite_problem_at(c, s->search.line, s->search.col,
				"target %s: K %d is not among the ks %s of %s x %s x %s",
				s->search.target, s->search.k, config_get(&cfg, "ks"),
				s->data[d].name, s->models[m].name, s->methods[t].name);
		if (s->search.loss && !atol(config_get(&cfg, "eval_freq")) &&
			!atol(config_get(&cfg, "eval_epochs")))
			suite_problem_at(c, s->search.line, s->search.col,
				"target valid_loss: %s x %s x %s never evaluates on validation "
				"(eval_freq and eval_epochs 0)",
				s->data[d].name, s->models[m].name, s->methods[t].name);
		config_free(&cfg);
	}
	config_free(&ex);
}

/* Every searched group needs the suite's budget, sweeps nothing (a trial
 * is one point of its own grid), has enough seeds,
 * a grid within the cap and a target its settings can give. */
void
suite_search_check(struct suite_ctx *c)
{
	const struct suite *s = c->s;
	if (s->search.budget && s->search.nseeds > s->nseeds)
		suite_problem_at(c, s->search.line, s->search.col,
			"search seeds %zu: the suite lists only %zu seeds", s->search.nseeds,
			s->nseeds);
	for (size_t d = 0; d < s->ndata; d++)
		for (size_t m = 0; m < s->nmodels; m++)
			for (size_t t = 0; t < s->nmethods; t++) {
				struct suite_merged mg;
				if (suite_merge(s, d, m, t, &mg) != DB_OK)
					return;
				for (size_t k = 0; suite_has_search(&mg) && k < mg.n; k++)
					if (mg.set[k]->sweep == SUITE_SEARCH && !s->search.budget)
						suite_problem_at(c, mg.set[k]->line, mg.set[k]->col,
							"%s is searched but the suite has no "
							"`search: {budget: N}`",
							mg.set[k]->key);
					else if (mg.set[k]->sweep == 1)
						suite_problem_at(c, mg.set[k]->line, mg.set[k]->col,
							"%s is swept in %s x %s, which is "
							"searched; "
							"search it instead",
							mg.set[k]->key, s->models[m].name,
							s->methods[t].name);
				if (suite_has_search(&mg) && s->search.budget) {
					if (!s->search.random)
						grid_cap(c, &mg);
					target_check(c, d, m, t, &mg);
				}
				free(mg.set);
			}
}

/* Point i of n of a range (i < n), or a value drawn uniformly on its scale
 * from u in [0, 1); integer keys rounded. */
static char *
range_value(const struct suite_setting *st, double u)
{
	double v = st->scale == SUITE_LOG ? exp(log(st->lo) + u * (log(st->hi) - log(st->lo)))
					  : st->lo + u * (st->hi - st->lo);
	const struct config_key *key = config_key_find(st->key);
	char buf[64];
	if (key && key->type == CFG_INT)
		snprintf(buf, sizeof buf, "%ld", lround(v));
	else
		snprintf(buf, sizeof buf, "%.6g", v);
	return strdup(buf);
}

static char *
grid_value(const struct suite_setting *st, size_t i)
{
	return st->scale == SUITE_LIST ? strdup(st->vals[i])
				       : range_value(st, (double)i / (double)(st->points - 1));
}

/* One key's grid points: its list, or its range's points without those
 * that round to the point before them (a whole-number log range's first
 * points do), so that no two trials are the same cell. */
struct axis {
	char **v;
	size_t n;
};

static int
axis_make(const struct suite_setting *st, struct axis *a)
{
	size_t n = grid_size(st);
	a->n = 0;
	if (!(a->v = calloc(n, sizeof *a->v)))
		return DB_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		char *v = grid_value(st, i);
		if (!v)
			return DB_ENOMEM;
		if (st->scale != SUITE_LIST && a->n && !strcmp(a->v[a->n - 1], v))
			free(v);
		else
			a->v[a->n++] = v;
	}
	return DB_OK;
}

static void
axes_free(struct axis *ax, size_t n)
{
	for (size_t k = 0; ax && k < n; k++) {
		for (size_t i = 0; i < ax[k].n; i++)
			free(ax[k].v[i]);
		free(ax[k].v);
	}
	free(ax);
}

/* Grid point number g (the first key outermost) into row. */
static int
grid_row(const struct suite_trials *tr, const struct axis *ax, size_t g, char **row)
{
	for (size_t k = tr->nkeys; k-- > 0;) {
		if (!(row[k] = strdup(ax[k].v[g % ax[k].n])))
			return DB_ENOMEM;
		g /= ax[k].n;
	}
	return DB_OK;
}

static int
random_row(const struct suite_trials *tr, gsl_rng *r, char **row)
{
	for (size_t k = 0; k < tr->nkeys; k++) {
		const struct suite_setting *st = tr->keys[k];
		row[k] = st->scale == SUITE_LIST
			? strdup(st->vals[gsl_rng_uniform_int(r, st->nvals)])
			: range_value(st, gsl_rng_uniform(r));
		if (!row[k])
			return DB_ENOMEM;
	}
	return DB_OK;
}

/* Whether trial row i repeats an earlier one. */
static int
repeats(const struct suite_trials *tr, size_t i)
{
	for (size_t j = 0; j < i; j++) {
		size_t k = 0;
		while (k < tr->nkeys && !strcmp(tr->v[j * tr->nkeys + k], tr->v[i * tr->nkeys + k]))
			k++;
		if (k == tr->nkeys)
			return 1;
	}
	return 0;
}

/* budget distinct draws, a repeated point drawn again; a space with fewer
 * points than the budget (lists, whole-number ranges) gives what 100 draws
 * per trial find. */
static int
random_trials(const struct suite *s, struct suite_trials *tr, gsl_rng *r)
{
	int rc = DB_OK;
	for (size_t draws = 0; !rc && tr->n < s->search.budget && draws < 100 * s->search.budget;
		draws++) {
		char **row = tr->v + tr->n * tr->nkeys;
		rc = random_row(tr, r, row);
		if (!rc && repeats(tr, tr->n))
			for (size_t k = 0; k < tr->nkeys; k++)
				free(row[k]), row[k] = NULL;
		else if (!rc)
			tr->n++;
	}
	return rc;
}

/* The grid's points when they fit the budget; else `budget` of them chosen
 * without replacement (gsl_ran_choose, kept in grid order). */
static int
grid_trials(const struct suite *s, struct suite_trials *tr, gsl_rng *r)
{
	struct axis *ax = calloc(tr->nkeys, sizeof *ax);
	int rc = ax ? DB_OK : DB_ENOMEM;
	size_t total = 1;
	for (size_t k = 0; !rc && k < tr->nkeys; k++)
		if (!(rc = axis_make(tr->keys[k], &ax[k])))
			total = total > SIZE_MAX / ax[k].n ? SIZE_MAX : total * ax[k].n;
	if (!rc && total > 10000000)
		rc = DB_EINVAL;
	size_t n = total < s->search.budget ? total : s->search.budget;
	size_t *all = rc ? NULL : malloc(total * sizeof *all);
	size_t *pick = rc ? NULL : malloc(n * sizeof *pick);
	if (!rc && (!all || !pick))
		rc = DB_ENOMEM;
	for (size_t g = 0; !rc && g < total; g++)
		all[g] = g;
	if (!rc && n < total)
		gsl_ran_choose(r, pick, n, all, total, sizeof *all);
	else if (!rc)
		memcpy(pick, all, total * sizeof *all);
	tr->n = rc ? 0 : n;
	for (size_t i = 0; !rc && i < n; i++)
		rc = grid_row(tr, ax, pick[i], tr->v + i * tr->nkeys);
	free(all);
	free(pick);
	axes_free(ax, tr->nkeys);
	return rc;
}

int
suite_trials_make(const struct suite *s, size_t d, size_t m, size_t t, struct suite_trials *tr,
	db_err *err)
{
	*tr = (struct suite_trials){0};
	struct suite_merged mg;
	if (suite_merge(s, d, m, t, &mg) != DB_OK)
		return db_fail(err, DB_ENOMEM, "out of memory");
	tr->keys = mg.set; /* compacted to the search keys below */
	for (size_t k = 0; k < mg.n; k++)
		if (mg.set[k]->sweep == SUITE_SEARCH)
			tr->keys[tr->nkeys++] = mg.set[k];
	if (!tr->nkeys || suite_excluded(s, d, m, t))
		return DB_OK;
	char name[512];
	snprintf(name, sizeof name, "search:%s:%s/%s/%s", s->search.random ? "random" : "grid",
		s->data[d].name, s->models[m].name, s->methods[t].name);
	gsl_rng *r = rng_stream(s->search.seed, name);
	tr->v = calloc(s->search.budget * tr->nkeys, sizeof *tr->v);
	int rc = r && tr->v ? DB_OK : DB_ENOMEM;
	if (!rc && s->search.random)
		rc = random_trials(s, tr, r);
	else if (!rc) {
		rc = grid_trials(s, tr, r);
	}
	gsl_rng_free(r);
	if (rc == DB_EINVAL)
		return db_fail(err, rc, "the search grid of %s x %s x %s has over 10^7 points",
			s->data[d].name, s->models[m].name, s->methods[t].name);
	return rc ? db_fail(err, rc, "out of memory drawing the trials") : DB_OK;
}

void
suite_trials_free(struct suite_trials *tr)
{
	for (size_t i = 0; tr->v && i < tr->n * tr->nkeys; i++)
		free(tr->v[i]);
	free(tr->v);
	free(tr->keys);
	*tr = (struct suite_trials){0};
}
