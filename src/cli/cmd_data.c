/* denoisebench data check DIR [--name NAME] [--manifest FILE]: compare a copy
 * of a dataset with its manifest (datasets/NAME.manifest) and say which file
 * differs and how. */
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "data/manifest.h"
#include "util/fileio.h"

int cmd_data(int argc, char **argv);

static int
usage(void)
{
	puts("usage: denoisebench data check DIR [--name NAME] [--manifest FILE]\n"
	     "       denoisebench data manifest DIR [--name NAME] [--out FILE]\n\n"
	     "Checks the files of the dataset in DIR against its manifest: FILE, or\n"
	     "NAME.manifest in $DENOISEBENCH_MANIFESTS or else ./datasets, or else the\n"
	     "installed manifests (NAME: DIR's base name).  Prints each missing file,\n"
	     "wrong line count and wrong SHA-256; exit status 0 when the copy matches, 1\n"
	     "when it differs, 2 on bad usage.\n\n"
	     "`data manifest` writes a manifest of the dataset in DIR (to FILE, atomically,\n"
	     "or stdout): its name and each file the loader reads (NAME.train.rating,\n"
	     ".valid.rating, .test.negative, and .test.noisy when present) with its line\n"
	     "count and SHA-256, in the format of datasets/*.manifest, for `data check`.");
	return CLI_OK;
}

static int
check(const char *dir, const char *mpath)
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

/* The manifest of the files in dir that data_load reads. */
static int
write_manifest(FILE *f, const char *dir, const char *name, db_err *err)
{
	static const char *const sfx[] = {".train.rating", ".valid.rating", ".test.negative",
		".test.noisy"};
	fprintf(f,
		"# Written by `denoisebench data manifest`; check a copy with\n"
		"# `denoisebench data check DIR --manifest THIS_FILE`.\n"
		"name        %s\ntitle       %s (user dataset)\n",
		name, name);
	for (int i = 0; i < 4; i++) {
		char p[4400], hex[65];
		long lines;
		int rc = fileio_join(p, sizeof p, dir, name, sfx[i], err);
		if (rc == DB_OK && i == 3 && access(p, F_OK) != 0)
			break; /* the noisy test file is optional */
		if (rc != DB_OK || (rc = manifest_file_digest(p, hex, &lines, err)) != DB_OK)
			return rc;
		fprintf(f, "file  %s%s  %ld  %s\n", name, sfx[i], lines, hex);
	}
	return DB_OK;
}

static int
manifest_cmd(const char *dir, const char *name, const char *out)
{
	db_err err = {{0}};
	afile a = {.f = stdout};
	int rc = out ? afile_open(&a, out, &err) : DB_OK;
	if (rc == DB_OK)
		rc = write_manifest(a.f, dir, name, &err);
	if (out)
		rc = rc == DB_OK ? afile_commit(&a, &err) : (afile_abort(&a), rc);
	return rc != DB_OK ? cli_error(rc, &err) : CLI_OK;
}

int
cmd_data(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[argc - 1], "--help"))
		return usage();
	int make = argc >= 3 && !strcmp(argv[1], "manifest");
	if (argc < 3 || (strcmp(argv[1], "check") && !make))
		return cli_usage_error("data", "expected `data check DIR` or `data manifest DIR`");
	const char *dir = argv[2], *name = NULL, *mpath = NULL, *out = NULL;
	for (int i = 3; i < argc; i++) {
		if (!strcmp(argv[i], "--name") && i + 1 < argc)
			name = argv[++i];
		else if (!make && !strcmp(argv[i], "--manifest") && i + 1 < argc)
			mpath = argv[++i];
		else if (make && !strcmp(argv[i], "--out") && i + 1 < argc)
			out = argv[++i];
		else
			return cli_usage_error("data", "unexpected argument '%s'", argv[i]);
	}
	char copy[4096], def[4400], installed[4096];
	snprintf(copy, sizeof copy, "%s", dir);
	if (!name)
		name = basename(copy);
	if (make)
		return manifest_cmd(dir, name, out);
	if (!mpath &&
		!cli_manifest_path(def, sizeof def, name,
			cli_share_path(installed, sizeof installed, "datasets")))
		return cli_usage_error("data", "dataset name too long");
	return check(dir, mpath ? mpath : def);
}
