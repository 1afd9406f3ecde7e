/* Full-ranking evaluation of a model on one split, as the reference code
 * does it (reference/protocol.md §6.1-6.3, §11).
 *
 * Users are scored in blocks of eval_block into one buffer allocated per
 * call (a model whose scores depend on the block: its score_block, users
 * in file order).  With more workers (eval_opts.threads), worker i scores
 * blocks i, i + n, i + 2n, ... in a process of its own (fork), each with its
 * own copy of the scorer (score_clone) and buffers, writing its users'
 * metrics and top lists into memory shared with the caller: a block is the
 * same block, scored by the same code, in any worker, and nothing is summed
 * across users until every user is done, so the bits do not depend on the
 * worker count.  Processes, not threads: Debian's serial OpenBLAS (0.3.21,
 * built without USE_LOCKING) hands concurrent sgemm calls of one process
 * one packing buffer and gave wrong products under load (README, Speed);
 * in processes of their own the workers' BLAS calls run at once.  Each user's row then goes
 * through exactly the reference's float32 steps: the sigmoid when the protocol ranks probabilities (DeCA), where
 * saturation makes distinct logits equal (1.0f) and the tie order decides
 * published numbers; then -9999 is *added* (not assigned) to every masked
 * item, so masked items keep their relative order below all others; then
 * the top max(K) with ties to the lowest item id (the sigmoid computed
 * for the few items that can decide it: eval/topk_prob.c, same ranks).
 * Training-free models
 * (MostPop's counts, ItemKNN's and EASE's sums) output scores, not logits:
 * they rank by their raw scores under every protocol, since their sigmoid
 * would saturate and hand the ranking to the lowest item id.
 *
 * max(K) larger than the number of items is clamped to the number of items
 * (torch.topk would fail there); the missing ranks count as misses.  Users
 * without a mask row (mask.nrows <= user, e.g. an empty mask for a no-mask
 * variant) are not masked.
 */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS: the workers' shared memory (glibc) */
#include "eval/eval.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif
#if !defined(MAP_ANONYMOUS) && defined(MAP_ANON)
#define MAP_ANONYMOUS MAP_ANON
#endif

/* What every user's step needs, fixed for one eval_split call. */
struct eval_ctx {
	const dataset *d;
	const truth *t;
	const struct eval_opts *o;
	const csr *mask;
	const int *ks;
	int nk, kmax, n_items;
	int prob;       /* the sigmoid applies: output_prob and the model's output is a logit */
	size_t *order;  /* nk: ks by ascending K (metric_order) */
	const int *pos; /* n_users: the scoring order (scoring_order) */
	int nb;         /* users per block */
	int nw;         /* workers */
	double *per_user; /* n_users x METRIC_COUNT x nk, by truth position */
	int *ranked;      /* with dump_topk: n_users x kmax, by scoring position */
	/* the workers and their processes (nw each), here so that a worker
	 * process, which exits inside eval_split, still points at them (a leak
	 * check at its exit, valgrind's, finds them from this frame) */
	struct eval_worker *w;
	pid_t *pid;
};

/* One worker's scorer and scratch, allocated once per call: it scores the
 * block of positions [b, b + nu) of the scoring order into buf and leaves
 * each user's top list in ranked (or the context's, for the top-K dump,
 * written afterwards in order by the caller) and its metrics in its own
 * row of per_user, so that no two workers write one byte. */
struct eval_worker {
	const struct eval_ctx *c;
	model *m; /* the model (worker 0) or its score_clone */
	model clone;
	float *buf;    /* nb x n_items */
	int *block;    /* nb users */
	int *ranked;   /* nb x kmax */
	float *cand_p; /* n_items: topk_select_prob's scratch */
	int *cand_i;   /* n_items */
	int b, nu;
};

/* A worker's outcome, in memory shared with the caller. */
struct eval_status {
	int rc;
	int done; /* the worker got to its end */
	db_err err;
};

