# The suite runner: check's messages, result sets independent of --jobs,
# resume after kill -9 equal to an uninterrupted run, skip and --force.
. "$DB_SRCDIR/tests/tap.sh"
DB=${DENOISEBENCH:-./denoisebench}
T=$(mktemp -d /tmp/db-test-runner-XXXXXX)
trap 'rm -rf "$T"' EXIT
SMOKE=$DB_SRCDIR/suites/smoke.yaml

# every result file, without its timing lines and closing line (its checksum covers the timings), as one listing
results() { (cd "$1" && for f in $(find . -name '*.result' | sort); do echo "== $f"; grep -v '^timing\|^end' "$f"; done); }

"$DB" check "$SMOKE" >"$T/cells"
check "check smoke.yaml: 12 cells (3 models x 4 seeds)" test "$(wc -l <"$T/cells")" -eq 12
"$DB" check "$DB_SRCDIR/tests/fixtures/suites/bad.yaml" 2>"$T/err"
check "check bad.yaml: exit 1" test $? -eq 1
check "check bad.yaml: line:column of each problem" grep -q 'bad.yaml:9:3: unknown setting' "$T/err"

"$DB" run "$SMOKE" --jobs 1 --results "$T/j1" 2>"$T/log1"
check "run --jobs 1: exit 0" test $? -eq 0
check "run --jobs 1: 12 result files" test "$(find "$T/j1" -name '*.result' | wc -l)" -eq 12
check "run: one progress line per cell when stderr is not a terminal" test "$(grep -c '^\[[0-9]*/12\]' "$T/log1")" -eq 12
"$DB" run "$SMOKE" --jobs 2 --results "$T/j2" 2>/dev/null
results "$T/j1" >"$T/r1"
results "$T/j2" >"$T/r2"
check "--jobs 1 and --jobs 2 give identical result sets" cmp "$T/r1" "$T/r2"

"$DB" run "$SMOKE" --results "$T/j1" 2>"$T/log"
check "rerun skips every existing cell" test "$(grep -c 'skipped' "$T/log")" -eq 12
"$DB" run "$SMOKE" --results "$T/j1" --force 2>"$T/log"
check "--force reruns every cell" test "$(grep -c ' done$' "$T/log")" -eq 12

