/* Figures: NAME.dat and NAME.gp written atomically beside NAME.png and
 * NAME.pdf, so that users can restyle a figure and rerun gnuplot on it. */
#include "report/internal.h"

#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "util/fileio.h"

extern char **environ;

int
report_buf_open(struct report_buf *b, db_err *err)
{
	b->s = NULL;
	b->n = 0;
	b->f = open_memstream(&b->s, &b->n);
	return b->f ? DB_OK : db_fail(err, DB_ENOMEM, "out of memory");
}

int
report_buf_close(struct report_buf *b, db_err *err)
{
	int bad = ferror(b->f);
	if (fclose(b->f) || bad || !b->s) {
		free(b->s);
		b->s = NULL;
		return db_fail(err, DB_ENOMEM, "out of memory");
	}
	return DB_OK;
}

void
report_fig_name(char *out, size_t size, const char *kind, const char *const *parts, size_t n)
{
	size_t len = (size_t)snprintf(out, size, "%s", kind);
	for (size_t i = 0; i < n && len + 1 < size; i++) {
		out[len++] = '-';
		for (const char *p = parts[i]; *p && len + 1 < size; p++)
			out[len++] = strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
					    "0123456789._-",
					     *p)
				? *p
				: '_';
		out[len] = 0;
	}
}

static int
write_file(const char *dir, const char *name, const char *suffix, const char *text, db_err *err)
{
	char path[4096];
	afile a;
	int rc = fileio_join(path, sizeof path, dir, name, suffix, err);
	if (!rc)
		rc = afile_open(&a, path, err);
	if (rc)
		return rc;
	fputs(text, a.f);
	return afile_commit(&a, err);
}

/* gnuplot -e "cd 'DIR'" NAME.gp: the script's file names stay relative. */
static int
run_gnuplot(const char *dir, const char *name, db_err *err)
{
	char cd[4200], script[300];
	snprintf(cd, sizeof cd, "cd '%s'", dir);
	snprintf(script, sizeof script, "%s.gp", name);
	char *argv[] = {"gnuplot", "-e", cd, script, NULL};
	pid_t pid;
	int status;
	if (posix_spawnp(&pid, "gnuplot", NULL, NULL, argv, environ) != 0)
		return db_fail(err, DB_EIO, "cannot run gnuplot (is it installed?)");
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return db_fail(err, DB_EIO, "%s/%s.gp: gnuplot failed", dir, name);
	return DB_OK;
}

int
report_fig_emit(const struct report_fig_opts *o, const char *name, const char *data,
	const char *body, db_err *err)
{
	if (strchr(o->dir, '\''))
		return db_fail(err, DB_EINVAL, "%s: a figure directory may not contain a quote",
			o->dir);
	struct report_buf gp;
	int rc = report_buf_open(&gp, err);
	if (rc)
		return rc;
	/* the body twice, not `replot`: replot redraws only a multiplot's
	 * last panel */
	fprintf(gp.f,
		"# denoisebench report: edit and rerun with `gnuplot %s.gp` here; the plot\n"
		"# commands come twice, for the PNG and for the PDF.\n"
		"set terminal pngcairo size %d,%d noenhanced font 'sans,10'\n"
		"set output '%s.png'\n%s"
		"set terminal pdfcairo size %.2fin,%.2fin noenhanced font 'sans,10'\n"
		"set output '%s.pdf'\n%sunset output\n",
		name, o->width, o->height, name, body, o->width / 100.0, o->height / 100.0, name,
		body);
	rc = report_buf_close(&gp, err);
	if (!rc)
		rc = write_file(o->dir, name, ".dat", data, err);
	if (!rc)
		rc = write_file(o->dir, name, ".gp", gp.s, err);
	if (!rc && o->run_gnuplot)
		rc = run_gnuplot(o->dir, name, err);
	free(gp.s);
	return rc;
}

int
report_fig_begin(struct report_fig *f, db_err *err)
{
	int rc = report_buf_open(&f->dat, err);
	if (!rc && (rc = report_buf_open(&f->body, err))) {
		fclose(f->dat.f);
		free(f->dat.s);
	}
	return rc;
}

int
report_fig_open(struct report_fig *f, char *name, size_t size, const char *kind,
	const char *const *parts, size_t n, db_err *err)
{
	report_fig_name(name, size, kind, parts, n);
	return report_fig_begin(f, err);
}

int
report_fig_keys_get(struct report_fig_keys *k, const struct report_set *s, db_err *err)
{
	k->ds = report_set_distinct(s, "dataset", &k->nd);
	k->models = report_set_distinct(s, "model", &k->nm);
	k->methods = report_set_distinct(s, "method", &k->nme);
	return k->ds && k->models && k->methods ? DB_OK : db_fail(err, DB_ENOMEM, "out of memory");
}

