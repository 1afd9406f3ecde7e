/* The single-run path: configuration -> data -> model + method -> training
 * loop -> evaluation -> result file.  A suite cell will take the same path. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "config/settings.h"
#include "methods/method.h"
#include "nn/fpenv.h"
#include "nn/rng.h"
#include "results/result.h"
#include "train/select.h"
#include "train/train.h"
#include "util/fileio.h"
#include "util/timer.h"

/* Everything a run owns, freed in one place. */
struct run {
	config cfg;
	struct config_settings set; /* cfg typed */
	dataset d;
	model f;
	method me;
	struct train_log log;
	eval_result test, noisy, valid;
	eval_rating_prob rating_prob; /* trainable models only */
	eval_preds preds;             /* dump_preds */
	struct train_diag_hook diag;  /* diag_test */
	int nk, *ks;                  /* the ks setting */
	char warnings[4][TRAIN_WARNING_LEN];
	int nwarnings;
	afile dump;     /* --dump-topk, committed only when the run succeeds */
	afile scores;   /* --dump-scores, likewise */
	fpenv_saved fp; /* the caller's float environment */
	int threads;    /* the evaluations' and the target model's (run_opts) */
};

static void
run_free(struct run *r)
{
	eval_result_free(&r->test);
	eval_result_free(&r->noisy);
	eval_result_free(&r->valid);
	free(r->ks);
	eval_rating_prob_free(&r->rating_prob);
	eval_preds_free(&r->preds);
	train_log_free(&r->log);
	method_destroy(&r->me);
	model_destroy(&r->f);
	data_free(&r->d);
	config_free(&r->cfg);
	afile_abort(&r->dump);
	afile_abort(&r->scores);
	fpenv_restore(&r->fp);
}

int
run_load_data(dataset *d, const config *cfg, db_err *err)
{
	struct config_settings s;
	config_settings_parse(&s, cfg);
	struct data_opts o = {s.user_num, s.item_num, s.mask_valid, s.max_id, s.valid_noisy,
		!s.eval_test};
	const char *dir = s.data, *name = s.dataset;
	if (*dir)
		return data_load(d, dir, name, &o, err);
	/* a private directory (mode 0700) of our own under $TMPDIR: nothing
	 * outside it is written, renamed or removed */
	char tmp[4200];
	if (snprintf(tmp, sizeof tmp, "%s/denoisebench-synth-XXXXXX", fileio_tmpdir()) >=
		(int)sizeof tmp)
		return db_fail(err, DB_EINVAL, "TMPDIR is too long");
	if (!mkdtemp(tmp))
		return db_fail(err, DB_EIO, "cannot create a temporary directory in %s: %s",
			fileio_tmpdir(), strerror(errno));
	struct synth_opts so;
	synth_default_opts(&so);
	int rc = synth_write(&so, tmp, name, err);
	if (!rc)
		rc = data_load(d, tmp, name, &o, err);
	const char *sfx[] = {".train.rating", ".valid.rating", ".test.negative", ".test.noisy"};
	for (int i = 0; i < 4; i++) {
		char p[4200];
		if (!fileio_join(p, sizeof p, tmp, name, sfx[i], NULL))
			remove(p);
	}
	rmdir(tmp);
	return rc;
}

/* "epoch E/N", after "phase P " in the later phases of two-phase methods. */
static void
print_epoch(FILE *f, const struct train_ctx *ctx)
{
	if (ctx->phase)
		fprintf(f, "phase %d ", ctx->phase + 1);
	fprintf(f, "epoch %d/%d", ctx->epoch + 1, ctx->phase_epochs);
}

/* One line per validation point and per epoch, for a suite cell's log. */
static void
log_line(FILE *f, const struct train_ctx *ctx, const struct train_log *log)
{
	print_epoch(f, ctx);
	fprintf(f, " iteration %ld", ctx->iteration);
	if (log->n_points)
		fprintf(f, " valid_loss %.6g train_loss %.6g",
			log->points[log->n_points - 1].valid_loss,
			log->points[log->n_points - 1].train_loss);
	fputc('\n', f);
	fflush(f);
}

