/* One result file read back into a report_cell, through the one reader
 * (results/read.c), which has checked every line's fields before they
 * arrive here (format: results/result.h). */
#include "report/report.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "results/result.h"

struct parse {
	struct report_cell *c;
	const char *path;
	long line;
	int *ks; /* the `ks` line of the split being read */
	size_t nks, ks_cap;
	db_err *err;
	struct caps {
		size_t config, metrics, series, curve, stats, ratings, diag, diag_stats, diag_tests,
			preds;
	} cap;
};

static int
grow(void **p, size_t *cap, size_t need, size_t size, db_err *err)
{
	if (need <= *cap)
		return DB_OK;
	size_t n = *cap ? *cap * 2 : 16;
	while (n < need)
		n *= 2;
	void *q = realloc(*p, n * size);
	if (!q)
		return db_fail(err, DB_ENOMEM, "out of memory");
	*p = q;
	*cap = n;
	return DB_OK;
}

static int
bad(struct parse *ps, const char *what)
{
	return db_fail(ps->err, DB_EPARSE, "%s:%ld: %s", ps->path, ps->line, what);
}

static int
add_config(struct parse *ps, char **f, int n, size_t *cap)
{
	struct report_cell *c = ps->c;
	(void)n;
	int rc = grow((void **)&c->config, cap, c->nconfig + 1, sizeof *c->config, ps->err);
	if (rc)
		return rc;
	struct report_kv *kv = &c->config[c->nconfig];
	kv->key = strdup(f[1]);
	kv->val = strdup(f[2]);
	c->nconfig++;
	return kv->key && kv->val ? DB_OK : db_fail(ps->err, DB_ENOMEM, "out of memory");
}

/* The reader has checked that s is a number. */
static double
number(const char *s)
{
	return strtod(s, NULL);
}

static int
add_metric(struct parse *ps, char **f, int n, size_t *cap)
{
	struct report_cell *c = ps->c;
	(void)n;
	int rc = grow((void **)&c->metrics, cap, c->nmetrics + 1, sizeof *c->metrics, ps->err);
	if (rc)
		return rc;
	struct report_metric *m = &c->metrics[c->nmetrics++];
	snprintf(m->split, sizeof m->split, "%s", f[1]);
	snprintf(m->metric, sizeof m->metric, "%s", f[2]);
	m->k = atoi(f[3]);
	m->value = number(f[4]);
	return DB_OK;
}

/* Any number of Ks: the array grows to the line. */
static int
set_ks(struct parse *ps, char **f, int n)
{
	ps->nks = 0;
	int rc = grow((void **)&ps->ks, &ps->ks_cap, (size_t)n - 2, sizeof *ps->ks, ps->err);
	for (int j = 2; !rc && j < n; j++)
		ps->ks[ps->nks++] = atoi(f[j]);
	return rc;
}

/* The series of (split, metric, k), tried first at index hint: the series
 * of one `user` line's Ks are made side by side, so after the line's first
 * K the next one is found at once, whatever the number of Ks. */
static struct report_series *
series_get(struct report_cell *c, size_t hint, const char *split, const char *metric, int k,
	size_t *cap, db_err *err)
{
	const struct report_series *h = hint < c->nseries ? &c->series[hint] : NULL;
	if (h && h->k == k && !strcmp(h->metric, metric) && !strcmp(h->split, split))
		return &c->series[hint];
	for (size_t i = 0; i < c->nseries; i++) {
		struct report_series *s = &c->series[i];
		if (s->k == k && !strcmp(s->metric, metric) && !strcmp(s->split, split))
			return s;
	}
	if (grow((void **)&c->series, cap, c->nseries + 1, sizeof *c->series, err))
		return NULL;
	struct report_series *s = &c->series[c->nseries++];
	memset(s, 0, sizeof *s);
	snprintf(s->split, sizeof s->split, "%s", split);
	snprintf(s->metric, sizeof s->metric, "%s", metric);
	s->k = k;
	return s;
}

static int
series_push(struct report_series *s, int user, double v, db_err *err)
{
	if (s->n == s->cap) { /* the two arrays grow in step */
		size_t cap = s->cap ? 2 * s->cap : 64;
		int *u = realloc(s->user, cap * sizeof *u);
		if (u)
			s->user = u;
		double *x = u ? realloc(s->value, cap * sizeof *x) : NULL;
		if (!x)
			return db_fail(err, DB_ENOMEM, "out of memory");
		s->value = x;
		s->cap = cap;
	}
	s->user[s->n] = user;
	s->value[s->n++] = v;
	return DB_OK;
}