void
report_fig_keys_free(struct report_fig_keys *k)
{
	free(k->ds);
	free(k->models);
	free(k->methods);
}

int
report_fig_end(struct report_fig *f, const struct report_fig_opts *o, const char *name, int draw,
	int *nfig, db_err *err)
{
	int rc = report_buf_close(&f->dat, err);
	int rc2 = report_buf_close(&f->body, err);
	rc = rc ? rc : rc2;
	if (!rc && draw) {
		rc = report_fig_emit(o, name, f->dat.s, f->body.s, err);
		*nfig += !rc;
	}
	free(f->dat.s);
	free(f->body.s);
	return rc;
}

/* One colour and one marker per method in every figure (a reader follows a
 * method from figure to figure); pt is gnuplot's filled marker, pt - 1 its
 * open twin (noisy positives beside clean ones). */
static const struct method_style {
	const char *method, *colour;
	int pt;
} styles[] = {
	{"normal", "#000000", 7},
	{"t-ce", "#d62728", 5},
	{"r-ce", "#1f77b4", 9},
	{"deca", "#2ca02c", 13},
	{"deca-p", "#17becf", 11},
	{"clean", "#7f7f7f", 15},
	{"wbpr", "#9467bd", 5},
	{"ensemble", "#8c564b", 9},
	{"finetune", "#e377c2", 13},
	{"warmup", "#bcbd22", 11},
	{"nmtr", "#ff7f0e", 7},
	{"nr", "#8db0d9", 15},
};
size_t
report_fig_method_rank(const char *method)
{
	for (size_t i = 0; i < sizeof styles / sizeof styles[0]; i++)
		if (!strcmp(styles[i].method, method))
			return i;
	return sizeof styles / sizeof styles[0];
}

void
report_fig_xtics(FILE *body, double xmax)
{
	double q = xmax / 4, step = 1; /* the smallest 1, 2, 5 x 10^n >= q */
	while (step * 10 <= q)
		step *= 10;
	step *= q <= step ? 1 : q <= 2 * step ? 2 : q <= 5 * step ? 5 : 10;
	fprintf(body, "set xtics %g\n", step);
}

/* Methods outside the table (imports): a colour of this list by name. */
static const char *const spare[] = {"#e6550d", "#31a354", "#756bb1", "#636363", "#3182bd"};

void
report_fig_style(FILE *body, const char *method, int open)
{
	const char *colour = NULL;
	int pt = 3;
	for (size_t i = 0; !colour && i < sizeof styles / sizeof styles[0]; i++)
		if (!strcmp(styles[i].method, method)) {
			colour = styles[i].colour;
			pt = styles[i].pt;
		}
	unsigned h = 0;
	for (const char *p = method; !colour && *p; p++)
		h = h * 31u + (unsigned char)*p;
	if (!colour)
		colour = spare[h % (sizeof spare / sizeof spare[0])];
	fprintf(body, " lc rgb '%s'", colour);
	if (open >= 0)
		fprintf(body, " pt %d", pt - open);
}

/* Every figure kind, drawn in this order; each notes what it cannot draw. */
static const struct figure_kind {
	const char *name;
	int (*draw)(const struct report_set *, const struct report_fig_opts *, FILE *, int *,
		db_err *);
} kinds[] = {
	{"curve and loss", report_fig_curves},
	{"activity", report_fig_activity},
	{"sweep", report_fig_sweeps},
	{"drops", report_fig_drops},
	{"ratings", report_fig_ratings},
	{"panels", report_fig_panels},
	{"along", report_fig_along},
	{"preds", report_fig_preds},
};

int
report_figures(const struct report_set *s, const struct report_fig_opts *o, FILE *notes, int *nfig,
	db_err *err)
{
	*nfig = 0;
	int rc = fileio_mkdir_p(o->dir, err);
	for (size_t i = 0; !rc && i < sizeof kinds / sizeof kinds[0]; i++)
		rc = kinds[i].draw(s, o, notes, nfig, err);
	if (!rc)
		rc = report_fig_index_write(s, o, err);
	return rc;
}

void
report_fig_few_points(FILE *body, const char *names, long lo, long hi)
{
	if (*names)
		fprintf(body,
			"set label 1 'one evaluation point only (eval_freq against the run''s "
			"iterations): %s' at graph 0.02, graph 0.95 font ',9'\n",
			names);
	if (lo >= 0 && lo == hi)
		fprintf(body, "set xrange [%ld:%ld]\n", lo > 0 ? lo - 1 : 0, hi + 1);
}
