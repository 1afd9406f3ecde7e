/* Suite plans for external engines: make, GNU parallel, Slurm job arrays.
 * Every line calls `denoisebench cell`, so the engines share the runner's
 * result naming, skipping and failure records. */
#include <string.h>

#include "suite/suite.h"

/* A word for sh: single-quoted, with each ' written as '\'' */
static void
quoted(FILE *f, const char *s)
{
	fputc('\'', f);
	for (; *s; s++)
		fputs(*s == '\'' ? "'\\''" : (char[2]){*s, 0}, f);
	fputc('\'', f);
}

static void
command(FILE *f, const char *exe, const char *suite_path)
{
	quoted(f, exe);
	fputs(" cell ", f);
	quoted(f, suite_path);
}

int
suite_plan_write(FILE *f, const char *format, const char *exe, const char *suite_path,
	const char *name, size_t n, const char *dir, db_err *err)
{
	if (!strcmp(format, "parallel")) {
		for (size_t i = 1; i <= n; i++) {
			command(f, exe, suite_path);
			fprintf(f, " %zu --results ", i);
			quoted(f, dir);
			fputc('\n', f);
		}
	} else if (!strcmp(format, "make")) {
		fprintf(f, "# %s: %zu cells; run with make -j N -f THIS_FILE\n.PHONY: all", name,
			n);
		for (size_t i = 1; i <= n; i++)
			fprintf(f, " cell%zu", i);
		fputs("\nall:", f);
		for (size_t i = 1; i <= n; i++)
			fprintf(f, " cell%zu", i);
		fputc('\n', f);
		for (size_t i = 1; i <= n; i++) {
			fprintf(f, "cell%zu:\n\t", i);
			command(f, exe, suite_path);
			fprintf(f, " %zu --results ", i);
			quoted(f, dir);
			fputc('\n', f);
		}
	} else if (!strcmp(format, "slurm")) {
		fprintf(f,
			"#!/bin/bash\n#SBATCH --job-name=%s\n#SBATCH --array=1-%zu\n"
			"#SBATCH --ntasks=1\n#SBATCH --cpus-per-task=1\nexec ",
			name, n);
		command(f, exe, suite_path);
		fputs(" \"$SLURM_ARRAY_TASK_ID\" --results ", f);
		quoted(f, dir);
		fputc('\n', f);
	} else {
		return db_fail(err, DB_EINVAL,
			"unknown plan format '%s'; one of make, parallel, slurm", format);
	}
	return ferror(f) ? db_fail(err, DB_EIO, "cannot write the plan") : DB_OK;
}
