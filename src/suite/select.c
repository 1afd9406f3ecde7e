/* A slice of a suite: the cells whose settings take one of the listed values
 * (`run --only model=gmf,neumf`).  A slice writes the same result files as
 * the whole suite would, so running the rest later reuses them. */
#include <stdlib.h>
#include <string.h>

#include "suite/suite.h"

/* 1 when value is one of the comma-separated items of list. */
static int
in_list(const char *value, const char *list)
{
	size_t n = strlen(value);
	for (const char *p = list; *p;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len == n && !strncmp(p, value, n))
			return 1;
		p += len + (end != NULL);
	}
	return 0;
}

int
suite_cells_select(struct suite_cell *cells, size_t *n, const char *filter, db_err *err)
{
	const char *eq = strchr(filter, '=');
	if (!eq || eq == filter || !eq[1])
		return db_fail(err, DB_EINVAL, "--only takes KEY=VALUE[,VALUE...] (got '%s')",
			filter);
	char key[128];
	if ((size_t)(eq - filter) >= sizeof key)
		return db_fail(err, DB_EINVAL, "--only: key too long in '%s'", filter);
	memcpy(key, filter, (size_t)(eq - filter));
	key[eq - filter] = 0;
	if (*n && !config_lookup(&cells[0].cfg, key) && !config_key_find(key))
		return db_fail(err, DB_EINVAL, "--only: unknown setting '%s'", key);
	size_t kept = 0;
	for (size_t i = 0; i < *n; i++) {
		if (in_list(config_get(&cells[i].cfg, key), eq + 1)) {
			cells[kept++] = cells[i];
		} else {
			config_free(&cells[i].cfg);
			free(cells[i].label);
		}
	}
	*n = kept;
	return DB_OK;
}
