/* denoisebench data check DIR [--name NAME] [--manifest FILE]: compare a copy
 * of a dataset with its manifest (datasets/NAME.manifest) and say which file
 * differs and how. */
#include <libgen.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "data/manifest.h"

int cmd_data(int argc, char **argv);

static int usage(void)
{
	puts("usage: denoisebench data check DIR [--name NAME] [--manifest FILE]\n\n"
	     "Checks the files of the dataset in DIR against its manifest: FILE, or\n"
	     "NAME.manifest in $DENOISEBENCH_MANIFESTS or else ./datasets, or else the\n"
	     "installed manifests (NAME: DIR's base name).  Prints each missing file,\n"
	     "wrong line count and wrong SHA-256; exit status 0 when the copy matches, 1\n"
	     "when it differs, 2 on bad usage.");
	return CLI_OK;
}

static int check(const char *dir, const char *mpath)
{
	struct manifest m;
	db_err err;
	char **diffs;
	size_t n;
	int rc = manifest_load(&m, mpath, &err);
	if (rc == DB_OK && (rc = manifest_verify(&m, dir, &diffs, &n, &err)) == DB_OK) {
		for (size_t i = 0; i < n; i++)
			printf("%s\n", diffs[i]);
		printf("%s: %s %s (%zu file(s) checked against %s)\n", dir,
			n ? "DIFFERS from" : "matches", m.name, m.nfiles, mpath);
		manifest_diffs_free(diffs, n);
	}
	manifest_free(&m);
	return rc != DB_OK ? cli_error(rc, &err) : n ? CLI_FAILED : CLI_OK;
}

int cmd_data(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[argc - 1], "--help"))
		return usage();
	if (argc < 3 || strcmp(argv[1], "check"))
		return cli_usage_error("data", "expected `data check DIR`");
	const char *dir = argv[2], *name = NULL, *mpath = NULL;
	for (int i = 3; i < argc; i++) {
		if (!strcmp(argv[i], "--name") && i + 1 < argc)
			name = argv[++i];
		else if (!strcmp(argv[i], "--manifest") && i + 1 < argc)
			mpath = argv[++i];
		else
			return cli_usage_error("data", "unexpected argument '%s'", argv[i]);
	}
	char copy[4096], def[4400], installed[4096];
	snprintf(copy, sizeof copy, "%s", dir);
	if (!name)
		name = basename(copy);
	if (!mpath && !cli_manifest_path(def, sizeof def, name,
			cli_share_path(installed, sizeof installed, "datasets")))
		return cli_usage_error("data", "dataset name too long");
	return check(dir, mpath ? mpath : def);
}