/* Checks the arguments; sets *kmax = max(ks), clamped to the item count. */
static int
eval_check(const model *m, const dataset *d, const truth *t, const int *ks, int nk,
	const struct eval_opts *o, int *kmax, db_err *err)
{
	if (nk < 1 || nk > EVAL_MAX_K)
		return db_fail(err, DB_EINVAL, "evaluation: %d cut-offs, expected 1 to %d", nk,
			EVAL_MAX_K);
	if (o->eval_block < 1)
		return db_fail(err, DB_EINVAL, "evaluation: eval_block %d, expected >= 1",
			o->eval_block);
	if (m->n_items < 1 || m->n_items != d->n_items)
		return db_fail(err, DB_EINVAL, "evaluation: model has %d items, data set %s has %d",
			m->n_items, d->name, d->n_items);
	if (t->n_users < 1)
		return db_fail(err, DB_EINVAL, "evaluation: no user has a ground-truth line");
	*kmax = 0;
	for (int x = 0; x < nk; x++) {
		if (ks[x] < 1)
			return db_fail(err, DB_EINVAL, "evaluation: cut-off K = %d, expected >= 1",
				ks[x]);
		if (ks[x] > *kmax)
			*kmax = ks[x];
	}
	if (*kmax > m->n_items)
		*kmax = m->n_items;
	for (int k = 0; k < t->n_users; k++)
		if (t->users[k] < 0 || t->users[k] >= m->n_users)
			return db_fail(err, DB_EINVAL,
				"evaluation: test user %d outside the model's "
				"0..%d",
				t->users[k], m->n_users - 1);
	return DB_OK;
}

/* User u's top list from its scores row[0..n_items) (then scratch) into
 * ranked[0..kmax).  Under output=prob without a score dump, the ranking of
 * the probabilities needs few sigmoids (topk_select_prob); otherwise the
 * whole row is transformed as described above. */
static int
eval_rank(const struct eval_ctx *c, int u, float *row, int *ranked, float *cand_p, int *cand_i,
	db_err *err)
{
	FILE *sf = c->o->dump_scores; /* set only with one worker: eval_workers */
	const csr *mk = c->mask;
	const int *mrow = u < mk->nrows ? mk->idx + mk->ptr[u] : NULL;
	int n_mask = mrow ? mk->ptr[u + 1] - mk->ptr[u] : 0;
	if (c->prob && !sf &&
		topk_select_prob(row, c->n_items, mrow, n_mask, c->kmax, ranked, cand_p, cand_i))
		return DB_OK;
	if (c->prob)
		for (int i = 0; i < c->n_items; i++)
			row[i] = eval_sigmoid(row[i]);
	for (int i = 0; sf && i < c->n_items; i++)
		if (fprintf(sf, "%d\t%d\t%.9g\n", u, i, row[i]) < 0)
			return db_fail(err, DB_EIO, "evaluation: cannot write the score dump");
	for (int p = 0; p < n_mask; p++)
		row[mrow[p]] += -9999.0f;
	topk_select(row, c->n_items, c->kmax, ranked);
	return DB_OK;
}

/* The worker's block: score, then every user of it. */
static int
eval_block_run(struct eval_worker *w, db_err *err)
{
	const struct eval_ctx *c = w->c;
	size_t stride = (size_t)METRIC_COUNT * c->nk;
	for (int r = 0; r < w->nu; r++)
		w->block[r] = c->t->users[c->pos[w->b + r]];
	w->m->ops->score_users(w->m, w->block, w->nu, w->buf);
	const csr *g = &c->t->items;
	for (int r = 0; r < w->nu; r++) {
		int k = c->pos[w->b + r];
		int *ranked = c->ranked ? c->ranked + (size_t)(w->b + r) * c->kmax
					: w->ranked + (size_t)r * c->kmax;
		int rc = eval_rank(c, w->block[r], w->buf + (size_t)r * c->n_items, ranked,
			w->cand_p, w->cand_i, err);
		if (rc)
			return rc;
		metric_user(ranked, c->kmax, g->idx + g->ptr[k], g->ptr[k + 1] - g->ptr[k], c->ks,
			c->order, c->nk, c->per_user + k * stride);
	}
	return DB_OK;
}

/* Worker i's share: blocks i, i + nw, ... of the scoring order. */
static void
eval_share(struct eval_worker *w, int i, struct eval_status *st)
{
	const struct eval_ctx *c = w->c;
	int n = c->t->n_users;
	for (w->b = i * c->nb; w->b < n && !st->rc; w->b += c->nw * c->nb) {
		w->nu = n - w->b < c->nb ? n - w->b : c->nb;
		st->rc = eval_block_run(w, &st->err);
	}
	st->done = 1;
}

