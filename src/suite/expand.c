/* Suite -> cells.  Each (dataset, model, method) gathers its settings from
 * the levels that apply to it, later winning; the swept keys among them
 * multiply it into one cell per combination of values, each run once per
 * seed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data/manifest.h"
#include "suite/parse.h"

/* plain: without the SUITE_SEARCH settings (an ordinary cell's). */
static void
merge(struct suite_merged *m, const struct suite_level *lv, int plain)
{
	for (size_t i = 0; i < lv->nset; i++) {
		size_t k = 0;
		if (plain && lv->set[i].sweep == SUITE_SEARCH)
			continue;
		while (k < m->n && strcmp(m->set[k]->key, lv->set[i].key))
			k++;
		m->set[k] = &lv->set[i];
		m->n += k == m->n;
	}
}

static int
matches(const char *want, const char *name)
{
	return !want || !strcmp(want, name);
}

static size_t
levels_size(const struct suite *s, size_t d, size_t m, size_t t)
{
	size_t n = s->lv.nset + s->data[d].lv.nset + s->models[m].lv.nset + s->methods[t].lv.nset;
	for (size_t r = 0; r < s->nrules; r++)
		n += s->rules[r].lv.nset;
	return n;
}

static int
merge_levels(const struct suite *s, size_t d, size_t m, size_t t, int plain,
	struct suite_merged *mg)
{
	mg->n = 0;
	if (!(mg->set = calloc(levels_size(s, d, m, t) + 1, sizeof *mg->set)))
		return DB_ENOMEM;
	merge(mg, &s->lv, plain);
	merge(mg, &s->data[d].lv, plain);
	merge(mg, &s->models[m].lv, plain);
	merge(mg, &s->methods[t].lv, plain);
	for (size_t r = 0; r < s->nrules; r++) {
		const struct suite_rule *ru = &s->rules[r];
		if (matches(ru->dataset, s->data[d].name) &&
			matches(ru->model, s->models[m].name) &&
			matches(ru->method, s->methods[t].name))
			merge(mg, &ru->lv, plain);
	}
	return DB_OK;
}

int
suite_merge(const struct suite *s, size_t d, size_t m, size_t t, struct suite_merged *mg)
{
	return merge_levels(s, d, m, t, 0, mg);
}

int
suite_merge_plain(const struct suite *s, size_t d, size_t m, size_t t, struct suite_merged *mg)
{
	return merge_levels(s, d, m, t, 1, mg);
}

/* A growing list of cells. */
struct cells {
	struct suite_cell *c;
	size_t n, cap;
};

static struct suite_cell *
next_cell(struct cells *cs, db_err *err)
{
	if (cs->n == cs->cap) {
		size_t cap = cs->cap ? 2 * cs->cap : 16;
		struct suite_cell *grown = realloc(cs->c, cap * sizeof *grown);
		if (!grown) {
			db_fail(err, DB_ENOMEM, "out of memory expanding the suite");
			return NULL;
		}
		cs->c = grown, cs->cap = cap;
	}
	struct suite_cell *c = &cs->c[cs->n++];
	*c = (struct suite_cell){0};
	config_init(&c->cfg);
	return c;
}

/* Appends "key=value" to the label; characters a file name should not hold
 * become '_'. */
static void
label_add(char *label, size_t size, const char *key, const char *val)
{
	size_t len = strlen(label);
	snprintf(label + len, size - len, "%s%s=%s", len ? "," : "", key, val);
	for (char *p = label + len; *p; p++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._,+=-",
			    *p))
			*p = '_';
}

/* The cell of one combination (idx: the value chosen for each merged key). */
static int
one_cell(struct suite_cell *c, const struct suite_merged *mg, const size_t *idx,
	const char *const fixed[][2], size_t nfixed, uint64_t checksum, db_err *err)
{
	char label[1024] = "";
	int rc = DB_OK;
	for (size_t k = 0; k < mg->n && rc == DB_OK; k++) {
		const struct suite_setting *st = mg->set[k];
		rc = config_set(&c->cfg, st->key, st->vals[idx[k]], err);
		if (st->sweep)
			label_add(label, sizeof label, st->key, st->vals[idx[k]]);
	}
	for (size_t f = 0; f < nfixed && rc == DB_OK; f++)
		if (fixed[f][1])
			rc = config_set(&c->cfg, fixed[f][0], fixed[f][1], err);
	c->data_checksum = checksum;
	if (rc == DB_OK && !(c->label = strdup(label)))
		rc = db_fail(err, DB_ENOMEM, "out of memory expanding the suite");
	return rc;
}

