# Shared training (README "Shared training"): the cells of a suite that
# differ only in selection come from one training, and every result file is
# the one its cell writes alone (run --no-share) but for its timing lines;
# revised, and a method with a checkpoint (ensemble), train on their own;
# a resumed run trains the missing cells of a group once.
. "$DB_SRCDIR/tests/tap.sh"
DB=${DENOISEBENCH:-./denoisebench}
T=$(mktemp -d /tmp/db-test-share-XXXXXX)
trap 'rm -rf "$T"' EXIT
SUITE=$DB_SRCDIR/tests/fixtures/suites/share.yaml
body() { grep -v '^timing	\|^tool	\|^end	' "$1"; }
same() { body "$1" >"$1.body" && body "$2" >"$2.body" && cmp "$1.body" "$2.body"; }

"$DB" run "$SUITE" --jobs 2 --results "$T/shared" >/dev/null 2>&1
check "run: exit 0" test $? -eq 0
"$DB" run "$SUITE" --jobs 2 --results "$T/alone" --no-share >/dev/null 2>&1
check "run --no-share: exit 0" test $? -eq 0
files=$(cd "$T/alone" && find . -name '*.result' | sort)
check "32 cells (2 models x (4 methods x 3 rules + normal's revised + ensemble's 3))" \
	test "$(echo "$files" | wc -l)" -eq 32
for f in $files; do
	check "shared $f equals its own training's" same "$T/shared/$f" "$T/alone/$f"
