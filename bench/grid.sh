#!/bin/sh
# Grid timing: runs a suite into a temporary results directory, N cells at a
# time, and prints the machine, the build, the wall time and where the cell
# time goes: per (dataset, model) the cells, the sum of their total, train
# and test-evaluation seconds (the result files' timing lines) and the longest
# cell.  The cell-seconds sum is the CPU a grid costs whatever --jobs; the
# wall time is what users wait for.
# usage: bench/grid.sh DENOISEBENCH SUITE [JOBS] [--only KEY=V1,V2...]...
#        bench/grid.sh --read DIR      the same table from an existing results
#                                      directory, without training
# JOBS defaults to the number of cores.  The run's results are removed
# afterwards; GRID_KEEP=DIR keeps them there instead (DIR must not exist).
set -eu

# table DIR: the per-(dataset, model) cell seconds of every result under DIR
table() {
	find "$1" -name '*.result' | sort | xargs cat | awk -F'\t' '
		$1 == "denoisebench-result" {ds = ""; mo = ""}
		$1 == "config" && $2 == "dataset" {ds = $3}
		$1 == "config" && $2 == "model" {mo = $3}
		$1 == "timing" && $2 == "train_seconds" {tr = $3}
		$1 == "timing" && $2 == "eval_seconds" {ev = $3}
		$1 == "timing" && $2 == "total_seconds" {
			k = ds "\t" mo; n[k]++; tot[k] += $3; trs[k] += tr; evs[k] += ev
			if ($3 > mx[k]) mx[k] = $3
			all += $3; cells++
		}
		END {
			printf "%-12s %-10s %6s %12s %12s %12s %11s\n", "dataset", "model", "cells",
				"cell_s", "train_s", "test_eval_s", "max_cell_s"
			for (k in n) {
				split(k, p, "\t")
				printf "%-12s %-10s %6d %12.1f %12.1f %12.1f %11.1f\n", p[1], p[2], n[k],
					tot[k], trs[k], evs[k], mx[k] | "sort -k4,4 -g -r"
			}
			close("sort -k4,4 -g -r")
			printf "%-23s %6d %12.1f\n", "all", cells, all
		}'
}

if [ "${1:-}" = --read ]; then
	[ $# -eq 2 ] && [ -d "$2" ] || { echo "usage: bench/grid.sh --read DIR" >&2; exit 2; }
	echo "# cell seconds of the results under $2"
	table "$2"
	exit 0
fi
[ $# -ge 2 ] || { sed -n '8,11p' "$0" | sed 's/^# //' >&2; exit 2; }
DB=$1 SUITE=$2
shift 2
JOBS=$(nproc)
case "${1:-}" in [0-9]*) JOBS=$1; shift ;; esac
if [ -n "${GRID_KEEP:-}" ]; then
	R=$GRID_KEEP
	mkdir "$R"
else
	R=$(mktemp -d /tmp/db-grid-XXXXXX)
	trap 'rm -rf "$R"' EXIT
fi

echo "# denoisebench grid timing, $(date -u +%Y-%m-%dT%H:%MZ): $SUITE${*:+ $*}, --jobs $JOBS"
echo "# machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
"$DB" --version | sed 's/^/# /'
t0=$(date +%s.%N)
status=0
"$DB" run "$SUITE" --jobs "$JOBS" --results "$R/results" "$@" >"$R/run.log" 2>&1 || status=$?
t1=$(date +%s.%N)
awk -v a="$t0" -v b="$t1" -v s="$status" 'BEGIN {printf "# wall %.1f s (run exit status %d)\n", b - a, s}'
[ "$status" -eq 0 ] || tail -n 5 "$R/run.log" | sed 's/^/# run: /'
table "$R/results"
exit "$status"
