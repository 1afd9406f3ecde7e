/* DeCA(p)'s prior g (protocol.md §4.6.5): a copy of f's initial parameters
 * (same architecture), trained with Normal training under the DeCA(p) row's
 * epochs and l2, early stopping on and eval_freq 500 (eval_epochs 0; except GMF and
 * LightGCN on electronics: all epochs, no early stopping), then frozen.
 *
 * The reference caches g as <model>_<dataset>.ckpt and reuses it whatever
 * the seed or hyper-parameters (§8 O).  Here the cache file is named by a
 * hash of everything that determines g: the tool version, the data
 * checksum, the model, the derived Normal configuration's hash, the seed and
 * the initial parameters themselves; a file is used only when its header
 * repeats that key and its size is exactly right.  The DeCA keys (C1, C2,
 * alpha, schedule, h model) do not enter the pre-training and are dropped
 * from the derived configuration, so a sweep over them reuses one g. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "methods/deca.h"
#include "util/fileio.h"
#include "util/hash.h"

#define CACHE_MAGIC "denoisebench-deca-p-g 1\n"

/* The cell's configuration as a Normal run with §4.6.5's selection rule. */
static int
derived_config(config *out, const struct train_ctx *ctx, db_err *err)
{
	const config *cell = ctx->cfg;
	config ex;
	int rc = DB_OK;
	config_init(&ex);
	for (int i = 0; !rc && i < cell->n; i++)
		if (strncmp(cell->e[i].key, "deca_", 5) != 0)
			rc = config_set(&ex, cell->e[i].key, cell->e[i].val, err);
	const char *ds = ctx->set.dataset, *m = ctx->set.model;
	int full = !strcmp(ds, "electronics") && (!strcmp(m, "gmf") || !strcmp(m, "lightgcn"));
	if (!rc)
		rc = config_set(&ex, "method", "normal", err);
	/* g's cadence is §4.6.5's, whatever the cell's: a cell validating at
	 * epoch ends (eval_epochs, the recsys25 protocol's NeuMF) must not hand
	 * g both cadences */
	if (!rc)
		rc = config_set(&ex, "eval_freq", "500", err);
	if (!rc)
		rc = config_set(&ex, "eval_epochs", "0", err);
	/* §4.6.5 step 4: the final state, not a best-validation checkpoint */
	if (!rc)
		rc = config_set(&ex, "selection", "last", err);
	/* g draws its own CDAE corruption, not a replay of f's masks */
	if (!rc)
		rc = config_set(&ex, "cdae_stream", "cdae-corruption-g", err);
	/* recsys25 (code/DeCA/train.py): g in DeCA's loop, whose RS_train and
	 * CDAE_train never stop early */
	int rs25 = ctx->set.recsys25;
	if (!rc && rs25)
		rc = config_set(&ex, "protocol", "deca", err);
	if (!rc)
		rc = config_set(&ex, "early_stop", full || rs25 ? "false" : "true", err);
	if (!rc)
		rc = config_resolve(out, &ex, err);
	config_free(&ex);
	return rc;
}

static uint64_t
cache_key(const struct train_ctx *ctx, const config *dcfg)
{
	const model *f = ctx->f;
	uint64_t h = hash_str(HASH_FNV_INIT, CACHE_MAGIC PACKAGE_VERSION);
	uint64_t fields[] = {ctx->d->checksum, config_hash(dcfg), ctx->seed, f->n_params};
	h = hash_fnv1a(h, fields, sizeof fields);
	h = hash_str(h, f->ops->name);
	return hash_fnv1a(h, f->param, f->n_params * sizeof *f->param);
}

/* cache_dir, else $DENOISEBENCH_CACHE, $XDG_CACHE_HOME/denoisebench,
 * $HOME/.cache/denoisebench; "" when none is known. */
static void
cache_dir(const struct config_settings *set, char *out, size_t n)
{
	const char *v;
	out[0] = 0;
	if (*(v = set->cache_dir))
		snprintf(out, n, "%s", v);
	else if ((v = getenv("DENOISEBENCH_CACHE")) && *v)
		snprintf(out, n, "%s", v);
	else if ((v = getenv("XDG_CACHE_HOME")) && *v)
		snprintf(out, n, "%s/denoisebench", v);
	else if ((v = getenv("HOME")) && *v)
		snprintf(out, n, "%s/.cache/denoisebench", v);
}

static int
path_of(const struct train_ctx *ctx, uint64_t key, char *path, size_t n, db_err *err)
{
	char dir[4096], name[64];
	path[0] = 0;
	if (!config_bool(ctx->cfg, "deca_pretrain_cache"))
		return DB_OK;
	cache_dir(&ctx->set, dir, sizeof dir);
	if (!*dir)
		return DB_OK;
	snprintf(name, sizeof name, "deca-p-g-%016" PRIx64, key);
	return fileio_join(path, n, dir, name, ".bin", err);
}

int
deca_cache_path(const struct train_ctx *ctx, char *path, size_t n, db_err *err)
{
	config dcfg;
	int rc = derived_config(&dcfg, ctx, err);
	if (!rc)
		rc = path_of(ctx, cache_key(ctx, &dcfg), path, n, err);
	config_free(&dcfg);
	return rc;
}

static void
header(char *out, size_t n, uint64_t key, size_t n_params)
{
	snprintf(out, n, CACHE_MAGIC "key %016" PRIx64 "\nparams %zu\n", key, n_params);
}

