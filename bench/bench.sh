#!/bin/sh
# Speed benchmark: seconds per training epoch, training samples per second,
# seconds per full evaluation of the clean test set, and peak memory, for
# GMF, NeuMF, CDAE and LightGCN under the faithful defaults (deca protocol,
# dense Adam), the fitting time of ItemKNN and EASE^R, and the cost of every
# training method on GMF relative to Normal, on the built-in synthetic data
# and on ml-100k and modcloth when present.
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
printf '%-10s %-14s %9s %10s %13s %9s %11s %10s\n' dataset model params s/epoch samples/s eval_s params+adam peak_rss
run() { # dataset-label data-args model [method]
	label=$1 args=$2 model=$3 method=${4:-normal}
	f=$T/$label-$model-$method.result
	"$DB" train $args --model "$model" --method "$method" --epochs "$EPOCHS" \
		--set early_stop=false --set eval_freq=0 --set deca_pretrain_cache=false \
		--out "$f" >/dev/null
	awk -F'\t' -v l="$label" -v m="$model${4:+/$4}" '
		$1 == "train" && $2 == "parameters" {p = $3}
		$1 == "timing" {t[$2] = $3}
		END {printf "%-10s %-14s %9d %10.4f %13.0f %9.4f %8.1f MiB %6.1f MiB\n", l, m, p,
			t["seconds_per_epoch"], t["samples_per_second"], t["eval_seconds"],
			p * 16 / 1048576, t["peak_rss_kib"] / 1024}' "$f"
}
MODELS="gmf neumf cdae lightgcn"
METHODS="normal clean wbpr t-ce r-ce ensemble deca deca-p"
for model in $MODELS; do run synthetic "" $model; done
for ds in ml-100k modcloth; do
	if [ -f "$DATA/$ds/$ds.train.rating" ]; then
		for model in $MODELS; do run $ds "--data $DATA/$ds" $model; done
		# training-free models: eval_s; their fit is the whole run's time
		for model in itemknn ease; do
			s=$(date +%s.%N)
			run $ds "--data $DATA/$ds" $model
			echo "#   $ds $model fit + evaluation: $(awk -v a="$s" -v b="$(date +%s.%N)" \
				'BEGIN {printf "%.2f", b - a}') s wall"
		done
	else
		echo "# $ds: not found in $DATA (set DENOISEBENCH_DATA)"
	fi
done
# the cost of each method on GMF, ml-100k (or the synthetic data): s/epoch
# relative to Normal (DeCA(p)'s pre-training of g is not part of its epochs)
ds=ml-100k args="--data $DATA/ml-100k"
[ -f "$DATA/ml-100k/ml-100k.train.rating" ] || { ds=synthetic args=""; }
echo "# methods on $ds GMF (s/epoch column; relative to normal in the last line)"
for method in $METHODS; do run $ds "$args" gmf $method; done | tee "$T/methods"
awk '{v[$2] = $4} END {printf "# relative s/epoch:"; n = split("'"$METHODS"'", m, " ");
	for (i = 1; i <= n; i++) printf " %s %.2f", m[i], v["gmf/" m[i]] / v["gmf/normal"]; print ""}' \
	"$T/methods"
