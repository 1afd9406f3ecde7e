#!/bin/sh
# Speed benchmark: seconds per training epoch, training samples per second,
# seconds per full evaluation of the clean test set, and peak memory, for
# GMF, NeuMF, CDAE and LightGCN under the faithful defaults (deca protocol,
# dense Adam), the fitting time of ItemKNN and EASE^R, and the cost of every
# training method on GMF relative to Normal, on the built-in synthetic data
# and on ml-100k and modcloth when present; there also NeuMF's test
# evaluation on 1 and 2 threads (train --threads), NeuMF under
# neumf_item_once (rows neumf+once), NeuMF on OpenBLAS's own kernel for the
# CPU instead of the pinned one (rows neumf+native) and the cost of
# subnormals on GMF.
# usage: bench/bench.sh [DENOISEBENCH] [EPOCHS]      (make bench runs it)
# Validation is switched off (eval_freq=0) so that epochs time training only.
# BENCH_PARTS (default "models methods authors") picks the parts: "methods"
# alone times the training methods only.  The methods run METHOD_EPOCHS (20)
# epochs, not EPOCHS: the newer methods start weighting (udt, eard: epoch 3)
# and resampling (pld: epoch 6) after warm-up epochs that cost what Normal
# costs, so a short run would time their warm-up only.
# With bench/authors-times.tsv (or BENCH_AUTHORS), the authors' code's seconds
# measured by hand on this machine, every matching row is followed by the
# ratio ours/theirs per epoch and per evaluation; the "authors" part times the
# file's cells not timed before (DeCA on each model) and ends with a summary
# against issue 13's targets.
set -eu
DB=${1:-./denoisebench}
EPOCHS=${2:-5}
DATA=${DENOISEBENCH_DATA:-$(dirname "$0")/../../shared/datasets}
# the authors' times measured on this CPU (a file's `# cpu:` line), else
# bench/authors-times.tsv with a warning: then every ratio mixes machines
CPU=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')
AUTHORS=${BENCH_AUTHORS:-} AUTHORS_WARN=
if [ -z "$AUTHORS" ]; then
	for f in "$(dirname "$0")"/authors-times*.tsv; do
		grep -qxF "# cpu: $CPU" "$f" && AUTHORS=$f && break
	done
	if [ -z "$AUTHORS" ] && [ -f "$(dirname "$0")/authors-times.tsv" ]; then
		AUTHORS=$(dirname "$0")/authors-times.tsv
		AUTHORS_WARN="# warning: no authors' times measured on this CPU ($CPU); $AUTHORS's ratios mix machines"
	fi
fi
[ -f "$AUTHORS" ] || AUTHORS=
T=$(mktemp -d /tmp/db-bench-XXXXXX)
trap 'rm -rf "$T"' EXIT

echo "# denoisebench benchmark, $(date -u +%Y-%m-%dT%H:%MZ)"
echo "# machine: $CPU, $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
[ -z "$AUTHORS_WARN" ] || echo "$AUTHORS_WARN"
[ -z "$AUTHORS" ] || echo "# authors' times: $AUTHORS"
"$DB" --version | sed 's/^/# /'
echo "# $EPOCHS epochs per cell, validation off, single-threaded BLAS"
# the machine's limits, measured now (bench/limits next to the binary)
LIMITS=${LIMITS:-$(dirname "$DB")/bench/limits}
SGEMM=0
if [ -x "$LIMITS" ]; then
	"$LIMITS" >"$T/limits"
	awk -F'\t' '{v[$2] = $3} END {printf "# limits: STREAM-style triad %.2f GB/s, dense Adam pass %.2f GB/s " \
		"(32 B/parameter; triad/Adam = %.2f), single-core sgemm 1024^3 %.2f GFLOP/s\n",
		v["triad_gbs"], v["adam_gbs"], v["triad_gbs"] / v["adam_gbs"], v["sgemm_gflops"]}' "$T/limits"
	SGEMM=$(awk -F'\t' '$2 == "sgemm_gflops" {print $3}' "$T/limits")
else
	echo "# limits: $LIMITS not built (make bench builds it)"
