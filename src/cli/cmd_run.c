/* denoisebench run [SUITE] [--jobs N] [--results DIR] [--force]: every cell
 * of a suite, resumable; progress on stderr. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "config/settings.h"
#include "nn/blas.h"
#include "results/result.h"
#include "suite/suite.h"

int cmd_run(int argc, char **argv);

struct progress {
	int tty;
	size_t failed, ran; /* ran: cells that finished here (not skipped) */
	struct timespec t0;
	char **finished; /* result paths of the cells done or skipped */
	size_t nfinished;
	/* skipped cells whose result names another BLAS than this run's, or
	 * another ftz than the cell's settings now give */
	size_t other_blas, other_ftz;
	char first_other[4096], first_blas[256];
	char first_ftz_path[4096], first_ftz[32], first_ftz_now[32];
};

static double
since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + 1e-9 * (double)(t.tv_nsec - t0->tv_nsec);
}

/* Cells done/total, running, failed, elapsed, ETA; clears what is below.
 * The ETA comes from the pace of the cells run here, so there is none until
 * the first of them finished (skipped cells take no time). */
static void
status_line(const struct suite_progress *p, const struct progress *g)
{
	double t = since(&g->t0);
	fprintf(stderr, "\r\033[J%zu/%zu cells, %zu running, %zu failed, %.0fs elapsed, ", p->done,
		p->total, p->running, p->failed, t);
	if (g->ran)
		fprintf(stderr, "ETA %.0fs", t * (double)(p->total - p->done) / (double)g->ran);
	else
		fputs("ETA —", stderr);
}

/* DIR/DATASET/MODEL-METHOD-sSEED-HASH.result -> DATASET/MODEL-METHOD-sSEED */
static void
cell_name(const char *path, char *out, size_t size)
{
	const char *end = strrchr(path, '-'), *b = end;
	int slashes = 0;
	while (b > path && (b[-1] != '/' || ++slashes < 2))
		b--;
	if (!end || b == path)
		end = path + strlen(path), b = path;
	snprintf(out, size, "%.*s", (int)(end - b), b);
}

/* The last line of PATH.SUFFIX (a running cell's log: its epoch and latest
 * validation loss; a failed cell's .failed: why). */
static void
last_line(const char *result_path, const char *suffix, char *out, size_t size)
{
	char log[4200], line[512];
	snprintf(log, sizeof log, "%s%s", result_path, suffix);
	out[0] = 0;
	FILE *f = fopen(log, "r");
	if (!f)
		return;
	while (fgets(line, sizeof line, f))
		snprintf(out, size, "%s", line);
	fclose(f);
	out[strcspn(out, "\n")] = 0;
}

/* A tick on a terminal: the status line, then one line per running cell
 * (dataset/model-method-seed and how far its log says it is), redrawn in
 * place. */
static void
on_tick(const struct suite_progress *p, struct progress *g)
{
	status_line(p, g);
	for (size_t i = 0; i < p->running; i++) {
		char last[512], name[256];
		cell_name(p->running_paths[i], name, sizeof name);
		last_line(p->running_paths[i], ".log", last, sizeof last);
		fprintf(stderr, "\n  %-40.60s  %s", name, last);
	}
	if (p->running)
		fprintf(stderr, "\033[%zuA", p->running); /* back to the status line */
}

/* Keeps the result path of a finished cell for the closing table. */
static void
keep_finished(struct progress *g, const char *path)
{
	char **grown = realloc(g->finished, (g->nfinished + 1) * sizeof *grown);
	char *copy = strdup(path);
	if (!grown || !copy) {
		free(copy);
		if (grown)
			g->finished = grown;
		return; /* out of memory: the table lacks the cell, the run goes on */
	}
	g->finished = grown;
	g->finished[g->nfinished++] = copy;
}

/* What a result file says of the arithmetic that made it. */
struct origin {
	char blas[256], ftz[32];
};

static int
take_origin(const struct result_line *l, void *arg, db_err *err)
{
	struct origin *o = arg;
	(void)err;
	if (!strcmp(l->f[0], "blas"))
		snprintf(o->blas, sizeof o->blas, "%s", l->f[1]);
	else if (!strcmp(l->f[0], "config") && !strcmp(l->f[1], "ftz"))
		snprintf(o->ftz, sizeof o->ftz, "%s", l->f[2]);
	return DB_OK;
}