/* Odometer over the swept values, the first merged key outermost; 0 at the end. */
static int
advance(const struct suite_merged *mg, size_t *idx)
{
	for (size_t k = mg->n; k-- > 0;) {
		if (++idx[k] < mg->set[k]->nvals)
			return 1;
		idx[k] = 0;
	}
	return 0;
}

/* What a cell of a tuning search adds to the ordinary cell: the search
 * keys' values (vals[i] for keys[i]), the settings of a trial, the label
 * and the seeds it runs with. */
struct extra {
	const struct suite_setting *const *keys;
	char *const *vals;
	size_t nkeys, nseeds;
	const char *label; /* "trial=N" or "tuned"; NULL: an ordinary cell */
	int trial;
};

/* The extra settings of a trial or a tuned cell, then its label. */
static int
extra_apply(struct suite_cell *c, const struct suite *s, const struct extra *x, db_err *err)
{
	char label[1024];
	snprintf(label, sizeof label, "%s", x->label);
	int rc = DB_OK;
	for (size_t k = 0; k < x->nkeys && rc == DB_OK; k++) {
		rc = config_set(&c->cfg, x->keys[k]->key, x->vals[k], err);
		label_add(label, sizeof label, x->keys[k]->key, x->vals[k]);
	}
	if (rc == DB_OK && x->trial)
		rc = config_set(&c->cfg, "eval_test", "false", err);
	if (rc == DB_OK && x->trial && !s->search.loss)
		rc = config_set(&c->cfg, "eval_valid_rank", "true", err);
	free(c->label);
	if (rc == DB_OK && !(c->label = strdup(label)))
		rc = db_fail(err, DB_ENOMEM, "out of memory expanding the suite");
	return rc;
}

static int
combinations(struct cells *cs, const struct suite *s, size_t d, size_t m, size_t t,
	uint64_t checksum, const struct extra *x, db_err *err)
{
	if (suite_excluded(s, d, m, t))
		return DB_OK;
	struct suite_merged mg;
	int rc = suite_merge_plain(s, d, m, t, &mg);
	size_t *idx = calloc(levels_size(s, d, m, t) + 1, sizeof *idx);
	size_t nseeds = x->label ? x->nseeds : s->nseeds;
	if (rc != DB_OK || !idx)
		rc = db_fail(err, DB_ENOMEM, "out of memory expanding the suite");
	do {
		for (size_t k = 0; k < nseeds && rc == DB_OK; k++) {
			char seed[24];
			snprintf(seed, sizeof seed, "%ld", s->seeds[k]);
			const char *const fixed[][2] = {{"dataset", s->data[d].name},
				{"data", s->data[d].path}, {"model", s->models[m].name},
				{"method", s->methods[t].name}, {"seed", seed}};
			struct suite_cell *c = next_cell(cs, err);
			rc = c ? one_cell(c, &mg, idx, fixed, 5, checksum, err) : DB_ENOMEM;
			if (rc == DB_OK && x->label)
				rc = extra_apply(c, s, x, err);
			if (rc == DB_OK && suite_cell_excluded(s, d, m, t, &c->cfg)) {
				config_free(&c->cfg);
				free(c->label);
				cs->n--;
			}
		}
	} while (rc == DB_OK && advance(&mg, idx));
	free(mg.set);
	free(idx);
	return rc;
}

/* The checksum of dataset d: its train and valid files only for a trial,
 * which never opens the test files. */
static int
checksum_of(const struct suite *s, size_t d, int trial, uint64_t *sum, db_err *err)
{
	const struct suite_dataset *ds = &s->data[d];
	*sum = 0;
	if (!ds->path)
		return DB_OK;
	return trial ? data_dir_checksum_valid(ds->path, ds->name, sum, err)
		     : data_dir_checksum(ds->path, ds->name, sum, err);
}

