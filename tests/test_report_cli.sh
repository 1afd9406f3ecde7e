# report, compare and export --tidy on tiny real runs: GMF against a random
# ranker on the built-in synthetic data, two seeds each.
. "$DB_SRCDIR/tests/tap.sh"
DB=${DENOISEBENCH:-./denoisebench}
T=$(mktemp -d /tmp/db-test-report-cli-XXXXXX)
trap 'rm -rf "$T"' EXIT

run() { "$@" >"$T/out" 2>"$T/err"; echo $? >"$T/rc"; }
rc_is() { [ "$(cat "$T/rc")" = "$1" ]; }

for c in report compare; do
	run "$DB" $c --help
	check "$c --help: usage on stdout, exit 0" sh -c "[ \$(cat '$T/rc') = 0 ] && grep -q '^usage: denoisebench $c' '$T/out'"
done

mkdir -p "$T/gmf/synthetic" "$T/rand/synthetic"
for s in 1 2; do
	"$DB" train --model gmf --seed $s --set eval_freq=20 --out "$T/gmf/synthetic/gmf-s$s.result" >/dev/null 2>&1
	"$DB" train --model random --seed $s --set eval_freq=20 --out "$T/rand/synthetic/random-s$s.result" >/dev/null 2>&1
done
check "four tiny runs" test -s "$T/gmf/synthetic/gmf-s2.result" -a -s "$T/rand/synthetic/random-s2.result"

run "$DB" compare "$T/gmf" "$T/gmf"
check "compare: identical sets exit 0" rc_is 0
check "compare: TAP with one ok test" sh -c "grep -q '^ok 1 - synthetic/gmf/normal ndcg@20' '$T/out' && grep -q '^1\.\.1$' '$T/out'"
check "compare: one BLAS on both sides, no note" sh -c "! grep -q 'BLAS differs' '$T/out'"
# the same runs, one under another OpenBLAS kernel (one the base did not use;
# x86-64 kernels, which a build for every CPU lets one force): the gate says
# the BLAS differs, naming the first pair
base_blas=$("$DB" --version | sed -n 's/^BLAS: //p')
case $base_blas in *", kernel Prescott") k=Nehalem ;; *) k=Prescott ;; esac
if [ "$(uname -m)" = x86_64 ] && expr "$base_blas" : 'OpenBLAS.*, kernel [A-Za-z0-9]*$' >/dev/null; then
	# seed 1 under kernel k, seed 2 as the base ran it: one pair of seeds differs
	mkdir -p "$T/gmfk/synthetic"
	env OPENBLAS_CORETYPE=$k "$DB" train --model gmf --seed 1 --set eval_freq=20 \
		--out "$T/gmfk/synthetic/gmf-s1.result" >/dev/null 2>&1
	cp "$T/gmf/synthetic/gmf-s2.result" "$T/gmfk/synthetic/"
	run "$DB" compare "$T/gmf" "$T/gmfk" --summary "$T/summary-k.md"
	check "compare: another kernel: a TAP comment names the pairs and the first pair's BLAS lines" \
		grep -qxF "# BLAS differs in 1 of 1 pairs (first: in synthetic/gmf/normal seed 1 BASE has \`$base_blas\`, NEW \`$(env OPENBLAS_CORETYPE=$k "$DB" --version | sed -n 's/^BLAS: //p')\`). Results move with the CPU kernel, so part of a difference may be the machine's." "$T/out"
	check "compare: another kernel: the summary says so too" grep -q 'BLAS differs in 1 of 1 pairs' "$T/summary-k.md"
else
	skip "not OpenBLAS built for every x86-64 CPU: no kernel to force"
	skip "not OpenBLAS built for every x86-64 CPU: no kernel to force"
fi

run "$DB" compare "$T/gmf" "$T/rand" --ignore model --summary "$T/summary.md"
check "compare: random is significantly worse than GMF: exit 1" rc_is 1
check "compare: a not ok line" grep -q '^not ok 1 - synthetic/random/normal' "$T/out"
check "compare: Markdown summary says worse" grep -q '\*\*worse\*\*' "$T/summary.md"

run "$DB" compare "$T/gmf" "$T/rand"
check "compare: nothing pairs (model differs): exit 2" rc_is 2
run "$DB" compare "$T/gmf" "$T/rand" --metric ndcg
check "compare: a metric without @K is refused" rc_is 2

run "$DB" export --tidy "$T/gmf"
check "export --tidy: header" sh -c "head -1 '$T/out' | grep -q '^dataset	model	method	seed	config_hash	group	split	metric	k	user	value$'"
check "export --tidy: per-seed means and per-user rows" sh -c \
  "grep -q '	all	' '$T/out' && awk -F'\t' 'NR > 1 && \$10 != \"all\"' '$T/out' | grep -q ."
check "export --tidy: one cell group" test "$(tail -n +2 "$T/out" | cut -f6 | sort -u)" = 1