/* A skipped cell's result from another BLAS (kernel) than this run's is
 * counted: a set resumed on another machine mixes kernels, and NeuMF's
 * metrics move with them (README, "The BLAS kernel is part of a result").
 * So is one made under another ftz than the cell's now (the default's
 * value is not hashed, so a file made before the default changed keeps its
 * name; README, "Subnormals"). */
static void
note_origin(struct progress *g, const struct suite_progress *p)
{
	struct origin o = {"(none)", "false"}; /* no ftz line: before the key, no flush */
	db_err err;
	if (result_read(p->path, take_origin, &o, &err))
		return;
	if (strcmp(o.blas, blas_describe()) && !g->other_blas++) {
		snprintf(g->first_other, sizeof g->first_other, "%s", p->path);
		snprintf(g->first_blas, sizeof g->first_blas, "%s", o.blas);
	}
	struct config_settings set;
	config_settings_parse(&set, &p->cell->cfg);
	const char *now = config_ftz_names[set.ftz];
	if (strcmp(o.ftz, now) && !g->other_ftz++) {
		snprintf(g->first_ftz_path, sizeof g->first_ftz_path, "%s", p->path);
		snprintf(g->first_ftz, sizeof g->first_ftz, "%s", o.ftz);
		snprintf(g->first_ftz_now, sizeof g->first_ftz_now, "%s", now);
	}
}

/* A terminal gets a rewritten status block; a pipe or file one line per
 * cell.  A failed cell's line says why (its .failed file). */
static void
on_done(const struct suite_progress *p, void *arg)
{
	struct progress *g = arg;
	static const char *const what[] = {"done", "FAILED", "skipped (result exists)", "",
		"waiting: another run is training it (holds its .lock)"};
	double t = since(&g->t0);
	g->failed = p->failed;
	if (p->status == 3) {
		if (g->tty)
			on_tick(p, g);
		return;
	}
	g->ran += p->status != 2;
	if (p->status != 1)
		keep_finished(g, p->path);
	if (p->status == 2)
		note_origin(g, p);
	char why[512] = "";
	if (p->status == 1)
		last_line(p->path, ".failed", why, sizeof why);
	if (g->tty) {
		status_line(p, g);
		if (p->status == 1)
			fprintf(stderr, "\n%s FAILED: %s\n", p->path, why);
		else if (p->done == p->total)
			fputc('\n', stderr);
	} else {
		fprintf(stderr, "[%zu/%zu] %.1fs %s %s%s%s\n", p->done, p->total, t, p->path,
			what[p->status], *why ? ": " : "", why);
	}
}

/* Ctrl-C or kill on a terminal: the status block is cleared (the cursor is
 * on its first line) before the signal takes its default course. */
static pid_t run_pid;
static void
on_signal(int sig)
{
	static const char clear[] = "\r\033[J";
	if (getpid() == run_pid && write(2, clear, sizeof clear - 1) < 0)
		_exit(128 + sig);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void
restore_terminal_on_signals(void)
{
	run_pid = getpid();
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
}

/* The closing table: headline metrics of the finished cells per group
 * (table 0: none, the paths are only freed). */
static void
closing_table(const char *cmd, struct progress *g, int table)
{
	db_err err = {{0}};
	if (table && g->nfinished &&
		cli_print_pivot(stdout, g->finished, g->nfinished, NULL, 0, 0, &err))
		fprintf(stderr, "denoisebench %s: no closing table: %s\n", cmd, err.msg);
	for (size_t i = 0; i < g->nfinished; i++)
		free(g->finished[i]);
	free(g->finished);
}

static int
usage(void)
{
	puts("usage: denoisebench run [SUITE] [--jobs N] [--results DIR] [--force]\n"
	     "                        [--only KEY=V1,V2...]... [--no-share]\n\n"
	     "Runs every cell of SUITE (default suites/quick.yaml) into DIR (default\n"
	     "results/NAME), N cells at a time; cells with a result are skipped unless\n"
	     "--force.  --only keeps the cells whose setting KEY takes one of the values\n"
	     "(repeatable; e.g. --only model=gmf,neumf --only dataset=ml-100k); their\n"
	     "results are those of the whole suite, so a later full run reuses them.\n"
	     "Cells that differ only in `selection` (best, last, oracle) share one\n"
	     "training and write the files each would alone; --no-share trains each.\n"
	     "Exit status: 0, or 100 + the number of failed cells (at most 127).");
	return CLI_OK;
}

int
cli_run_options(const char *cmd, int argc, char **argv, int (*help)(void), int only,
	struct cli_run_opts *o)
{
	int given = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help"))
			return help();
		else if (!strcmp(argv[i], "--force"))
			o->force = 1;
		else if (!strcmp(argv[i], "--jobs") && i + 1 < argc)
			o->jobs = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--results") && i + 1 < argc)
			o->dir = argv[++i];
		else if (only && !strcmp(argv[i], "--no-share"))
			o->no_share = 1;
		else if (only && !strcmp(argv[i], "--only") && i + 1 < argc && o->nonly < 16)
			o->only[o->nonly++] = argv[++i];
		else if (argv[i][0] == '-' || given++)
			return cli_usage_error(cmd, "unexpected argument '%s'", argv[i]);
		else
			o->file = argv[i];
	}
	if (o->jobs < 1 || o->jobs > 256)
		return cli_usage_error(cmd, "--jobs takes a number from 1 to 256");
	return -1;
}