static int
add_user(struct parse *ps, char **f, int n, size_t *cap)
{
	(void)n; /* the reader matched it to the split's `ks` line */
	size_t hint = SIZE_MAX;
	for (size_t j = 0; j < ps->nks; j++) {
		struct report_series *s =
			series_get(ps->c, hint, f[1], f[3], ps->ks[j], cap, ps->err);
		int rc = s ? series_push(s, atoi(f[2]), number(f[4 + j]), ps->err) : DB_ENOMEM;
		if (rc)
			return rc;
		hint = (size_t)(s - ps->c->series) + 1;
	}
	return DB_OK;
}

/* Files before the clean/noisy losses end at train_loss. */
static int
add_curve(struct parse *ps, char **f, int n, size_t *cap)
{
	struct report_cell *c = ps->c;
	struct report_point p = {.loss_clean = NAN,
		.loss_noisy = NAN,
		.valid_loss = number(f[3]),
		.train_loss = number(f[4])};
	if (n == 7) {
		p.loss_clean = number(f[5]);
		p.loss_noisy = number(f[6]);
	}
	p.iteration = atol(f[1]);
	p.epoch = atoi(f[2]);
	int rc = grow((void **)&c->curve, cap, c->ncurve + 1, sizeof *c->curve, ps->err);
	if (!rc)
		c->curve[c->ncurve++] = p;
	return rc;
}

/* A named value at an iteration into (*v)[*n]: curve_stat and diag_stat
 * lines (ITER NAME VALUE) and diag_test lines (ITER METRIC K VALUE, named
 * METRIC@K). */
static int
add_named(struct parse *ps, char **f, int n, struct report_stat **v, size_t *nv, size_t *cap)
{
	struct report_stat st = {.value = number(f[n - 1])};
	int len = n == 5 ? snprintf(st.name, sizeof st.name, "%s@%s", f[2], f[3])
			 : snprintf(st.name, sizeof st.name, "%s", f[2]);
	if (len >= (int)sizeof st.name)
		return bad(ps, "a counter or metric name longer than 31 characters");
	st.iteration = atol(f[1]);
	int rc = grow((void **)v, cap, *nv + 1, sizeof **v, ps->err);
	if (!rc)
		(*v)[(*nv)++] = st;
	return rc;
}

static int
add_diag(struct parse *ps, char **f, int n, size_t *cap)
{
	struct report_cell *c = ps->c;
	struct report_diag d = {atol(f[1]), atoi(f[2]), number(f[3]), number(f[4]), number(f[5])};
	(void)n;
	int rc = grow((void **)&c->diag, cap, c->ndiag + 1, sizeof *c->diag, ps->err);
	if (!rc)
		c->diag[c->ndiag++] = d;
	return rc;
}

static int
add_pred(struct parse *ps, char **f, int n, size_t *cap)
{
	struct report_cell *c = ps->c;
	(void)n;
	if (strcmp(f[4], "clean") && strcmp(f[4], "noisy"))
		return bad(ps, "field 5 of a 'pred' line is neither 'clean' nor 'noisy'");
	struct report_pred p = {atoi(f[1]), atoi(f[2]), !strcmp(f[4], "noisy"), number(f[3]),
		number(f[5])};
	int rc = grow((void **)&c->preds, cap, c->npreds + 1, sizeof *c->preds, ps->err);
	if (!rc)
		c->preds[c->npreds++] = p;
	return rc;
}

static int
add_rating(struct parse *ps, char **f, int n, size_t *cap)
{
	struct report_cell *c = ps->c;
	/* the count is an integer (checked), never a float cast to long */
	struct report_rating r = {.rating = number(f[1]),
		.mean = number(f[3]),
		.count = strtol(f[2], NULL, 10)};
	(void)n;
	int rc = grow((void **)&c->ratings, cap, c->nratings + 1, sizeof *c->ratings, ps->err);
	if (!rc)
		c->ratings[c->nratings++] = r;
	return rc;
}

/* The lines that say what made a result: data and tool, which a cell group
 * must agree on, and the BLAS, which the reproduction report lists. */