run "$DB" report "$T/gmf" "$T/rand" --out "$T/rep" --no-gnuplot
check "report: exit 0" rc_is 0
check "report: both tables" test -s "$T/rep/table-deca.tex" -a -s "$T/rep/table-adt.tex"
check "report: the curve figure's script and data" test -s "$T/rep/figures/curve-synthetic-gmf.gp" -a -s "$T/rep/figures/curve-synthetic-gmf.dat"
check "report: the DeCA table has both models" sh -c "grep -q 'multicolumn{.*}{c}{gmf}' '$T/rep/table-deca.tex' && grep -q 'multicolumn{.*}{c}{random}' '$T/rep/table-deca.tex'"
if command -v pdflatex >/dev/null 2>&1; then
	check "report: table-deca.tex compiles" sh -c "cd '$T/rep' && pdflatex -interaction=nonstopmode -halt-on-error table-deca.tex"
	check "report: table-adt.tex compiles" sh -c "cd '$T/rep' && pdflatex -interaction=nonstopmode -halt-on-error table-adt.tex"
else
	skip "pdflatex is not installed"
fi
run "$DB" report "$T/gmf" --out "$T/rep2" --reference "$T/gmf/synthetic/gmf-s1.result"
check "report: a reference that is not the TSV: exit 2 naming the file" sh -c "[ \$(cat '$T/rc') = 2 ] && grep -q 'gmf-s1.result:1' '$T/err'"
cat >"$T/suite.yaml" <<'END'
name: toy
datasets:
  - name: synthetic
models: [gmf, random]
methods: [normal]
seeds: [1, 2]
reference:
  paper: toy-paper
  table: Table 1
  rows:
    - [synthetic, gmf, normal, recall, 20, 0.9, 0.01]
END
run "$DB" report "$T/gmf" --out "$T/rep4" --suite "$T/suite.yaml" --no-gnuplot
check "report --suite: the suite's reference rows in reproduction.md" sh -c \
  "[ \$(cat '$T/rc') = 0 ] && grep -q '^| toy-paper | Table 1 | synthetic | gmf | normal | recall@20 |.*| 0.9 ± 0.01 |.*| not reproduced' '$T/rep4/reproduction.md'"
check "report --suite: the figure index closes reproduction.md, as figures/index.md" sh -c \
  "tail -n +\$(grep -n '^## Figure index' '$T/rep4/reproduction.md' | cut -d: -f1) '$T/rep4/reproduction.md' >'$T/idx' && grep -q '^| ADT Fig. 3 | figures/panels-synthetic-gmf.png | noisy positives keep a higher loss' '$T/idx' && cmp '$T/idx' '$T/rep4/figures/index.md'"
# report reads the suite for names and published rows only: a data path
# under an unset DENOISEBENCH_DATA is no obstacle there, while check (which
# leads to reading the data) still names the variable
sed 's#^  - name: synthetic$#&\n    path: ${DENOISEBENCH_DATA}/synthetic#' "$T/suite.yaml" >"$T/suite-data.yaml"
run env -u DENOISEBENCH_DATA "$DB" report "$T/gmf" --out "$T/rep5" --suite "$T/suite-data.yaml" --no-gnuplot
check "report --suite without DENOISEBENCH_DATA: exit 0, the reference rows" sh -c \
  "[ \$(cat '$T/rc') = 0 ] && grep -q '^| toy-paper | Table 1 | synthetic | gmf | normal | recall@20 |' '$T/rep5/reproduction.md'"
run env -u DENOISEBENCH_DATA "$DB" check "$T/suite-data.yaml"
check "check without DENOISEBENCH_DATA: still refused, naming it" sh -c \
  "[ \$(cat '$T/rc') = 1 ] && grep -q 'suite-data.yaml:4:11: environment variable DENOISEBENCH_DATA is not set' '$T/err'"
# tuning trials (eval_test=false: no test lines; named as tune names them,
# the label trial=N in the file name) beside the suite's cells of the same
# seeds: the tables, summary and the rules section leave them out (they
# used to win the group choice and empty every table row)
mkdir -p "$T/tr"
for s in 1 2; do
	"$DB" train --model gmf --epochs 1 --seed $s --out "$T/tr/gmf-normal-s$s-0.result" >/dev/null 2>&1
	"$DB" train --model gmf --epochs 1 --seed $s --set eval_test=false --set lr=0.01 \
		--out "$T/tr/gmf-normal-trial=1,lr=0.01-s$s-0.result" >/dev/null 2>&1
done
run "$DB" report "$T/tr" --out "$T/rep6" --no-gnuplot
check "report beside tuning trials: the table keeps the suite's normal row" sh -c \
	"[ \$(cat '$T/rc') = 0 ] && grep -q '^normal & .*0\\.[0-9]' '$T/rep6/table-deca.tex' &&
	! grep -q 'trial=1,lr=0.01-s1-0.result' '$T/err'"
run "$DB" summary "$T/tr"
check "summary beside tuning trials: one row, with its metrics" sh -c \
	"[ \$(grep -c '^synthetic' '$T/out') = 1 ] && ! grep -q '—' '$T/out'"
run "$DB" report "$T/nowhere" --out "$T/rep3"
check "report: missing results: exit 2" rc_is 2
done_testing
