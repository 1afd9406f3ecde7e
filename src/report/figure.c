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
					    "0123456789._-", *p) ? *p : '_';
		out[len] = 0;
	}
}

static int
write_file(const char *dir, const char *name, const char *suffix, const char *text,
	db_err *err)
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
	fprintf(gp.f, "# denoisebench report: edit and rerun with `gnuplot %s.gp` here.\n"
		      "set terminal pngcairo size %d,%d noenhanced font 'sans,10'\n"
		      "set output '%s.png'\n%s"
		      "set terminal pdfcairo size %.2fin,%.2fin noenhanced font 'sans,10'\n"
		      "set output '%s.pdf'\nreplot\nunset output\n",
		name, o->width, o->height, name, body, o->width / 100.0, o->height / 100.0, name);
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
report_fig_end(struct report_fig *f, const struct report_fig_opts *o, const char *name,
	int draw, int *nfig, db_err *err)
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

int
report_figures(const struct report_set *s, const struct report_fig_opts *o, FILE *notes,
	int *nfig, db_err *err)
{
	*nfig = 0;
	int rc = fileio_mkdir_p(o->dir, err);
	if (!rc)
		rc = report_fig_curves(s, o, notes, nfig, err);
	if (!rc)
		rc = report_fig_activity(s, o, notes, nfig, err);
	if (!rc)
		rc = report_fig_sweeps(s, o, notes, nfig, err);
	if (!rc)
		rc = report_fig_drops(s, o, notes, nfig, err);
	if (!rc)
		rc = report_fig_ratings(s, o, notes, nfig, err);
	if (!rc && notes)
		fputs("not drawn (result files do not record their data yet): prediction "
		      "disagreement between models on clean vs noisy interactions (DeCA Fig. 2)\n",
			notes);
	return rc;
}

void
report_fig_few_points(FILE *body, const char *names, long lo, long hi)
{
	if (*names)
		fprintf(body, "set label 1 'one evaluation point only (eval_freq against the run''s "
			"iterations): %s' at graph 0.02, graph 0.95 font ',9'\n", names);
	if (lo >= 0 && lo == hi)
		fprintf(body, "set xrange [%ld:%ld]\n", lo > 0 ? lo - 1 : 0, hi + 1);
}
