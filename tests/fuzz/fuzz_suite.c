/* Suite parser and expansion: every input is either refused with problems
 * or expands to cells (within the suite's cell cap). */
#include "fuzz.h"
#include "suite/suite.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *dir = fuzz_dir();
	const char *path = dir ? fuzz_file(dir, "suite.yaml", data, size) : NULL;
	struct suite s;
	struct suite_cell *cells;
	size_t n;
	db_err err;
	if (path) {
		suite_load_cells(&s, path, &cells, &n, &err);
		suite_cells_free(cells, n);
		suite_free(&s);
	}
	return 0;
}
