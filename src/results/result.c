#include "results/result.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "util/fileio.h"

const char result_export_header[] =
	"dataset\tmodel\tmethod\tseed\tsplit\tmetric\tk\tvalue\tconfig_hash\n";

static void
write_header(FILE *f, const struct run_output *o)
{
	fprintf(f, "denoisebench-result\t%d\n", RESULT_FORMAT);
	fprintf(f, "version\t%s\nblas\t%s\nbuild_flags\t%s\n", PACKAGE_VERSION, DB_BLAS,
		DB_BUILD_FLAGS);
	fprintf(f, "config_hash\t%016" PRIx64 "\n", config_hash(o->cfg));
	fprintf(f, "data_checksum\t%016" PRIx64 "\n", o->d->checksum);
	char *canon = config_canonical(o->cfg);
	for (char *line = canon, *nl; line && *line; line = nl + 1) {
		nl = strchr(line, '\n');
		fprintf(f, "config\t%.*s\n", (int)(nl - line), line);
	}
	free(canon);
	const dataset *d = o->d;
	fprintf(f, "data\tusers\t%d\ndata\titems\t%d\ndata\ttrain_lines\t%d\n"
		   "data\tvalid_lines\t%d\ndata\ttest_lines\t%d\ndata\ttest_noisy_lines\t%d\n",
		d->n_users, d->n_items, d->train.n, d->valid.n, d->test.n,
		d->has_test_noisy ? d->test_noisy.n : 0);
}

static void
write_train(FILE *f, const struct run_output *o)
{
	const struct train_log *l = o->log;
	fprintf(f, "train\tparameters\t%zu\ntrain\titerations\t%ld\ntrain\tepochs\t%d\n"
		   "train\tstopped_early\t%d\ntrain\tselected_iteration\t%ld\n"
		   "train\tsamples\t%ld\n",
		o->f->n_params, l->iterations, l->epochs_run, l->stopped_early,
		l->selected_iteration, l->samples);
	for (int i = 0; i < o->nwarnings; i++)
		fprintf(f, "warning\t%s\n", o->warnings[i]);
	for (int i = 0; i < l->n_points; i++) {
		const struct train_point *p = &l->points[i];
		fprintf(f, "curve\t%ld\t%d\t%.17g\t%.17g\t%.17g\t%.17g\n", p->iteration, p->epoch,
			p->valid_loss, p->train_loss, p->loss_clean, p->loss_noisy);
		for (int j = 0; j < l->n_stats; j++)
			fprintf(f, "curve_stat\t%ld\t%s\t%.17g\n", p->iteration, l->stat_names[j],
				p->stat[j]);
	}
	const eval_rating_prob *r = o->rating_prob;
	for (int j = 0; r && j < r->n; j++)
		fprintf(f, "rating_prob\t%.17g\t%ld\t%.17g\n", r->rating[j], r->count[j],
			r->mean[j]);
}

static void
write_split(FILE *f, const char *split, const eval_result *r)
{
	for (int m = 0; m < METRIC_COUNT; m++)
		for (int j = 0; j < r->nk; j++)
			fprintf(f, "metric\t%s\t%s\t%d\t%.17g\n", split, metric_names[m], r->ks[j],
				r->mean[m][j]);
	fprintf(f, "metric\t%s\tusers\t0\t%d\n", split, r->n_users);
	fprintf(f, "ks\t%s", split);
	for (int j = 0; j < r->nk; j++)
		fprintf(f, "\t%d", r->ks[j]);
	fputc('\n', f);
	for (int u = 0; u < r->n_users; u++)
		for (int m = 0; m < METRIC_COUNT; m++) {
			fprintf(f, "user\t%s\t%d\t%s", split, r->users[u], metric_names[m]);
			const double *v = r->per_user + ((size_t)u * METRIC_COUNT + (size_t)m) * r->nk;
			for (int j = 0; j < r->nk; j++)
				fprintf(f, "\t%.17g", v[j]);
			fputc('\n', f);
		}
}

