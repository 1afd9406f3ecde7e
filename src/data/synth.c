/* Synthetic implicit feedback with known clean and noisy interactions: the
 * built-in default data of the tool and of its tests.
 *
 * Users and items get latent vectors p_u, q_i ~ N(0, I_dim); the affinity
 * a_ui = p_u.q_i / sqrt(dim) has unit variance.  Items have a Zipf
 * popularity pop_i ~ 1/(rank_i + 1) over a random rank order.  A user likes
 * the top LIKED_SHARE of items by affinity and dislikes the bottom
 * DISLIKED_SHARE.  True positives (at least 3, Poisson mean mean_per_user)
 * are drawn without replacement from the liked items with weight
 * exp(a_ui / TEMPERATURE) * pop_i^POP_EXPONENT: the temperature makes the
 * preference dominate popularity, so a model that learns preferences beats
 * popularity ranking.  The stronger FIVE_SHARE of a user's true positives
 * (by affinity) are rated 5, the others 4.  Planted false positives are
 * drawn from the disliked items with weight pop_i (noise follows popularity,
 * as accidental clicks do), rated 1 or 2, and make up noise_rate of the
 * lines.  Each line goes to valid with probability valid_frac, to test with
 * test_frac, else to train.
 *
 * Ground truth is readable from the files alone: rating <= 2 <=> planted
 * noise, rating >= 4 <=> true positive.  .test.noisy is the whole test split
 * and .test.negative its rating-5 rows (clean = rating 5, as in the DeCA
 * data, protocol §1.3).  Every user has a train line, and valid/test lines
 * whose item lies beyond the largest train item are dropped, so the loader's
 * n = max train id + 1 rule covers every id.
 */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "data/dataset.h"
#include "nn/rng.h"
#include "util/fileio.h"

#define LIKED_SHARE    0.4
#define DISLIKED_SHARE 0.4
#define TEMPERATURE    0.5
#define POP_EXPONENT   1.5 /* MostPop then beats random about 2x, as on real data */
#define ZIPF_EXPONENT  1.0
#define FIVE_SHARE     0.6
#define MIN_TRUE       3

enum synth_split { SPLIT_TRAIN, SPLIT_VALID, SPLIT_TEST };

struct synth_line {
	int user, item, rating, split;
};

struct scored {
	double s;
	int item;
};

struct synth_state {
	const struct synth_opts *o;
	gsl_rng *r;
	double *q;                    /* n_items x dim */
	double *logpop;               /* n_items */
	double *p;                    /* dim, the current user */
	struct scored *by_aff, *pool; /* n_items each */
	struct synth_line *lines;
	int n, cap;
};

void
synth_default_opts(struct synth_opts *o)
{
	*o = (struct synth_opts){.n_users = 300,
		.n_items = 200,
		.dim = 8,
		.mean_per_user = 20,
		.noise_rate = 0.2,
		.valid_frac = 0.1,
		.test_frac = 0.2,
		.seed = 1};
}

static int
synth_check(const struct synth_opts *o, db_err *err)
{
	if (o->n_users < 1 || o->n_items < 10 || o->dim < 1)
		return db_fail(err, DB_EINVAL,
			"synth: need n_users >= 1, n_items >= 10, dim >= 1 (got %d, %d, %d)",
			o->n_users, o->n_items, o->dim);
	if (!(o->mean_per_user >= 1) || !(o->noise_rate >= 0 && o->noise_rate < 1))
		return db_fail(err, DB_EINVAL,
			"synth: need mean_per_user >= 1 and 0 <= noise_rate < 1 (got %g, %g)",
			o->mean_per_user, o->noise_rate);
	if (!(o->valid_frac >= 0 && o->test_frac >= 0 && o->valid_frac + o->test_frac < 1))
		return db_fail(err, DB_EINVAL,
			"synth: need valid_frac, test_frac >= 0 with a sum below 1 (got %g, %g)",
			o->valid_frac, o->test_frac);
	return DB_OK;
}

/* Descending score; the item id breaks ties so that qsort's instability
 * cannot change the output. */
static int
cmp_scored_desc(const void *a, const void *b)
{
	const struct scored *x = a, *y = b;
	if (x->s != y->s)
		return x->s < y->s ? 1 : -1;
	return (x->item > y->item) - (x->item < y->item);
}

static int
state_alloc(struct synth_state *st, const struct synth_opts *o, db_err *err)
{
	size_t ni = (size_t)o->n_items;
	memset(st, 0, sizeof *st);
	st->o = o;
	st->r = rng_stream(o->seed, "synth");
	st->q = db_calloc(ni * (size_t)o->dim, sizeof *st->q, err);
	st->logpop = db_calloc(ni, sizeof *st->logpop, err);
	st->p = db_calloc((size_t)o->dim, sizeof *st->p, err);
	st->by_aff = db_calloc(ni, sizeof *st->by_aff, err);
	st->pool = db_calloc(ni, sizeof *st->pool, err);
	if (!st->r)
		return db_fail(err, DB_ENOMEM, "synth: cannot allocate the random stream");
	if (!st->q || !st->logpop || !st->p || !st->by_aff || !st->pool)
		return DB_ENOMEM;
	return DB_OK;
}

