/* denoisebench keys: every setting with its default and meaning. */
#include <stdio.h>

#include "cli/cli.h"

int cmd_keys(int argc, char **argv);

int
cmd_keys(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	static const char *const type[] = {"int", "number", "bool", "text", "choice", "int list"};
	for (int i = 0; i < config_nkeys; i++) {
		const struct config_key *k = &config_keys[i];
		printf("%-18s %-8s default %-10s %s%s%s\n", k->name, type[k->type],
			*k->def ? k->def : "''", k->doc, k->type == CFG_CHOICE ? "; one of " : "",
			k->type == CFG_CHOICE ? config_key_choices(k) : "");
	}
	return CLI_OK;
}
