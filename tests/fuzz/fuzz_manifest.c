/* Dataset manifest reader. */
#include "data/manifest.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *dir = fuzz_dir();
	const char *path = dir ? fuzz_file(dir, "f.manifest", data, size) : NULL;
	struct manifest m;
	db_err err;
	if (path && manifest_load(&m, path, &err) == DB_OK)
		manifest_free(&m);
	return 0;
}
