# The evaluation's workers change no byte: for every model of the registry,
# the result file (per-user lines included) and the top-K dump at --threads
# 1, 2 and 3 are the same but for timing, tool and end lines, with 278 test
# users in blocks of 7 (40 blocks: a partial block, shares of 14 and 13) and
# of 64 (5 blocks: shares of 2, 2 and 1 at 3 workers); a
# suite run with --jobs 4 writes the files --jobs 1 writes, and the launch
# rule gives the tail cells the idle slots.  LightGCN's training splits its
# sparse products over the same threads, by output rows.
. "$DB_SRCDIR/tests/tap.sh"
DB=${DENOISEBENCH:-./denoisebench}
T=$(mktemp -d /tmp/db-test-threads-XXXXXX)
trap 'rm -rf "$T"' EXIT

body() { grep -v '^timing	\|^tool	\|^end	' "$1"; }
same() { # A B: result files equal but for timing, tool, end lines
	body "$1" >"$1.body" && body "$2" >"$2.body" && cmp "$1.body" "$2.body"
}
models=$("$DB" train --help | awk '$1 == "MODEL" {print $2}' | tr '|' ' ')
check "the registry lists models" test -n "$models"
run() { # NAME THREADS BLOCK [options]
	name=$1 th=$2 blk=$3
	shift 3
	"$DB" train --epochs 1 --set factors=8 --set eval_block="$blk" --threads "$th" \
		--out "$T/$name.t$th.b$blk.result" --dump-topk "$T/$name.t$th.b$blk.topk" \
		"$@" >/dev/null 2>&1
}
for m in $models; do
	for blk in 7 64; do
		for th in 1 2 3; do run "$m" $th $blk --model "$m"; done
		for th in 2 3; do
			a=$T/$m.t1.b$blk b=$T/$m.t$th.b$blk
			check "$m, blocks of $blk: --threads $th gives --threads 1's result file" \
				same "$a.result" "$b.result"
			check "$m, blocks of $blk: --threads $th gives --threads 1's top-K dump" \
				cmp "$a.topk" "$b.topk"
		done
	done
done
check "the result files hold per-user lines" grep -q '^user	test	' "$T/gmf.t3.b7.result"
check "the budget is recorded in a timing line" grep -q '^timing	threads	3$' \
	"$T/gmf.t3.b7.result"
wpeak() { awk -F'\t' '$1 == "timing" && $2 == "worker_peak_rss_kib" {print $3}' "$1"; }
check "the largest evaluation worker's peak memory: > 0 KiB with 3 workers" \
	test "$(wpeak "$T/gmf.t3.b7.result")" -gt 0
check "... and 0 with one (no worker process)" test "$(wpeak "$T/gmf.t1.b7.result")" = 0
# the test ranked along training (diag_test), and a method scoring with two
# models (ensemble: no score_clone, one thread)
for th in 1 3; do
	run diag $th 7 --model neumf --set diag_test=true --set diag_freq=5
	run ens $th 7 --model gmf --method ensemble
done
check "diag_test: --threads 3 gives --threads 1's diagnostics" \
	same "$T/diag.t1.b7.result" "$T/diag.t3.b7.result"
check "ensemble: --threads 3 gives --threads 1's result" \
	same "$T/ens.t1.b7.result" "$T/ens.t3.b7.result"
# LightGCN's training splits its sparse products by rows: at SSE2 width too
(
	DENOISEBENCH_SIMD=baseline
	export DENOISEBENCH_SIMD
	run lgsse 3 7 --model lightgcn --epochs 2
)
run lgsse 1 7 --model lightgcn --epochs 2
check "lightgcn, 2 epochs: --threads 3 at SSE2 width gives --threads 1's result" \
	same "$T/lgsse.t1.b7.result" "$T/lgsse.t3.b7.result"
check "--threads 0 is refused" sh -c "! '$DB' train --threads 0 >/dev/null 2>&1"
# the evaluation's workers are processes: one that dies fails the run with
# its reason, and no result file is written (DB_FAULT_EVAL_WORKER kills it)
DB_FAULT_EVAL_WORKER=1 "$DB" train --epochs 1 --set factors=8 --set eval_block=7 --threads 2 \
	--model gmf --out "$T/killed.result" >/dev/null 2>"$T/killed.err"
echo $? >"$T/killed.rc"
check "a killed evaluation worker: exit 1, no result file" \
	sh -c "[ \$(cat '$T/killed.rc') = 1 ] && [ ! -e '$T/killed.result' ]"
