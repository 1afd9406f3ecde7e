#include "results/result.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "nn/blas.h"
#include "tool-id.h"
#include "util/fileio.h"

const char result_tool_id[] = PACKAGE_VERSION "-" DB_TOOL_COMMIT;

const char result_export_header[] =
	"dataset\tmodel\tmethod\tseed\tsplit\tmetric\tk\tvalue\tconfig_hash\n";

static void
write_header(FILE *f, const struct run_output *o)
{
	fprintf(f, "denoisebench-result\t%d\n", RESULT_FORMAT);
	fprintf(f, "version\t%s\ntool\t%s\nblas\t%s\nbuild_flags\t%s\n", PACKAGE_VERSION,
		result_tool_id, blas_describe(), DB_BUILD_FLAGS);
	fprintf(f, "config_hash\t%016" PRIx64 "\n", config_hash(o->cfg));
	fprintf(f, "data_checksum\t%016" PRIx64 "\n", o->d->checksum);
	char *canon = config_canonical(o->cfg);
	for (char *line = canon, *nl; line && *line; line = nl + 1) {
		nl = strchr(line, '\n');
		fprintf(f, "config\t%.*s\n", (int)(nl - line), line);
	}
	free(canon);
	const dataset *d = o->d;
	fprintf(f,
		"data\tusers\t%d\ndata\titems\t%d\ndata\ttrain_lines\t%d\n"
		"data\tvalid_lines\t%d\ndata\ttest_lines\t%d\ndata\ttest_noisy_lines\t%d\n",
		d->n_users, d->n_items, d->train.n, d->valid.n, d->test.n,
		d->has_test_noisy ? d->test_noisy.n : 0);
}

static void
write_diag(FILE *f, const struct train_log *l)
{
	const struct train_diag_hook *h = l->diag_hook;
	for (int i = 0; i < l->n_diag; i++) {
		const struct train_diag_point *p = &l->diag[i];
		fprintf(f, "diag\t%ld\t%d\t%.17g\t%.17g\t%.17g\n", p->iteration, p->epoch,
			p->train_loss, p->loss_clean, p->loss_noisy);
		for (int j = 0; j < l->n_stats; j++)
			fprintf(f, "diag_stat\t%ld\t%s\t%.17g\n", p->iteration, l->stat_names[j],
				p->stat[j]);
		for (int j = 0; h && j < h->n_test; j++)
			fprintf(f, "diag_test\t%ld\t%s\t%d\t%.17g\n", p->iteration, h->metric[j],
				h->k[j], p->test[j]);
	}
}

static void
write_train(FILE *f, const struct run_output *o)
{
	const struct train_log *l = o->log;
	fprintf(f,
		"train\tparameters\t%zu\ntrain\titerations\t%ld\ntrain\tepochs\t%d\n"
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
	write_diag(f, l);
	for (int i = 0; o->preds && i < o->preds->n; i++) {
		const eval_preds *p = o->preds;
		fprintf(f, "pred\t%d\t%d\t%.17g\t%s\t%.17g\n", p->user[i], p->item[i], p->rating[i],
			p->noisy[i] ? "noisy" : "clean", p->prob[i]);
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
				eval_result_mean(r, m, j));
	fprintf(f, "metric\t%s\tusers\t0\t%d\n", split, r->n_users);
	fprintf(f, "ks\t%s", split);
	for (int j = 0; j < r->nk; j++)
		fprintf(f, "\t%d", r->ks[j]);
	fputc('\n', f);
	for (int u = 0; u < r->n_users; u++)
		for (int m = 0; m < METRIC_COUNT; m++) {
			fprintf(f, "user\t%s\t%d\t%s", split, r->users[u], metric_names[m]);
			const double *v =
				r->per_user + ((size_t)u * METRIC_COUNT + (size_t)m) * r->nk;
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
	fprintf(f,
		"timing\ttrain_seconds\t%.6f\ntiming\tseconds_per_epoch\t%.6f\n"
		"timing\tsamples_per_second\t%.1f\ntiming\tvalid_seconds\t%.6f\n"
		"timing\teval_seconds\t%.6f\ntiming\ttotal_seconds\t%.6f\n"
		"timing\tpeak_rss_kib\t%ld\ntiming\tworker_peak_rss_kib\t%ld\n"
		"timing\tthreads\t%d\n",
		l->seconds_train, per_epoch,
		l->seconds_train > 0 ? (double)l->samples / l->seconds_train : 0, l->seconds_valid,
		o->seconds_eval, o->seconds_total, o->peak_rss_kib, o->worker_peak_rss_kib,
		o->threads > 1 ? o->threads : 1);
}

int
result_seal(FILE *out, const char *body, size_t n)
{
	char hex[65];
	long lines = 0;
	for (size_t i = 0; i < n; i++)
		lines += body[i] == '\n';
	result_sha256_hex(body, n, hex);
	fwrite(body, 1, n, out);
	return fprintf(out, "end\t%ld\t%s\n", lines, hex) < 0 || ferror(out);
}

/* The body goes to memory first: the closing line needs its checksum. */
int
result_write(const char *path, const struct run_output *o, db_err *err)
{
	char *body = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&body, &n);
	if (!f)
		return db_fail(err, DB_ENOMEM, "out of memory");
	write_header(f, o);
	write_train(f, o);
	if (o->test)
		write_split(f, "test", o->test);
	if (o->noisy)
		write_split(f, "test_noisy", o->noisy);
	if (o->valid)
		write_split(f, "valid", o->valid);
	write_timing(f, o);
	int bad = fclose(f) != 0;
	afile a;
	int rc = bad ? db_fail(err, DB_ENOMEM, "out of memory") : afile_open(&a, path, err);
	if (!rc) {
		result_seal(a.f, body, n);
		rc = afile_commit(&a, err);
	}
	free(body);
	return rc;
}

/* The cell's coordinates, copied: a line's fields live for that line. */
struct export_state {
	FILE *out;
	char *v[5]; /* dataset model method seed config_hash */
};

static int
export_line(const struct result_line *l, void *arg, db_err *err)
{
	static const char *const keys[] = {"dataset", "model", "method", "seed"};
	struct export_state *s = arg;
	char **fld = l->f;
	int slot = !strcmp(fld[0], "config_hash") ? 4 : -1;
	for (int i = 0; i < 4 && !strcmp(fld[0], "config"); i++)
		slot = strcmp(fld[1], keys[i]) ? slot : i;
	if (slot >= 0) {
		free(s->v[slot]);
		if (!(s->v[slot] = strdup(fld[slot == 4 ? 1 : 2])))
			return db_fail(err, DB_ENOMEM, "out of memory");
	}
	if (!strcmp(fld[0], "metric") && strcmp(fld[2], "users") != 0) {
		for (int i = 0; i < 4; i++)
			fprintf(s->out, "%s\t", s->v[i] ? s->v[i] : "");
		fprintf(s->out, "%s\t%s\t%s\t%s\t%s\n", fld[1], fld[2], fld[3], fld[4],
			s->v[4] ? s->v[4] : "");
	}
	return DB_OK;
}

int
result_export(FILE *out, const char *path, db_err *err)
{
	struct export_state s = {.out = out};
	int rc = result_read(path, export_line, &s, err);
	for (int i = 0; i < 5; i++)
		free(s.v[i]);
	return rc;
}