/* The trials of one group, trial 1..n, each with the search seeds. */
static int
group_trials(struct cells *cs, const struct suite *s, size_t d, size_t m, size_t t,
	uint64_t checksum, db_err *err)
{
	struct suite_trials tr;
	int rc = suite_trials_make(s, d, m, t, &tr, err);
	for (size_t i = 0; rc == DB_OK && i < tr.n; i++) {
		char label[32];
		snprintf(label, sizeof label, "trial=%zu", i + 1);
		struct extra x = {tr.keys, tr.v + i * tr.nkeys, tr.nkeys, s->search.nseeds, label,
			1};
		rc = combinations(cs, s, d, m, t, checksum, &x, err);
	}
	suite_trials_free(&tr);
	return rc;
}

/* trials: the tuning trials, else the ordinary cells. */
static int
expand(const struct suite *s, int trials, struct cells *cs, db_err *err)
{
	int rc = DB_OK;
	const struct extra plain = {0};
	for (size_t d = 0; d < s->ndata && rc == DB_OK; d++) {
		uint64_t checksum = 0;
		if (s->data[d].missing || (trials && !s->search.budget))
			continue;
		rc = checksum_of(s, d, trials, &checksum, err);
		for (size_t m = 0; m < s->nmodels && rc == DB_OK; m++)
			for (size_t t = 0; t < s->nmethods && rc == DB_OK; t++)
				rc = trials ? group_trials(cs, s, d, m, t, checksum, err)
					    : combinations(cs, s, d, m, t, checksum, &plain, err);
	}
	return rc;
}

static int
finish(struct cells *cs, int rc, struct suite_cell **cells, size_t *ncells)
{
	if (rc != DB_OK) {
		suite_cells_free(cs->c, cs->n);
		return rc;
	}
	*cells = cs->c;
	*ncells = cs->n;
	return DB_OK;
}

int
suite_expand(const struct suite *s, struct suite_cell **cells, size_t *ncells, db_err *err)
{
	struct cells cs = {0};
	int rc = expand(s, 1, &cs, err);
	if (rc == DB_OK)
		rc = expand(s, 0, &cs, err);
	return finish(&cs, rc, cells, ncells);
}

int
suite_expand_trials(const struct suite *s, struct suite_cell **cells, size_t *ncells, db_err *err)
{
	struct cells cs = {0};
	return finish(&cs, expand(s, 1, &cs, err), cells, ncells);
}

int
suite_expand_group_trials(const struct suite *s, size_t d, size_t m, size_t t,
	struct suite_cell **cells, size_t *ncells, db_err *err)
{
	struct cells cs = {0};
	uint64_t checksum;
	int rc = checksum_of(s, d, 1, &checksum, err);
	if (rc == DB_OK)
		rc = group_trials(&cs, s, d, m, t, checksum, err);
	return finish(&cs, rc, cells, ncells);
}

int
suite_expand_tuned(const struct suite *s, size_t d, size_t m, size_t t, char *const *vals,
	struct suite_cell **cells, size_t *ncells, db_err *err)
{
	struct cells cs = {*cells, *ncells, *ncells};
	struct suite_trials tr;
	uint64_t checksum;
	int rc = suite_trials_make(s, d, m, t, &tr, err);
	if (rc == DB_OK)
		rc = checksum_of(s, d, 0, &checksum, err);
	struct extra x = {tr.keys, vals, tr.nkeys, s->nseeds, "tuned", 0};
	if (rc == DB_OK)
		rc = combinations(&cs, s, d, m, t, checksum, &x, err);
	suite_trials_free(&tr);
	*cells = cs.c; /* on failure too: the caller frees what it holds */
	*ncells = cs.n;
	return rc;
}

void
suite_cells_free(struct suite_cell *cells, size_t ncells)
{
	for (size_t i = 0; i < ncells; i++) {
		config_free(&cells[i].cfg);
		free(cells[i].label);
	}
	free(cells);
}

int
suite_load_cells(struct suite *s, const char *path, struct suite_cell **cells, size_t *ncells,
	db_err *err)
{
	*cells = NULL;
	*ncells = 0;
	int rc = suite_load(s, path, err);
	return rc == DB_OK ? suite_expand(s, cells, ncells, err) : rc;
}
