/* Rankings made outside denoisebench, evaluated under the same protocol.
 *
 * The file becomes a scorer that eval_split evaluates like any model, so
 * the mask (-9999 added to train ∪ valid items), the tie rule (lowest item
 * id) and the metrics are the built-in evaluation's own code:
 *   - a score file fills one float32 row per user of the split, ranked as
 *     given (no sigmoid: a built-in run's --dump-scores already holds the
 *     ranked, post-sigmoid value);
 *   - a top-K list gives its rank-r item the score kmax + 1 - r (>= 1) and
 *     every other item 0, so the selection returns the list's first kmax
 *     items in their order; its later ranks are checked, not used.
 * What could move a number silently is refused with file:line: a user of
 * the split without a list or scores, a list shorter than the largest K, a
 * masked item in a list (the protocol ranks it below every other item), an
 * unknown or repeated item, repeated ranks or scores, non-finite scores,
 * malformed lines.
 */
#include "eval/eval.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

const char *const eval_import_format_names[3] = {"topk", "scores", "scores-f32"};

/* The outside ranking of the users of t, as eval_split's scorer sees it. */
struct import {
	const char *path;
	const dataset *d;
	const truth *t;
	const csr *mask;
	int kmax;
	enum eval_import_format fmt;
	float *score; /* scores: [t->n_users][n_items] */
	int *list;    /* topk: [t->n_users][kmax] items by rank, -1 unfilled */
	char *filled; /* scores: [t->n_users][n_items]; topk: [t->n_users] users seen */
	long lines;
};

static void
import_score_users(model *m, const int *users, int nu, float *out)
{
	const struct import *im = m->state;
	int n = im->d->n_items;
	for (int r = 0; r < nu; r++) {
		float *row = out + (size_t)r * n;
		size_t k = (size_t)(data_int_find(im->t->users, im->t->n_users, users[r]) -
			im->t->users);
		if (im->fmt != IMPORT_TOPK) {
			memcpy(row, im->score + k * n, (size_t)n * sizeof *row);
			continue;
		}
		memset(row, 0, (size_t)n * sizeof *row);
		for (int j = 0; j < im->kmax; j++)
			row[im->list[k * im->kmax + j]] = (float)(im->kmax - j);
	}
}

static const struct model_ops import_ops = {.name = "import", .score_users = import_score_users};

/* Splits line (its newline removed) at TABs into exactly n integers. */
static int
parse_ints(char *line, long *v, int n)
{
	char *p = line;
	for (int i = 0; i < n; i++) {
		char *end;
		errno = 0;
		v[i] = strtol(p, &end, 10);
		if (errno || end == p || *end != (i + 1 < n ? '\t' : '\0'))
			return -1;
		p = end + 1;
	}
	return 0;
}

static int
masked(const csr *mask, int u, int item)
{
	return u < mask->nrows &&
		data_int_find(mask->idx + mask->ptr[u], mask->ptr[u + 1] - mask->ptr[u], item);
}

/* Position of user u in t, or -1: a user outside the split. */
static long
split_pos(const struct import *im, long u)
{
	const int *hit = data_int_find(im->t->users, im->t->n_users, (int)u);
	return hit ? hit - im->t->users : -1;
}

/* Checks the user and item of a line; *k = the user's position in t. */
static int
check_user_item(const struct import *im, long u, long item, long *k, db_err *err)
{
	const dataset *d = im->d;
	if (u < 0 || u >= d->n_users)
		return db_fail(err, DB_EPARSE,
			"%s:%ld: unknown user %ld (the data set has users 0..%d)", im->path,
			im->lines, u, d->n_users - 1);
	if (item < 0 || item >= d->n_items)
		return db_fail(err, DB_EPARSE,
			"%s:%ld: unknown item %ld (the data set has items 0..%d)", im->path,
			im->lines, item, d->n_items - 1);
	*k = split_pos(im, u);
	return DB_OK;
}