static int
note_origin(struct parse *ps, char **f)
{
	struct report_cell *c = ps->c;
	if (!strcmp(f[0], "config_hash"))
		snprintf(c->hash, sizeof c->hash, "%s", f[1]);
	else if (!strcmp(f[0], "data_checksum")) {
		snprintf(c->checksum, sizeof c->checksum, "%s", f[1]);
		c->checksum_line = ps->line;
	} else if (!strcmp(f[0], "tool")) {
		free(c->tool);
		if (!(c->tool = strdup(f[1])))
			return db_fail(ps->err, DB_ENOMEM, "out of memory");
		c->tool_line = ps->line;
	} else if (!strcmp(f[0], "blas")) {
		free(c->blas);
		if (!(c->blas = strdup(f[1])))
			return db_fail(ps->err, DB_ENOMEM, "out of memory");
	}
	return DB_OK;
}

static int
parse_line(const struct result_line *l, void *arg, db_err *err)
{
	struct parse *ps = arg;
	struct caps *cap = &ps->cap;
	char **f = l->f;
	int n = l->n;
	(void)err;
	ps->line = l->lineno;
	if (!strcmp(f[0], "config"))
		return add_config(ps, f, n, &cap->config);
	if (!strcmp(f[0], "metric"))
		return add_metric(ps, f, n, &cap->metrics);
	if (!strcmp(f[0], "ks"))
		return set_ks(ps, f, n);
	if (!strcmp(f[0], "user"))
		return add_user(ps, f, n, &cap->series);
	if (!strcmp(f[0], "curve"))
		return add_curve(ps, f, n, &cap->curve);
	if (!strcmp(f[0], "curve_stat"))
		return add_named(ps, f, n, &ps->c->stats, &ps->c->nstats, &cap->stats);
	if (!strcmp(f[0], "diag"))
		return add_diag(ps, f, n, &cap->diag);
	if (!strcmp(f[0], "diag_stat"))
		return add_named(ps, f, n, &ps->c->diag_stats, &ps->c->ndiag_stats,
			&cap->diag_stats);
	if (!strcmp(f[0], "diag_test"))
		return add_named(ps, f, n, &ps->c->diag_tests, &ps->c->ndiag_tests,
			&cap->diag_tests);
	if (!strcmp(f[0], "pred"))
		return add_pred(ps, f, n, &cap->preds);
	if (!strcmp(f[0], "rating_prob"))
		return add_rating(ps, f, n, &cap->ratings);
	return note_origin(ps, f);
}

/* Settings that do not change results (CFG_NOHASH: the data path, an
 * import's input file, cache switches) do not separate groups. */
static int
in_group_key(const char *key)
{
	if (!strcmp(key, "seed"))
		return 0;
	const struct config_key *k = config_key_find(key);
	return !k || !(k->flags & CFG_NOHASH);
}

/* The label of the file name, after MODEL-METHOD- (a file without one
 * goes on with sSEED-): trial=N,... or tuned,... (a sweep's label starts
 * with a key, and no key is named trial or tuned). */
static enum report_kind
kind_of(const struct report_cell *c)
{
	const char *base = strrchr(c->path, '/');
	base = base ? base + 1 : c->path;
	size_t lm = strlen(c->model), lt = strlen(c->method);
	if (strncmp(base, c->model, lm) || base[lm] != '-' ||
		strncmp(base + lm + 1, c->method, lt) || base[lm + 1 + lt] != '-')
		return REPORT_CELL;
	const char *label = base + lm + 1 + lt + 1;
	if (!strncmp(label, "trial=", strlen("trial=")))
		return REPORT_TRIAL;
	return !strncmp(label, "tuned", strlen("tuned")) && (label[5] == ',' || label[5] == '-')
		? REPORT_TUNED
		: REPORT_CELL;
}

/* key=value lines of every setting but seed and the unhashed ones, then
 * the kind of a trial or a tuned cell: the group key (a trial never pools
 * with a suite's cell of the same settings). */
