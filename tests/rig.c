/* Test scaffolding (rig.h). */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rig.h"

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
	struct data_opts o = {0, 0, 1, 0, 0};
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
	struct data_opts o = {0, 0, 1, 0, 0};
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
