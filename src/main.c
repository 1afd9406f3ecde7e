/* denoisebench: reproducibility benchmark for denoising implicit feedback.
 * Dispatches on the command table; see README.md. */
#include <stdio.h>
#include <string.h>

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

static void
version(void)
{
	printf("denoisebench %s\ntool: %s\nBLAS: %s\nbuild flags: %s\n", PACKAGE_VERSION,
		result_tool_id, blas_describe(), DB_BUILD_FLAGS);
}

int
main(int argc, char **argv)
{
	/* library code checks GSL's return codes itself */
	gsl_set_error_handler_off();
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