/* One "user<TAB>rank<TAB>item" line. */
static int
topk_line(struct import *im, char *line, db_err *err)
{
	long v[3], k;
	if (parse_ints(line, v, 3))
		return db_fail(err, DB_EPARSE,
			"%s:%ld: expected 'user<TAB>rank<TAB>item' (three integers)", im->path,
			im->lines);
	int rc = check_user_item(im, v[0], v[2], &k, err);
	if (rc)
		return rc;
	if (v[1] < 1 || v[1] > im->d->n_items)
		return db_fail(err, DB_EPARSE, "%s:%ld: rank %ld, expected 1..%d (the item count)",
			im->path, im->lines, v[1], im->d->n_items);
	if (masked(im->mask, (int)v[0], (int)v[2]))
		return db_fail(err, DB_EPARSE,
			"%s:%ld: item %ld is masked for user %ld (a train or valid item): the "
			"protocol "
			"ranks it below every other item",
			im->path, im->lines, v[2], v[0]);
	if (k < 0)
		return DB_OK;
	im->filled[k] = 1;
	if (v[1] > im->kmax)
		return DB_OK;
	int *slot = &im->list[k * im->kmax + v[1] - 1];
	if (*slot >= 0)
		return db_fail(err, DB_EPARSE, "%s:%ld: user %ld has rank %ld twice", im->path,
			im->lines, v[0], v[1]);
	for (int j = 0; j < im->kmax; j++)
		if (im->list[k * im->kmax + j] == v[2])
			return db_fail(err, DB_EPARSE,
				"%s:%ld: user %ld lists item %ld twice (ranks %d "
				"and %ld)",
				im->path, im->lines, v[0], v[2], j + 1, v[1]);
	*slot = (int)v[2];
	return DB_OK;
}

/* One "user<TAB>item<TAB>score" line. */
static int
score_line(struct import *im, char *line, db_err *err)
{
	long v[2], k;
	char *tab = strrchr(line, '\t');
	if (!tab || parse_ints((*tab = 0, line), v, 2))
		return db_fail(err, DB_EPARSE,
			"%s:%ld: expected 'user<TAB>item<TAB>score' (two integers and a number)",
			im->path, im->lines);
	char *end;
	errno = 0;
	float s = strtof(tab + 1, &end);
	if (end == tab + 1 || *end)
		return db_fail(err, DB_EPARSE, "%s:%ld: score '%s' is not a number", im->path,
			im->lines, tab + 1);
	if (!isfinite(s))
		return db_fail(err, DB_EPARSE, "%s:%ld: score '%s' is not finite in float32",
			im->path, im->lines, tab + 1);
	int rc = check_user_item(im, v[0], v[1], &k, err);
	if (rc || k < 0)
		return rc;
	size_t at = (size_t)k * im->d->n_items + (size_t)v[1];
	if (im->filled[at])
		return db_fail(err, DB_EPARSE, "%s:%ld: a second score for user %ld, item %ld",
			im->path, im->lines, v[0], v[1]);
	im->filled[at] = 1;
	im->score[at] = s;
	return DB_OK;
}

/* Reads the text formats line by line. */
static int
read_text(struct import *im, FILE *f, db_err *err)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int rc = DB_OK;
	while (!rc && (len = getline(&line, &cap, f)) > 0) {
		im->lines++;
		if (line[len - 1] == '\n')
			line[--len] = 0;
		if ((size_t)len != strlen(line))
			rc = db_fail(err, DB_EPARSE, "%s:%ld: a NUL byte in a text line", im->path,
				im->lines);
		else
			rc = im->fmt == IMPORT_TOPK ? topk_line(im, line, err)
						    : score_line(im, line, err);
	}
	if (!rc && ferror(f))
		rc = db_fail(err, DB_EIO, "%s: read error", im->path);
	free(line);
	return rc;
}

/* Raw little-endian float32, row u = user u of the data set, n_items wide:
 * the split's rows are kept, every value is checked. */
static int
read_f32(struct import *im, FILE *f, db_err *err)
{
	const dataset *d = im->d;
	size_t n = (size_t)d->n_items;
	unsigned char *raw = malloc(4 * n);
	if (!raw)
		return db_fail(err, DB_ENOMEM, "out of memory");
	int rc = DB_OK;
	for (int u = 0; u < d->n_users && !rc; u++) {
		if (fread(raw, 4, n, f) != n) {
			rc = db_fail(err, DB_EPARSE,
				"%s: ends in the row of user %d, expected %d users "
				"x %d items x 4 bytes = %zu",
				im->path, u, d->n_users, d->n_items, (size_t)d->n_users * n * 4);
			break;
		}
		long k = split_pos(im, u);
		for (size_t i = 0; i < n && !rc; i++) {
			uint32_t b = (uint32_t)raw[4 * i] | (uint32_t)raw[4 * i + 1] << 8 |
				(uint32_t)raw[4 * i + 2] << 16 | (uint32_t)raw[4 * i + 3] << 24;
			float s;
			memcpy(&s, &b, sizeof s);
			if (!isfinite(s))
				rc = db_fail(err, DB_EPARSE,
					"%s: byte %zu (user %d, item %zu): a "
					"non-finite score",
					im->path, ((size_t)u * n + i) * 4, u, i);
			else if (k >= 0)
				im->score[(size_t)k * n + i] = s;
		}
		if (k >= 0)
			memset(im->filled + (size_t)k * n, 1, n);
	}
	if (!rc && fgetc(f) != EOF)
		rc = db_fail(err, DB_EPARSE, "%s: longer than %d users x %d items x 4 bytes = %zu",
			im->path, d->n_users, d->n_items, (size_t)d->n_users * n * 4);
	free(raw);
	return rc;
}