# a slower suite, killed with -9 mid-way, then resumed
sed 's/epochs: 2/epochs: 200/; s/name: smoke/name: slow/' "$SMOKE" >"$T/slow.yaml"
"$DB" run "$T/slow.yaml" --jobs 2 --results "$T/ref" 2>/dev/null
"$DB" run "$T/slow.yaml" --jobs 2 --results "$T/kill" 2>/dev/null &
pid=$!
# kill as soon as the first cell is written, so the run is cut mid-way
i=0
while [ -z "$(find "$T/kill" -name '*.result' 2>/dev/null)" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
kill -9 $pid
wait $pid 2>/dev/null
sleep 0.5 # orphaned workers finish their cell and rename atomically
partial=$(find "$T/kill" -name '*.result' | wc -l)
"$DB" run "$T/slow.yaml" --jobs 2 --results "$T/kill" 2>/dev/null
results "$T/ref" >"$T/rr"
results "$T/kill" >"$T/rk"
check "killed mid-way ($partial of 12 cells written)" test "$partial" -lt 12
check "killed after $partial of 12 cells, resumed: same result set as an uninterrupted run" cmp "$T/rr" "$T/rk"
check "no temporary files left behind" test "$(find "$T/kill" -type f ! -name '*.result' ! -name '*.result.log' ! -name '*.result.lock' | wc -l)" -eq 0
check "a log beside every result" test "$(find "$T/j1" -name '*.result.log' | wc -l)" -eq 12
log=$(find "$T/j1" -name 'gmf-normal-s1-*.result.log')
check "the log holds the training progress, one line per epoch" test "$(grep -c '^epoch [12]/2 iteration' "$log")" -eq 2
check "the log ends with the outcome" test "$(tail -1 "$log")" = done

# on a terminal: a status block with each running cell's epoch from its log
sed 's/epochs: 2/epochs: 1000/; s/name: smoke/name: tty/' "$SMOKE" >"$T/tty.yaml"
if command -v script >/dev/null 2>&1; then
	script -qc "'$DB' run '$T/tty.yaml' --results '$T/tty' --only model=neumf --only seed=1" "$T/tty.out" >/dev/null 2>&1
	check "terminal: status line with the running cell" grep -q '0/1 cells, 1 running' "$T/tty.out"
	check "terminal: the running cell's epoch and validation loss from its log" grep -q 'synthetic/neumf-normal-s1  *epoch [0-9]*/1000 iteration [0-9]* valid_loss' "$T/tty.out"
	check "terminal: no ETA before a cell run here finished" grep -q '0/1 cells, 1 running, 0 failed, [0-9]*s elapsed, ETA —' "$T/tty.out"
else
	skip "script (util-linux) not installed: no terminal to test"
	skip "script (util-linux) not installed: no terminal to test"
	skip "script (util-linux) not installed: no terminal to test"
fi

# a two-phase method: the log counts each phase's own epochs
printf 'name: ph\ndatasets:\n  - name: synthetic\nmodels: [gmf]\nmethods: [warmup]\nseeds: [1]\nsettings: {epochs: 2, extra_epochs: 1, factors: 8}\n' >"$T/ph.yaml"
"$DB" run "$T/ph.yaml" --results "$T/ph" 2>/dev/null
log=$(find "$T/ph" -name '*.result.log')
check "two phases: 'epoch 1/1' then 'phase 2 epoch 1/2', 'phase 2 epoch 2/2'" test "$(grep -o '^[a-z 0-9]*epoch [0-9]/[0-9]' "$log" | tr '\n' ,)" = "epoch 1/1,phase 2 epoch 1/2,phase 2 epoch 2/2,"

# a slice: only the selected cells, under the names of the whole suite
"$DB" run "$SMOKE" --results "$T/slice" --only model=gmf,mf --only seed=2 2>/dev/null
check "--only model=gmf,mf --only seed=2: 2 cells" test "$(find "$T/slice" -name '*.result' | wc -l)" -eq 2
check "--only: the slice's files are the whole run's" test -z "$(cd "$T/slice" && find . -name '*.result' | while read -r f; do [ -f "$T/j1/$f" ] || echo "$f"; done)"
"$DB" run "$SMOKE" --results "$T/slice" --only colour=red 2>"$T/err"
check "--only with an unknown setting: refused with its name" grep -q "unknown setting 'colour'" "$T/err"

# a sweep: one cell per value, the value in the result's name
printf 'name: sw\ndatasets:\n  - name: synthetic\nmodels: [gmf]\nmethods: [normal]\nseeds: [1]\nsettings: {epochs: 1, factors: 8}\nsweep: {lr: [0.01, 0.002]}\n' >"$T/sw.yaml"
"$DB" run "$T/sw.yaml" --results "$T/sw" 2>/dev/null
check "sweep: a result per value" test -f "$(echo "$T"/sw/synthetic/gmf-normal-lr=0.01-s1-*.result)" -a -f "$(echo "$T"/sw/synthetic/gmf-normal-lr=0.002-s1-*.result)"
check "sweep: the swept value is the cell's setting" grep -q '^config	lr	0.002$' "$T"/sw/synthetic/gmf-normal-lr=0.002-s1-*.result

# a failing cell is recorded and counted, the others go on
printf 'name: fail\ndatasets:\n  - name: broken\n    path: %s\nmodels: [gmf]\nmethods: [normal]\nseeds: [1]\n' "$T" >"$T/fail.yaml"
"$DB" run "$T/fail.yaml" --results "$T/f" 2>/dev/null
check "a failed cell: exit 100 + 1" test $? -eq 101
check "a failed cell leaves its reason in a .failed file" test -s "$(find "$T/f" -name '*.failed')"
# plans: each engine runs `denoisebench cell` and ends with the runner's result set
"$DB" cell "$SMOKE" 3 --results "$T/c" 2>/dev/null
check "cell 3 writes the third result path of check's list" test -f "$T/c/$(sed -n 3p "$T/cells" | cut -d' ' -f2)"
"$DB" cell "$SMOKE" 13 --results "$T/c" 2>/dev/null
check "cell 13 of 12: refused" test $? -ne 0
"$DB" plan "$SMOKE" --format slurm --results "$T/slurm" >"$T/job.sh"
check "slurm plan: bash -n" bash -n "$T/job.sh"
check "slurm plan: array of 12 tasks" grep -q '^#SBATCH --array=1-12$' "$T/job.sh"
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do SLURM_ARRAY_TASK_ID=$i bash "$T/job.sh" 2>/dev/null; done
results "$T/slurm" >"$T/rs"
check "slurm plan, tasks run by hand: same result set as run" cmp "$T/r1" "$T/rs"
"$DB" plan "$SMOKE" --format make --results "$T/make" >"$T/Makefile"
make -s -j2 -f "$T/Makefile" 2>/dev/null
results "$T/make" >"$T/rm"
check "make -j2 plan: same result set as run" cmp "$T/r1" "$T/rm"
"$DB" plan "$SMOKE" --format parallel --results "$T/par" >"$T/jobs"
if command -v parallel >/dev/null 2>&1; then
	parallel -j2 <"$T/jobs" 2>/dev/null
	results "$T/par" >"$T/rp"
	check "GNU parallel plan: same result set as run" cmp "$T/r1" "$T/rp"
else
	skip "GNU parallel not installed"
fi
"$DB" plan "$SMOKE" --format xml >/dev/null 2>&1
check "unknown plan format refused" test $? -ne 0
done_testing