done
# 2 models x (normal, t-ce, dcf, deca): last and oracle from best's training
shared=$(grep -l '^trained with' "$T"/shared/synthetic/*.log | wc -l)
check "16 cells came from another cell's training" test "$shared" -eq 16
check "CDAE under DeCA corrupts its evaluation input (the stream the rules share)" \
	grep -q '^config	cdae_eval_corruption	true$' "$T"/shared/synthetic/cdae-deca-selection=last-*.result
check "no cell of --no-share did" sh -c "! grep -q '^trained with' '$T'/alone/synthetic/*.log"
check "revised and ensemble trained on their own" \
	sh -c "! grep -l '^trained with' '$T'/shared/synthetic/*revised*.log '$T'/shared/synthetic/*ensemble*.log"
# the test's power: the three rules pick three different iterations
its=$(for r in best last oracle; do
	awk -F'\t' '$2 == "selected_iteration" {print $3}' "$T"/shared/synthetic/gmf-t-ce-selection=$r-*.result
done | sort -u | wc -l)
check "GMF T-CE: best, last and oracle selected three different iterations" test "$its" -eq 3
check "T-CE's counters are in the oracle's diagnostics" \
	grep -q '^diag_stat	.*	dropped	' "$T"/shared/synthetic/gmf-t-ce-selection=oracle-*.result
# --force: every cell again, the groups as before
"$DB" run "$SUITE" --jobs 2 --results "$T/shared" --force 2>"$T/force.err" >/dev/null
check "--force: 32 cells done" test "$(grep -c ' done$' "$T/force.err")" -eq 32
check "--force: 16 of them from another cell's training again" \
	test "$(grep -l '^trained with' "$T"/shared/synthetic/*.log | wc -l)" -eq 16
bad=0
for f in $files; do same "$T/shared/$f" "$T/alone/$f" >/dev/null 2>&1 || bad=$((bad + 1)); done
check "--force: every file equals its own training's ($bad differ)" test "$bad" -eq 0

# every model of the registry: Normal's three rules shared equal their own
# trainings (the training-free models train nothing and never share)
models=$("$DB" train --help | awk '$1 == "MODEL" {print $2}' | tr '|' ',')
check "the registry lists models" test -n "$models"
sed "s/^models: .*/models: [$models]/; s/^methods: .*/methods: [normal]/; s/epochs: 12/epochs: 4/" \
	"$SUITE" | grep -v "method: normal, sweep" >"$T/reg.yaml"
"$DB" run "$T/reg.yaml" --jobs 2 --results "$T/reg" >/dev/null 2>&1
check "every model: run exit 0" test $? -eq 0
"$DB" run "$T/reg.yaml" --jobs 2 --results "$T/reg-alone" --no-share >/dev/null 2>&1
for m in $(echo "$models" | tr ',' ' '); do
	n=0 bad=0
	for f in $(cd "$T/reg-alone" && ls synthetic/$m-normal-*.result); do
		n=$((n + 1))
		same "$T/reg/$f" "$T/reg-alone/$f" >/dev/null 2>&1 || bad=$((bad + 1))
	done
	check "$m: the 3 rules' files equal their own trainings' ($bad of $n differ)" \
		test "$n" -eq 3 -a "$bad" -eq 0
done

# an oracle that cannot run trains alone and fails alone
"$DB" run "$DB_SRCDIR/tests/fixtures/suites/share_ks.yaml" --results "$T/ks" >/dev/null 2>&1
check "ks without oracle_metric's K: one cell failed (exit 101)" test $? -eq 101
check "... the oracle, with its reason" grep -q 'oracle_metric' "$T"/ks/synthetic/*oracle*.failed
check "... best and last wrote their results, last from best's training" \
	sh -c "ls '$T'/ks/synthetic/*best*.result '$T'/ks/synthetic/*last*.result &&
	grep -q '^trained with .*best' '$T'/ks/synthetic/*last*.log &&
	! ls '$T'/ks/synthetic/*best*.failed '$T'/ks/synthetic/*last*.failed"

# a group that fails after its first file: that cell is done, the others failed
DB_FAULT_SHARED_AT=1 "$DB" run "$SUITE" --results "$T/fault" --only model=gmf --only method=t-ce \
	>/dev/null 2>&1
check "a group failing at its second file: two cells failed (exit 102)" test $? -eq 102
check "... the first wrote its result and no .failed" sh -c "ls '$T'/fault/synthetic/gmf-t-ce-selection=best-*.result &&
	! ls '$T'/fault/synthetic/gmf-t-ce-selection=best-*.failed"
check "... last and oracle have a .failed naming the fault and no result" \
	sh -c "grep -q DB_FAULT_SHARED_AT '$T'/fault/synthetic/gmf-t-ce-selection=last-*.failed &&
	grep -q DB_FAULT_SHARED_AT '$T'/fault/synthetic/gmf-t-ce-selection=oracle-*.failed &&
	! ls '$T'/fault/synthetic/gmf-t-ce-selection=last-*.result"
"$DB" run "$SUITE" --results "$T/fault" --only model=gmf --only method=t-ce >/dev/null 2>&1
f=$(cd "$T/alone" && ls synthetic/gmf-t-ce-selection=oracle-*.result)
check "... rerun: the oracle equals its own training's" same "$T/fault/$f" "$T/alone/$f"

# kill -9 of runner and workers at 8 moments, resuming each time: then every
# file equals its own training's and no temporary file is left
case $DB in /*) DBA=$DB ;; *) DBA=$PWD/$DB ;; esac
seed=${DB_KILL_SEED:-$(date +%s)}
echo "# kill moments from seed $seed (set DB_KILL_SEED to repeat)"
for moment in $(awk -v s="$seed" 'BEGIN { srand(s); for (i = 0; i < 8; i++) printf "%.2f\n", 0.05 + rand() * 1.2 }'); do
	TMPDIR="$T" setsid "$DBA" run "$SUITE" --jobs 2 --results "$T/killed" >/dev/null 2>&1 &
	pgid=$!
	sleep "$moment"
	kill -9 -- -"$pgid" 2>/dev/null
	wait "$pgid" 2>/dev/null
	echo "# killed at ${moment}s: $(find "$T/killed" -name '*.result' | wc -l) results"
done
TMPDIR="$T" "$DB" run "$SUITE" --jobs 2 --results "$T/killed" >/dev/null 2>&1
check "killed 8 times and resumed: exit 0" test $? -eq 0
bad=0
for f in $files; do same "$T/killed/$f" "$T/alone/$f" >/dev/null 2>&1 || bad=$((bad + 1)); done
check "killed and resumed: all 32 files equal their own trainings' ($bad differ)" test "$bad" -eq 0
check "killed and resumed: no temporary file left" test -z "$(find "$T/killed" -name '*.tmp.*')"
check "killed and resumed: no .failed beside a result" \
	sh -c "for f in \$(find '$T/killed' -name '*.failed'); do test ! -e \"\${f%.failed}\" || exit 1; done"

# resume: two of a group missing, one training for both
rm "$T"/shared/synthetic/gmf-dcf-selection=last-*.result "$T"/shared/synthetic/gmf-dcf-selection=oracle-*.result
"$DB" run "$SUITE" --jobs 2 --results "$T/shared" 2>"$T/resume.err" >/dev/null
check "resume: two cells run" test "$(grep -c ' done$' "$T/resume.err")" -eq 2
for r in last oracle; do
	f=$(cd "$T/alone" && ls synthetic/gmf-dcf-selection=$r-*.result)
	check "resume: $f equals its own training's" same "$T/shared/$f" "$T/alone/$f"
done
check "resume: the oracle came from last's training" \
	grep -q '^trained with .*gmf-dcf-selection=last-' "$T"/shared/synthetic/gmf-dcf-selection=oracle-*.log
done_testing
