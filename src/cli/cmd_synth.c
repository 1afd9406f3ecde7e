/* denoisebench synth: write a synthetic dataset with ground truth. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "data/dataset.h"

int cmd_synth(int argc, char **argv);

static const char usage[] =
	"usage: denoisebench synth --out DIR [--name NAME] [--users N] [--items N]\n"
	"         [--dim N] [--per-user M] [--noise RATE] [--seed N]\n"
	"\n"
	"Writes DIR/NAME.{train.rating,valid.rating,test.negative,test.noisy} in the\n"
	"authors' layout.  Ground truth is in the ratings: 4-5 = true preference,\n"
	"1-2 = planted false positive (noise); test.negative holds the rating-5 test\n"
	"lines (clean test), test.noisy all test lines.  Same seed, same bytes.\n";

static int
parse_num(const char *s, double lo, double hi, double *out)
{
	char *end;
	double v = strtod(s, &end);
	if (end == s || *end || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

int
cmd_synth(int argc, char **argv)
{
	static const struct option opts[] = {
		{"out", required_argument, NULL, 'o'},
		{"name", required_argument, NULL, 'n'},
		{"users", required_argument, NULL, 'u'},
		{"items", required_argument, NULL, 'i'},
		{"dim", required_argument, NULL, 'd'},
		{"per-user", required_argument, NULL, 'p'},
		{"noise", required_argument, NULL, 'r'},
		{"seed", required_argument, NULL, 's'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct synth_opts so;
	const char *out = NULL, *name = "synthetic";
	double v = 0;
	int c, li = 0;
	synth_default_opts(&so);
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, &li)) != -1) {
		int bad = 0;
		switch (c) {
		case 'o':
			out = optarg;
			break;
		case 'n':
			name = optarg;
			break;
		case 'u':
			bad = parse_num(optarg, 2, 1e7, &v);
			so.n_users = (int)v;
			break;
		case 'i':
			bad = parse_num(optarg, 2, 1e7, &v);
			so.n_items = (int)v;
			break;
		case 'd':
			bad = parse_num(optarg, 1, 1024, &v);
			so.dim = (int)v;
			break;
		case 'p':
			bad = parse_num(optarg, 1, 1e6, &v);
			so.mean_per_user = v;
			break;
		case 'r':
			bad = parse_num(optarg, 0, 0.95, &v);
			so.noise_rate = v;
			break;
		case 's':
			bad = parse_num(optarg, 0, 4294967295.0, &v);
			so.seed = (uint64_t)v;
			break;
		case 'h':
			fputs(usage, stdout);
			return CLI_OK;
		default:
			return cli_usage_error("synth", "bad option");
		}
		if (bad)
			return cli_usage_error("synth",
				"--%s: '%s' is out of range or not a number", opts[li].name,
				optarg);
	}
	if (!out)
		return cli_usage_error("synth", "--out DIR is required");
	db_err err = {{0}};
	int rc = synth_write(&so, out, name, &err);
	if (rc)
		return cli_error(rc, &err);
	printf("wrote %s/%s.{train.rating,valid.rating,test.negative,test.noisy}\n", out, name);
	return CLI_OK;
}
