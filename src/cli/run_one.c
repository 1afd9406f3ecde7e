/* The single-run path: configuration -> data -> model + method -> training
 * loop -> evaluation -> result file.  A suite cell will take the same path. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "methods/method.h"
#include "nn/rng.h"
#include "results/result.h"
#include "train/train.h"
#include "util/fileio.h"
#include "util/timer.h"

/* Everything a run owns, freed in one place. */
struct run {
	config cfg;
	dataset d;
	model f;
	method me;
	struct train_log log;
	eval_result test, noisy, valid;
	eval_rating_prob rating_prob; /* trainable models only */
	afile dump; /* --dump-topk, committed only when the run succeeds */
};

static void
run_free(struct run *r)
{
	eval_result_free(&r->test);
	eval_result_free(&r->noisy);
	eval_result_free(&r->valid);
	eval_rating_prob_free(&r->rating_prob);
	train_log_free(&r->log);
	method_destroy(&r->me);
	model_destroy(&r->f);
	data_free(&r->d);
	config_free(&r->cfg);
	afile_abort(&r->dump);
}

/* Loads the configured data directory, or writes the built-in synthetic
 * dataset to a temporary directory and loads that. */
static int
load_data(struct run *r, db_err *err)
{
	struct data_opts o = {(int)config_int(&r->cfg, "user_num"),
		(int)config_int(&r->cfg, "item_num"), config_bool(&r->cfg, "mask_valid"),
		config_int(&r->cfg, "max_id")};
	const char *dir = config_get(&r->cfg, "data");
	const char *name = config_get(&r->cfg, "dataset");
	if (*dir)
		return data_load(&r->d, dir, name, &o, err);
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
		rc = data_load(&r->d, tmp, name, &o, err);
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

/* arg: the cell's log file, or NULL. */
static void
progress(void *arg, const struct train_ctx *ctx, const struct train_log *log)
{
	if (arg) /* a suite cell: its log; the runner draws the terminal */
		log_line(arg, ctx, log);
	if (arg || !isatty(2))
		return;
	fprintf(stderr, "\r  %s/%s/%s  ", config_get(ctx->cfg, "dataset"),
		config_get(ctx->cfg, "model"), config_get(ctx->cfg, "method"));
	print_epoch(stderr, ctx);
	fprintf(stderr, "  iteration %ld", ctx->iteration);
	if (log->n_points)
		fprintf(stderr, "  valid loss %.5f", log->points[log->n_points - 1].valid_loss);
	fprintf(stderr, "\033[K");
}

static int
build(struct run *r, const config *ex, struct train_ctx *ctx, db_err *err)
{
	int rc = config_resolve(&r->cfg, ex, err);
	if (rc || (rc = load_data(r, err)))
		return rc;
	const struct model_ops *mo = model_find(config_get(&r->cfg, "model"));
	const struct method_ops *mt = method_find(config_get(&r->cfg, "method"));
	if (!mo || !mt)
		return db_fail(err, DB_EINVAL, "unknown %s '%s'", mo ? "method" : "model",
			config_get(&r->cfg, mo ? "method" : "model"));
	if (!mo->trainable && strcmp(mt->name, "normal") != 0)
		return db_fail(err, DB_EINVAL,
			"model '%s' has no gradients; method '%s' needs them (use --method normal)",
			mo->name, mt->name);
	if ((rc = model_create(&r->f, mo, &r->d, &r->cfg, train_batch_cap_for(&r->cfg, &r->d),
		     (int)config_int(&r->cfg, "eval_block"), err)))
		return rc;
	gsl_rng *init = rng_stream((uint64_t)config_int(&r->cfg, "seed"), "init");
	if (!init)
		return db_fail(err, DB_ENOMEM, "out of memory");
	r->f.ops->init(&r->f, init);
	gsl_rng_free(init);
	int adt = !strcmp(config_get(&r->cfg, "protocol"), "adt");
	*ctx = (struct train_ctx){.cfg = &r->cfg, .d = &r->d, .f = &r->f,
		.seed = (uint64_t)config_int(&r->cfg, "seed"),
		.output_prob = !strcmp(config_get(&r->cfg, "output"), "prob"),
		/* DeCA's CDAE loop sums (protocol.md §4.1.3) */
		.reduction = adt ? REDUCE_MEAN : mo->user_batches ? REDUCE_SUM : REDUCE_SPLIT_MEANS,
		.neg_ratio = (int)config_int(&r->cfg, "neg_ratio")};
	return method_create(&r->me, mt, ctx, err);
}

static int
evaluate(struct run *r, const struct train_ctx *ctx, const char *dump_path, double *secs,
	db_err *err)
{
	int ks[EVAL_MAX_K];
	int nk = config_intlist(&r->cfg, "ks", ks, EVAL_MAX_K);
	int rc;
	if (dump_path && (rc = afile_open(&r->dump, dump_path, err)))
		return rc;
	/* a method that ranks by its own combination of models scores finally */
	model *m = r->me.ops->scorer ? r->me.ops->scorer(&r->me) : &r->f;
	/* the reference's CDAE test masks nothing (protocol.md §6.2) */
	static const csr no_mask = {0};
	int cdae_no_mask = r->f.ops == &model_cdae && !config_bool(&r->cfg, "cdae_mask");
	struct eval_opts eo = {r->me.ops->scorer ? 0 : ctx->output_prob,
		(int)config_int(&r->cfg, "eval_block"), r->dump.f, cdae_no_mask ? &no_mask : NULL,
		&r->d.test};
	double t = timer_now();
	rc = eval_split(m, &r->d, &r->d.test_truth, ks, nk, &eo, &r->test, err);
	*secs = timer_now() - t;
	eo.dump_topk = NULL;
	eo.lines = &r->d.test_noisy;
	if (!rc && r->d.has_test_noisy)
		rc = eval_split(m, &r->d, &r->d.noisy_truth, ks, nk, &eo, &r->noisy, err);
	/* validation lines ranked among everything but the train items */
	eo.mask = &r->d.train_pos;
	eo.lines = &r->d.valid;
	if (!rc && r->d.valid_truth.n_users)
		rc = eval_split(m, &r->d, &r->d.valid_truth, ks, nk, &eo, &r->valid, err);
	if (!rc && dump_path)
		rc = afile_commit(&r->dump, err);
	return rc;
}

static void
summarise(const struct run *r, const struct run_output *o, struct run_summary *s)
{
	memset(s, 0, sizeof *s);
	snprintf(s->model, sizeof s->model, "%s", config_get(&r->cfg, "model"));
	snprintf(s->method, sizeof s->method, "%s", config_get(&r->cfg, "method"));
	snprintf(s->dataset, sizeof s->dataset, "%s", config_get(&r->cfg, "dataset"));
	s->nk = r->test.nk;
	memcpy(s->ks, r->test.ks, sizeof s->ks);
	memcpy(s->test, r->test.mean, sizeof s->test);
	s->test_users = r->test.n_users;
	s->seconds_train = r->log.seconds_train;
	s->epochs = r->log.epochs_run;
	s->seconds_per_epoch = s->epochs ? s->seconds_train / s->epochs : 0;
	s->seconds_eval = o->seconds_eval;
	s->iterations = r->log.iterations;
}

int
run_one(const config *ex, const char *out_path, const char *dump_path, struct run_summary *sum,
	db_err *err)
{
	return run_one_log(ex, out_path, dump_path, NULL, sum, err);
}

int
run_one_log(const config *ex, const char *out_path, const char *dump_path, FILE *log,
	struct run_summary *sum, db_err *err)
{
	struct run r;
	struct train_ctx ctx;
	double t0 = timer_now(), secs_eval = 0;
	memset(&r, 0, sizeof r);
	config_init(&r.cfg);
	int rc = build(&r, ex, &ctx, err);
	if (!rc && r.f.ops->trainable)
		rc = train_run(&ctx, &r.me, &r.log, progress, log, err);
	if (!log && isatty(2) && r.f.ops && r.f.ops->trainable)
		fprintf(stderr, "\r\033[K");
	if (!rc)
		rc = evaluate(&r, &ctx, dump_path, &secs_eval, err);
	/* after the evaluation: a forward may draw (CDAE's corruption) */
	if (!rc && r.f.ops->trainable)
		rc = eval_rating_prob_compute(&r.f, &r.d.train, train_batch_cap_for(&r.cfg, &r.d),
			&r.rating_prob, err);
	if (!rc) {
		struct run_output o = {&r.cfg, &r.d, &r.f, &r.log, &r.test,
			r.d.has_test_noisy ? &r.noisy : NULL,
			r.d.valid_truth.n_users ? &r.valid : NULL,
			r.f.ops->trainable ? &r.rating_prob : NULL, secs_eval, timer_now() - t0,
			timer_peak_rss_kib()};
		if (out_path)
			rc = result_write(out_path, &o, err);
		if (sum)
			summarise(&r, &o, sum);
	}
	run_free(&r);
	return rc;
}
