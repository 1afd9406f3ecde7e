# kill -9 of the whole process group (runner and workers) at 22 random
# moments of a 12-cell suite, resuming each time: every result left behind
# reads, the final export equals an uninterrupted run's, and no temporary
# file survives the last resume.  One more case kills a worker between its
# complete temporary file and the rename (the DB_FAULT_BEFORE_RENAME test hook).
. "$DB_SRCDIR/tests/tap.sh"
DB=${DENOISEBENCH:-./denoisebench}
case $DB in /*) ;; *) DB=$PWD/$DB ;; esac
T=$(mktemp -d /tmp/db-test-kill-XXXXXX)
trap 'rm -rf "$T"' EXIT
export TMPDIR="$T" # killed runs' synthetic data directories go with $T
sed 's/epochs: 2/epochs: 150/; s/name: smoke/name: killed/' "$DB_SRCDIR/suites/smoke.yaml" >"$T/s.yaml"
"$DB" run "$T/s.yaml" --jobs 2 --results "$T/ref" 2>/dev/null
"$DB" export "$T/ref" >"$T/ref.tsv"
check "the uninterrupted run: 12 cells" test "$(find "$T/ref" -name '*.result' | wc -l)" -eq 12

# kill_at SECONDS DIR [ENV...]: starts a run in its own session, kills the
# whole group after SECONDS (or when the run ends first).
kill_at() {
	delay=$1 dir=$2
	shift 2
	env "$@" setsid "$DB" run "$T/s.yaml" --jobs 2 --results "$dir" 2>/dev/null &
	pgid=$!
	sleep "$delay"
	kill -9 -- -"$pgid" 2>/dev/null
	wait "$pgid" 2>/dev/null
}

seed=${DB_KILL_SEED:-$(date +%s)}
echo "# kill moments from seed $seed (set DB_KILL_SEED to repeat)"
awk -v s="$seed" 'BEGIN { srand(s); for (i = 0; i < 22; i++) printf "%.2f\n", 0.05 + rand() * 0.45 }' >"$T/moments"
trial=0 unreadable=0 left=0
while read -r moment; do
	trial=$((trial + 1))
	kill_at "$moment" "$T/k"
	n=$(find "$T/k" -name '*.result' | wc -l)
	t=$(find "$T/k" -name '*.tmp.*' | wc -l)
	left=$((left + t))
	"$DB" export "$T/k" >/dev/null 2>&1 || unreadable=$((unreadable + 1))
	echo "# trial $trial: killed at ${moment}s, $n results, $t temporary files left"
done <"$T/moments"
check "22 kills: every result left behind reads ($unreadable trials with an unreadable set)" test "$unreadable" -eq 0
echo "# $left temporary files left by the kills in all"
"$DB" run "$T/s.yaml" --jobs 2 --results "$T/k" 2>/dev/null
"$DB" export "$T/k" >"$T/k.tsv"
check "after 22 kills and resumes: the export equals the uninterrupted run's" cmp "$T/ref.tsv" "$T/k.tsv"
check "after the last resume: no temporary file survives" test -z "$(find "$T/k" -name '*.tmp.*')"

# a worker killed between its write and its rename
env DB_FAULT_BEFORE_RENAME=30 setsid "$DB" run "$T/s.yaml" --jobs 2 --results "$T/w" 2>/dev/null &
pgid=$!
i=0
while [ -z "$(find "$T/w" -name '*.tmp.*' 2>/dev/null)" ] && [ $i -lt 400 ]; do sleep 0.05; i=$((i + 1)); done
sleep 0.5 # the temporary file is complete and synced: the worker sleeps before renaming
kill -9 -- -"$pgid"
wait "$pgid" 2>/dev/null
tmp=$(find "$T/w" -name '*.tmp.*' | head -n 1)
check "killed before the rename: a complete temporary file is left" sh -c "[ -n '$tmp' ] && tail -n 1 '$tmp' | grep -q '^end	'"
check "killed before the rename: no result yet" test -z "$(find "$T/w" -name '*.result')"
check "killed before the rename: the tmp file is not read as a result" test "$("$DB" export "$T/w" | wc -l)" -eq 1
"$DB" run "$T/s.yaml" --jobs 2 --results "$T/w" 2>/dev/null
"$DB" export "$T/w" >"$T/w.tsv"
check "resumed: the export equals the uninterrupted run's" cmp "$T/ref.tsv" "$T/w.tsv"
check "resumed: the stale temporary file is gone" test -z "$(find "$T/w" -name '*.tmp.*')"
done_testing
