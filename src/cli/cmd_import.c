/* denoisebench import: an outside run's ranking of a dataset's test users
 * as an ordinary result file, evaluated here under the protocol
 * (eval_import: the built-in mask, tie rule and metrics). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "results/result.h"
#include "util/timer.h"

int cmd_import(int argc, char **argv);

static const char usage[] =
	"usage: denoisebench import --data DIR --method NAME --out FILE\n"
	"         (--topk FILE | --scores FILE | --scores-f32 FILE)\n"
	"         [--split test|test_noisy|valid] [--settings TEXT] [--model M] [--seed N]\n"
	"         [--protocol deca|adt|recsys25] [--ks 3,5,10,20] [--set key=value]...\n"
	"\n"
	"Evaluates a ranking made outside denoisebench on one split of DIR (default\n"
	"test) exactly as a built-in model is evaluated there (train and valid items\n"
	"masked, on valid the train items; ties to the lowest item id; the same\n"
	"metrics per user) and writes an ordinary result file with only that split, whose\n"
	"method is NAME (not a built-in method's name) and whose 'external' setting\n"
	"names the input format.  Refused with file:line, exit 2 and no output: a test\n"
	"user without a list or scores, a list shorter than the largest K, a masked,\n"
	"unknown or repeated item in a list, a missing, repeated or non-finite score,\n"
	"a malformed line.\n"
	"\n"
	"  --topk FILE        user<TAB>rank<TAB>item lines (what train --dump-topk writes)\n"
	"  --scores FILE      user<TAB>item<TAB>score for every user of the split and item,\n"
	"                     higher first, ranked as given (train --dump-scores)\n"
	"  --scores-f32 FILE  raw little-endian float32, users x items (row u = user u)\n"
	"  --settings TEXT    the producer's own settings: provenance, part of the\n"
	"                     cell's identity (config_hash)\n"
	"  --model, --seed, --protocol, --ks, --set: the settings of the built-in cells\n"
	"                     to compare with (default model gmf)\n";

static const struct option opts[] = {
	{"data", required_argument, NULL, 'd'},
	{"model", required_argument, NULL, 'm'},
	{"method", required_argument, NULL, 'M'},
	{"seed", required_argument, NULL, 's'},
	{"protocol", required_argument, NULL, 'p'},
	{"ks", required_argument, NULL, 'k'},
	{"set", required_argument, NULL, 'S'},
	{"out", required_argument, NULL, 'o'},
	{"topk", required_argument, NULL, 'T'},
	{"scores", required_argument, NULL, 'C'},
	{"scores-f32", required_argument, NULL, 'F'},
	{"settings", required_argument, NULL, 'P'},
	{"split", required_argument, NULL, 'L'},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

struct import_args {
	config ex;
	const char *method, *out, *input, *settings;
	int fmt;   /* enum eval_import_format, -1: none given */
	int split; /* enum eval_split_id */
};

