/* Suite -> cells: dataset x model x method x seed, each an explicit config.
 * Later settings override earlier ones: suite settings, then the dataset's. */
#include <stdio.h>
#include <stdlib.h>

#include "suite/suite.h"

static int apply(config *c, const struct suite_setting *set, size_t n, db_err *err)
{
	for (size_t i = 0; i < n; i++) {
		int rc = config_set(c, set[i].key, set[i].val, err);
		if (rc != DB_OK)
			return rc;
	}
	return DB_OK;
}

static int cell(config *c, const struct suite *s, const struct suite_dataset *d,
	const char *model, const char *method, long seed, db_err *err)
{
	char seedtxt[24];
	snprintf(seedtxt, sizeof seedtxt, "%ld", seed);
	config_init(c);
	int rc = apply(c, s->set, s->nset, err);
	if (rc == DB_OK)
		rc = apply(c, d->set, d->nset, err);
	if (rc == DB_OK)
		rc = config_set(c, "dataset", d->name, err);
	if (rc == DB_OK && d->path)
		rc = config_set(c, "data", d->path, err);
	if (rc == DB_OK)
		rc = config_set(c, "model", model, err);
	if (rc == DB_OK)
		rc = config_set(c, "method", method, err);
	if (rc == DB_OK)
		rc = config_set(c, "seed", seedtxt, err);
	return rc;
}

int suite_expand(const struct suite *s, config **cells, size_t *ncells, db_err *err)
{
	size_t max = s->ndata * s->nmodels * s->nmethods * s->nseeds, n = 0;
	config *out = db_calloc(max ? max : 1, sizeof *out, err);
	if (!out)
		return DB_ENOMEM;
	int rc = DB_OK;
	for (size_t d = 0; d < s->ndata && rc == DB_OK; d++) {
		if (s->data[d].missing)
			continue;
		for (size_t m = 0; m < s->nmodels && rc == DB_OK; m++)
			for (size_t t = 0; t < s->nmethods && rc == DB_OK; t++)
				for (size_t k = 0; k < s->nseeds && rc == DB_OK; k++)
					rc = cell(&out[n++], s, &s->data[d], s->models[m],
						s->methods[t], s->seeds[k], err);
	}
	if (rc != DB_OK) {
		suite_cells_free(out, n);
		return rc;
	}
	*cells = out;
	*ncells = n;
	return DB_OK;
}

void suite_cells_free(config *cells, size_t ncells)
{
	for (size_t i = 0; i < ncells; i++)
		config_free(&cells[i]);
	free(cells);
}

int suite_load_cells(struct suite *s, const char *path, config **cells, size_t *ncells, db_err *err)
{
	*cells = NULL;
	*ncells = 0;
	int rc = suite_load(s, path, err);
	return rc == DB_OK ? suite_expand(s, cells, ncells, err) : rc;
}