/* What progress() keeps between calls: a suite cell's log, or for `train`
 * the terminal line (tty) or a line at most every LINE_EVERY seconds. */
struct progress_state {
	FILE *log;
	int tty, phase, epochs_seen;
	double t_phase, t_line, eta, t_eta;
};
enum { LINE_EVERY = 10 };

/* Remaining time of the phase from its finished epochs' pace (an upper
 * bound when early stopping ends it sooner); < 0 before the first epoch. */
static double
progress_eta(struct progress_state *p, const struct train_ctx *ctx, const struct train_log *log)
{
	double now = timer_now();
	if (ctx->phase != p->phase || p->t_phase == 0) {
		p->phase = ctx->phase;
		p->t_phase = now;
		p->eta = -1;
	}
	if (log->epochs_run != p->epochs_seen) { /* an epoch just ended */
		p->epochs_seen = log->epochs_run;
		int done = ctx->epoch + 1;
		p->eta = (now - p->t_phase) / done * (ctx->phase_epochs - done);
		p->t_eta = now;
	}
	return p->eta < 0 ? -1 : p->eta > now - p->t_eta ? p->eta - (now - p->t_eta) : 0;
}

static void
progress_print(FILE *f, const struct train_ctx *ctx, const struct train_log *log, double eta)
{
	fprintf(f, "%s/%s/%s  ", ctx->set.dataset, ctx->set.model, ctx->set.method);
	print_epoch(f, ctx);
	fprintf(f, "  iteration %ld", ctx->iteration);
	if (log->n_points)
		fprintf(f, "  valid loss %.5f", log->points[log->n_points - 1].valid_loss);
	if (eta >= 0)
		fprintf(f, "  ETA %dm%02ds", (int)eta / 60, (int)eta % 60);
	else
		fputs("  ETA —", f);
}

/* arg: a struct progress_state. */
static void
progress(void *arg, const struct train_ctx *ctx, const struct train_log *log)
{
	struct progress_state *p = arg;
	if (p->log) { /* a suite cell: its log; the runner draws the terminal */
		log_line(p->log, ctx, log);
		return;
	}
	double eta = progress_eta(p, ctx, log), now = timer_now();
	if (p->tty) {
		fputs("\r  ", stderr);
		progress_print(stderr, ctx, log, eta);
		fputs("\033[K", stderr);
	} else if (now - p->t_line >= LINE_EVERY) {
		p->t_line = now;
		progress_print(stderr, ctx, log, eta);
		fputc('\n', stderr);
	}
}

/* Settings inert in a run of this length: on stderr (or the cell's log),
 * and into the result file. */
static void
warn(struct run *r, FILE *log)
{
	long iters = r->set.epochs *
		train_epoch_batches_of(&r->set, r->d.train.n, r->d.n_users, r->f.ops->user_batches);
	r->nwarnings = train_warnings(&r->cfg, iters, r->warnings, 4);
	for (int i = 0; i < r->nwarnings; i++)
		fprintf(log ? log : stderr, "warning: %s\n", r->warnings[i]);
}

/* The cut-offs, read once per run.  diag_test keeps Recall and NDCG at
 * TRAIN_DIAG_MAX_TEST / 2 Ks at most per point: more are refused, never cut. */
static int
run_ks(struct run *r, db_err *err)
{
	if ((r->nk = config_intlist(&r->cfg, "ks", &r->ks, err)) < 0)
		return DB_ENOMEM;
	if ((r->set.diag_test || r->set.selection == CONFIG_SELECT_ORACLE) &&
		2 * r->nk > TRAIN_DIAG_MAX_TEST)
		return db_fail(err, DB_EINVAL,
			"diag_test records at most %d Ks along training (so "
			"does selection=oracle), ks has %d: give fewer Ks%s",
			TRAIN_DIAG_MAX_TEST / 2, r->nk,
			r->set.selection == CONFIG_SELECT_ORACLE ? ""
								 : " (or set diag_test=false)");
	return DB_OK;
}

