/* Result files below a path, in name order, so that every reader (export,
 * report, compare) sees a set independent of the file system's listing. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "results/result.h"

/* By name, not content: a leftover RESULT.result.tmp.PID starts like a
 * result and must never be read as one; FIFOs and devices are not read. */
static int
is_result_file(const char *path, const struct stat *st)
{
	size_t n = strlen(path);
	return S_ISREG(st->st_mode) && n > 7 && !strcmp(path + n - 7, ".result");
}

static int
name_cmp(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int
walk(const char *path, int top, result_walk_fn fn, void *arg, db_err *err)
{
	struct stat st;
	if (stat(path, &st) != 0)
		return db_fail(err, DB_EIO, "%s: no such file or directory", path);
	if (!S_ISDIR(st.st_mode))
		return top || is_result_file(path, &st) ? fn(path, arg, err) : DB_OK;
	struct dirent **list;
	int n = scandir(path, &list, NULL, name_cmp), rc = DB_OK;
	if (n < 0)
		return db_fail(err, DB_EIO, "%s: cannot read directory", path);
	for (int i = 0; i < n; i++) {
		char child[4096];
		if (!rc && list[i]->d_name[0] != '.') {
			if ((size_t)snprintf(child, sizeof child, "%s/%s", path, list[i]->d_name) >=
				sizeof child)
				rc = db_fail(err, DB_EINVAL, "%s/%s: path too long", path,
					list[i]->d_name);
			else
				rc = walk(child, 0, fn, arg, err);
		}
		free(list[i]);
	}
	free(list);
	return rc;
}

int
result_walk(const char *path, result_walk_fn fn, void *arg, db_err *err)
{
	return walk(path, 1, fn, arg, err);
}
