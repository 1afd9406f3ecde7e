/* denoisebench: reproducibility benchmark for denoising implicit feedback.
 * Dispatches on the command table; see README.md. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

#include "cli/cli.h"
#include "config.h"
#include "nn/blas.h"
#include "results/result.h"

int cmd_train(int, char **);
int cmd_export(int, char **);
int cmd_synth(int, char **);
int cmd_demo(int, char **);
int cmd_keys(int, char **);
int cmd_check(int, char **);
int cmd_run(int, char **);
int cmd_tune(int, char **);
int cmd_cell(int, char **);
int cmd_plan(int, char **);
int cmd_report(int, char **);
int cmd_compare(int, char **);
int cmd_data(int, char **);
int cmd_import(int, char **);
int cmd_summary(int, char **);

const struct cli_command cli_commands[] = {
	{"train", "train and evaluate one model/method on one dataset", cmd_train},
	{"export", "print result files as one TSV", cmd_export},
	{"synth", "write a synthetic dataset with ground truth", cmd_synth},
	{"demo", "the default job: a short comparison on synthetic data", cmd_demo},
	{"keys", "list every setting with its default", cmd_keys},
	{"check", "validate a suite file and list its cells", cmd_check},
	{"run", "run every cell of a suite, resumably, N at a time", cmd_run},
	{"tune", "a suite's search on validation, then its tuned cells on test", cmd_tune},
	{"cell", "run one cell of a suite (what plans call)", cmd_cell},
	{"plan", "a suite as a Makefile, GNU parallel list or Slurm array", cmd_plan},
	{"data", "check a dataset copy against its manifest", cmd_data},
	{"summary", "pivot table of results: mean ± sd per dataset × model × method", cmd_summary},
	{"report", "LaTeX tables, reproduction report and figures of results", cmd_report},
	{"compare", "CI gate: is a new result set significantly worse?", cmd_compare},
	{"import", "evaluate a ranking made outside into a result file", cmd_import},
	{NULL, NULL, NULL},
};

static void
help(void)
{
	printf("usage: denoisebench [COMMAND [ARGS]]\n\n"
	       "Reproducibility benchmark for denoising implicit feedback in recommenders.\n"
	       "Without a command, runs the default job (demo).\n\ncommands:\n");
	for (const struct cli_command *c = cli_commands; c->name; c++)
		printf("  %-8s %s\n", c->name, c->summary);
	printf("\n'denoisebench COMMAND --help' describes a command.\n");
}

/* a variable set to something (an empty one counts as unset) */
static const char *
env_set(const char *name)
{
	const char *v = getenv(name);
	return v && *v ? v : NULL;
}

/* DENOISEBENCH_BLAS_KERNEL, or what the build defaults to; a user's own
 * OPENBLAS_CORETYPE, without it, is obeyed as it stands */
static const char *
kernel_wanted(void)
{
	const char *want = env_set("DENOISEBENCH_BLAS_KERNEL");
	if (want)
		return want;
	return env_set("OPENBLAS_CORETYPE") ? "native" : DB_BLAS_KERNEL_DEFAULT;
}

static void
version(void)
{
	const char *want = kernel_wanted(), *forced = env_set("OPENBLAS_CORETYPE");
	int user = !strcmp(want, "native") && forced;
	printf("denoisebench %s\ntool: %s\nBLAS: %s\nBLAS kernel choice: %s%s%s%s\n"
	       "build flags: %s\n",
		PACKAGE_VERSION, result_tool_id, blas_describe(), want,
		user ? " (OPENBLAS_CORETYPE=" : "", user ? forced : "", user ? ")" : "",
		DB_BUILD_FLAGS);
}

/* Starts this program again, as it was started, in the environment set:
 * its file by /proc/self/exe's link (valgrind answers it with the client's
 * path), else by argv[0].  Returns only on failure. */
static void
restart(char **argv)
{
	char self[4096];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	fflush(NULL);
	if (n > 0) {
		self[n] = '\0';
		execv(self, argv);
	}
	execvp(argv[0], argv);
}

/* Runs on the BLAS kernel asked for: restarts the program with
 * OPENBLAS_CORETYPE set when OpenBLAS chose another one at load time.  The
 * restart keeps the request in DENOISEBENCH_BLAS_KERNEL, for itself and the
 * cells it starts, and DENOISEBENCH_BLAS_PINNED names the kernel it was
 * restarted with, so that an OpenBLAS build without the kernel fails once
 * instead of restarting forever.  A default request that cannot restart
 * warns and runs on (the result's blas line names the kernel).  Returns 0,
 * or CLI_USAGE after a message. */
static int
pin_blas_kernel(char **argv)
{
	const char *want = kernel_wanted(), *name;
	const char *pinned = env_set("DENOISEBENCH_BLAS_PINNED"),
		   *forced = env_set("OPENBLAS_CORETYPE");
	const char *restarted = pinned && forced && !strcmp(pinned, forced) ? pinned : NULL;
	char err[256];
	int plan = blas_pin_plan(want, blas_kernel(), blas_cpu_features(), restarted, &name, err,
		sizeof err);
	if (plan == BLAS_PIN_NONE)
		return 0;
	if (plan == BLAS_PIN_EXEC) {
		int asked = env_set("DENOISEBENCH_BLAS_KERNEL") != NULL;
		if ((!asked && setenv("DENOISEBENCH_BLAS_KERNEL", want, 1)) ||
			setenv("OPENBLAS_CORETYPE", name, 1) ||
			setenv("DENOISEBENCH_BLAS_PINNED", name, 1)) {
			snprintf(err, sizeof err, "setenv: %s", strerror(errno));
		} else {
			restart(argv);
			snprintf(err, sizeof err, "cannot restart %s with kernel %s: %s", argv[0],
				name, strerror(errno));
			if (!asked) {
				fprintf(stderr, "denoisebench: warning: %s; running kernel %s\n",
					err, blas_kernel());
				return 0;
			}
		}
	}
	fprintf(stderr, "denoisebench: DENOISEBENCH_BLAS_KERNEL=%s: %s\n", want, err);
	return CLI_USAGE;
}

int
main(int argc, char **argv)
{
	/* library code checks GSL's return codes itself */
	gsl_set_error_handler_off();
	/* the runner and the evaluation wait for their own workers: an
	 * inherited SIG_IGN would reap them first */
	signal(SIGCHLD, SIG_DFL);
	if (pin_blas_kernel(argv))
		return CLI_USAGE;
	if (argc < 2)
		return cmd_demo(1, argv);
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		help();
		return CLI_OK;
	}
	if (!strcmp(argv[1], "--version")) {
		version();
		return CLI_OK;
	}
	for (const struct cli_command *c = cli_commands; c->name; c++)
		if (!strcmp(argv[1], c->name))
			return c->run(argc - 1, argv + 1);
	fprintf(stderr, "denoisebench: unknown command '%s'\n", argv[1]);
	help();
	return CLI_USAGE;
}