/* eval_test=false (a tuning trial) leaves the test split unread: whatever
 * would rank it during or after training is refused rather than skipped. */
static int
check_no_test(const struct run *r, const struct run_opts *opts, db_err *err)
{
	if (r->set.eval_test)
		return DB_OK;
	const char *why = r->set.diag_test                 ? "diag_test"
		: r->set.selection == CONFIG_SELECT_ORACLE ? "selection=oracle"
		: !strcmp(r->set.model, "oracle")          ? "model oracle"
		: opts && (opts->topk || opts->scores)     ? "a dump of the test ranking"
							   : NULL;
	return why ? db_fail(err, DB_EINVAL,
			     "eval_test=false leaves the test split unread; %s reads it", why)
		   : DB_OK;
}

static int
build(struct run *r, const config *ex, const struct run_opts *opts, struct train_ctx *ctx,
	db_err *err)
{
	int rc = config_resolve(&r->cfg, ex, err);
	if (!rc)
		config_settings_parse(&r->set, &r->cfg);
	if (rc || (rc = run_ks(r, err)) || (rc = check_no_test(r, opts, err)) ||
		(rc = fpenv_ftz(r->set.ftz == CONFIG_FTZ_ALL, &r->fp, err)) ||
		(r->set.ftz == CONFIG_FTZ_UPDATE && (rc = fpenv_can_flush(err))) ||
		(rc = run_load_data(&r->d, &r->cfg, err)) ||
		(rc = train_check(&r->cfg, &r->d, err)))
		return rc;
	const struct model_ops *mo = model_find(r->set.model);
	const struct method_ops *mt = method_find(r->set.method);
	if (!mo || !mt)
		return db_fail(err, DB_EINVAL, "unknown %s '%s'", mo ? "method" : "model",
			mo ? r->set.method : r->set.model);
	if (config_lookup(&r->cfg, "external"))
		return db_fail(err, DB_EINVAL, "external is set by `denoisebench import` only");
	if (!mo->trainable && strcmp(mt->name, "normal") != 0)
		return db_fail(err, DB_EINVAL,
			"model '%s' has no gradients; method '%s' needs them (use --method normal)",
			mo->name, mt->name);
	if ((rc = model_create(&r->f, mo, &r->d, &r->cfg, train_batch_cap_for(&r->cfg, &r->d),
		     r->set.eval_block, err)))
		return rc;
	gsl_rng *init = rng_stream(r->set.seed, "init");
	if (!init)
		return db_fail(err, DB_ENOMEM, "out of memory");
	r->f.ops->init(&r->f, init);
	gsl_rng_free(init);
	r->f.threads = r->threads;
	train_ctx_init(ctx, &r->cfg, &r->d, &r->f);
	return method_create(&r->me, mt, ctx, err);
}

/* The passes that the data and the settings ask for. */
static int
has_test(const struct run *r)
{
	return r->set.eval_test;
}

static int
has_noisy(const struct run *r)
{
	return r->d.has_test_noisy && r->set.eval_noisy && has_test(r);
}

static int
has_valid(const struct run *r)
{
	return r->d.valid_truth.n_users && r->set.eval_valid_rank;
}

static int
has_rating_prob(const struct run *r)
{
	return r->f.ops->trainable && r->set.eval_rating_prob;
}

/* The test split ranked at a diagnostics point (diag_test), as the final
 * test ranks it; the streams a forward draws from (CDAE's corruption) are
 * put back, so training goes on as without the point. */
/* The streams an evaluation's forward draws from (CDAE's corruption): the
 * target's and the scorer's, copied now so that they can be put back. */
struct streams {
	gsl_rng *st[2], *saved[2];
};