#define SUM_LINE 21 /* "sum %016x\n": FNV-1a of the parameter bytes */

static uint64_t
params_sum(const model *g)
{
	return hash_fnv1a(HASH_FNV_INIT, g->param, g->n_params * sizeof *g->param);
}

/* 1 when path holds exactly this g: the header, the sum line, n_params
 * floats whose sum matches. */
static int
cache_load(const char *path, uint64_t key, model *g)
{
	char want[256], got[256];
	header(want, sizeof want, key, g->n_params);
	size_t hl = strlen(want), bytes = g->n_params * sizeof *g->param;
	struct stat st;
	if (stat(path, &st) != 0 || (size_t)st.st_size != hl + SUM_LINE + bytes)
		return 0;
	FILE *f = fopen(path, "rb");
	if (!f)
		return 0;
	uint64_t sum = 0;
	char line[SUM_LINE + 1] = {0};
	int ok = fread(got, 1, hl, f) == hl && !memcmp(got, want, hl) &&
		fread(line, 1, SUM_LINE, f) == SUM_LINE &&
		sscanf(line, "sum %" SCNx64, &sum) == 1 && fread(g->param, 1, bytes, f) == bytes;
	fclose(f);
	return ok && sum == params_sum(g);
}

static int
cache_save(const char *path, uint64_t key, const model *g, db_err *err)
{
	char dir[4096], head[256];
	snprintf(dir, sizeof dir, "%s", path);
	*strrchr(dir, '/') = 0;
	int rc = fileio_mkdir_p(dir, err);
	afile a;
	if (rc || (rc = afile_open(&a, path, err)))
		return rc;
	header(head, sizeof head, key, g->n_params);
	fputs(head, a.f);
	fprintf(a.f, "sum %016" PRIx64 "\n", params_sum(g));
	fwrite(g->param, sizeof *g->param, g->n_params, a.f);
	return afile_commit(&a, err);
}

/* Normal training of g.  A method calling the loop: the pre-training IS a
 * Normal run (same sampler, loss, L2, Adam, validation and early stopping),
 * so it reuses the loop (ctx->loop->run) on a second train_ctx instead of
 * growing a copy of the loop here.  Its streams come from a seed derived from the cell's, so
 * that g's batches and negatives differ from the ones f will see (in the
 * reference, one global RNG runs on from the pre-training into f's). */
static int
pretrain_run(model *g, const struct train_ctx *ctx, const config *dcfg, db_err *err)
{
	struct train_ctx pc = *ctx;
	pc.cfg = dcfg;
	config_settings_parse(&pc.set, dcfg); /* its own selection rule (§4.6.5) */
	pc.f = g;
	pc.seed = hash_mix(hash_str(hash_fnv1a(HASH_FNV_INIT, &ctx->seed, sizeof ctx->seed),
		"deca-p pretrain"));
	pc.iteration = 0;
	pc.epoch = 0;
	pc.sample_loss = NULL;
	pc.batch_cap = ctx->loop->batch_cap(dcfg, ctx->d);
	method normal;
	int rc = method_create(&normal, &method_normal, &pc, err);
	if (!rc)
		rc = ctx->loop->run(&pc, &normal, err);
	method_destroy(&normal);
	return rc;
}

/* Pre-trains g from its current parameters in a separate model whose CDAE
 * corruption has a stream of its own, so that g enters f's training with a
 * fresh stream whether it was trained now or read from the cache (the
 * result must not depend on the cache's state). */
static int
pretrain(model *g, const struct train_ctx *ctx, const config *dcfg, db_err *err)
{
	config pcfg;
	model p;
	memset(&p, 0, sizeof p);
	int rc = config_copy(&pcfg, dcfg, err);
	if (!rc)
		rc = config_set(&pcfg, "cdae_stream", "cdae-corruption-g-pretrain", err);
	if (!rc)
		rc = model_create(&p, g->ops, ctx->d, &pcfg, ctx->loop->batch_cap(&pcfg, ctx->d), 1,
			err);
	if (!rc) {
		model_set_params(&p, g->param);
		rc = pretrain_run(&p, ctx, &pcfg, err);
	}
	if (!rc)
		memcpy(g->param, p.param, g->n_params * sizeof *g->param);
	model_destroy(&p);
	config_free(&pcfg);
	return rc;
}

int
deca_pretrain(model *g, const struct train_ctx *ctx, int *trained, db_err *err)
{
	config dcfg;
	char path[4096];
	uint64_t key = 0;
	int rc = derived_config(&dcfg, ctx, err);
	if (!rc)
		rc = path_of(ctx, key = cache_key(ctx, &dcfg), path, sizeof path, err);
	if (!rc)
		rc = model_create(g, ctx->f->ops, ctx->d, &dcfg,
			ctx->loop->batch_cap(&dcfg, ctx->d), 1, err);
	if (!rc && g->n_params != ctx->f->n_params)
		rc = db_fail(err, DB_EINVAL, "deca-p: g has %zu parameters, f %zu", g->n_params,
			ctx->f->n_params);
	if (!rc && (*trained = !*path || !cache_load(path, key, g))) {
		/* f's initial parameters (§4.6.5 step 1), also over a cache file
		 * that was read but failed verification */
		model_set_params(g, ctx->f->param);
		if (!(rc = pretrain(g, ctx, &dcfg, err)) && *path)
			rc = cache_save(path, key, g, err);
	}
	if (!rc)
		model_params_changed(g);
	config_free(&dcfg);
	return rc;
}
