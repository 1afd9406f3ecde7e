/* Test scaffolding (rig.h). */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rig.h"

#include "methods/method.h"
#include "models/model.h"
#include "nn/rng.h"
#include "results/result.h"
#include "train/train.h"

int
rig_config(config *r, const char *const *kv)
{
	config ex;
	db_err err = {{0}};
	config_init(&ex);
	for (; *kv; kv++)
		if (config_set_kv(&ex, *kv, &err))
			printf("# bad test setting %s: %s\n", *kv, err.msg);
	int rc = config_resolve(r, &ex, &err);
	if (rc)
		printf("# test config: %s\n", err.msg);
	config_free(&ex);
	return rc;
}

int
rig_run(const char *const *kv, struct run_summary *sum, db_err *err)
{
	config ex;
	int rc = 0;
	config_init(&ex);
	for (; !rc && *kv; kv++)
		rc = config_set_kv(&ex, *kv, err);
	if (!rc)
		rc = run_one(&ex, NULL, NULL, sum, err);
	config_free(&ex);
	return rc;
}

int
rig_run_finite(const char *const *kv, struct run_summary *out)
{
	db_err err = {{0}};
	memset(out, 0, sizeof *out);
	int rc = rig_run(kv, out, &err);
	if (rc)
		printf("# run failed: %s\n", err.msg);
	int finite = !rc && out->nk > 0;
	for (int i = 0; finite && i < METRIC_COUNT; i++)
		for (int k = 0; k < out->nk; k++)
			finite &= isfinite(out->test[i][k]);
	return finite;
}

int
rig_synthetic(dataset *d, char *dir, db_err *err)
{
	struct synth_opts so;
	struct data_opts o = {.mask_valid = 1};
	synth_default_opts(&so);
	if (!mkdtemp(dir))
		return db_fail(err, DB_EIO, "cannot create %s", dir);
	const char *name = strrchr(dir, '/') ? strrchr(dir, '/') + 1 : dir;
	int rc = synth_write(&so, dir, name, err);
	if (!rc)
		rc = data_load(d, dir, name, &o, err);
	if (rc)
		rig_remove_dir(dir);
	return rc;
}

int
rig_data(dataset *d, char *dir, const char *const text[3], db_err *err)
{
	static const char *const sfx[] = {".train.rating", ".valid.rating", ".test.negative"};
	struct data_opts o = {.mask_valid = 1};
	if (!mkdtemp(dir))
		return db_fail(err, DB_EIO, "cannot create %s", dir);
	const char *name = strrchr(dir, '/') ? strrchr(dir, '/') + 1 : dir;
	int rc = DB_OK;
	for (int i = 0; !rc && i < 3; i++) {
		char p[4200];
		snprintf(p, sizeof p, "%s/%s%s", dir, name, sfx[i]);
		FILE *f = fopen(p, "w");
		if (!f || fputs(text[i], f) < 0)
			rc = db_fail(err, DB_EIO, "cannot write %s", p);
		if (f && fclose(f) && !rc)
			rc = db_fail(err, DB_EIO, "cannot write %s", p);
	}
	if (!rc)
		rc = data_load(d, dir, name, &o, err);
	if (rc)
		rig_remove_dir(dir);
	return rc;
}

void
rig_synthetic_free(dataset *d, const char *dir)
{
	data_free(d);
	rig_remove_dir(dir);
}

void
rig_remove_dir(const char *dir)
{
	DIR *d = opendir(dir);
	char p[4200];
	if (!d)
		return;
	for (struct dirent *e; (e = readdir(d));)
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
			snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
			remove(p);
		}
	closedir(d);
	rmdir(dir);
}

int
rig_train(const dataset *d, const config *cfg, model *f, method *me)
{
	db_err err = {{0}};
	struct train_log log;
	uint64_t seed = (uint64_t)config_int(cfg, "seed");
	int rc = model_create(f, model_find(config_get(cfg, "model")), d, cfg, train_batch_cap(cfg),
		(int)config_int(cfg, "eval_block"), &err);
	gsl_rng *r = rng_stream(seed, "init");
	struct train_ctx ctx;
	train_ctx_init(&ctx, cfg, d, f);
	if (!rc) {
		f->ops->init(f, r);
		rc = method_create(me, method_find(config_get(cfg, "method")), &ctx, &err);
	}
	gsl_rng_free(r);
	memset(&log, 0, sizeof log);
	if (!rc)
		rc = train_run(&ctx, me, &log, NULL, NULL, &err);
	if (rc)
		printf("# training failed: %s\n", err.msg);
	train_log_free(&log);
	return rc;
}

void
rig_seal(const char *path, FILE *mem, char **body, size_t *len)
{
	fclose(mem);
	FILE *out = fopen(path, "w");
	if (out) {
		result_seal(out, *body, *len);
		fclose(out);
	}
	free(*body);
	*body = NULL;
}

static int
naive_before(const float *s, int a, int b)
{
	if (isnan(s[a]) || isnan(s[b]))
		return isnan(s[a]) && isnan(s[b]) ? a < b : isnan(s[b]);
	return s[a] != s[b] ? s[a] > s[b] : a < b;
}

void
rig_topk_naive(const float *s, int n, int k, int *out, char *used)
{
	memset(used, 0, n);
	for (int r = 0; r < k; r++) {
		int b = -1;
		for (int i = 0; i < n; i++)
			if (!used[i] && (b < 0 || naive_before(s, i, b)))
				b = i;
		used[b] = 1;
		out[r] = b;
	}
}
