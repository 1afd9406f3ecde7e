/* The choice after a search (README "Tuning"): each trial's validation
 * target read from its result files (the mean over the search seeds), the
 * best trial of each searched group (ties: the first in trial order), the
 * table DIR/tuning.tsv, and the tuned cells. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eval/eval.h"
#include "results/result.h"
#include "suite/parse.h"
#include "util/fileio.h"

/* What one result file says about the target. */
struct target_read {
	const struct suite_search *sr;
	double metric;      /* valid:METRIC@K */
	long selected;      /* train selected_iteration */
	double at_selected; /* valid_loss of the curve point there */
	double last;        /* of the last curve point */
	int have_metric, have_at;
};

static int
target_line(const struct result_line *l, void *arg, db_err *err)
{
	(void)err;
	struct target_read *t = arg;
	const char *const *f = (const char *const *)l->f;
	if (!strcmp(f[0], "metric") && l->n >= 5 && !strcmp(f[1], "valid") &&
		!strcmp(f[2], metric_names[t->sr->metric]) && atoi(f[3]) == t->sr->k) {
		t->metric = strtod(f[4], NULL);
		t->have_metric = 1;
	} else if (!strcmp(f[0], "train") && l->n >= 3 && !strcmp(f[1], "selected_iteration")) {
		t->selected = strtol(f[2], NULL, 10);
	} else if (!strcmp(f[0], "curve") && l->n >= 4) {
		/* the train lines come first: selected is known here */
		t->last = strtod(f[3], NULL);
		if (strtol(f[1], NULL, 10) == t->selected)
			t->at_selected = t->last, t->have_at = 1;
	}
	return DB_OK;
}

/* The target of one result: valid METRIC@K; or the validation loss at the
 * point the selection kept (the last point when it kept none of them). */
static int
target_of(const struct suite_search *sr, const char *path, double *v, db_err *err)
{
	struct target_read t = {.sr = sr, .selected = -1, .last = NAN};
	int rc = result_read(path, target_line, &t, err);
	if (rc)
		return rc;
	if (!sr->loss && !t.have_metric)
		return db_fail(err, DB_EPARSE, "%s: no `metric valid %s %d` line for the target %s",
			path, metric_names[sr->metric], sr->k, sr->target);
	*v = sr->loss ? (t.have_at ? t.at_selected : t.last) : t.metric;
	if (isnan(*v))
		return db_fail(err, DB_EPARSE, "%s: no validation loss for the target valid_loss",
			path);
	return DB_OK;
}

/* b better than a on the target (a tie keeps a, the earlier trial). */
static int
better(const struct suite_search *sr, double b, double a)
{
	return sr->loss ? b < a : b > a;
}

static void
spec_write(FILE *f, const struct suite *s, const struct suite_setting *st)
{
	if (st->scale == SUITE_LIST) {
		for (size_t i = 0; i < st->nvals; i++)
			fprintf(f, "%s%s", i ? "," : "", st->vals[i]);
		return;
	}
	fprintf(f, "%s:%s..%s", st->scale == SUITE_LOG ? "log" : "lin", st->vals[0], st->vals[1]);
	if (!s->search.random)
		fprintf(f, " (%zu points)", st->points);
}

static void
header_write(FILE *f, const struct suite *s)
{
	const struct suite_search *sr = &s->search;
	fprintf(f,
		"# suite\t%s\n# strategy\t%s\n# budget\t%zu\n# search_seed\t%lu\n"
		"# search_seeds\t%zu\n# target\t%s\t%s\n",
		s->name, sr->random ? "random" : "grid", sr->budget, sr->seed, sr->nseeds,
		sr->target, sr->loss ? "lower is better" : "higher is better");
}

/* The rows of one group; best the chosen trial (tr->n: none). */
static int
group_write(FILE *f, const struct suite *s, size_t d, size_t m, size_t t,
	const struct suite_trials *tr, const double *val, size_t best)
{
	for (size_t k = 0; k < tr->nkeys; k++) {
		fprintf(f, "# search\t%s\t%s\t%s\t%s\t", s->methods[t].name, s->models[m].name,
			s->data[d].name, tr->keys[k]->key);
		spec_write(f, s, tr->keys[k]);
		fputc('\n', f);
	}
	for (size_t i = 0; i < tr->n; i++) {
		fprintf(f, "%s\t%s\t%s\t%zu\t", s->methods[t].name, s->models[m].name,
			s->data[d].name, i + 1);
		for (size_t k = 0; k < tr->nkeys; k++)
			fprintf(f, "%s%s=%s", k ? "," : "", tr->keys[k]->key,
				tr->v[i * tr->nkeys + k]);
		fprintf(f, "\t%.17g\t%d\n", val[i], i == best);
	}
	return ferror(f) ? DB_EIO : DB_OK;
}

