#!/bin/sh
# Scale runs: synthetic datasets the size of Amazon Electronics (1.16 M users,
# 9.6 k items, 1.3 M interactions) and Amazon-book (80 k users, 99 k items,
# 2.7 M interactions), and ml-100k when present, trained with GMF, NeuMF and
# LightGCN under Normal and DeCA for EPOCHS epochs (validation off), then one
# evaluation of the clean test; prints s/epoch, s/evaluation and peak RSS.
# Not part of `make check`: at SCALE=1 a NeuMF evaluation of the Electronics
# size takes long on one core.
# usage: bench/scale.sh DENOISEBENCH [EPOCHS] [SCALE]
#   SCALE (default 1) multiplies the users, items and interactions of both
#   synthetic datasets, e.g. 0.05 for a quick look at how the costs grow.
#   MODELS, METHODS and SETS (default "ml-100k electronics amazon-book")
#   pick the cells; THREADS (default 1) is train's --threads: evaluation
#   workers (their peak memory: the worker_MiB column) and LightGCN's threads.
set -eu
DB=$1
EPOCHS=${2:-1}
SCALE=${3:-1}
MODELS=${MODELS:-gmf neumf lightgcn}
METHODS=${METHODS:-normal deca}
DATA=${DENOISEBENCH_DATA:-}
T=$(mktemp -d /tmp/db-scale-XXXXXX)
trap 'rm -rf "$T"' EXIT

# gen NAME USERS ITEMS LINES: every user gets at least one line, the rest go
# to users uniformly; items by a power-law popularity (item = items * u^2);
# ratings 1-5 with 4-5 for 75 %; lines split 80/10/10 into train, valid and
# test; the clean test (test.negative) holds the rating-5 test lines.
gen() {
	mkdir -p "$T/$1"
	awk -v name="$T/$1/$1" -v U="$2" -v I="$3" -v N="$4" 'BEGIN {
		srand(7)
		for (k = 0; k < N; k++) {
			u = k < U ? k : int(rand() * U)
			x = rand(); i = int(I * x * x)
			r = rand(); rt = r < 0.45 ? 5 : r < 0.75 ? 4 : 1 + int(rand() * 3)
			s = rand()
			if (s < 0.8 || k < U) f = ".train.rating"; else if (s < 0.9) f = ".valid.rating"
			else f = ".test.noisy"
			print u "\t" i "\t" rt > (name f)
			if (f == ".test.noisy" && rt == 5) print u "\t" i "\t" rt > (name ".test.negative")
		}
	}'
	# the loader wants every file, even when no line landed in it
	for f in train.rating valid.rating test.noisy test.negative; do touch "$T/$1/$1.$f"; done
}
sz() { awk -v a="$1" -v s="$SCALE" 'BEGIN {printf "%d", a * s < 10 ? 10 : a * s}'; }

echo "# denoisebench scale runs, $(date -u +%Y-%m-%dT%H:%MZ), SCALE $SCALE, $EPOCHS epoch(s)"
echo "# machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
WANT=" ${SETS:-ml-100k electronics amazon-book} "
SETS= DIRS=
if [ -n "$DATA" ] && [ -f "$DATA/ml-100k/ml-100k.train.rating" ]; then
	case $WANT in *" ml-100k "*) SETS=ml-100k DIRS=$DATA/ml-100k ;; esac
fi
case $WANT in *" electronics "*)
	gen electronics "$(sz 1160000)" "$(sz 9600)" "$(sz 1300000)"
	SETS="$SETS electronics" DIRS="$DIRS $T/electronics" ;;
esac
case $WANT in *" amazon-book "*)
	gen amazon-book "$(sz 80000)" "$(sz 99000)" "$(sz 2700000)"
	SETS="$SETS amazon-book" DIRS="$DIRS $T/amazon-book" ;;
esac
printf '%-12s %-9s %-7s %8s %7s %9s %10s %10s %10s %10s\n' dataset model method users items train s/epoch s/eval peak_MiB worker_MiB
set -- $DIRS
for ds in $SETS; do
	dir=$1
	shift
	for model in $MODELS; do
		for method in $METHODS; do
			f=$T/$ds-$model-$method.result
			if ! "$DB" train --data "$dir" --model "$model" --method "$method" \
				--epochs "$EPOCHS" --set eval_freq=0 --set early_stop=false \
				--set eval_noisy=false --set eval_valid_rank=false \
				--set eval_rating_prob=false --set deca_pretrain_cache=false \
				--threads "${THREADS:-1}" --out "$f" >/dev/null 2>"$T/err"; then
				echo "$ds $model $method: failed: $(tail -n 1 "$T/err")"
				continue
			fi
			awk -F'\t' -v d="$ds" -v m="$model" -v me="$method" '
				$1 == "data" {v[$2] = $3}
				$1 == "timing" {t[$2] = $3}
				END {printf "%-12s %-9s %-7s %8d %7d %9d %10.3f %10.3f %10.1f %10.1f\n", d, m, me,
					v["users"], v["items"], v["train_lines"], t["seconds_per_epoch"],
					t["eval_seconds"], t["peak_rss_kib"] / 1024,
					t["worker_peak_rss_kib"] / 1024}' "$f"
		done
	done
done