static void
write_timing(FILE *f, const struct run_output *o)
{
	const struct train_log *l = o->log;
	double per_epoch = l->epochs_run ? l->seconds_train / l->epochs_run : 0;
	fprintf(f, "timing\ttrain_seconds\t%.6f\ntiming\tseconds_per_epoch\t%.6f\n"
		   "timing\tsamples_per_second\t%.1f\ntiming\tvalid_seconds\t%.6f\n"
		   "timing\teval_seconds\t%.6f\ntiming\ttotal_seconds\t%.6f\n"
		   "timing\tpeak_rss_kib\t%ld\n",
		l->seconds_train, per_epoch,
		l->seconds_train > 0 ? (double)l->samples / l->seconds_train : 0,
		l->seconds_valid, o->seconds_eval, o->seconds_total, o->peak_rss_kib);
}

int
result_write(const char *path, const struct run_output *o, db_err *err)
{
	afile a;
	int rc = afile_open(&a, path, err);
	if (rc)
		return rc;
	write_header(a.f, o);
	write_train(a.f, o);
	if (o->test)
		write_split(a.f, "test", o->test);
	if (o->noisy)
		write_split(a.f, "test_noisy", o->noisy);
	if (o->valid)
		write_split(a.f, "valid", o->valid);
	write_timing(a.f, o);
	return afile_commit(&a, err);
}

struct export_state {
	char dataset[256], model[64], method[64], seed[32], hash[32];
};

/* Splits line at TABs into at most max fields; returns the count. */
static int
split_tabs(char *line, char **field, int max)
{
	int n = 0;
	for (char *p = line; n < max;) {
		field[n++] = p;
		p = strchr(p, '\t');
		if (!p)
			break;
		*p++ = 0;
	}
	return n;
}

static void
export_line(FILE *out, struct export_state *s, char **fld, int n)
{
	if (!strcmp(fld[0], "config_hash") && n >= 2)
		snprintf(s->hash, sizeof s->hash, "%s", fld[1]);
	if (!strcmp(fld[0], "config") && n >= 3) {
		if (!strcmp(fld[1], "dataset"))
			snprintf(s->dataset, sizeof s->dataset, "%s", fld[2]);
		else if (!strcmp(fld[1], "model"))
			snprintf(s->model, sizeof s->model, "%s", fld[2]);
		else if (!strcmp(fld[1], "method"))
			snprintf(s->method, sizeof s->method, "%s", fld[2]);
		else if (!strcmp(fld[1], "seed"))
			snprintf(s->seed, sizeof s->seed, "%s", fld[2]);
	}
	if (!strcmp(fld[0], "metric") && n == 5 && strcmp(fld[2], "users") != 0)
		fprintf(out, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", s->dataset, s->model, s->method,
			s->seed, fld[1], fld[2], fld[3], fld[4], s->hash);
}

int
result_export(FILE *out, const char *path, db_err *err)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return db_fail(err, DB_EIO, "%s: cannot open", path);
	struct export_state s = {{0}, {0}, {0}, {0}, {0}};
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	long lineno = 0;
	int rc = DB_OK;
	while ((len = getline(&line, &cap, f)) > 0) {
		lineno++;
		if (line[len - 1] == '\n')
			line[len - 1] = 0;
		char *fld[8];
		int n = split_tabs(line, fld, 8);
		if (lineno == 1 && (strcmp(fld[0], "denoisebench-result") || n < 2)) {
			rc = db_fail(err, DB_EPARSE,
				"%s:1: not a denoisebench result file (expected 'denoisebench-result')",
				path);
			break;
		}
		export_line(out, &s, fld, n);
	}
	if (!rc && lineno == 0)
		rc = db_fail(err, DB_EPARSE, "%s: empty file, not a result", path);
	free(line);
	fclose(f);
	return rc;
}
