/* Result file reader (what report, compare, export and export --tidy read):
 * a thin wrapper over the one function that reads a result file.  Each input
 * is read twice: as it is (the closing-line checks), and sealed with a
 * correct closing line (result_seal) so that mutations reach the line parser
 * behind the checksum, which a fuzzer could not forge. */
#include "fuzz.h"
#include "report/report.h"
#include "results/result.h"

static void
read_one(const char *path)
{
	struct report_cell c;
	db_err err;
	if (path && report_cell_read(&c, path, &err) == DB_OK)
		report_cell_free(&c);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *dir = fuzz_dir();
	if (!dir)
		return 0;
	read_one(fuzz_file(dir, "raw.result", data, size));
	char *sealed = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&sealed, &n);
	if (!f)
		return 0;
	result_seal(f, (const char *)data, size);
	if (fclose(f) == 0)
		read_one(fuzz_file(dir, "sealed.result", (const uint8_t *)sealed, n));
	free(sealed);
	return 0;
}