check "a killed evaluation worker: the message says which and how" \
	grep -q "worker 1's process ended (signal 9) before its end" "$T/killed.err"
DB_FAULT_EVAL_WORKER=-2 "$DB" train --epochs 1 --set factors=8 --set eval_block=7 --threads 3 \
	--model gmf --out "$T/exit3.result" >/dev/null 2>"$T/exit3.err"
check "a worker that exits 3 after its share fails the run too, no result file" \
	sh -c "[ ! -e '$T/exit3.result' ] && grep -q \"worker 2's process ended (exit status 3) after its end\" '$T/exit3.err'"
# SIGCHLD ignored by whoever started the run (inherited across exec) would
# have the workers reaped before the evaluation waits for them
env --ignore-signal=CHLD "$DB" train --epochs 1 --set factors=8 --set eval_block=7 \
	--threads 2 --model gmf --out "$T/ign.result" >/dev/null 2>&1
check "SIGCHLD ignored by the caller: --threads 2 still gives --threads 1's result file" \
	same "$T/gmf.t1.b7.result" "$T/ign.result"

# a suite at --jobs 4 and 1: the same files; the launch rule (jobs / cells
# left, fixed at launch): of smoke's 12 cells the 11th gets 2, the 12th 4
smoke=$DB_SRCDIR/suites/smoke.yaml
"$DB" run "$smoke" --jobs 1 --results "$T/j1" >/dev/null 2>&1
"$DB" run "$smoke" --jobs 4 --results "$T/j4" >/dev/null 2>&1
files=$(cd "$T/j1" && find . -name '*.result' | sort)
check "--jobs 1 wrote smoke's 12 cells" test "$(echo "$files" | wc -l)" -eq 12
for f in $files; do
	check "--jobs 4 writes $f as --jobs 1 does" same "$T/j1/$f" "$T/j4/$f"
done
threads() { cat "$@" | awk -F'\t' '$1 == "timing" && $2 == "threads" {print $3}' | sort | uniq -c | tr -s ' ' | tr '\n' ';'; }
check "--jobs 4: ten cells on 1 thread, the 11th on 2, the last on 4" \
	test "$(threads $(find "$T/j4" -name '*.result'))" = " 10 1; 1 2; 1 4;"
check "--jobs 1: every cell on 1 thread" \
	test "$(threads $(find "$T/j1" -name '*.result'))" = " 12 1;"
# a resumed run counts only the cells still to run: the one cell gets both slots
one=$(find "$T/j1" -name 'gmf-normal-s1-*.result')
rm "$one"
"$DB" run "$smoke" --jobs 2 --results "$T/j1" >/dev/null 2>&1
check "resumed with --jobs 2, the one missing cell gets 2 threads" \
	grep -q '^timing	threads	2$' "$one"
check "and writes what it wrote on 1" same "$one" "$T/j4/${one#"$T/j1/"}"

# bench/grid.sh: the cell seconds of a results directory, and of a run
grid=$DB_SRCDIR/bench/grid.sh
sh "$grid" --read "$T/j4" >"$T/grid.read"
check "grid.sh --read: mf, gmf, neumf, 4 cells each" test "$(awk '$1 == "synthetic" {print $2, $3}' \
	"$T/grid.read" | sort | tr '\n' ';')" = "gmf 4;mf 4;neumf 4;"
check "grid.sh --read: all 12 cells, their total_seconds summed" test "$(awk '$1 == "all" {print $2, $3}' \
	"$T/grid.read")" = "12 $(cat $(find "$T/j4" -name '*.result') | awk -F'\t' \
	'$2 == "total_seconds" {s += $3} END {printf "%.1f", s}')"
sh "$grid" "$DB" "$DB_SRCDIR/suites/quick.yaml" 2 --only model=mf >"$T/grid.run" 2>&1
check "grid.sh runs a suite: machine, build, wall time, its cells" sh -c "grep -q '^# machine: ' '$T/grid.run' &&
	grep -q '^# denoisebench ' '$T/grid.run' && grep -q '^# wall .* (run exit status 0)' '$T/grid.run' &&
	grep -q '^synthetic  *mf  *2 ' '$T/grid.run' && grep -q '^all  *2 ' '$T/grid.run'"
check "grid.sh without a suite says how to call it" sh -c "! sh '$grid' '$DB' 2>/dev/null"
done_testing
