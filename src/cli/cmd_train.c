/* denoisebench train: one run from the command line. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "util/fileio.h"

static const char usage_text[] =
	"Trains one model with one method on one dataset and evaluates it on the clean\n"
	"test set (and on <name>.test.noisy when present).  Without --data it uses the\n"
	"built-in synthetic dataset.  Defaults follow the authors' code for the chosen\n"
	"protocol, dataset, model and method; `denoisebench keys` lists every setting.\n"
	"\n"
	"  --data DIR        directory with <name>.train.rating, .valid.rating,\n"
	"                    .test.negative [, .test.noisy]; name = DIR's base name\n"
	"  --set key=value   any setting (repeatable), e.g. --set l2=0.1\n"
	"  --out FILE        write the result file (atomically)\n"
	"  --dump-topk FILE  write user<TAB>rank<TAB>item for every test user\n"
	"  --dump-scores FILE  write user<TAB>item<TAB>score (%.9g) for every test user\n"
	"                    and item: the float32 score ranked (after the sigmoid under\n"
	"                    output=prob, before the mask)\n"
	"  --threads N       workers of the evaluations (processes) and threads of\n"
	"                    LightGCN's sparse products\n"
	"                    (default 1); every N gives the same result file but for\n"
	"                    its timing lines\n";

/* The synopsis lists the models and methods of their registries (through
 * the setting's choices), so a new one appears without editing this text. */
static void
usage(void)
{
	printf("usage: denoisebench train [--data DIR] [--model MODEL] [--method METHOD]\n"
	       "         [--seed N] [--protocol deca|adt|recsys25] [--epochs N] [--set "
	       "key=value]...\n"
	       "         [--ks 3,5,10,20] [--out FILE] [--dump-topk FILE] [--dump-scores FILE]\n"
	       "         [--threads N]\n\n"
	       "  MODEL   %s\n  METHOD  %s\n\n",
		config_key_choices(config_key_find("model")),
		config_key_choices(config_key_find("method")));
	fputs(usage_text, stdout);
}

int cmd_train(int argc, char **argv);

/* An output that cannot be written fails now, not after the training:
 * the temporary file beside it is created and dropped. */
static int
check_writable(const char *path, db_err *err)
{
	afile a;
	if (!path)
		return DB_OK;
	int rc = afile_open(&a, path, err);
	if (rc == DB_OK)
		afile_abort(&a);
	return rc;
}

/* When and why training ended. */
static void
print_stop(FILE *f, const struct run_summary *s)
{
	if (!s->trained)
		return;
	const char *phase = s->stop_phase ? "the last phase's " : "";
	if (s->stopped_early)
		fprintf(f,
			"stopped early at epoch %d of %s%d (iteration %ld): the validation loss "
			"rose %d times (early_stop_rounds)\n",
			s->stop_epoch, phase, s->phase_epochs, s->iterations, s->rounds);
	else
		fprintf(f, "ran all %d epochs%s (%ld iterations)\n", s->phase_epochs,
			s->stop_phase ? " of the last phase" : "", s->iterations);
}

/* Short options map to settings of the same name. */
static const struct option opts[] = {
	{"data", required_argument, NULL, 'd'},
	{"model", required_argument, NULL, 'm'},
	{"method", required_argument, NULL, 'M'},
	{"seed", required_argument, NULL, 's'},
	{"protocol", required_argument, NULL, 'p'},
	{"epochs", required_argument, NULL, 'e'},
	{"set", required_argument, NULL, 'S'},
	{"ks", required_argument, NULL, 'k'},
	{"out", required_argument, NULL, 'o'},
	{"dump-topk", required_argument, NULL, 'D'},
	{"dump-scores", required_argument, NULL, 'C'},
	{"threads", required_argument, NULL, 'T'},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

int
cmd_train(int argc, char **argv)
{
	config ex;
	db_err err = {{0}};
	const char *out = NULL;
	struct run_opts ro = {NULL, NULL, 1};
	int c, rc = DB_OK;
	config_init(&ex);
	optind = 1;
	while (!rc && (c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (cli_cell_option(&ex, c, optarg, &rc, &err))
			continue;
		switch (c) {
		case 'M':
			rc = config_set(&ex, "method", optarg, &err);
			break;
		case 'e':
			rc = config_set(&ex, "epochs", optarg, &err);
			break;
		case 'o':
			out = optarg;
			break;
		case 'D':
			ro.topk = optarg;
			break;
		case 'C':
			ro.scores = optarg;
			break;
		case 'T': {
			char *end;
			long v = strtol(optarg, &end, 10);
			if (end == optarg || *end || v < 1 || v > 256) {
				config_free(&ex);
				return cli_usage_error("train",
					"--threads takes a number from 1 to 256");
			}
			ro.threads = (int)v;
			break;
		}
		case 'h':
			usage();
			config_free(&ex);
			return CLI_OK;
		default:
			config_free(&ex);
			return cli_usage_error("train", "bad option");
		}
	}
	if (!rc && optind < argc) {
		config_free(&ex);
		return cli_usage_error("train", "unexpected argument '%s'", argv[optind]);
	}
	struct run_summary sum;
	if (!rc && !(rc = check_writable(out, &err)) && !(rc = check_writable(ro.topk, &err)) &&
		!(rc = check_writable(ro.scores, &err)))
		rc = run_one(&ex, out, &ro, &sum, &err);
	config_free(&ex);
	if (rc)
		return cli_error(rc, &err);
	cli_print_summaries(stdout, &sum, 1);
	print_stop(stdout, &sum);
	return CLI_OK;
}
