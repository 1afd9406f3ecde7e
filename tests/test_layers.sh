#!/bin/sh
# The layers point one way (README "Layers"): a file may include headers of
# its own layer or of a lower one, never of a higher one.  Every
# `#include "dir/file.h"` under src/ is checked against this order:
#   cli > suite, report > train > methods, results > eval, stats > models
#   > nn, data, config, util
# results and stats sit below train so that reports never pull in training
# headers.
. "${DB_SRCDIR:-.}/tests/tap.sh"
src="${DB_SRCDIR:-.}/src"

rank() {
	case $1 in
	util|nn|data|config) echo 0 ;;
	models) echo 1 ;;
	eval|stats) echo 2 ;;
	methods|results) echo 3 ;;
	train) echo 4 ;;
	suite|report) echo 5 ;;
	cli) echo 6 ;;
	*) echo unknown ;;
	esac
}

# every "from to file:line" pair of an include across directories
edges=$(cd "$src" && grep -n '^#include "[a-z]*/' */*.c */*.h |
	sed -E 's#^([a-z]+)/([^:]+):([0-9]+):\#include "([a-z]+)/.*#\1 \4 \1/\2:\3#')

bad=""
unknown=""
while read -r from to where; do
	[ -n "$from" ] || continue
	rf=$(rank "$from"); rt=$(rank "$to")
	if [ "$rf" = unknown ] || [ "$rt" = unknown ]; then
		unknown="$unknown $where"
	elif [ "$rt" -gt "$rf" ]; then
		bad="$bad $where($from->$to)"
	fi
done <<EOT
$edges
EOT
[ -n "$unknown" ] && echo "# unknown layer:$unknown"
[ -n "$bad" ] && for b in $bad; do echo "# up a layer: $b"; done
check "every include names a known layer" test -z "$unknown"
check "no include points up a layer" test -z "$bad"
check "the check sees the includes" test -n "$edges"
done_testing
