/* The default job (`denoisebench` with no arguments): a short run of every
 * built-in model with Normal training on the built-in synthetic data,
 * printed as a table beside the popularity and random baselines. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

int cmd_demo(int argc, char **argv);

int
cmd_demo(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--help")) {
		puts("usage: denoisebench demo\n\nTrains MF, GMF and NeuMF (Normal, deca "
		     "protocol, 30 epochs) on the built-in\nsynthetic dataset and compares them "
		     "with MostPop and random rankings.");
		return CLI_OK;
	}
	static const char *const models[] = {"random", "mostpop", "mf", "gmf", "neumf"};
	enum { N = sizeof models / sizeof models[0] };
	struct run_summary sum[N];
	fprintf(stderr,
		"denoisebench: built-in synthetic data (300 users, 200 items, 20%% "
		"planted noise); clean test = rating 5\n");
	for (int i = 0; i < N; i++) {
		config ex;
		db_err err = {{0}};
		config_init(&ex);
		int rc = config_set(&ex, "model", models[i], &err);
		if (!rc)
			rc = config_set(&ex, "epochs", "30", &err);
		if (!rc)
			rc = config_set(&ex, "eval_freq", "20", &err);
		if (!rc)
			rc = config_set(&ex, "ks", "5,10,20", &err);
		if (!rc)
			rc = run_one(&ex, NULL, NULL, &sum[i], &err);
		config_free(&ex);
		if (rc)
			return cli_error(rc, &err);
	}
	cli_print_summaries(stdout, sum, N);
	return CLI_OK;
}