static int
streams_save(struct run *r, struct streams *s, db_err *err)
{
	model *m = r->me.ops->scorer ? r->me.ops->scorer(&r->me) : &r->f;
	model *own[2] = {&r->f, m};
	memset(s, 0, sizeof *s);
	for (int i = 0; i < 2; i++)
		if ((i == 0 || m != &r->f) && own[i]->ops->stream &&
			(s->st[i] = own[i]->ops->stream(own[i])) &&
			!(s->saved[i] = gsl_rng_clone(s->st[i])))
			return db_fail(err, DB_ENOMEM, "out of memory");
	return DB_OK;
}

/* Puts the streams back as they were at streams_save. */
static void
streams_restore(const struct streams *s)
{
	for (int i = 0; i < 2; i++)
		if (s->saved[i])
			gsl_rng_memcpy(s->st[i], s->saved[i]);
}

static void
streams_free(struct streams *s)
{
	for (int i = 0; i < 2; i++)
		if (s->saved[i])
			gsl_rng_free(s->saved[i]);
}

static int
diag_measure(void *arg, double *out, db_err *err)
{
	struct run *r = arg;
	model *m = r->me.ops->scorer ? r->me.ops->scorer(&r->me) : &r->f;
	struct streams ss;
	int rc = streams_save(r, &ss, err);
	struct eval_split_def sd;
	eval_result res;
	memset(&res, 0, sizeof res);
	if (!rc && eval_split_define(&r->d, &r->cfg, EVAL_TEST, &sd)) {
		struct eval_opts eo = {r->me.ops->scorer ? 0 : r->set.output_prob,
			r->set.eval_block, NULL, NULL, sd.mask, sd.lines, r->threads};
		rc = eval_split(m, &r->d, sd.t, r->ks, r->nk, &eo, &res, err);
	}
	for (int j = 0; !rc && j < r->diag.n_test; j++)
		out[j] = eval_result_mean(&res, j < r->nk ? METRIC_RECALL : METRIC_NDCG, j % r->nk);
	streams_restore(&ss);
	streams_free(&ss);
	eval_result_free(&res);
	return rc;
}

/* The values a diagnostics point measures: Recall, then NDCG, at every K
 * of ks (2 * nk <= TRAIN_DIAG_MAX_TEST). */
static void
hook_names(struct train_diag_hook *h, const int *ks, int nk)
{
	*h = (struct train_diag_hook){.n_test = 2 * nk};
	for (int j = 0; j < 2 * nk; j++) {
		h->metric[j] = metric_names[j < nk ? METRIC_RECALL : METRIC_NDCG];
		h->k[j] = ks[j % nk];
	}
}

/* Recall and NDCG at every K of ks, when diag_test asks. */
static const struct train_diag_hook *
diag_hook(struct run *r, unsigned rules)
{
	/* selection=oracle chooses by these values at every evaluation point */
	if (!r->set.diag_test && !(rules >> CONFIG_SELECT_ORACLE & 1))
		return NULL;
	hook_names(&r->diag, r->ks, r->nk); /* run_ks: 2 * nk <= TRAIN_DIAG_MAX_TEST */
	r->diag.measure = diag_measure;
	r->diag.arg = r;
	return &r->diag;
}

static int
evaluate(struct run *r, const struct train_ctx *ctx, const struct run_opts *opts, double *secs,
	db_err *err)
{
	int rc;
	if (opts && opts->topk && (rc = afile_open(&r->dump, opts->topk, err)))
		return rc;
	if (opts && opts->scores && (rc = afile_open(&r->scores, opts->scores, err)))
		return rc;
	/* a method that ranks by its own combination of models scores finally */
	model *m = r->me.ops->scorer ? r->me.ops->scorer(&r->me) : &r->f;
	eval_result *res[EVAL_SPLITS] = {&r->test, &r->noisy, &r->valid};
	rc = DB_OK;
	for (int x = 0; x < EVAL_SPLITS && !rc; x++) {
		struct eval_split_def sd;
		if (!eval_split_define(&r->d, &r->cfg, x, &sd) ||
			(x == EVAL_TEST && !has_test(r)) ||
			(x == EVAL_TEST_NOISY && !has_noisy(r)) ||
			(x == EVAL_VALID && !has_valid(r)))
			continue;
		/* the dumps are of the test split */
		struct eval_opts eo = {r->me.ops->scorer ? 0 : ctx->output_prob, r->set.eval_block,
			x ? NULL : r->dump.f, x ? NULL : r->scores.f, sd.mask, sd.lines,
			r->threads};
		double t = timer_now();
		rc = eval_split(m, &r->d, sd.t, r->ks, r->nk, &eo, res[x], err);
		if (x == EVAL_TEST)
			*secs = timer_now() - t;
	}
	if (!rc && r->dump.f)
		rc = afile_commit(&r->dump, err);
	if (!rc && r->scores.f)
		rc = afile_commit(&r->scores, err);
	return rc;
}

