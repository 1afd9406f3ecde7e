/* What every suite command does first: load and expand the suite, print its
 * problems, and say which optional datasets are skipped and which data do not
 * match their manifest (the run goes on: results record the data checksum). */
#include <libgen.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "data/manifest.h"

/* DIR/NAME.manifest, DIR from $DENOISEBENCH_MANIFESTS or else `fallback`. */
int
cli_manifest_path(char *out, size_t size, const char *name, const char *fallback)
{
	const char *env = getenv("DENOISEBENCH_MANIFESTS");
	int n = snprintf(out, size, "%s/%s.manifest", env && *env ? env : fallback, name);
	return n > 0 && (size_t)n < size;
}

/* Warns about each difference between the dataset's files and its manifest
 * (datasets/ beside the suite's directory); no manifest, no check. */
static void
check_manifest(const char *cmd, const char *suite_path, const struct suite_dataset *d,
	uint64_t checksum)
{
	char copy[4096], fallback[4200], mpath[4400];
	snprintf(copy, sizeof copy, "%s", suite_path);
	snprintf(fallback, sizeof fallback, "%s/../datasets", dirname(copy));
	struct manifest m;
	db_err err;
	if (!cli_manifest_path(mpath, sizeof mpath, d->name, fallback) ||
		manifest_load(&m, mpath, &err) != DB_OK)
		return;
	char **diffs;
	size_t n;
	if (manifest_verify(&m, d->path, &diffs, &n, &err) != DB_OK)
		fprintf(stderr, "denoisebench %s: warning: %s\n", cmd, err.msg);
	for (size_t i = 0; i < n; i++)
		fprintf(stderr, "denoisebench %s: warning: %s does not match %s: %s\n", cmd,
			d->name, mpath, diffs[i]);
	if (n)
		fprintf(stderr,
			"denoisebench %s: warning: results on %s record its data checksum "
			"%016llx\n",
			cmd, d->name, (unsigned long long)checksum);
	manifest_diffs_free(diffs, n);
	manifest_free(&m);
}

static void
notes(const char *cmd, const char *path, const struct suite *s, const struct suite_cell *cells,
	size_t n)
{
	size_t c = 0;
	for (size_t i = 0; i < s->ndata; i++) {
		const struct suite_dataset *d = &s->data[i];
		if (d->missing) {
			fprintf(stderr, "%s: notice: optional dataset '%s' skipped: %s not found\n",
				path, d->name, d->path);
			continue;
		}
		while (c < n && strcmp(config_get(&cells[c].cfg, "dataset"), d->name))
			c++;
		if (d->path && c < n)
			check_manifest(cmd, path, d, cells[c].data_checksum);
	}
}

int
cli_suite_open(const char *cmd, const char *path, struct suite *s, struct suite_cell **cells,
	size_t *n)
{
	db_err err;
	char installed[4096];
	path = cli_share_path(installed, sizeof installed, path);
	int rc = suite_load_cells(s, path, cells, n, &err);
	for (size_t i = 0; i < s->nproblems; i++)
		fprintf(stderr, "%s\n", s->problems[i]);
	if (rc != DB_OK && !s->nproblems)
		fprintf(stderr, "denoisebench %s: %s\n", cmd, err.msg);
	if (rc == DB_OK)
		notes(cmd, path, s, *cells, *n);
	return rc;
}

int
cli_run_cell(const config *const *cells, const char *const *outs, int n, int threads, FILE *log,
	int *written, db_err *err)
{
	_Static_assert(SUITE_SHARE_MAX <= RUN_SHARED_MAX, "a runner's group fits one training");
	struct run_summary sum;
	struct run_opts opts = {NULL, NULL, threads};
	return run_shared_log(cells, outs, n, &opts, log, &sum, written, err);
}