int
cmd_run(int argc, char **argv)
{
	struct cli_run_opts o = {.file = "suites/quick.yaml", .jobs = 1};
	int status = cli_run_options("run", argc, argv, usage, 1, &o);
	if (status >= 0)
		return status;
	struct suite s;
	struct suite_cell *cells;
	size_t n;
	db_err err;
	int rc = cli_suite_open("run", o.file, &s, &cells, &n);
	for (int i = 0; rc == DB_OK && i < o.nonly; i++)
		if ((rc = suite_cells_select(cells, &n, o.only[i], &err)) != DB_OK)
			fprintf(stderr, "denoisebench run: %s\n", err.msg);
	char def[1024];
	snprintf(def, sizeof def, "results/%s", s.name ? s.name : "");
	size_t failed = 0;
	if (rc == DB_OK)
		rc = cli_run_cells("run", cells, n, o.dir ? o.dir : def, o.jobs, o.force, !o.no_share,
			1, &failed);
	suite_cells_free(cells, n);
	suite_free(&s);
	return rc != DB_OK ? CLI_FAILED : cli_failed_status("run", failed, n);
}

int
cli_failed_status(const char *cmd, size_t failed, size_t n)
{
	if (failed)
		fprintf(stderr,
			"denoisebench %s: %zu of %zu cells failed; see their .failed files\n", cmd,
			failed, n);
	return failed ? 100 + (int)(failed < 27 ? failed : 27) : CLI_OK;
}

int
cli_run_cells(const char *cmd, const struct suite_cell *cells, size_t n, const char *dir, int jobs,
	int force, int share, int table, size_t *failed)
{
	db_err err;
	struct progress g = {.tty = isatty(2)};
	clock_gettime(CLOCK_MONOTONIC, &g.t0);
	if (g.tty)
		restore_terminal_on_signals();
	int rc = suite_run(cells, n, dir, jobs, force, cli_run_cell, share ? run_shareable : NULL,
		on_done, &g, &err);
	if (rc != DB_OK)
		fprintf(stderr, "denoisebench %s: %s\n", cmd, err.msg);
	if (g.other_blas)
		fprintf(stderr,
			"denoisebench %s: warning: %zu of the cells with a result already came "
			"from "
			"another BLAS than this run's `%s` (first: %s, `%s`); NeuMF's metrics move "
			"with the kernel (DENOISEBENCH_BLAS_KERNEL; README, \"The BLAS kernel is "
			"part "
			"of a result\")\n",
			cmd, g.other_blas, blas_describe(), g.first_other, g.first_blas);
	if (g.other_ftz)
		fprintf(stderr,
			"denoisebench %s: warning: %zu of the cells with a result already were "
			"made "
			"under another ftz than their settings give now (first: %s, ftz %s, now "
			"%s); "
			"a number can differ where a float32 subnormal reached it (README, "
			"\"Subnormals\")\n",
			cmd, g.other_ftz, g.first_ftz_path, g.first_ftz, g.first_ftz_now);
	closing_table(cmd, &g, table);
	*failed = g.failed;
	return rc;
}