static void
state_free(struct synth_state *st)
{
	if (st->r)
		gsl_rng_free(st->r);
	free(st->q);
	free(st->logpop);
	free(st->p);
	free(st->by_aff);
	free(st->pool);
	free(st->lines);
}

static void
draw_items(struct synth_state *st)
{
	const struct synth_opts *o = st->o;
	for (size_t k = 0; k < (size_t)o->n_items * (size_t)o->dim; k++)
		st->q[k] = gsl_ran_gaussian(st->r, 1.0);
	/* a random popularity order: items sorted by a uniform key */
	for (int i = 0; i < o->n_items; i++)
		st->pool[i] = (struct scored){gsl_rng_uniform(st->r), i};
	qsort(st->pool, (size_t)o->n_items, sizeof *st->pool, cmp_scored_desc);
	for (int k = 0; k < o->n_items; k++)
		st->logpop[st->pool[k].item] = -ZIPF_EXPONENT * log(1.0 + k);
}

/* Items sorted by the user's affinity, highest first. */
static void
score_items(struct synth_state *st)
{
	const struct synth_opts *o = st->o;
	for (int d = 0; d < o->dim; d++)
		st->p[d] = gsl_ran_gaussian(st->r, 1.0);
	for (int i = 0; i < o->n_items; i++) {
		const double *qi = st->q + (size_t)i * (size_t)o->dim;
		double a = 0;
		for (int d = 0; d < o->dim; d++)
			a += st->p[d] * qi[d];
		st->by_aff[i] = (struct scored){a / sqrt(o->dim), i};
	}
	qsort(st->by_aff, (size_t)o->n_items, sizeof *st->by_aff, cmp_scored_desc);
}

static int
push_line(struct synth_state *st, int user, int item, int rating, db_err *err)
{
	if (st->n == st->cap) {
		if (st->cap > INT_MAX / 2)
			return db_fail(err, DB_EINVAL, "synth: more than %d lines", st->cap);
		int cap = st->cap ? 2 * st->cap : 1024;
		struct synth_line *l = realloc(st->lines, (size_t)cap * sizeof *l);
		if (!l)
			return db_fail(err, DB_ENOMEM, "synth: out of memory for %d lines", cap);
		st->lines = l;
		st->cap = cap;
	}
	st->lines[st->n++] = (struct synth_line){user, item, rating, SPLIT_TRAIN};
	return DB_OK;
}

/* Orders the n candidates by_aff[from..from+n) as a draw without
 * replacement with probability proportional to exp(logw) (Gumbel top-k):
 * any prefix pool[0..k) is such a sample of size k.  pool[].item holds the
 * candidate's affinity rank j, which also orders the chosen by preference. */
static void
sample_pool(struct synth_state *st, int from, int n, double inv_temp, double pop_exp)
{
	for (int j = 0; j < n; j++) {
		const struct scored *c = &st->by_aff[from + j];
		double logw = c->s * inv_temp + pop_exp * st->logpop[c->item];
		double gumbel = -log(-log(gsl_rng_uniform_pos(st->r)));
		st->pool[j] = (struct scored){logw + gumbel, j};
	}
	qsort(st->pool, (size_t)n, sizeof *st->pool, cmp_scored_desc);
}

static int
draw_true(struct synth_state *st, int u, int n_liked, int *n_true, db_err *err)
{
	int n = (int)gsl_ran_poisson(st->r, st->o->mean_per_user);
	n = n < MIN_TRUE ? MIN_TRUE : n > n_liked ? n_liked : n;
	sample_pool(st, 0, n_liked, 1.0 / TEMPERATURE, POP_EXPONENT);
	/* strongest preferences first: ascending affinity rank */
	for (int t = 0; t < n; t++)
		st->pool[t].s = -st->pool[t].item;
	qsort(st->pool, (size_t)n, sizeof *st->pool, cmp_scored_desc);
	int n5 = (int)(FIVE_SHARE * n + 0.5), rc = DB_OK;
	for (int t = 0; t < n && !rc; t++)
		rc = push_line(st, u, st->by_aff[st->pool[t].item].item, t < n5 ? 5 : 4, err);
	*n_true = n;
	return rc;
}