/* The searched groups' trials and choices, kept until tuning.tsv is
 * written: the tuned cells' data checksum reads the test files. */
struct chosen {
	size_t d, m, t, best;
	struct suite_trials tr;
};

/* The trials' targets of group (d, m, t), each the mean over its seeds'
 * results; a trial an `exclude:` rule dropped has none (NaN, never chosen). */
static int
one_group(const struct suite *s, size_t d, size_t m, size_t t, const char *dir, FILE *f,
	struct chosen *ch, db_err *err)
{
	struct suite_trials tr;
	struct suite_cell *cells = NULL;
	size_t n = 0, best = 0;
	int rc = suite_trials_make(s, d, m, t, &tr, err);
	if (!rc && tr.n)
		rc = suite_expand_group_trials(s, d, m, t, &cells, &n, err);
	double *val = tr.n ? calloc(2 * tr.n, sizeof *val) : NULL, *cnt = NULL;
	if (!rc && tr.n && !val)
		rc = db_fail(err, DB_ENOMEM, "out of memory");
	else if (val)
		cnt = val + tr.n;
	for (size_t c = 0; !rc && c < n; c++) {
		char path[4200];
		double v = 0;
		size_t i = strtoul(cells[c].label + strlen("trial="), NULL, 10) - 1;
		rc = suite_cell_path(&cells[c], dir, path, sizeof path, err);
		if (!rc && !(rc = target_of(&s->search, path, &v, err)))
			val[i] += v, cnt[i]++;
	}
	for (size_t i = 0; !rc && i < tr.n; i++) {
		val[i] = cnt[i] ? val[i] / cnt[i] : NAN;
		if (isnan(val[best]) || better(&s->search, val[i], val[best]))
			best = i;
	}
	if (!rc && tr.n && !isfinite(val[best])) { /* no trial to choose: no tuned cell */
		fprintf(stderr,
			"denoisebench tune: warning: no trial of %s x %s x %s has a finite target; "
			"no tuned cell for it\n",
			s->data[d].name, s->models[m].name, s->methods[t].name);
		best = tr.n;
	}
	if (!rc && tr.n && group_write(f, s, d, m, t, &tr, val, best))
		rc = db_fail(err, DB_EIO, "cannot write %s/tuning.tsv", dir);
	free(val);
	suite_cells_free(cells, n);
	*ch = (struct chosen){d, m, t, best, tr};
	return rc;
}

int
suite_tune(const struct suite *s, const char *dir, struct suite_cell **tuned, size_t *ntuned,
	db_err *err)
{
	char path[4200];
	*tuned = NULL, *ntuned = 0;
	if (snprintf(path, sizeof path, "%s/tuning.tsv", dir) >= (int)sizeof path)
		return db_fail(err, DB_EINVAL, "%s: path too long", dir);
	size_t ngroups = s->ndata * s->nmodels * s->nmethods, g = 0;
	struct chosen *ch = calloc(ngroups + 1, sizeof *ch);
	afile a = {0};
	int rc = ch ? fileio_mkdir_p(dir, err) : db_fail(err, DB_ENOMEM, "out of memory");
	if (!rc)
		rc = afile_open(&a, path, err);
	if (!rc) {
		header_write(a.f, s);
		fputs("method\tmodel\tdataset\ttrial\tvalues\ttarget\tchosen\n", a.f);
	}
	for (size_t d = 0; !rc && d < s->ndata; d++)
		for (size_t m = 0; !rc && !s->data[d].missing && m < s->nmodels; m++)
			for (size_t t = 0; !rc && t < s->nmethods; t++)
				rc = one_group(s, d, m, t, dir, a.f, &ch[g++], err);
	if (!rc)
		rc = afile_commit(&a, err);
	else if (a.f)
		afile_abort(&a);
	for (size_t i = 0; !rc && i < g; i++)
		if (ch[i].best < ch[i].tr.n)
			rc = suite_expand_tuned(s, ch[i].d, ch[i].m, ch[i].t,
				ch[i].tr.v + ch[i].best * ch[i].tr.nkeys, tuned, ntuned, err);
	for (size_t i = 0; i < g; i++)
		suite_trials_free(&ch[i].tr);
	free(ch);
	return rc;
}
