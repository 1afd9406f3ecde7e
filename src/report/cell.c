/* One result file read back into a report_cell (format: results/result.h). */
#include "report/report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FIELDS 64

struct parse {
	struct report_cell *c;
	const char *path;
	long line;
	int ks[MAX_FIELDS]; /* the `ks` line of the split being read */
	int nks;
	char ks_split[16];
	db_err *err;
};

static int
grow(void **p, size_t *cap, size_t need, size_t size, db_err *err)
{
	if (need <= *cap)
		return DB_OK;
	size_t n = *cap ? *cap * 2 : 16;
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
	if (n != 3)
		return bad(ps, "expected 'config<TAB>key<TAB>value'");
	int rc = grow((void **)&c->config, cap, c->nconfig + 1, sizeof *c->config, ps->err);
	if (rc)
		return rc;
	struct report_kv *kv = &c->config[c->nconfig];
	kv->key = strdup(f[1]);
	kv->val = strdup(f[2]);
	c->nconfig++;
	return kv->key && kv->val ? DB_OK : db_fail(ps->err, DB_ENOMEM, "out of memory");
}

static int
parse_number(const char *s, double *v)
{
	char *end;
	*v = strtod(s, &end);
	return *s && !*end;
}

static int
add_metric(struct parse *ps, char **f, int n, size_t *cap)
{
	struct report_cell *c = ps->c;
	double v;
	if (n != 5 || !parse_number(f[4], &v))
		return bad(ps, "expected 'metric<TAB>split<TAB>metric<TAB>k<TAB>value'");
	int rc = grow((void **)&c->metrics, cap, c->nmetrics + 1, sizeof *c->metrics, ps->err);
	if (rc)
		return rc;
	struct report_metric *m = &c->metrics[c->nmetrics++];
	snprintf(m->split, sizeof m->split, "%s", f[1]);
	snprintf(m->metric, sizeof m->metric, "%s", f[2]);
	m->k = atoi(f[3]);
	m->value = v;
	return DB_OK;
}

static int
set_ks(struct parse *ps, char **f, int n)
{
	if (n < 3)
		return bad(ps, "expected 'ks<TAB>split<TAB>k...'");
	snprintf(ps->ks_split, sizeof ps->ks_split, "%s", f[1]);
	ps->nks = n - 2;
	for (int j = 0; j < ps->nks; j++)
		ps->ks[j] = atoi(f[j + 2]);
	return DB_OK;
}

static struct report_series *
series_get(struct report_cell *c, const char *split, const char *metric, int k, size_t *cap,
	db_err *err)
{
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
	if (strcmp(f[1], ps->ks_split) || n != 4 + ps->nks)
		return bad(ps, "a 'user' line must follow its split's 'ks' line and give a value per K");
	for (int j = 0; j < ps->nks; j++) {
		double v;
		if (!parse_number(f[4 + j], &v))
			return bad(ps, "a per-user value is not a number");
		struct report_series *s = series_get(ps->c, f[1], f[3], ps->ks[j], cap, ps->err);
		int rc = s ? series_push(s, atoi(f[2]), v, ps->err) : DB_ENOMEM;
		if (rc)
			return rc;
	}
	return DB_OK;
}

/* Files before the clean/noisy losses end at train_loss. */
static int
add_curve(struct parse *ps, char **f, int n, size_t *cap)
{
	struct report_cell *c = ps->c;
	struct report_point p = {.loss_clean = NAN, .loss_noisy = NAN};
	if ((n != 5 && n != 7) || !parse_number(f[3], &p.valid_loss) ||
	    !parse_number(f[4], &p.train_loss) ||
	    (n == 7 && (!parse_number(f[5], &p.loss_clean) || !parse_number(f[6], &p.loss_noisy))))
		return bad(ps, "expected 'curve<TAB>iteration<TAB>epoch<TAB>valid<TAB>train"
			       "[<TAB>clean<TAB>noisy]'");
	p.iteration = atol(f[1]);
	p.epoch = atoi(f[2]);
	int rc = grow((void **)&c->curve, cap, c->ncurve + 1, sizeof *c->curve, ps->err);
	if (!rc)
		c->curve[c->ncurve++] = p;
	return rc;
}

