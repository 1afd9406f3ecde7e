/* Result file reader (what report, compare and export --tidy read): a thin
 * wrapper over the one function that reads a result file. */
#include "fuzz.h"
#include "report/report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *dir = fuzz_dir();
	const char *path = dir ? fuzz_file(dir, "f.result", data, size) : NULL;
	struct report_cell c;
	db_err err;
	if (path && report_cell_read(&c, path, &err) == DB_OK)
		report_cell_free(&c);
	return 0;
}