static void
summarise(const struct run *r, const struct train_ctx *ctx, const struct run_output *o,
	struct run_summary *s)
{
	memset(s, 0, sizeof *s);
	snprintf(s->model, sizeof s->model, "%s", r->set.model);
	snprintf(s->method, sizeof s->method, "%s", r->set.method);
	snprintf(s->dataset, sizeof s->dataset, "%s", r->set.dataset);
	s->nk_all = r->test.nk;
	s->nk = s->nk_all < RUN_SUMMARY_KS ? s->nk_all : RUN_SUMMARY_KS;
	for (int j = 0; j < s->nk; j++) {
		s->ks[j] = r->test.ks[j];
		for (int m = 0; m < METRIC_COUNT; m++)
			s->test[m][j] = eval_result_mean(&r->test, m, j);
	}
	s->test_users = r->test.n_users;
	s->seconds_train = r->log.seconds_train;
	s->epochs = r->log.epochs_run;
	s->seconds_per_epoch = s->epochs ? s->seconds_train / s->epochs : 0;
	s->seconds_eval = o->seconds_eval;
	s->iterations = r->log.iterations;
	s->trained = r->f.ops->trainable;
	s->stopped_early = r->log.stopped_early;
	s->stop_phase = ctx->phase;
	s->stop_epoch = ctx->epoch + 1;
	s->phase_epochs = ctx->phase_epochs;
	s->rounds = r->set.early_stop_rounds;
}

int
run_one(const config *ex, const char *out_path, const struct run_opts *opts,
	struct run_summary *sum, db_err *err)
{
	return run_one_log(ex, out_path, opts, NULL, sum, err);
}

/* The passes after training on the parameters in r->f and the result file
 * of r->cfg with training log lg: what a cell writes once trained. */
static int
finish(struct run *r, struct train_ctx *ctx, const struct train_log *lg,
	const struct run_opts *opts, const char *out_path, struct run_summary *sum, double t0,
	db_err *err)
{
	double secs_eval = 0;
	int rc = evaluate(r, ctx, opts, &secs_eval, err);
	/* after the evaluation: a forward may draw (CDAE's corruption) */
	if (!rc && has_rating_prob(r))
		rc = eval_rating_prob_compute(&r->f, &r->d.train, train_batch_cap_for(&r->cfg, &r->d),
			&r->rating_prob, err);
	long npred = r->set.dump_preds;
	if (!rc && npred > 0 && r->f.ops->trainable)
		rc = eval_preds_compute(&r->f, &r->d.train, r->d.checksum, (int)npred,
			(float)r->set.noisy_below, train_batch_cap_for(&r->cfg, &r->d), &r->preds, err);
	if (!rc) {
		struct run_output o = {&r->cfg, &r->d, &r->f, lg, has_test(r) ? &r->test : NULL,
			has_noisy(r) ? &r->noisy : NULL, has_valid(r) ? &r->valid : NULL,
			has_rating_prob(r) ? &r->rating_prob : NULL, r->preds.n ? &r->preds : NULL,
			secs_eval, timer_now() - t0, timer_peak_rss_kib(),
			timer_children_peak_rss_kib(), r->warnings, r->nwarnings, r->threads};
		if (out_path)
			rc = result_write(out_path, &o, err);
		if (sum)
			summarise(r, ctx, &o, sum);
	}
	return rc;
}

