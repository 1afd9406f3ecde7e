/* denoisebench check SUITE [--resolved]: validate a suite file, list its
 * cells, warn about settings that make a cell's method inert or its
 * selection impossible; --resolved prints every cell's resolved settings
 * with where each value comes from. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "data/dataset.h"
#include "models/model.h"
#include "suite/suite.h"
#include "train/train.h"
#include "util/fileio.h"

int cmd_check(int argc, char **argv);

/* Train lines and users of a cell's data (DIR/NAME.train.rating), read
 * once per data directory; lines < 0 when unknown (built-in synthetic data
 * or an unreadable file: the run itself then reports). */
struct data_size {
	char dir[4096];
	long lines, users;
};

static void
data_size(const config *r, struct data_size *z)
{
	const char *dir = config_get(r, "data");
	char p[4400];
	if (!strcmp(z->dir, dir))
		return;
	snprintf(z->dir, sizeof z->dir, "%s", dir);
	z->lines = -1;
	interactions x;
	db_err err;
	if (!*dir ||
		fileio_join(p, sizeof p, dir, config_get(r, "dataset"), ".train.rating", &err) ||
		data_read_file(p, 0, &x, &err))
		return;
	z->lines = x.n;
	z->users = config_int(r, "user_num");
	for (int i = 0; i < x.n; i++)
		if (x.user[i] + 1 > z->users)
			z->users = x.user[i] + 1;
	data_interactions_free(&x);
}

static void
warnings(size_t index, const char *path, const config *r, struct data_size *z, int resolved)
{
	char w[4][TRAIN_WARNING_LEN];
	const struct model_ops *mo = model_find(config_get(r, "model"));
	data_size(r, z);
	if (z->lines < 0 || !mo || !mo->trainable)
		return;
	long iters = config_int(r, "epochs") *
		train_epoch_batches(r, z->lines, z->users, mo->user_batches);
	int n = train_warnings(r, iters, w, 4);
	for (int i = 0; i < n; i++)
		if (resolved)
			printf("    warning: %s\n", w[i]);
		else
			fprintf(stderr, "denoisebench check: warning: cell %zu (%s): %s\n", index,
				path, w[i]);
}

static void
print_resolved(const config *cell, const config *r)
{
	for (int k = 0; k < config_nkeys(); k++) {
		const char *key = config_key_at(k)->name;
		const char *origin = config_origin(cell, key);
		printf("    %-20s %-14s %s\n", key, *config_get(r, key) ? config_get(r, key) : "''",
			!strcmp(origin, "explicit") ? "suite" : origin);
	}
}

static int
list_cells(const struct suite_cell *cells, size_t n, int resolved)
{
	db_err err;
	struct data_size z = {.dir = "\001"};
	for (size_t i = 0; i < n; i++) {
		char path[4096];
		config r;
		if (suite_cell_path(&cells[i], ".", path, sizeof path, &err) != DB_OK ||
			config_resolve(&r, &cells[i].cfg, &err) != DB_OK) {
			fprintf(stderr, "denoisebench check: %s\n", err.msg);
			return CLI_FAILED;
		}
		printf("%zu %s\n", i + 1, path + 2);
		if (resolved)
			print_resolved(&cells[i].cfg, &r);
		warnings(i + 1, path + 2, &r, &z, resolved);
		config_free(&r);
	}
	return CLI_OK;
}

int
cmd_check(int argc, char **argv)
{
	int resolved = argc == 3 && !strcmp(argv[2], "--resolved");
	if (argc == 2 && !strcmp(argv[1], "--help")) {
		puts("usage: denoisebench check SUITE [--resolved]\n\nValidates a suite file "
		     "(README "
		     "\"Suites\") and lists its cells:\nINDEX (for `denoisebench cell`) and result "
		     "path.  "
		     "Warns about settings that\nmake a cell's method inert or its selection "
		     "impossible (T-CE's ramp longer\nthan the run, validation rarer than the run, "
		     "validation off under\nselection=best).  --resolved prints each cell's "
		     "resolved "
		     "settings with their\norigin: default, protocol, dataset fact, paper config "
		     "(the authors'\nper-dataset/model/method values) or suite.");
		return CLI_OK;
	}
	if (argc != 2 && !resolved)
		return cli_usage_error("check", "expected one suite file [--resolved]");
	struct suite s;
	struct suite_cell *cells;
	size_t n;
	int rc = cli_suite_open("check", argv[1], &s, &cells, &n) == DB_OK
		? list_cells(cells, n, resolved)
		: CLI_FAILED;
	suite_cells_free(cells, n);
	suite_free(&s);
	return rc;
}