fi
printf '%-10s %-14s %9s %10s %13s %9s %11s %10s\n' dataset model params s/epoch samples/s eval_s params+adam peak_rss
# RUN_SET: more --set options for the cell; RUN_ENV: its environment; TAG:
# appended to the model's label
run() { # dataset-label data-args model [method]
	label=$1 args=$2 model=$3 method=${4:-normal}
	f=$T/$label-$model${TAG:-}-$method.result
	env ${RUN_ENV:-} "$DB" train $args --model "$model" --method "$method" --epochs "$EPOCHS" \
		--set early_stop=false --set eval_freq=0 --set deca_pretrain_cache=false ${RUN_SET:-} \
		--out "$f" >/dev/null
	awk -F'\t' -v l="$label" -v m="$model${TAG:-}${4:+/$4}" '
		$1 == "train" && $2 == "parameters" {p = $3}
		$1 == "timing" {t[$2] = $3}
		END {printf "%-10s %-14s %9d %10.4f %13.0f %9.4f %8.1f MiB %6.1f MiB\n", l, m, p,
			t["seconds_per_epoch"], t["samples_per_second"], t["eval_seconds"],
			p * 16 / 1048576, t["peak_rss_kib"] / 1024}' "$f"
	[ "$model" = neumf ] && neumf_flops "$f"
	[ -n "$AUTHORS" ] && authors_ratio "$label" "$model" "$method" "$f"
	return 0
}
# ours/theirs for a cell of the authors' file (bench/authors.awk)
authors_ratio() { # dataset model method result
	awk -F'\t' -v mode=ratio -v ds="$1" -v model="$2" -v label="$2${TAG:-}" -v method="$3" -v rows="$T/ratios" \
		-f "$(dirname "$0")/authors.awk" "$AUTHORS" "$4"
}
# NeuMF against sgemm: the MLP's FLOPs per epoch as if every sample ran the
# whole tower (forward 2, backward 4 FLOPs per weight; the per-user first
# layer saves part of this), at the measured sgemm speed
neumf_flops() {
	awk -F'\t' -v g="$SGEMM" '
		$1 == "config" && $2 == "factors" {f = $3}
		$1 == "config" && $2 == "mlp_layers" {L = $3}
		$1 == "timing" {t[$2] = $3}
		END {w = 2 * f * 2 ^ (L - 1); s = 0
			for (l = 0; l < L; l++) {s += w * w / 2; w /= 2}
			n = t["samples_per_second"] * t["seconds_per_epoch"]
			if (g > 0) printf "#   neumf MLP at sgemm speed: %.4f s/epoch (%.0f samples x %.0f FLOP); " \
				"measured / that = %.2f\n", n * 6 * s / (g * 1e9), n, 6 * s,
				t["seconds_per_epoch"] / (n * 6 * s / (g * 1e9))}' "$1"
}
# the test evaluation on 1 and 2 threads (train --threads: the same result
# file but for its timing lines), one epoch of training before it
eval_threads() { # dataset-label data-args model
	for th in 1 2; do
		"$DB" train $2 --model "$3" --epochs 1 --set early_stop=false --set eval_freq=0 \
			--threads $th --out "$T/threads$th.result" >/dev/null
	done
	awk -F'\t' -v l="$1" -v m="$3" '$1 == "timing" && $2 == "eval_seconds" {s[FILENAME] = $3}
		END {a = s[ARGV[1]]; b = s[ARGV[2]]
			printf "#   %s %s eval_s on 1 thread %.4f, on 2 threads %.4f (1/2 = %.2f)\n", l, m,
				a, b, (b > 0 ? a / b : 0)}' "$T/threads1.result" "$T/threads2.result"
}
# GMF Normal over 20 epochs under each ftz: the cost of float32 subnormals
# (cold rows decaying), which differs from CPU to CPU, and what the flush in
# the update pass (the default) and in the whole run buy back
subnormals() { # dataset-label data-args
	for z in false update true; do
		"$DB" train $2 --model gmf --epochs 20 --set early_stop=false --set eval_freq=0 \
			--set ftz=$z --out "$T/ftz-$z.result" >/dev/null
	done
	awk -F'\t' -v l="$1" '$1 == "timing" && $2 == "seconds_per_epoch" {e[FILENAME] = $3}
		$1 == "timing" && $2 == "eval_seconds" {v[FILENAME] = $3}
		$1 == "metric" {m[FILENAME] = m[FILENAME] $0 "\n"}
		END {a = ARGV[1]; b = ARGV[2]; c = ARGV[3]
			printf "#   %s gmf 20 epochs, ftz false/update/true: s/epoch %.4f / %.4f / %.4f (%.2fx, %.2fx), " \
				"eval_s %.4f / %.4f / %.4f; metrics %s\n", l, e[a], e[b], e[c],
				(e[b] > 0 ? e[a] / e[b] : 0), (e[c] > 0 ? e[a] / e[c] : 0), v[a], v[b], v[c],
				(m[a] == m[b] && m[a] == m[c] ? "identical" : "differ")}' \
		"$T/ftz-false.result" "$T/ftz-update.result" "$T/ftz-true.result"
}
MODELS="gmf neumf cdae lightgcn"
METHODS="normal clean wbpr t-ce r-ce ensemble deca deca-p udt eard dcf pld"
PARTS=${BENCH_PARTS:-models methods authors}
MODEL_EPOCHS=$EPOCHS
case " $PARTS " in *" models "*) ;; *) MODELS="" ;; esac
for model in $MODELS; do run synthetic "" $model; done
for ds in ${MODELS:+ml-100k modcloth}; do
	if [ -f "$DATA/$ds/$ds.train.rating" ]; then
		for model in $MODELS; do run $ds "--data $DATA/$ds" $model; done
		# training-free models: eval_s; their fit is the whole run's time
		for model in itemknn ease; do
			s=$(date +%s.%N)
			run $ds "--data $DATA/$ds" $model
			echo "#   $ds $model fit + evaluation: $(awk -v a="$s" -v b="$(date +%s.%N)" \
				'BEGIN {printf "%.2f", b - a}') s wall"
		done
		eval_threads $ds "--data $DATA/$ds" neumf
		# neumf_item_once: layer 1's item half once per distinct item (other bits)
		for method in normal deca; do
			RUN_SET="--set neumf_item_once=true" TAG=+once run $ds "--data $DATA/$ds" neumf ${method%normal}
		done
		# the kernel OpenBLAS picks for this CPU, not the pinned portable one
		# (README, "The BLAS kernel is part of a result"): what the pin costs
		RUN_ENV=DENOISEBENCH_BLAS_KERNEL=native TAG=+native run $ds "--data $DATA/$ds" neumf
		subnormals $ds "--data $DATA/$ds"
	else
		echo "# $ds: not found in $DATA (set DENOISEBENCH_DATA)"
	fi