int
run_one_log(const config *ex, const char *out_path, const struct run_opts *opts, FILE *log,
	struct run_summary *sum, db_err *err)
{
	int written;
	return run_shared_log(&ex, &out_path, 1, opts, log, sum, &written, err);
}

/* b's rule when it can come from a's training (both resolved): a trained
 * model, a method train_share_rule allows, the rest of the settings alike;
 * an oracle only where it may rank the test along training and measures
 * its oracle_metric there (run_ks, check_no_test, train_oracle_index), so
 * that it cannot fail the cells it trains with.  -1 otherwise. */
static int
shared_rule_of(const config *a, const config *b)
{
	struct config_settings sa, sb;
	config_settings_parse(&sa, a);
	config_settings_parse(&sb, b);
	const struct model_ops *mo = model_find(sa.model);
	const struct method_ops *mt = method_find(sa.method);
	db_err e;
	int *ks = NULL, nk = config_intlist(b, "ks", &ks, &e), oracle_ok = 0;
	if (nk >= 0 && 2 * nk <= TRAIN_DIAG_MAX_TEST) {
		struct train_diag_hook h;
		hook_names(&h, ks, nk);
		oracle_ok = sb.eval_test && train_oracle_index(sb.oracle_metric, &h, &e) >= 0;
	}
	free(ks);
	if (!mo || !mo->trainable || !mt || !train_share_rule(mt, sa.selection) ||
		sb.selection == sa.selection || sb.selection == CONFIG_SELECT_REVISED ||
		(sb.selection == CONFIG_SELECT_ORACLE && !oracle_ok) ||
		!config_same_except(a, b, "selection"))
		return -1;
	return (int)sb.selection;
}

int
run_shareable(const config *a, const config *b)
{
	config ra, rb;
	db_err e;
	int ra_ok = !config_resolve(&ra, a, &e), rb_ok = ra_ok && !config_resolve(&rb, b, &e);
	int rule = rb_ok ? shared_rule_of(&ra, &rb) : -1;
	config_free(&ra);
	if (ra_ok)
		config_free(&rb);
	return rule + 1;
}

/* A later cell of a shared training: its rule in *rule, DB_EINVAL unless
 * shared_rule_of allows it and no cell before it has that rule. */
static int
shared_rule(const struct run *r, const config *cell, unsigned seen, enum config_selection *rule,
	db_err *err)
{
	config c;
	int rc = config_resolve(&c, cell, err);
	int k = rc ? -1 : shared_rule_of(&r->cfg, &c);
	config_free(&c);
	if (rc)
		return rc;
	if (k < 0 || seen >> k & 1)
		return db_fail(err, DB_EINVAL,
			"shared training: a cell differs from the first in more than its "
			"selection, repeats a rule or cannot share (run_shareable)");
	*rule = (enum config_selection)k;
	return DB_OK;
}

/* r->cfg as cell i names it (selection), its warnings and log view. */
static int
shared_select(struct run *r, enum config_selection rule, const struct train_also *also,
	const struct train_log *olog, struct train_log *view, db_err *err)
{
	int rc = config_set(&r->cfg, "selection", config_selection_names[rule], err);
	if (rc)
		return rc;
	config_settings_parse(&r->set, &r->cfg);
	long iters = r->set.epochs *
		train_epoch_batches_of(&r->set, r->d.train.n, r->d.n_users, r->f.ops->user_batches);
	r->nwarnings = train_warnings(&r->cfg, iters, r->warnings, 4);
	*view = r->log;
	view->selected_iteration = also->selected_iteration[rule];
	if (rule == CONFIG_SELECT_ORACLE) {
		view->diag = olog->diag;
		view->n_diag = olog->n_diag;
		view->diag_hook = olog->diag_hook;
		if (olog->n_stats) /* counters seen only at its points */
			memcpy(view->stat_names, olog->stat_names,
				(size_t)(view->n_stats = olog->n_stats) * sizeof *view->stat_names);
	}
	return DB_OK;
}

