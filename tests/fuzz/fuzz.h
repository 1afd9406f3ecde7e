/* Shared by the libFuzzer targets (README "Fuzzing"): the readers under test
 * take file names, so each input is written to a file of this process in
 * $TMPDIR first.  Each target is a thin wrapper over one public reader. */
#ifndef DB_FUZZ_H
#define DB_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

#include "methods/method.h"
#include "models/model.h"
#include "util/fileio.h"

/* config's model and method keys take their names from the registries,
 * which lend them from a constructor in their files; referencing the
 * registries here links both into every target (the readers validate
 * those keys). */
__attribute__((used)) static const char *(*const fuzz_registries[])(
	void) = {model_names, method_names};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Writes data to $TMPDIR/denoisebench-fuzz-PID[-tag] (tag: the file's role);
 * returns that path (static storage per tag slot), or NULL. */
static inline const char *
fuzz_file(const char *dir, const char *name, const uint8_t *data, size_t size)
{
	static char path[8][4200];
	static int next;
	char *p = path[next++ % 8];
	snprintf(p, sizeof path[0], "%s/%s", dir, name);
	FILE *f = fopen(p, "wb");
	if (!f)
		return NULL;
	int ok = fwrite(data, 1, size, f) == size;
	return fclose(f) == 0 && ok ? p : NULL;
}

/* This process's scratch directory, created once. */
static inline const char *
fuzz_dir(void)
{
	static char dir[4200];
	if (!dir[0]) {
		snprintf(dir, sizeof dir, "%s/denoisebench-fuzz-%ld", fileio_tmpdir(),
			(long)getpid());
		db_err err;
		if (fileio_mkdir_p(dir, &err) != DB_OK)
			dir[0] = '\0';
	}
	return dir[0] ? dir : NULL;
}

#endif
