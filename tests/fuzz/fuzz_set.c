/* `--set key=value`: each input line is one --set, then the configuration
 * is resolved with the protocol and paper defaults as a run does. */
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	config c, r;
	db_err err;
	config_init(&c);
	for (char *save, *line = strtok_r(text, "\n", &save); line;
		line = strtok_r(NULL, "\n", &save))
		config_set_kv(&c, line, &err);
	if (config_resolve(&r, &c, &err) == DB_OK) {
		free(config_canonical(&r));
		config_free(&r);
	}
	config_free(&c);
	free(text);
	return 0;
}