/* The top lists of every user, in scoring order. */
static int
eval_dump_topk(const struct eval_ctx *c, FILE *f, db_err *err)
{
	for (int p = 0; p < c->t->n_users; p++)
		for (int j = 0; j < c->kmax; j++)
			if (fprintf(f, "%d\t%d\t%d\n", c->t->users[c->pos[p]], j + 1,
				    c->ranked[(size_t)p * c->kmax + j]) < 0)
				return db_fail(err, DB_EIO,
					"evaluation: cannot write the top-K dump");
	return DB_OK;
}

/* order[0..n_users) = the split's user positions, by first line in x when
 * given (users without a line there last, ascending), else ascending.
 * seen: n_users zeroed bytes of scratch. */
static void
scoring_order(const truth *t, const interactions *x, int *order, char *seen)
{
	int n = 0;
	for (int k = 0; x && k < x->n; k++) {
		const int *hit = data_int_find(t->users, t->n_users, x->user[k]);
		if (hit && !seen[hit - t->users]) {
			seen[hit - t->users] = 1;
			order[n++] = (int)(hit - t->users);
		}
	}
	for (int k = 0; k < t->n_users; k++)
		if (!seen[k])
			order[n++] = k;
}

/* mean = sum over all evaluated users in ascending order / their number. */
static void
eval_mean(eval_result *r)
{
	size_t stride = (size_t)METRIC_COUNT * r->nk;
	for (int m = 0; m < METRIC_COUNT; m++) {
		for (int x = 0; x < r->nk; x++) {
			double s = 0;
			for (int k = 0; k < r->n_users; k++)
				s += r->per_user[k * stride + (size_t)m * r->nk + x];
			r->mean[(size_t)m * r->nk + x] = s / r->n_users;
		}
	}
}

const char *const eval_split_names[EVAL_SPLITS] = {"test", "test_noisy", "valid"};

int
eval_split_define(const dataset *d, const config *cfg, enum eval_split_id which,
	struct eval_split_def *out)
{
	static const csr no_mask = {0};
	int cdae = !strcmp(config_get(cfg, "model"), "cdae");
	const csr *test_mask = cdae && !config_bool(cfg, "cdae_mask") ? &no_mask : &d->mask;
	switch (which) {
	case EVAL_TEST:
		*out = (struct eval_split_def){&d->test_truth, test_mask, &d->test};
		return 1;
	case EVAL_TEST_NOISY:
		*out = (struct eval_split_def){&d->noisy_truth, test_mask, &d->test_noisy};
		return d->has_test_noisy;
	case EVAL_VALID:
		*out = (struct eval_split_def){&d->valid_truth, &d->train_pos, &d->valid};
		return d->valid_truth.n_users > 0;
	case EVAL_SPLITS:
		break;
	}
	return 0;
}

/* The workers one call uses: the budget, but one when the model's scorer
 * cannot be copied (it writes shared state or draws from a stream), when
 * every item's score is dumped (its writing is the cost, in order), and
 * never more than the blocks. */
static int
eval_workers(const model *m, const struct eval_opts *o, int n_blocks)
{
	int n = o->threads > 1 ? o->threads : 1;
	if (!m->ops->score_clone || o->dump_scores)
		n = 1;
	return n < n_blocks ? n : n_blocks;
}

/* Worker i's scorer and scratch; the extra workers' scorers are made here,
 * in the caller, before any scoring (a lazy cache fills once). */
static int
eval_worker_init(struct eval_worker *w, int i, model *m, const struct eval_ctx *c, db_err *err)
{
	w->c = c;
	w->buf = db_calloc((size_t)c->nb * c->n_items, sizeof *w->buf, err);
	w->block = db_calloc(c->nb, sizeof *w->block, err);
	w->ranked = db_calloc((size_t)c->nb * c->kmax, sizeof *w->ranked, err);
	w->cand_p = db_calloc(c->n_items, sizeof *w->cand_p, err);
	w->cand_i = db_calloc(c->n_items, sizeof *w->cand_i, err);
	if (!w->buf || !w->block || !w->ranked || !w->cand_p || !w->cand_i)
		return DB_ENOMEM;
	if (i == 0) {
		w->m = m;
		return DB_OK;
	}
	w->m = &w->clone; /* freed by eval_worker_free even when the copy fails */
	return m->ops->score_clone(m, c->nb, &w->clone, err);
}