done
# the cost of each method on GMF, ml-100k (or the synthetic data): s/epoch
# relative to Normal (DeCA(p)'s pre-training of g is not part of its epochs)
methods_part() {
	EPOCHS=${METHOD_EPOCHS:-20}
	ds=ml-100k args="--data $DATA/ml-100k"
	[ -f "$DATA/ml-100k/ml-100k.train.rating" ] || { ds=synthetic args=""; }
	echo "# methods on $ds GMF, $EPOCHS epochs (s/epoch column; relative to normal in the last line)"
	for method in $METHODS; do run $ds "$args" gmf $method; done | tee "$T/methods"
	awk '$1 != "#" {v[$2] = $4} END {printf "# relative s/epoch:"; n = split("'"$METHODS"'", m, " ");
		for (i = 1; i <= n; i++) printf " %s %.2f", m[i], v["gmf/" m[i]] / v["gmf/normal"]; print ""}' \
		"$T/methods"
	EPOCHS=$MODEL_EPOCHS
}
case " $PARTS " in *" methods "*) methods_part ;; esac
# the authors' file's cells not timed above, then the summary
case " $PARTS " in *" authors "*) ;; *) exit 0 ;; esac
[ -n "$AUTHORS" ] || exit 0
echo "# against the authors' code ($AUTHORS; ours: in-process wall, theirs: CPU seconds, 1 thread each)"
awk -F'\t' '!/^#/ && NF >= 6 {print $1, $2, $3}' "$AUTHORS" | sort -u >"$T/cells"
while read -r ds model method; do
	[ -f "$T/$ds-$model-$method.result" ] && continue
	if [ -f "$DATA/$ds/$ds.train.rating" ]; then
		# a Normal row is labelled as in the models part
		run $ds "--data $DATA/$ds" $model ${method%normal} </dev/null
	else
		echo "# $ds: not found in $DATA (set DENOISEBENCH_DATA)"
	fi
done <"$T/cells"
[ -f "$T/ratios" ] && awk -F'\t' -v mode=summary -f "$(dirname "$0")/authors.awk" "$T/ratios"
exit 0
