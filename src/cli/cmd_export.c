/* denoisebench export: result files (or directories of them) -> one TSV. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "report/report.h"
#include "results/result.h"

int cmd_export(int argc, char **argv);

static int
is_result_file(const char *path)
{
	char head[24] = {0};
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	size_t n = fread(head, 1, sizeof head - 1, f);
	fclose(f);
	return n >= 20 && strncmp(head, "denoisebench-result\t", 20) == 0;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A directory: every result file below it, in name order so the output
 * does not depend on the file system's listing order. */
static int
export_path(const char *path, db_err *err)
{
	struct stat st;
	if (stat(path, &st) != 0)
		return db_fail(err, DB_EIO, "%s: no such file or directory", path);
	if (!S_ISDIR(st.st_mode))
		return result_export(stdout, path, err);
	struct dirent **list;
	int n = scandir(path, &list, NULL, NULL), rc = DB_OK;
	if (n < 0)
		return db_fail(err, DB_EIO, "%s: cannot read directory", path);
	char **names = calloc((size_t)n + 1, sizeof *names);
	int m = 0;
	for (int i = 0; i < n; i++) {
		if (list[i]->d_name[0] != '.' && names)
			names[m++] = strdup(list[i]->d_name);
		free(list[i]);
	}
	free(list);
	if (!names)
		return db_fail(err, DB_ENOMEM, "out of memory");
	qsort(names, (size_t)m, sizeof *names, name_cmp);
	for (int i = 0; i < m; i++) {
		char child[4096];
		snprintf(child, sizeof child, "%s/%s", path, names[i] ? names[i] : "");
		if (!rc && stat(child, &st) == 0 && (S_ISDIR(st.st_mode) || is_result_file(child)))
			rc = export_path(child, err);
		free(names[i]);
	}
	free(names);
	return rc;
}

/* --tidy: every per-seed mean and per-user value, with the cell group. */
static int
export_tidy(int npaths, char **paths)
{
	struct report_set s;
	db_err err = {{0}};
	int rc = report_set_load(&s, paths, (size_t)npaths, &err);
	if (!rc) {
		rc = report_tidy_write(stdout, &s, &err);
		report_set_free(&s);
	}
	return rc ? cli_error(rc, &err) : CLI_OK;
}

int
cmd_export(int argc, char **argv)
{
	if (argc < 2)
		return cli_usage_error("export", "give result files or directories");
	if (!strcmp(argv[1], "--help")) {
		puts("usage: denoisebench export [--tidy] FILE|DIR...\n\n"
		     "Prints one TSV of every metric of the given result files (directories are\n"
		     "searched recursively), header first:\n"
		     "dataset model method seed split metric k value config_hash\n\n"
		     "--tidy FILE|DIR...: one row per per-seed mean and per-user value instead:\n"
		     "dataset model method seed config_hash group split metric k user value\n"
		     "(user 'all' on the means; group numbers the cell groups: the same settings\n"
		     "apart from seed and data).");
		return CLI_OK;
	}
	if (!strcmp(argv[1], "--tidy"))
		return argc > 2 ? export_tidy(argc - 2, argv + 2)
				: cli_usage_error("export", "give result files or directories");
	fputs(result_export_header, stdout);
	for (int i = 1; i < argc; i++) {
		db_err err = {{0}};
		int rc = export_path(argv[i], &err);
		if (rc)
			return cli_error(rc, &err);
	}
	return CLI_OK;
}