static void
eval_worker_free(struct eval_worker *w)
{
	if (w->m == &w->clone && w->clone.ops && w->clone.ops->score_clone_free)
		w->clone.ops->score_clone_free(&w->clone);
	free(w->buf);
	free(w->block);
	free(w->ranked);
	free(w->cand_p);
	free(w->cand_i);
}

/* What the workers write and the caller reads: the statuses, the metrics
 * (with more than one worker; one writes the result's own) and the top
 * lists (with dump_topk), in one mapping shared with the worker processes,
 * or the caller's own memory for one worker. */
struct eval_out {
	struct eval_status *st;
	double *per_user;
	int *ranked;
	size_t bytes;
	int mapped;
};

static int
eval_out_alloc(struct eval_out *x, const struct eval_ctx *c, size_t per_user, db_err *err)
{
	size_t st = (size_t)c->nw * sizeof *x->st, pu = c->nw > 1 ? per_user * sizeof(double) : 0;
	size_t rk = c->o->dump_topk ? (size_t)c->t->n_users * c->kmax * sizeof(int) : 0;
	st = (st + sizeof(double) - 1) / sizeof(double) * sizeof(double);
	x->bytes = st + pu + rk;
	x->mapped = c->nw > 1;
	void *p = x->mapped
		? mmap(NULL, x->bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0)
		: calloc(1, x->bytes);
	if (p == MAP_FAILED || !p) {
		x->bytes = 0;
		return db_fail(err, DB_ENOMEM, "evaluation: cannot allocate %zu bytes for %d %s",
			st + pu + rk, c->nw, c->nw > 1 ? "workers" : "worker");
	}
	x->st = p;
	x->per_user = pu ? (double *)((char *)p + st) : NULL;
	x->ranked = rk ? (int *)((char *)p + st + pu) : NULL;
	return DB_OK;
}

static void
eval_out_free(struct eval_out *x)
{
	if (x->mapped && x->bytes)
		munmap(x->st, x->bytes);
	else if (!x->mapped)
		free(x->st);
}

/* Worker i (> 0) in a process of its own: its share, then _exit, so that
 * nothing of the caller's (stdio buffers, atexit) runs twice.  It dies with
 * its parent: a killed run leaves no worker behind.  Test hook (README,
 * "Testing"): DB_FAULT_EVAL_WORKER=i kills worker i's process at its start,
 * =-i has it exit 3 after its share. */
static pid_t
eval_spawn(struct eval_worker *w, int i, struct eval_status *st)
{
	pid_t parent = getpid(), pid = fork();
	if (pid)
		return pid;
#ifdef __linux__
	prctl(PR_SET_PDEATHSIG, SIGKILL);
#endif
	const char *fault = getenv("DB_FAULT_EVAL_WORKER");
	int hook = fault ? atoi(fault) : 0;
	if (getppid() != parent || hook == i)
		raise(SIGKILL);
	eval_share(w, i, st);
	_exit(hook == -i ? 3 : 0);
}

/* Runs worker 0 here and the others in their processes, waits for all; the
 * first failure in worker order.  A worker whose process cannot start runs
 * here after worker 0. */
