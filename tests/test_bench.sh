# bench/bench.sh against the authors' code: bench/authors.awk reads a made-up
# authors' file and result file into ours/theirs and the issue's targets, and
# bench.sh prints the ratio after a matching row and the summary at the end.
. "$DB_SRCDIR/tests/tap.sh"
DB=${DENOISEBENCH:-./denoisebench}
AWK_SRC="$DB_SRCDIR/bench/authors.awk"
T=$(mktemp -d /tmp/db-test-bench-XXXXXX)
trap 'rm -rf "$T"' EXIT

tab=$(printf '\t')
cat >"$T/authors.tsv" <<EOF
# dataset model method part cpu wall notes
x${tab}gmf${tab}normal${tab}epoch${tab}1.0${tab}1.3${tab}made up
x${tab}gmf${tab}normal${tab}eval${tab}0.5${tab}0.6${tab}made up
y${tab}gmf${tab}normal${tab}epoch${tab}7.0${tab}7.0${tab}another dataset
EOF
printf 'timing\tseconds_per_epoch\t0.02\ntiming\teval_seconds\t0.05\n' >"$T/x.result"
ratio() { # dataset model method
	awk -F'\t' -v mode=ratio -v ds="$1" -v model="$2" -v method="$3" -v rows="$T/rows" \
		-f "$AWK_SRC" "$T/authors.tsv" "$T/x.result"
}

ratio x gmf normal >"$T/line"
check "ratio line: ours/theirs, speed-up and target per epoch and per evaluation" test \
	"$(cat "$T/line")" = "#   authors' code: epoch 0.0200 s / 1.0000 s = 0.020 (50.0x, target 25x: met); eval 0.0500 s / 0.5000 s = 0.100 (10.0x, target 20x: not met)"
check "the summary rows hold ours and theirs (CPU column)" test \
	"$(cat "$T/rows")" = "$(printf 'x\tgmf\tnormal\tepoch\t0.020000\t1.000000\nx\tgmf\tnormal\teval\t0.050000\t0.500000')"
check "a cell without a row in the authors' file prints and appends nothing" sh -c \
	"test -z \"\$(awk -F'\t' -v mode=ratio -v ds=x -v model=neumf -v method=normal \
	-v rows='$T/rows' -f '$AWK_SRC' '$T/authors.tsv' '$T/x.result')\" && test \$(wc -l <'$T/rows') -eq 2"

# the summary against the targets: NeuMF 4x, LightGCN 20x, GMF/DeCA 25x; a
# cell timed twice keeps its first row
printf 'x\tneumf\tnormal\tepoch\t0.2\t1.0\nx\tlightgcn\tnormal\tepoch\t0.1\t1.0\n' >>"$T/rows"
printf 'x\tgmf\tdeca\tepoch\t0.1\t2.0\nx\tgmf\tnormal\tepoch\t0.5\t1.0\n' >>"$T/rows"
awk -F'\t' -v mode=summary -f "$AWK_SRC" "$T/rows" >"$T/summary"
verdicts=$(awk 'NR > 1 {print $2, $3, $7, $8, $9 ($10 ? " " $10 : "")}' "$T/summary" | tr '\n' ';')
check "summary: speed-up, target and verdict per row ($verdicts)" test "$verdicts" = \
	"gmf epoch 50.0x 25x met;gmf eval 10.0x 20x not met;neumf epoch 5.0x 4x met;lightgcn epoch 10.0x 20x not met;gmf/deca epoch 20.0x 25x not met;"

# a variant's rows (neumf+once) keep their label and take their model's target
: >"$T/rows"
printf 'x\tneumf\tnormal\tepoch\t4.0\t4.0\tmade up\n' >"$T/variant.tsv"
awk -F'\t' -v mode=ratio -v ds=x -v model=neumf -v label=neumf+once -v method=normal \
	-v rows="$T/rows" -f "$AWK_SRC" "$T/variant.tsv" "$T/x.result" >/dev/null
check "a variant's ratio row is labelled with the variant" test \
	"$(cut -f2 "$T/rows")" = "neumf+once"
check "a variant's summary row takes its model's target (4x for NeuMF)" sh -c \
	"awk -F'\t' -v mode=summary -f '$AWK_SRC' '$T/rows' | grep -q '^x  *neumf+once  *epoch .* 4x met\$'"

# bench.sh end to end on a toy dataset: the authors part times the file's cell
"$DB" synth --out "$T/data/toy" --name toy >/dev/null 2>&1
printf '#toy\tneumf\tnormal\tepoch\t1\t1\ta commented-out row\n' >"$T/toy.tsv"
printf 'toy\tgmf\tnormal\tepoch\t1000\t1000\tmade up\n' >>"$T/toy.tsv"
bench() { # authors-file
	BENCH_AUTHORS=$1 BENCH_PARTS=authors LIMITS=/nonexistent DENOISEBENCH_DATA="$T/data" \
		sh "$DB_SRCDIR/bench/bench.sh" "$DB" 1
}
bench "$T/toy.tsv" >"$T/bench.out" 2>&1
check "bench.sh: the toy row is followed by its ratio line" sh -c \
	"grep -A1 '^toy  *gmf  *[0-9]' '$T/bench.out' | tail -n 1 | grep -q \"^#   authors' code: epoch .* target 25x: met)\$\""
check "bench.sh: a commented-out row is no cell" sh -c "! grep -q '#toy' '$T/bench.out'"
check "bench.sh: the summary ends the output" sh -c \
	"tail -n 1 '$T/bench.out' | grep -q '^toy  *gmf  *epoch .* met\$'"
bench "$T/none.tsv" >"$T/bench-none.out" 2>&1
check "bench.sh without the authors' file: no ratio, no summary" sh -c \
	"! grep -q authors '$T/bench-none.out' && grep -q '^dataset ' '$T/bench-none.out'"
# without BENCH_AUTHORS: the file measured on this CPU (its `# cpu:` line),
# else authors-times.tsv with a warning that the ratios mix machines
mkdir -p "$T/b"
cp "$DB_SRCDIR/bench/bench.sh" "$DB_SRCDIR/bench/authors.awk" "$T/b/"
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')
cp "$T/toy.tsv" "$T/b/authors-times.tsv"
{ printf '# cpu: %s\n' "$cpu"; cat "$T/toy.tsv"; } >"$T/b/authors-times-here.tsv"
pick() { BENCH_PARTS=authors LIMITS=/nonexistent DENOISEBENCH_DATA="$T/data" sh "$T/b/bench.sh" "$DB" 1; }
pick >"$T/pick.out" 2>&1
check "bench.sh: the authors' file whose cpu line is this CPU's, no warning" sh -c \
	"grep -qxF \"# authors' times: $T/b/authors-times-here.tsv\" '$T/pick.out' && ! grep -q '^# warning' '$T/pick.out'"
rm "$T/b/authors-times-here.tsv"
pick >"$T/pick2.out" 2>&1
check "bench.sh: none for this CPU: authors-times.tsv, and a warning that the ratios mix machines" sh -c \
	"grep -qxF \"# authors' times: $T/b/authors-times.tsv\" '$T/pick2.out' && grep -q \"^# warning: no authors' times measured on this CPU .*ratios mix machines\" '$T/pick2.out'"
done_testing