static int
draw_noise(struct synth_state *st, int u, int n_true, db_err *err)
{
	const struct synth_opts *o = st->o;
	int n_disliked = (int)(DISLIKED_SHARE * o->n_items), from = o->n_items - n_disliked;
	int n = (int)gsl_ran_poisson(st->r, n_true * o->noise_rate / (1 - o->noise_rate));
	n = n > n_disliked ? n_disliked : n;
	sample_pool(st, from, n_disliked, 0, 1.0);
	int rc = DB_OK;
	for (int t = 0; t < n && !rc; t++) {
		int rating = 1 + (int)gsl_rng_uniform_int(st->r, 2);
		rc = push_line(st, u, st->by_aff[from + st->pool[t].item].item, rating, err);
	}
	return rc;
}

/* Every user needs a train line (the loader counts users from train, and a
 * cold user only measures the initialisation); in the rare case that the
 * draw leaves none, the first true positive is moved to train. */
static void
split_user(struct synth_state *st, int first)
{
	const struct synth_opts *o = st->o;
	struct synth_line *l = st->lines + first;
	int n = st->n - first, has_train = 0;
	gsl_ran_shuffle(st->r, l, (size_t)n, sizeof *l);
	for (int k = 0; k < n; k++) {
		double x = gsl_rng_uniform(st->r);
		l[k].split = x < o->valid_frac             ? SPLIT_VALID
			: x < o->valid_frac + o->test_frac ? SPLIT_TEST
							   : SPLIT_TRAIN;
		has_train |= l[k].split == SPLIT_TRAIN;
	}
	for (int k = 0; k < n && !has_train; k++)
		if (l[k].rating >= 4) {
			l[k].split = SPLIT_TRAIN;
			has_train = 1;
		}
}

static int
draw_user(struct synth_state *st, int u, db_err *err)
{
	int first = st->n;
	score_items(st);
	int n_true;
	int rc = draw_true(st, u, (int)(LIKED_SHARE * st->o->n_items), &n_true, err);
	if (!rc)
		rc = draw_noise(st, u, n_true, err);
	if (!rc)
		split_user(st, first);
	return rc;
}

/* Ids beyond the largest train item would be out of range for the loader. */
static void
drop_unseen_items(struct synth_state *st)
{
	int max_item = -1, w = 0;
	for (int k = 0; k < st->n; k++)
		if (st->lines[k].split == SPLIT_TRAIN && st->lines[k].item > max_item)
			max_item = st->lines[k].item;
	for (int k = 0; k < st->n; k++)
		if (st->lines[k].split == SPLIT_TRAIN || st->lines[k].item <= max_item)
			st->lines[w++] = st->lines[k];
	st->n = w;
}

enum synth_file { F_TRAIN, F_VALID, F_TEST_CLEAN, F_TEST_NOISY, F_COUNT };

static const char *const synth_suffix[F_COUNT] = {".train.rating", ".valid.rating",
	".test.negative", ".test.noisy"};

static int
write_files(const struct synth_state *st, const char *dir, const char *name, db_err *err)
{
	afile f[F_COUNT];
	char path[4096];
	int opened = 0, rc = fileio_mkdir_p(dir, err);
	for (; !rc && opened < F_COUNT; opened++) {
		rc = fileio_join(path, sizeof path, dir, name, synth_suffix[opened], err);
		if (!rc)
			rc = afile_open(&f[opened], path, err);
		if (rc)
			break;
	}
	for (int k = 0; k < st->n && !rc; k++) {
		const struct synth_line *l = &st->lines[k];
		int to = l->split == SPLIT_TRAIN  ? F_TRAIN
			: l->split == SPLIT_VALID ? F_VALID
						  : F_TEST_NOISY;
		fprintf(f[to].f, "%d\t%d\t%d\n", l->user, l->item, l->rating);
		if (to == F_TEST_NOISY && l->rating == 5)
			fprintf(f[F_TEST_CLEAN].f, "%d\t%d\t%d\n", l->user, l->item, l->rating);
	}
	/* afile_commit reports write errors that fprintf left in the stream */
	for (int k = 0; k < opened; k++) {
		if (rc)
			afile_abort(&f[k]);
		else
			rc = afile_commit(&f[k], err);
	}
	return rc;
}

int
synth_write(const struct synth_opts *o, const char *dir, const char *name, db_err *err)
{
	struct synth_state st;
	const char *bad = fileio_name_problem(name);
	if (bad)
		return db_fail(err, DB_EINVAL, "synth: dataset name '%s' %s", name, bad);
	int rc = synth_check(o, err);
	if (rc)
		return rc;
	rc = state_alloc(&st, o, err);
	if (!rc) {
		draw_items(&st);
		for (int u = 0; u < o->n_users && !rc; u++)
			rc = draw_user(&st, u, err);
	}
	if (!rc) {
		drop_unseen_items(&st);
		rc = write_files(&st, dir, name, err);
	}
	state_free(&st);
	return rc;
}