static int
add_stat(struct parse *ps, char **f, int n, size_t *cap)
{
	struct report_cell *c = ps->c;
	struct report_stat st;
	if (n != 4 || !parse_number(f[3], &st.value) || strlen(f[2]) >= sizeof st.name)
		return bad(ps, "expected 'curve_stat<TAB>iteration<TAB>name<TAB>value'");
	st.iteration = atol(f[1]);
	snprintf(st.name, sizeof st.name, "%s", f[2]);
	int rc = grow((void **)&c->stats, cap, c->nstats + 1, sizeof *c->stats, ps->err);
	if (!rc)
		c->stats[c->nstats++] = st;
	return rc;
}

static int
add_rating(struct parse *ps, char **f, int n, size_t *cap)
{
	struct report_cell *c = ps->c;
	struct report_rating r;
	double count;
	if (n != 4 || !parse_number(f[1], &r.rating) || !parse_number(f[2], &count) ||
	    !parse_number(f[3], &r.mean))
		return bad(ps, "expected 'rating_prob<TAB>rating<TAB>lines<TAB>mean'");
	r.count = (long)count;
	int rc = grow((void **)&c->ratings, cap, c->nratings + 1, sizeof *c->ratings, ps->err);
	if (!rc)
		c->ratings[c->nratings++] = r;
	return rc;
}

/* Capacities of the cell's growing arrays while reading. */
struct caps {
	size_t config, metrics, series, curve, stats, ratings;
};

static int
parse_line(struct parse *ps, char *line, struct caps *cap)
{
	char *f[MAX_FIELDS + 4];
	int n = 0;
	for (char *p = line; n < MAX_FIELDS + 4;) {
		f[n++] = p;
		if (!(p = strchr(p, '\t')))
			break;
		*p++ = 0;
	}
	if (ps->line == 1)
		return strcmp(f[0], "denoisebench-result") ? bad(ps, "not a denoisebench result file")
							    : DB_OK;
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
		return add_stat(ps, f, n, &cap->stats);
	if (!strcmp(f[0], "rating_prob"))
		return add_rating(ps, f, n, &cap->ratings);
	if (!strcmp(f[0], "config_hash") && n == 2)
		snprintf(ps->c->hash, sizeof ps->c->hash, "%s", f[1]);
	if (!strcmp(f[0], "data_checksum") && n == 2)
		snprintf(ps->c->checksum, sizeof ps->c->checksum, "%s", f[1]);
	return DB_OK;
}

/* key=value lines of every setting but seed and data: the group key. */
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
	c->seed = atol(seed);
	size_t len = 1;
	for (size_t i = 0; i < c->nconfig; i++)
		len += strlen(c->config[i].key) + strlen(c->config[i].val) + 2;
	if (!(c->group_key = malloc(len)))
		return db_fail(err, DB_ENOMEM, "out of memory");
	char *p = c->group_key;
	*p = 0;
	for (size_t i = 0; i < c->nconfig; i++)
		if (strcmp(c->config[i].key, "seed") && strcmp(c->config[i].key, "data"))
			p += sprintf(p, "%s=%s\n", c->config[i].key, c->config[i].val);
	return DB_OK;
}

int
report_cell_read(struct report_cell *c, const char *path, db_err *err)
{
	memset(c, 0, sizeof *c);
	FILE *f = fopen(path, "r");
	if (!f)
		return db_fail(err, DB_EIO, "%s: cannot open", path);
	struct parse ps = {.c = c, .path = path, .err = err};
	struct caps cap = {0, 0, 0, 0, 0, 0};
	char *line = NULL;
	size_t linecap = 0;
	ssize_t len;
	int rc = (c->path = strdup(path)) ? DB_OK : db_fail(err, DB_ENOMEM, "out of memory");
	while (!rc && (len = getline(&line, &linecap, f)) > 0) {
		ps.line++;
		if (line[len - 1] == '\n')
			line[len - 1] = 0;
		rc = parse_line(&ps, line, &cap);
	}
	free(line);
	fclose(f);
	if (!rc && ps.line == 0)
		rc = db_fail(err, DB_EPARSE, "%s: empty file, not a result", path);
	if (!rc)
		rc = finish(c, path, err);
	if (rc)
		report_cell_free(c);
	return rc;
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
	free(c->group_key);
	free(c->path);
	memset(c, 0, sizeof *c);
}

const char *
report_cell_config(const struct report_cell *c, const char *key)
{
	for (size_t i = 0; i < c->nconfig; i++)
		if (!strcmp(c->config[i].key, key))
			return c->config[i].val;
	return NULL;
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