static int
finish(struct report_cell *c, const char *path, db_err *err)
{
	c->dataset = report_cell_config(c, "dataset");
	c->model = report_cell_config(c, "model");
	c->method = report_cell_config(c, "method");
	const char *seed = report_cell_config(c, "seed");
	if (!c->dataset || !c->model || !c->method || !seed)
		return db_fail(err, DB_EPARSE,
			"%s: no 'config' line for one of dataset, model, method, seed", path);
	if (!c->tool || !c->checksum_line)
		return db_fail(err, DB_EPARSE, "%s: no 'tool' or 'data_checksum' line", path);
	c->seed = atol(seed);
	c->kind = kind_of(c);
	size_t len = 1 + strlen("kind=trial\n");
	for (size_t i = 0; i < c->nconfig; i++)
		len += strlen(c->config[i].key) + strlen(c->config[i].val) + 2;
	if (!(c->group_key = malloc(len)))
		return db_fail(err, DB_ENOMEM, "out of memory");
	char *p = c->group_key;
	*p = 0;
	for (size_t i = 0; i < c->nconfig; i++)
		if (in_group_key(c->config[i].key))
			p += sprintf(p, "%s=%s\n", c->config[i].key, c->config[i].val);
	if (c->kind != REPORT_CELL)
		sprintf(p, "kind=%s\n", c->kind == REPORT_TRIAL ? "trial" : "tuned");
	return DB_OK;
}

/* buf NULL: read the file at path; else len bytes of buf, named path. */
static int
cell_read(struct report_cell *c, const char *path, const char *buf, size_t len, db_err *err)
{
	memset(c, 0, sizeof *c);
	struct parse ps = {.c = c, .path = path, .err = err};
	int rc = (c->path = strdup(path)) ? DB_OK : db_fail(err, DB_ENOMEM, "out of memory");
	if (!rc)
		rc = buf ? result_read_buffer(path, buf, len, parse_line, &ps, err)
			 : result_read(path, parse_line, &ps, err);
	free(ps.ks);
	if (!rc)
		rc = finish(c, path, err);
	if (rc)
		report_cell_free(c);
	return rc;
}

int
report_cell_read(struct report_cell *c, const char *path, db_err *err)
{
	return cell_read(c, path, NULL, 0, err);
}

int
report_cell_read_buffer(struct report_cell *c, const char *name, const char *buf, size_t len,
	db_err *err)
{
	return cell_read(c, name, buf ? buf : "", len, err);
}

void
report_cell_free(struct report_cell *c)
{
	for (size_t i = 0; i < c->nconfig; i++) {
		free(c->config[i].key);
		free(c->config[i].val);
	}
	for (size_t i = 0; i < c->nseries; i++) {
		free(c->series[i].user);
		free(c->series[i].value);
	}
	free(c->config);
	free(c->metrics);
	free(c->series);
	free(c->curve);
	free(c->stats);
	free(c->ratings);
	free(c->diag);
	free(c->diag_stats);
	free(c->diag_tests);
	free(c->preds);
	free(c->group_key);
	free(c->tool);
	free(c->blas);
	free(c->path);
	memset(c, 0, sizeof *c);
}

const char *
report_cell_blas(const struct report_cell *c)
{
	return c->blas ? c->blas : "(none)";
}

const char *
report_cell_config(const struct report_cell *c, const char *key)
{
	for (size_t i = 0; i < c->nconfig; i++)
		if (!strcmp(c->config[i].key, key))
			return c->config[i].val;
	return NULL;
}

int
report_cell_is_trial(const struct report_cell *c)
{
	return c->kind == REPORT_TRIAL;
}

double
report_cell_metric(const struct report_cell *c, const char *split, const char *metric, int k)
{
	for (size_t i = 0; i < c->nmetrics; i++) {
		const struct report_metric *m = &c->metrics[i];
		if (m->k == k && !strcmp(m->metric, metric) && !strcmp(m->split, split))
			return m->value;
	}
	return NAN;
}

const struct report_series *
report_cell_series(const struct report_cell *c, const char *split, const char *metric, int k)
{
	for (size_t i = 0; i < c->nseries; i++) {
		const struct report_series *s = &c->series[i];
		if (s->k == k && !strcmp(s->metric, metric) && !strcmp(s->split, split))
			return s;
	}
	return NULL;
}

double
report_cell_stat(const struct report_cell *c, long iteration, const char *name)
{
	for (size_t i = 0; i < c->nstats; i++)
		if (c->stats[i].iteration == iteration && !strcmp(c->stats[i].name, name))
			return c->stats[i].value;
	return NAN;
}