/* The evaluations and result files of cells 1..n-1 of a shared training,
 * each on its rule's parameters from the streams the first one's started
 * with; the first's result is written already. */
static int
shared_finish(struct run *r, struct train_ctx *ctx, const char *const *outs, int n,
	const enum config_selection *rule, struct train_also *also, const struct train_log *olog,
	const struct streams *ss, double t0, int *written, db_err *err)
{
	/* test hook (README, "Testing"): the group fails before its k-th file */
	const char *fault = getenv("DB_FAULT_SHARED_AT");
	int rc = DB_OK;
	for (int i = 1; i < n && !rc; i++, *written += !rc) {
		if (fault && atoi(fault) == i)
			return db_fail(err, DB_EIO, "DB_FAULT_SHARED_AT=%d: a fault injected", i);
		struct train_log view;
		eval_result_free(&r->test);
		eval_result_free(&r->noisy);
		eval_result_free(&r->valid);
		eval_rating_prob_free(&r->rating_prob);
		eval_preds_free(&r->preds);
		streams_restore(ss);
		model_set_params(&r->f, also->param[rule[i]]);
		if (!(rc = shared_select(r, rule[i], also, olog, &view, err)))
			rc = finish(r, ctx, &view, NULL, outs[i], NULL, t0, err);
	}
	return rc;
}

int
run_shared_log(const config *const *cells, const char *const *outs, int n,
	const struct run_opts *opts, FILE *log, struct run_summary *sum, int *written, db_err *err)
{
	struct run r;
	struct train_ctx ctx;
	struct train_also also;
	struct train_log olog;
	struct streams ss;
	enum config_selection rule[RUN_SHARED_MAX] = {CONFIG_SELECT_LAST};
	double t0 = timer_now();
	memset(&r, 0, sizeof r);
	memset(&also, 0, sizeof also);
	memset(&olog, 0, sizeof olog);
	memset(&ss, 0, sizeof ss);
	config_init(&r.cfg);
	r.threads = opts && opts->threads > 1 ? opts->threads : 1;
	int rc = n < 1 || n > RUN_SHARED_MAX
		? db_fail(err, DB_EINVAL, "shared training: %d cells, expected 1 to %d", n,
			  RUN_SHARED_MAX)
		: build(&r, cells[0], opts, &ctx, err);
	if (!rc)
		rule[0] = r.set.selection;
	also.mask = 1u << rule[0];
	for (int i = 1; i < n && !rc; i++)
		if (!(rc = shared_rule(&r, cells[i], also.mask, &rule[i], err))) {
			also.mask |= 1u << rule[i];
			also.param[rule[i]] = db_calloc(r.f.n_params, sizeof(float), err);
			rc = also.param[rule[i]] ? DB_OK : DB_ENOMEM;
		}
	also.olog = &olog;
	struct progress_state ps = {.log = log, .tty = !log && isatty(2), .t_line = timer_now()};
	if (!rc && r.f.ops->trainable)
		warn(&r, log);
	if (!rc && r.f.ops->trainable)
		rc = train_run_diag(&ctx, &r.me, &r.log, progress, &ps, diag_hook(&r, also.mask),
			n > 1 ? &also : NULL, err);
	if (ps.tty && r.f.ops && r.f.ops->trainable)
		fprintf(stderr, "\r\033[K");
	if (!rc && n > 1 && !r.f.ops->trainable)
		rc = db_fail(err, DB_EINVAL, "shared training: model %s does not train",
			r.f.ops->name);
	if (!rc && n > 1)
		rc = streams_save(&r, &ss, err);
	*written = 0;
	if (!rc && !(rc = finish(&r, &ctx, &r.log, opts, outs[0], sum, t0, err)))
		*written = 1;
	if (!rc)
		rc = shared_finish(&r, &ctx, outs, n, rule, &also, &olog, &ss, t0, written, err);
	streams_free(&ss);
	for (int i = 0; i < CONFIG_SELECT_COUNT; i++)
		free(also.param[i]);
	train_log_free(&olog);
	run_free(&r);
	return rc;
}