static int
eval_run(const struct eval_ctx *c, struct eval_status *st, db_err *err)
{
	struct eval_worker *w = c->w;
	pid_t *pid = c->pid;
	for (int i = 1; i < c->nw; i++)
		pid[i] = eval_spawn(&w[i], i, &st[i]);
	eval_share(&w[0], 0, &st[0]);
	for (int i = 1; i < c->nw; i++) {
		int ws = 0;
		if (pid[i] < 0) {
			eval_share(&w[i], i, &st[i]);
			continue;
		}
		pid_t got;
		while ((got = waitpid(pid[i], &ws, 0)) < 0 && errno == EINTR)
			;
		/* a worker that got to its end but exits non-zero (valgrind's
		 * error exit, say) fails the run as well */
		if (got < 0)
			st[i].rc = db_fail(&st[i].err, DB_EWORKER,
				"evaluation: cannot wait for worker %d's process: %s", i,
				strerror(errno));
		else if (!st[i].done || !WIFEXITED(ws) || WEXITSTATUS(ws))
			st[i].rc = db_fail(&st[i].err, DB_EWORKER,
				"evaluation: worker %d's process ended (%s %d) %s", i,
				WIFSIGNALED(ws) ? "signal" : "exit status",
				WIFSIGNALED(ws) ? WTERMSIG(ws) : WEXITSTATUS(ws),
				st[i].done ? "after its end" : "before its end");
	}
	for (int i = 0; i < c->nw; i++)
		if (st[i].rc) {
			*err = st[i].err;
			return st[i].rc;
		}
	return DB_OK;
}

int
eval_split(model *m, const dataset *d, const truth *t, const int *ks, int nk,
	const struct eval_opts *o, eval_result *res, db_err *err)
{
	memset(res, 0, sizeof *res);
	struct eval_ctx c = {d, t, o, o->mask ? o->mask : &d->mask, ks, nk, 0, m->n_items,
		o->output_prob && m->ops->trainable, NULL, NULL, 0, 1, NULL, NULL, NULL, NULL};
	struct eval_out out = {0};
	int rc = eval_check(m, d, t, ks, nk, o, &c.kmax, err);
	if (rc)
		return rc;
	c.nb = m->score_block > 0 ? m->score_block : o->eval_block;
	if (c.nb > t->n_users)
		c.nb = t->n_users;
	c.nw = eval_workers(m, o, (t->n_users + c.nb - 1) / c.nb);
	size_t stride = (size_t)METRIC_COUNT * nk;
	int *pos = db_calloc(t->n_users, sizeof *pos, err);
	char *seen = db_calloc(t->n_users, 1, err);
	struct eval_worker *w = c.w = db_calloc(c.nw, sizeof *w, err);
	c.pid = db_calloc(c.nw, sizeof *c.pid, err);
	c.order = db_calloc(nk, sizeof *c.order, err);
	res->ks = db_calloc(nk, sizeof *res->ks, err);
	res->users = db_calloc(t->n_users, sizeof *res->users, err);
	res->per_user = db_calloc(t->n_users * stride, sizeof *res->per_user, err);
	res->mean = db_calloc(stride, sizeof *res->mean, err);
	if (!pos || !seen || !w || !c.pid || !c.order || !res->ks || !res->users || !res->per_user ||
		!res->mean) {
		rc = DB_ENOMEM;
		goto done;
	}
	for (int i = 0; i < c.nw && !rc; i++)
		rc = eval_worker_init(&w[i], i, m, &c, err);
	if (rc || (rc = eval_out_alloc(&out, &c, t->n_users * stride, err)))
		goto done;
	metric_order(ks, nk, c.order);
	scoring_order(t, m->score_block > 0 ? o->lines : NULL, pos, seen);
	c.pos = pos;
	c.per_user = out.per_user ? out.per_user : res->per_user;
	c.ranked = out.ranked;
	res->nk = nk;
	memcpy(res->ks, ks, nk * sizeof *ks);
	res->n_users = t->n_users;
	memcpy(res->users, t->users, t->n_users * sizeof *res->users);
	rc = eval_run(&c, out.st, err);
	if (!rc && out.per_user)
		memcpy(res->per_user, out.per_user, t->n_users * stride * sizeof *res->per_user);
	if (!rc && o->dump_topk)
		rc = eval_dump_topk(&c, o->dump_topk, err);
	if (!rc)
		eval_mean(res);
done:
	if (rc)
		eval_result_free(res);
	for (int i = 0; w && i < c.nw; i++)
		eval_worker_free(&w[i]);
	eval_out_free(&out);
	free(w);
	free(c.pid);
	free(pos);
	free(seen);
	free(c.order);
	return rc;
}

void
eval_result_free(eval_result *r)
{
	free(r->ks);
	free(r->users);
	free(r->per_user);
	free(r->mean);
	memset(r, 0, sizeof *r);
}
