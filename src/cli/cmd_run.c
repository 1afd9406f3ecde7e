/* denoisebench run [SUITE] [--jobs N] [--results DIR] [--force]: every cell
 * of a suite, resumable; progress on stderr. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "suite/suite.h"

int cmd_run(int argc, char **argv);

struct progress {
	int tty;
	size_t failed;
	struct timespec t0;
};

static double since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + 1e-9 * (double)(t.tv_nsec - t0->tv_nsec);
}

/* Cells done/total, running, failed, elapsed, ETA; clears what is below. */
static void status_line(const struct suite_progress *p, const struct progress *g)
{
	double t = since(&g->t0);
	fprintf(stderr, "\r\033[J%zu/%zu cells, %zu running, %zu failed, %.0fs elapsed, ETA %.0fs",
		p->done, p->total, p->running, p->failed, t,
		p->done ? t * (double)(p->total - p->done) / (double)p->done : 0.0);
}

/* The last line of a running cell's log (PATH.log): its epoch and latest
 * validation loss, as the worker wrote them. */
static void last_log_line(const char *result_path, char *out, size_t size)
{
	char log[4200], line[512];
	snprintf(log, sizeof log, "%s.log", result_path);
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
 * (its result name and how far its log says it is), redrawn in place. */
static void on_tick(const struct suite_progress *p, struct progress *g)
{
	status_line(p, g);
	for (size_t i = 0; i < p->running; i++) {
		char last[512];
		const char *name = strrchr(p->running_paths[i], '/');
		last_log_line(p->running_paths[i], last, sizeof last);
		fprintf(stderr, "\n  %.60s  %s", name ? name + 1 : p->running_paths[i], last);
	}
	if (p->running)
		fprintf(stderr, "\033[%zuA", p->running); /* back to the status line */
}

/* A terminal gets a rewritten status block; a pipe or file one line per cell. */
static void on_done(const struct suite_progress *p, void *arg)
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
	if (g->tty) {
		status_line(p, g);
		if (p->status == 1)
			fprintf(stderr, "\n%s %s\n", p->path, what[p->status]);
		else if (p->done == p->total)
			fputc('\n', stderr);
	} else {
		fprintf(stderr, "[%zu/%zu] %.1fs %s %s\n", p->done, p->total, t, p->path, what[p->status]);
	}
}

static int usage(void)
{
	puts("usage: denoisebench run [SUITE] [--jobs N] [--results DIR] [--force]\n"
	     "                        [--only KEY=V1,V2...]...\n\n"
	     "Runs every cell of SUITE (default suites/quick.yaml) into DIR (default\n"
	     "results/NAME), N cells at a time; cells with a result are skipped unless\n"
	     "--force.  --only keeps the cells whose setting KEY takes one of the values\n"
	     "(repeatable; e.g. --only model=gmf,neumf --only dataset=ml-100k); their\n"
	     "results are those of the whole suite, so a later full run reuses them.\n"
	     "Exit status: 0, or 100 + the number of failed cells (at most 127).");
	return CLI_OK;
}

int cmd_run(int argc, char **argv)
{
	const char *file = "suites/quick.yaml", *dir = NULL;
	const char *only[16];
	int jobs = 1, force = 0, nonly = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help"))
			return usage();
		else if (!strcmp(argv[i], "--force"))
			force = 1;
		else if (!strcmp(argv[i], "--jobs") && i + 1 < argc)
			jobs = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--results") && i + 1 < argc)
			dir = argv[++i];
		else if (!strcmp(argv[i], "--only") && i + 1 < argc && nonly < 16)
			only[nonly++] = argv[++i];
		else if (argv[i][0] == '-' || i != 1)
			return cli_usage_error("run", "unexpected argument '%s'", argv[i]);
		else
			file = argv[i];
	}
	if (jobs < 1 || jobs > 256)
		return cli_usage_error("run", "--jobs takes a number from 1 to 256");
	struct suite s;
	struct suite_cell *cells;
	size_t n;
	db_err err;
	int rc = cli_suite_open("run", file, &s, &cells, &n);
	for (int i = 0; rc == DB_OK && i < nonly; i++)
		if ((rc = suite_cells_select(cells, &n, only[i], &err)) != DB_OK)
			fprintf(stderr, "denoisebench run: %s\n", err.msg);
	char def[1024];
	snprintf(def, sizeof def, "results/%s", s.name ? s.name : "");
	struct progress g = {.tty = isatty(2)};
	clock_gettime(CLOCK_MONOTONIC, &g.t0);
	if (rc == DB_OK && (rc = suite_run(cells, n, dir ? dir : def, jobs, force, cli_run_cell,
			on_done, &g, &err)) != DB_OK)
		fprintf(stderr, "denoisebench run: %s\n", err.msg);
	suite_cells_free(cells, n);
	suite_free(&s);
	if (rc != DB_OK)
		return CLI_FAILED;
	if (g.failed)
		fprintf(stderr, "denoisebench run: %zu of %zu cells failed; see their .failed files\n",
			g.failed, n);
	return g.failed ? 100 + (int)(g.failed < 27 ? g.failed : 27) : CLI_OK;
}
