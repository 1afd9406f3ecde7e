# make check reproduces: the slice of DeCA Table 2 in suites/check-slice.yaml
# (ml-100k GMF and CDAE, Normal and DeCA, 3 seeds; about 3 minutes on 2
# cores) is run, reported against its published rows, and every published
# number becomes one TAP point: ok when reproduced (the paper's mean inside
# our 95 % t-interval), `not ok ... # TODO CAUSE` for a miss with a known
# cause (reports/causes.tsv), plain `not ok` otherwise.  Skips without data.
# The results stay in tests/reproduce-results/TOOL of the build directory,
# so a second `make check` of the same build reuses them.
. "$DB_SRCDIR/tests/tap.sh"
DB=${DENOISEBENCH:-./denoisebench}
DATA=${DENOISEBENCH_DATA:-$DB_SRCDIR/../shared/datasets}
if [ ! -f "$DATA/ml-100k/ml-100k.train.rating" ]; then
	skip "ml-100k not found in $DATA (set DENOISEBENCH_DATA)"
	done_testing
	exit
fi
DENOISEBENCH_DATA=$(cd "$DATA" && pwd)
export DENOISEBENCH_DATA
# one directory per build identity: results of another build are never
# pooled (report refuses that), and older builds' directories are dropped
TOOL=$("$DB" --version | sed -n 's/^tool: //p')
find tests/reproduce-results -mindepth 1 -maxdepth 1 ! -name "$TOOL" -exec rm -rf {} + 2>/dev/null
RES=tests/reproduce-results/$TOOL
T=$(mktemp -d /tmp/db-test-repro-XXXXXX)
trap 'rm -rf "$T"' EXIT
SUITE=$DB_SRCDIR/suites/check-slice.yaml
start=$(date +%s)
check "the slice runs" "$DB" run "$SUITE" --jobs 2 --results "$RES"
check "the slice's report" "$DB" report "$RES" --suite "$SUITE" \
	--causes "$DB_SRCDIR/reports/causes.tsv" --out "$T" --no-gnuplot
echo "# slice wall time: $(($(date +%s) - start)) s"
# rows: | paper | table | dataset | model | method | metric | ours | paper |
# difference | verdict | cause | switch flipped |
awk -F' [|] ' -v n="$tap_n" '
/^## / { in_numbers = $0 == "## Published numbers" }
in_numbers && /^\| deca-www22 \| Table 2 \|/ {
	n++
	what = $3 " " $4 " " $5 " " $6 ": ours " $7 ", paper " $8 " (" $10 ")"
	if ($10 == "reproduced") print "ok " n " - " what
	else if ($11 != "") print "not ok " n " - " what " # TODO " $11
	else print "not ok " n " - " what
}' "$T/reproduction.md" >"$T/points"
cat "$T/points"
rows=$(wc -l <"$T/points")
tap_n=$((tap_n + rows))
check "one point per published number of the slice (16)" test "$rows" -eq 16
done_testing
