#include "cli/cli.h"

#include <stdarg.h>
#include <stdio.h>

int
cli_error(int code, const db_err *err)
{
	fprintf(stderr, "denoisebench: %s\n", err->msg[0] ? err->msg : db_status_name(code));
	return code == DB_EINVAL || code == DB_EPARSE || code == DB_EIO ? CLI_USAGE : CLI_FAILED;
}

int
cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "denoisebench %s: ", cmd);
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\nTry 'denoisebench %s --help'.\n", cmd);
	va_end(ap);
	return CLI_USAGE;
}

void
cli_print_summaries(FILE *f, const struct run_summary *s, int n)
{
	if (n == 0)
		return;
	fprintf(f, "%-10s %-8s %-8s %6s", "dataset", "model", "method", "users");
	for (int j = 0; j < s[0].nk; j++)
		fprintf(f, "  R@%-4d", s[0].ks[j]);
	for (int j = 0; j < s[0].nk; j++)
		fprintf(f, "  N@%-4d", s[0].ks[j]);
	fprintf(f, "  %8s %8s\n", "train s", "eval s");
	for (int r = 0; r < n; r++) {
		fprintf(f, "%-10.10s %-8s %-8s %6d", s[r].dataset, s[r].model, s[r].method,
			s[r].test_users);
		for (int j = 0; j < s[r].nk; j++)
			fprintf(f, "  %.4f", s[r].test[METRIC_RECALL][j]);
		for (int j = 0; j < s[r].nk; j++)
			fprintf(f, "  %.4f", s[r].test[METRIC_NDCG][j]);
		fprintf(f, "  %8.2f %8.3f\n", s[r].seconds_train, s[r].seconds_eval);
	}
	if (s[0].nk_all > s[0].nk)
		fprintf(f, "(the first %d of %d Ks; the result file has every K)\n", s[0].nk,
			s[0].nk_all);
}

int
cli_cell_option(config *ex, int c, const char *arg, int *rc, db_err *err)
{
	const char *key;
	switch (c) {
	case 'd':
		key = "data";
		break;
	case 'm':
		key = "model";
		break;
	case 's':
		key = "seed";
		break;
	case 'p':
		key = "protocol";
		break;
	case 'k':
		key = "ks";
		break;
	case 'S':
		*rc = config_set_kv(ex, arg, err);
		return 1;
	default:
		return 0;
	}
	*rc = config_set(ex, key, arg, err);
	return 1;
}
