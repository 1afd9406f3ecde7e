/* Data loader: the input is split at NUL bytes into train, valid and test
 * files of one dataset, loaded with a small max_id so that the fuzzer's ids
 * cannot ask for gigabytes. */
#include <string.h>

#include "data/dataset.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const sfx[] = {"f.train.rating", "f.valid.rating", "f.test.negative"};
	const char *dir = fuzz_dir();
	const uint8_t *p = data, *end = data + size;
	for (int i = 0; dir && i < 3; i++) {
		const uint8_t *z = memchr(p, 0, (size_t)(end - p));
		const uint8_t *stop = i < 2 && z ? z : end;
		if (!fuzz_file(dir, sfx[i], p, (size_t)(stop - p)))
			return 0;
		p = stop < end ? stop + 1 : end;
	}
	struct data_opts o = {.mask_valid = size && (data[0] & 1), .max_id = 100000};
	dataset d;
	db_err err;
	if (dir && data_load(&d, dir, "f", &o, &err) == DB_OK)
		data_free(&d);
	return 0;
}
