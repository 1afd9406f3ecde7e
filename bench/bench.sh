#!/bin/sh
# Speed benchmark: seconds per training epoch, training samples per second,
# seconds per full evaluation of the clean test set, and peak memory, for
# GMF, NeuMF and CDAE under the faithful defaults (deca protocol, dense Adam),
# on the built-in synthetic data and on ml-100k and modcloth when present.
# usage: bench/bench.sh [DENOISEBENCH] [EPOCHS]      (make bench runs it)
# Validation is switched off (eval_freq=0) so that epochs time training only.
set -eu
DB=${1:-./denoisebench}
EPOCHS=${2:-5}
DATA=${DENOISEBENCH_DATA:-$(dirname "$0")/../../shared/datasets}
T=$(mktemp -d /tmp/db-bench-XXXXXX)
trap 'rm -rf "$T"' EXIT

echo "# denoisebench benchmark, $(date -u +%Y-%m-%dT%H:%MZ)"
echo "# machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
"$DB" --version | sed 's/^/# /'
echo "# $EPOCHS epochs per cell, validation off, single-threaded BLAS"
printf '%-10s %-6s %9s %10s %13s %9s %11s %10s\n' dataset model params s/epoch samples/s eval_s params+adam peak_rss
run() { # dataset-label data-args model
	label=$1 args=$2 model=$3
	f=$T/$label-$model.result
	"$DB" train $args --model "$model" --epochs "$EPOCHS" --set early_stop=false \
		--set eval_freq=0 --out "$f" >/dev/null
	awk -F'\t' -v l="$label" -v m="$model" '
		$1 == "train" && $2 == "parameters" {p = $3}
		$1 == "timing" {t[$2] = $3}
		END {printf "%-10s %-6s %9d %10.4f %13.0f %9.4f %8.1f MiB %6.1f MiB\n", l, m, p,
			t["seconds_per_epoch"], t["samples_per_second"], t["eval_seconds"],
			p * 16 / 1048576, t["peak_rss_kib"] / 1024}' "$f"
}
for model in gmf neumf cdae; do run synthetic "" $model; done
for ds in ml-100k modcloth; do
	if [ -f "$DATA/$ds/$ds.train.rating" ]; then
		for model in gmf neumf cdae; do run $ds "--data $DATA/$ds" $model; done
	else
		echo "# $ds: not found in $DATA (set DENOISEBENCH_DATA)"
	fi
done