/* Every user of the split has a full list / every score. */
static int
check_complete(const struct import *im, db_err *err)
{
	const truth *t = im->t;
	int n = im->d->n_items;
	for (int k = 0; k < t->n_users; k++) {
		int u = t->users[k];
		if (im->fmt == IMPORT_TOPK) {
			if (!im->filled[k])
				return db_fail(err, DB_EPARSE,
					"%s:%ld: no list for user %d of the split "
					"(end of file)",
					im->path, im->lines, u);
			for (int j = 0; j < im->kmax; j++)
				if (im->list[(size_t)k * im->kmax + j] < 0)
					return db_fail(err, DB_EPARSE,
						"%s:%ld: the list of user %d has no "
						"rank %d: shorter than the largest K (%d) (end of "
						"file)",
						im->path, im->lines, u, j + 1, im->kmax);
			continue;
		}
		const char *row = im->filled + (size_t)k * n;
		const char *gap = memchr(row, 0, (size_t)n);
		if (gap)
			return db_fail(err, DB_EPARSE,
				"%s:%ld: no score for user %d of the split, "
				"item %d (every item needs one) (end of file)",
				im->path, im->lines, u, (int)(gap - row));
	}
	return DB_OK;
}

/* Allocates im's arrays for its format. */
static int
import_alloc(struct import *im, db_err *err)
{
	size_t nu = (size_t)im->t->n_users, n = (size_t)im->d->n_items;
	if (im->fmt == IMPORT_TOPK) {
		im->list = db_calloc(nu * im->kmax, sizeof *im->list, err);
		im->filled = db_calloc(nu, 1, err);
		if (!im->list || !im->filled)
			return DB_ENOMEM;
		for (size_t x = 0; x < nu * im->kmax; x++)
			im->list[x] = -1;
		return DB_OK;
	}
	im->score = db_calloc(nu * n, sizeof *im->score, err);
	im->filled = db_calloc(nu * n, 1, err);
	return im->score && im->filled ? DB_OK : DB_ENOMEM;
}

int
eval_import(const char *path, enum eval_import_format fmt, const dataset *d, const truth *t,
	const csr *mask, const int *ks, int nk, int eval_block, eval_result *res, db_err *err)
{
	memset(res, 0, sizeof *res);
	struct import im = {.path = path, .d = d, .t = t, .mask = mask, .fmt = fmt};
	for (int x = 0; x < nk; x++)
		if (ks[x] > im.kmax)
			im.kmax = ks[x];
	if (im.kmax > d->n_items) /* as eval_split clamps it */
		im.kmax = d->n_items;
	if (t->n_users < 1 || im.kmax < 1)
		return db_fail(err, DB_EINVAL, "import: no user to evaluate or no cut-off");
	FILE *f = fopen(path, fmt == IMPORT_SCORES_F32 ? "rb" : "r");
	if (!f)
		return db_fail(err, DB_EIO, "%s: cannot open", path);
	int rc = import_alloc(&im, err);
	if (!rc)
		rc = fmt == IMPORT_SCORES_F32 ? read_f32(&im, f, err) : read_text(&im, f, err);
	fclose(f);
	if (!rc)
		rc = check_complete(&im, err);
	model m = {.ops = &import_ops, .n_users = d->n_users, .n_items = d->n_items, .state = &im};
	struct eval_opts eo = {.eval_block = eval_block, .mask = mask};
	if (!rc)
		rc = eval_split(&m, d, t, ks, nk, &eo, res, err);
	free(im.score);
	free(im.list);
	free(im.filled);
	return rc;
}
