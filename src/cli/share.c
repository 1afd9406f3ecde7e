/* Where the suites and dataset manifests are: a relative name (suites/quick.yaml,
 * datasets) is taken from the working directory when it exists there (the
 * source tree, or a user's own copy), else from the installed data directory
 * (PKGDATADIR, set by configure: $prefix/share/denoisebench). */
#include <stdio.h>
#include <unistd.h>

#include "cli/cli.h"

#ifndef PKGDATADIR
#define PKGDATADIR "/usr/local/share/denoisebench"
#endif

const char *
cli_share_path(char *out, size_t size, const char *rel)
{
	if (rel[0] == '/' || access(rel, F_OK) == 0)
		return rel;
	int n = snprintf(out, size, "%s/%s", PKGDATADIR, rel);
	if (n <= 0 || (size_t)n >= size || access(out, F_OK) != 0)
		return rel;
	return out;
}
