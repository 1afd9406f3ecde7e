/* What `run` would refuse or waste, found when the suite is loaded so that
 * `check` says it before any cell trains: a training-free model under a
 * gradient method, a method-specific setting on a method that ignores it
 * (its cells would train the same model under other names), and more cells
 * than max_cells, counted from the sweeps' sizes without expanding them. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "methods/method.h"
#include "models/model.h"
#include "suite/parse.h"

/* 1 when an exclude rule drops (m, t) on every dataset that runs. */
static int
pair_excluded(const struct suite *s, size_t m, size_t t)
{
	for (size_t d = 0; d < s->ndata; d++)
		if (!s->data[d].missing && !suite_excluded(s, d, m, t))
			return 0;
	return 1;
}

static void
check_gradients(struct suite_ctx *c)
{
	const struct suite *s = c->s;
	for (size_t m = 0; m < s->nmodels; m++) {
		const struct model_ops *mo = model_find(s->models[m].name);
		for (size_t t = 0; mo && !mo->trainable && t < s->nmethods; t++) {
			const struct suite_entry *e = &s->methods[t];
			if (suite_same_name("method", e->name, "normal") || pair_excluded(s, m, t))
				continue;
			suite_problem_at(c, e->line, e->col,
				"model '%s' has no gradients, so method "
				"'%s' cannot train it (run would fail these cells); add `exclude: "
				"[{model: %s, method: %s}]`",
				mo->name, e->name, mo->name, e->name);
		}
	}
}

/* 1 when the key is one of the values an exclude rule matching (d, m, t)
 * restricts: the user has chosen which of the key's cells stay. */
static int
restricted(const struct suite *s, size_t d, size_t m, size_t t, const char *key)
{
	for (size_t i = 0; i < s->nexcludes; i++)
		for (size_t k = 0; k < s->excludes[i].values.nset; k++)
			if (!strcmp(s->excludes[i].values.set[k].key, key) &&
				suite_exclude_matches(s, &s->excludes[i], d, m, t))
				return 1;
	return 0;
}

/* 1 when st comes from the method's own entry or a `cells:` rule naming it:
 * a level where the setting can only be meant for that method. */
static int
method_level(const struct suite *s, size_t t, const struct suite_setting *st)
{
	const struct suite_level *lv = &s->methods[t].lv;
	if (st >= lv->set && st < lv->set + lv->nset)
		return 1;
	for (size_t r = 0; r < s->nrules; r++) {
		lv = &s->rules[r].lv;
		if (s->rules[r].method && st >= lv->set && st < lv->set + lv->nset)
			return 1;
	}
	return 0;
}

/* The (setting, method) pairs already reported. */
struct told {
	struct {
		const struct suite_setting *st;
		const struct method_ops *me;
	} * p;
	size_t n;
};

static void
check_keys(struct suite_ctx *c, size_t d, size_t m, size_t t, const struct suite_merged *mg,
	struct told *told)
{
	const struct suite *s = c->s;
	const struct method_ops *me = method_find(s->methods[t].name);
	for (size_t k = 0; me && k < mg->n; k++) {
		const struct suite_setting *st = mg->set[k];
		char readers[256];
		if (!method_ignores(me, st->key, readers, sizeof readers) ||
			(!st->sweep && !method_level(s, t, st)) || restricted(s, d, m, t, st->key))
			continue;
		size_t i = 0;
		while (i < told->n && !(told->p[i].st == st && told->p[i].me == me))
			i++;
		if (i < told->n)
			continue; /* said once per setting and method */
		void *grown = realloc(told->p, (told->n + 1) * sizeof *told->p);
		if (!grown)
			return;
		told->p = grown;
		told->p[told->n].st = st, told->p[told->n++].me = me;
		suite_problem_at(c, st->line, st->col,
			"method '%s' ignores %s (read by %s)%s; "
			"move it under those methods, or exclude them",
			me->name, st->key, readers,
			st->sweep ? ": its swept cells would train one model under several names"
				  : "");
	}
}

/* a * b, SIZE_MAX when it does not fit. */
static size_t
mul(size_t a, size_t b)
{
	return b && a > SIZE_MAX / b ? SIZE_MAX : a * b;
}

/* The sweeps of the largest (dataset, model, method) group, for the message. */
static void
too_many(struct suite_ctx *c, size_t total, size_t cap, size_t big, size_t d, size_t m, size_t t,
	const struct suite_merged *mg)
{
	char why[512] = "";
	size_t len = 0, at = 0, most = 0;
	for (size_t k = 0; k < mg->n && len < sizeof why; k++)
		if (mg->set[k]->sweep) {
			len += (size_t)snprintf(why + len, sizeof why - len,
				"%s%s (%zu values, line %zu)", len ? " x " : "", mg->set[k]->key,
				mg->set[k]->nvals, mg->set[k]->line);
			if (mg->set[k]->nvals > most)
				most = mg->set[k]->nvals, at = k;
		}
	size_t line = mg->n ? mg->set[at]->line : 1, col = mg->n ? mg->set[at]->col : 1;
	suite_problem_at(c, line, col,
		"the suite has %s%zu cells, more than max_cells %zu: "
		"%s x %s x %s alone has %zu, from the sweep of %s x %zu seeds; cut the sweep or "
		"raise `max_cells:`",
		total == SIZE_MAX ? "more than " : "", total, cap, c->s->data[d].name,
		c->s->models[m].name, c->s->methods[t].name, big, *why ? why : "no key",
		c->s->nseeds);
}

void
suite_validate(struct suite_ctx *c)
{
	const struct suite *s = c->s;
	size_t cap = s->max_cells ? s->max_cells : SUITE_MAX_CELLS, total = 0, big = 0;
	size_t bd = 0, bm = 0, bt = 0;
	struct told told = {0};
	check_gradients(c);
	for (size_t d = 0; d < s->ndata; d++)
		for (size_t m = 0; m < s->nmodels && !s->data[d].missing; m++)
			for (size_t t = 0; t < s->nmethods; t++) {
				struct suite_merged mg;
				if (suite_excluded(s, d, m, t) ||
					suite_merge(s, d, m, t, &mg) != DB_OK)
					continue;
				size_t n = s->nseeds;
				for (size_t k = 0; k < mg.n; k++)
					if (mg.set[k]->sweep != SUITE_SEARCH)
						n = mul(n, mg.set[k]->nvals);
				if (suite_has_search(&mg)) /* the trials, at most */
					n += mul(s->search.budget, s->search.nseeds);
				check_keys(c, d, m, t, &mg, &told);
				total = total > SIZE_MAX - n ? SIZE_MAX : total + n;
				if (n > big)
					big = n, bd = d, bm = m, bt = t;
				free(mg.set);
			}
	free(told.p);
	struct suite_merged mg;
	if (total > cap && suite_merge(s, bd, bm, bt, &mg) == DB_OK) {
		too_many(c, total, cap, big, bd, bm, bt, &mg);
		free(mg.set);
	}
}
