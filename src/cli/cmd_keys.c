/* denoisebench keys: every setting with its default and meaning. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

int cmd_keys(int argc, char **argv);

int
cmd_keys(int argc, char **argv)
{
	if (argc > 1) {
		if (strcmp(argv[1], "--help"))
			return cli_usage_error("keys", "no arguments expected");
		puts("usage: denoisebench keys\n\nLists every setting (for --set key=value and "
		     "suite files) with its type,\ndefault and meaning.  Protocol and dataset "
		     "defaults are applied on top;\nsee README.md.");
		return CLI_OK;
	}
	static const char *const type[] = {"int", "number", "bool", "text", "choice", "int list"};
	for (int i = 0; i < config_nkeys(); i++) {
		const struct config_key *k = config_key_at(i);
		printf("%-18s %-8s default %-10s %s%s%s\n", k->name, type[k->type],
			*k->def ? k->def : "''", k->doc, k->type == CFG_CHOICE ? "; one of " : "",
			k->type == CFG_CHOICE ? config_key_choices(k) : "");
	}
	return CLI_OK;
}