/* Options into a; returns CLI_OK, or the exit status (help printed: -1). */
static int
parse(struct import_args *a, int argc, char **argv, db_err *err)
{
	int c, rc = DB_OK;
	optind = 1;
	while (!rc && (c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (cli_cell_option(&a->ex, c, optarg, &rc, err))
			continue;
		switch (c) {
		case 'M':
			a->method = optarg;
			break;
		case 'o':
			a->out = optarg;
			break;
		case 'P':
			a->settings = optarg;
			break;
		case 'L':
			for (a->split = 0; a->split < EVAL_SPLITS; a->split++)
				if (!strcmp(optarg, eval_split_names[a->split]))
					break;
			if (a->split == EVAL_SPLITS)
				return cli_usage_error("import",
					"--split %s: expected test, test_noisy "
					"or valid",
					optarg);
			break;
		case 'T':
		case 'C':
		case 'F':
			if (a->fmt >= 0)
				return cli_usage_error("import",
					"give one of --topk, --scores, --scores-f32");
			a->fmt = c == 'T'  ? IMPORT_TOPK
				: c == 'C' ? IMPORT_SCORES
					   : IMPORT_SCORES_F32;
			a->input = optarg;
			break;
		case 'h':
			fputs(usage, stdout);
			return -1;
		default:
			return cli_usage_error("import", "bad option");
		}
	}
	if (rc)
		return cli_error(rc, err);
	if (optind < argc)
		return cli_usage_error("import", "unexpected argument '%s'", argv[optind]);
	if (!config_lookup(&a->ex, "data") || !a->method || !a->out || a->fmt < 0)
		return cli_usage_error("import", "give --data, --method, --out and one input");
	/* both become config lines of the result file */
	if (a->settings && strpbrk(a->settings, "\t\n\r"))
		return cli_usage_error("import", "--settings: no TAB or line break");
	if (strpbrk(a->input, "\t\n\r"))
		return cli_usage_error("import", "the input's name has a TAB or line break");
	return CLI_OK;
}

/* The resolved settings of the built-in cells to compare with, with the
 * outside method's name and the import's provenance. */
static int
import_config(config *cfg, const struct import_args *a, db_err *err)
{
	int rc = config_resolve(cfg, &a->ex, err);
	if (!rc)
		rc = config_set_outside_name(cfg, "method", a->method, err);
	if (!rc)
		rc = config_set(cfg, "external", eval_import_format_names[a->fmt], err);
	if (!rc)
		rc = config_set(cfg, "external_settings", a->settings ? a->settings : "", err);
	if (!rc)
		rc = config_set(cfg, "external_input", a->input, err);
	return rc;
}

static int
import_run(const struct import_args *a, db_err *err)
{
	double t0 = timer_now();
	config cfg;
	dataset d;
	eval_result res;
	memset(&d, 0, sizeof d);
	memset(&res, 0, sizeof res);
	int *ks = NULL, nk = 0;
	int rc = import_config(&cfg, a, err);
	if (!rc)
		rc = run_load_data(&d, &cfg, err);
	if (!rc && (nk = config_intlist(&cfg, "ks", &ks, err)) < 0)
		rc = DB_ENOMEM;
	struct eval_split_def sd;
	if (!rc && !eval_split_define(&d, &cfg, a->split, &sd))
		rc = db_fail(err, DB_EINVAL, "%s: the data set has no %s split",
			config_get(&cfg, "data"), eval_split_names[a->split]);
	if (!rc)
		rc = eval_import(a->input, a->fmt, &d, sd.t, sd.mask, ks, nk,
			(int)config_int(&cfg, "eval_block"), &res, err);
	if (!rc) {
		/* nothing trained here: no curve, no rating_prob, only this split */
		model none = {.n_users = d.n_users, .n_items = d.n_items};
		struct train_log log = {0};
		const eval_result *one[EVAL_SPLITS] = {NULL, NULL, NULL};
		one[a->split] = &res;
		double secs = timer_now() - t0;
		struct run_output o = {&cfg, &d, &none, &log, one[EVAL_TEST], one[EVAL_TEST_NOISY],
			one[EVAL_VALID], NULL, NULL, secs, secs, timer_peak_rss_kib(),
			timer_children_peak_rss_kib(), NULL, 0, 1};
		rc = result_write(a->out, &o, err);
	}
	eval_result_free(&res);
	free(ks);
	data_free(&d);
	config_free(&cfg);
	return rc;
}

int
cmd_import(int argc, char **argv)
{
	db_err err = {{0}};
	struct import_args a = {.fmt = -1};
	config_init(&a.ex);
	int rc = parse(&a, argc, argv, &err);
	if (rc == CLI_OK && (rc = import_run(&a, &err)))
		rc = cli_error(rc, &err);
	config_free(&a.ex);
	return rc < 0 ? CLI_OK : rc;
}
