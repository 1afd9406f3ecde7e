# denoisebench tune (issue 15): the trial list is deterministic (grid and
# random), every searched method gets the budget, the chosen trial is the
# argmax of the validation target recomputed here from the result files,
# the test split is never opened during the search, and a killed tune
# resumes to the same tuning.tsv.
. "$DB_SRCDIR/tests/tap.sh"
DB=${DENOISEBENCH:-./denoisebench}
T=$(mktemp -d /tmp/db-test-tune-XXXXXX)
trap 'rm -rf "$T"' EXIT

"$DB" synth --out "$T/data" --name syn --users 120 --items 80 >/dev/null
cat >"$T/tiny.yaml" <<EOF
name: tiny
datasets:
  - name: syn
    path: $T/data
models: [gmf]
methods:
  - name: normal
    search: {lr: {log: [1e-4, 1e-2]}, l2: [0, 1e-3]}
  - name: t-ce
    search: {drop_rate: [0.05, 0.1, 0.3]}
seeds: [1, 2]
search: {budget: 3, strategy: grid, target: "valid:ndcg@20"}
settings: {epochs: 2, factors: 8, eval_noisy: false, eval_freq: 3}
EOF
sed 's/strategy: grid/strategy: random/' "$T/tiny.yaml" >"$T/random.yaml"
sed 's/strategy: grid/strategy: random, seed: 2/' "$T/tiny.yaml" >"$T/random2.yaml"

# the trials: listed first, the same at any time (a clock-seeded draw
# differs a second later), a different search seed another draw
"$DB" check "$T/tiny.yaml" >"$T/cells" 2>/dev/null
check "check: 6 trials (budget 3 x 2 methods, 1 search seed) before the 4 suite cells" \
	test "$(head -6 "$T/cells" | grep -c 'trial=')" -eq 6 -a "$(wc -l <"$T/cells")" -eq 10
check "grid 2 x 3 points over budget 3: a subsample of 3 distinct points" \
	test "$(grep -o 'normal-trial=[0-9]*,[^-]*' "$T/cells" | cut -d, -f2- | sort -u | wc -l)" -eq 3
"$DB" check "$T/random.yaml" >"$T/r1" 2>/dev/null
sleep 1.1
"$DB" check "$T/random.yaml" >"$T/r2" 2>/dev/null
check "random strategy: the same trials a second later" cmp "$T/r1" "$T/r2"
"$DB" check "$T/random2.yaml" >"$T/r3" 2>/dev/null
check "random strategy: another search seed, other trials" test -n "$(cmp "$T/r1" "$T/r3" 2>&1)"
check "random strategy: lr drawn inside its range" \
	awk -F'lr=' '/normal-trial/ { split($2, a, ","); if (a[1] < 1e-4 || a[1] > 1e-2) exit 1 } END { exit NR == 0 }' "$T/r1"

# bad search blocks: each problem at its line and column, exit 1
cat >"$T/bad.yaml" <<EOF
name: bad
datasets: [{name: syn, path: $T/data}]
models: [gmf]
methods:
  - name: normal
    search: {lr: {lug: [1e-4, 1e-2]}, l2: {log: [0, 1]}}
  - name: t-ce
    search: {drop_rate: [0.1, 0.2]}
    sweep: {num_gradual: [10, 20]}
seeds: [1]
search: {budget: 2, strategy: grod, target: "valid:ndgc@20"}
EOF
"$DB" check "$T/bad.yaml" >/dev/null 2>"$T/err"
check "bad search: exit 1" test $? -eq 1
check "bad search: a range without a scale, at its line" grep -q 'bad.yaml:6:18: range of lr has no scale' "$T/err"
check "bad search: a log range from 0" grep -q 'bad.yaml:6:.*range of l2: expected LOW < HIGH, both > 0' "$T/err"
check "bad search: strategy and target named" \
	test "$(grep -c "bad.yaml:11:.*strategy must be grid or random\|bad.yaml:11:.*target 'valid:ndgc@20'" "$T/err")" -eq 2
sed -i 's/lug/log/; s/log: \[0, 1\]/log: [1e-5, 1]/; s/grod/grid/; s/ndgc/ndcg/' "$T/bad.yaml"
"$DB" check "$T/bad.yaml" >/dev/null 2>"$T/err"
check "bad search: a searched method that also sweeps" grep -q 'bad.yaml:9:.*num_gradual is swept in gmf x t-ce, which is searched' "$T/err"
# a range with two scales: refused at the second one (it used to parse the
# values twice and crash)
sed -i 's/lr: {log: \[1e-4, 1e-2\]}/lr: {log: [1e-4, 1e-2], lin: [0.1, 0.2]}/' "$T/bad.yaml"
"$DB" check "$T/bad.yaml" >/dev/null 2>"$T/err"
check "bad search: a range with two scales, exit 1" test $? -eq 1
check "bad search: a range with two scales, at the second" \
	grep -q 'bad.yaml:6:.*a range has one scale: log or lin, not both' "$T/err"

# searches that cannot tune, refused at check at their line: repeated
# whole numbers, a key that changes no result, a K outside the ks, a grid
# over 10^7 points, a search field twice
cat >"$T/bad2.yaml" <<EOF
name: bad2
datasets: [{name: syn, path: $T/data}]
models: [gmf]
methods:
  - name: normal
    search: {factors: {lin: [100, 102], points: 5}, eval_block: [64, 128]}
  - name: t-ce
    search: {lr: {log: [1e-4, 1e-2], points: 1000}, l2: {lin: [0, 1], points: 1000}, drop_rate: {lin: [0.1, 0.5], points: 1000}}
seeds: [1]
search: {budget: 2, target: "valid:ndcg@7", budget: 3}
EOF
"$DB" check "$T/bad2.yaml" >/dev/null 2>"$T/err"
check "bad2: exit 1" test $? -eq 1
check "bad2: lin [100, 102] has 3 whole numbers, not 5 points" \
	grep -q 'bad2.yaml:6:.*range of factors: 5 points, but 100..102 holds only 3 whole numbers' "$T/err"
check "bad2: eval_block changes no result, not searchable" grep -q 'bad2.yaml:6:.*eval_block does not change results' "$T/err"
check "bad2: budget given twice" grep -q "bad2.yaml:10:.*search field 'budget' given twice" "$T/err"
sed -i 's/, budget: 3}/}/; s/points: 5}, eval_block: \[64, 128\]/points: 3}/' "$T/bad2.yaml"
"$DB" check "$T/bad2.yaml" >/dev/null 2>"$T/err"
check "bad2: a grid of 10^9 points, at the key that takes it over 10^7" \
	grep -q 'bad2.yaml:8:[0-9]*: the search grid has over 10^7 points with drop_rate' "$T/err"
check "bad2: K 7 not among the ks, at the search: line" \
	grep -q 'bad2.yaml:10:.*target valid:ndcg@7: K 7 is not among the ks 3,5,10,20' "$T/err"
sed -i 's/"valid:ndcg@7"/valid_loss/; s/points: 1000}, drop/points: 2}, drop/; $a settings: {eval_freq: 0}' "$T/bad2.yaml"
"$DB" check "$T/bad2.yaml" >/dev/null 2>"$T/err"
check "bad2: valid_loss with eval_freq and eval_epochs 0 refused" \
	grep -q 'bad2.yaml:10:.*target valid_loss: syn x gmf x normal never evaluates on validation' "$T/err"
sed -i 's/eval_freq: 0}/eval_freq: 0, eval_epochs: 1}/' "$T/bad2.yaml"
check "bad2: valid_loss with eval_epochs 1 and the ranges fixed: valid" "$DB" check "$T/bad2.yaml"
echo 'search: {budget: 4}' >>"$T/bad2.yaml"
"$DB" check "$T/bad2.yaml" >/dev/null 2>"$T/err"
check "bad2: a second search: block refused" grep -q 'bad2.yaml:12:.*a second `search:` block (the first at line 10)' "$T/err"

# random, budget 5 over drop_rate's 3 listed values: each once
sed 's/strategy: grid/strategy: random/; s/budget: 3/budget: 5/' "$T/tiny.yaml" >"$T/random5.yaml"
"$DB" check "$T/random5.yaml" >"$T/r5" 2>/dev/null
check "random, budget 5 over 3 listed values: 3 distinct trials" \
	test "$(grep -c 't-ce-trial=' "$T/r5")" -eq 3 -a "$(grep -o 't-ce-trial=[0-9]*,[^-]*' "$T/r5" | cut -d, -f2- | sort -u | wc -l)" -eq 3

# a whole-number log range: 8 points over 1..4 round to 1, 1, 1, 2, 2, 3,
# 3, 4; the grid holds each value once, 4 trials under budget 6
cat >"$T/int.yaml" <<EOF
name: int
datasets: [{name: syn, path: $T/data}]
models: [gmf]
methods:
  - name: normal
    search: {factors: {log: [1, 4], points: 8}}
seeds: [1]
search: {budget: 6, strategy: grid}
EOF
"$DB" check "$T/int.yaml" >"$T/int" 2>/dev/null
check "grid, whole-number log range of 8 points over 1..4: 4 trials, each value once" \
	test "$(grep -c 'trial=' "$T/int")" -eq 4 -a "$(grep -o 'factors=[0-9]*' "$T/int" | sort -u | tr '\n' ' ')" = "factors=1 factors=2 factors=3 factors=4 "

# the search with the test files replaced by FIFOs: opening one fails
# (not a regular file) or blocks, so any trial that read the test split
# would fail or hang; the final phase is refused when it reaches them
mv "$T/data/syn.test.negative" "$T/neg"
mv "$T/data/syn.test.noisy" "$T/noisy"
mkfifo "$T/data/syn.test.negative" "$T/data/syn.test.noisy"
timeout 120 "$DB" tune "$T/tiny.yaml" --jobs 2 --results "$T/R" >/dev/null 2>"$T/err1"
rc=$?
check "tune without readable test files: the search completes, the test phase fails" \
	test $rc -ne 0 -a $rc -ne 124
check "all 6 trial results written with the test files unreadable" \
	test "$(find "$T/R" -name '*trial=*.result' | wc -l)" -eq 6
check "no trial failed" test -z "$(find "$T/R" -name '*.failed')"
check "tuning.tsv written by the search alone" test -s "$T/R/tuning.tsv"
check "the test phase names the unreadable test file" grep -q 'syn.test.negative' "$T/err1"
check "no trial result has a test metric line" \
	test -z "$(grep -l '^metric	test' $(find "$T/R" -name '*trial=*.result'))"
check "every trial records eval_test false" \
	test "$(grep -l '^config	eval_test	false$' $(find "$T/R" -name '*trial=*.result') | wc -l)" -eq 6
rm "$T/data/syn.test.negative" "$T/data/syn.test.noisy"
mv "$T/neg" "$T/data/syn.test.negative"
mv "$T/noisy" "$T/data/syn.test.noisy"
cp "$T/R/tuning.tsv" "$T/tuning.first"
"$DB" tune "$T/tiny.yaml" --jobs 2 --results "$T/R" >/dev/null 2>"$T/err2"
check "tune again with the test files back: exit 0" test $? -eq 0
check "the rerun skips the 6 trials" test "$(grep -c 'trial=.*skipped' "$T/err2")" -eq 6
check "the rerun writes the same tuning.tsv" cmp "$T/tuning.first" "$T/R/tuning.tsv"

# equal budget: 3 rows and one choice per method
rows() { grep -v '^#' "$T/R/tuning.tsv" | awk -F'\t' -v m="$1" 'NR > 1 && $1 == m' ; }
for m in normal t-ce; do
	check "$m: budget 3 trials in tuning.tsv" test "$(rows $m | wc -l)" -eq 3
	check "$m: exactly one chosen trial" test "$(rows $m | awk -F'\t' '$7 == 1' | wc -l)" -eq 1
done

# the argmax recomputed from the trial result files: trial number from the
# file name, valid ndcg@20 from its metric line, the first best on ties
for m in normal t-ce; do
	want=$(for f in "$T"/R/syn/gmf-$m-trial=*.result; do
		n=${f##*trial=}
		awk -F'\t' -v n="${n%%,*}" '$1 == "metric" && $2 == "valid" && $3 == "ndcg" && $4 == 20 { print n "\t" $5 }' "$f"
	done | sort -n | awk -F'\t' 'NR == 1 || $2 > best { best = $2; t = $1 } END { print t }')
	got=$(rows $m | awk -F'\t' '$7 == 1 { print $4 }')
	check "$m: the chosen trial ($got) is the argmax of valid ndcg@20 over the result files ($want)" \
		test -n "$want" -a "$want" = "$got"
	vals=$(rows $m | awk -F'\t' '$7 == 1 { print $5 }')
	check "$m: the tuned cell ran with the chosen values on test for both seeds" \
		test "$(grep -l '^metric	test	ndcg	20' "$T"/R/syn/gmf-$m-tuned,"$vals"-s*.result 2>/dev/null | wc -l)" -eq 2
done
check "tuning.tsv's target column is each trial file's valid ndcg@20" \
	awk -F'\t' -v d="$T/R/syn" '!/^#/ && NR > 1 && $1 != "method" {
		f = ""; cmd = "ls " d "/gmf-" $1 "-trial=" $4 ",*.result"; cmd | getline f; close(cmd)
		v = ""; while ((getline l < f) > 0) { split(l, a, "\t"); if (a[1] == "metric" && a[2] == "valid" && a[3] == "ndcg" && a[4] == 20) v = a[5] }
		close(f); if (v == "" || v + 0 != $6 + 0) exit 1; n++ } END { exit n != 6 }' "$T/R/tuning.tsv"

# target valid_loss under selection=best, with learning rates that overfit
# (the loss rises after its minimum): each trial's target is the validation
# loss at the point the selection kept, not the last one, and the choice
# its argmin over the trials, both recomputed here from the result files
sed 's/target: "valid:ndcg@20"/target: valid_loss/; s/lr: {log: \[1e-4, 1e-2\]}/lr: {log: [1e-3, 3e-1]}/
	s/eval_freq: 3}/eval_freq: 3, selection: best, epochs: 30}/; s/epochs: 2, //' "$T/tiny.yaml" >"$T/loss.yaml"
"$DB" tune "$T/loss.yaml" --jobs 2 --results "$T/L" >/dev/null 2>"$T/errl"
check "target valid_loss: tune exits 0" test $? -eq 0
kept() { # trial number and the kept validation loss of each trial file of method $1
	for f in "$T"/L/syn/gmf-$1-trial=*.result; do
		n=${f##*trial=}
		awk -F'\t' -v n="${n%%,*}" '$1 == "train" && $2 == "selected_iteration" { sel = $3 }
			$1 == "curve" { last = $4; if ($2 == sel) at = $4 }
			END { if (at != "" && at != last) print n "\t" at }' "$f"
	done | sort -n
}
for m in normal t-ce; do
	want=$(kept $m | awk -F'\t' 'NR == 1 || $2 < best { best = $2; t = $1 } END { if (NR == 3) print t }')
	got=$(grep -v '^#' "$T/L/tuning.tsv" | awk -F'\t' -v m=$m '$1 == m && $7 == 1 { print $4 }')
	check "target valid_loss, $m: the chosen trial ($got) is the argmin of the kept validation loss ($want)" \
		test -n "$want" -a "$want" = "$got"
done
kept normal >"$T/kept"
check "target valid_loss: normal's 3 targets are the kept losses (each before the last point)" \
	awk -F'\t' 'NR == FNR { v[$1] = $2; next } $1 == "normal" { if (!($4 in v) || v[$4] + 0 != $6 + 0) exit 1; n++ } END { exit n != 3 }' \
	"$T/kept" "$T/L/tuning.tsv"

# a tie and the mean over the search seeds, recomputed here: normal's two
# trials differ only in eval_noisy, which the validation never sees (the
# first is chosen); t-ce's targets are the means of the 2 seeds' files.
# The suite's own cells set eval_test false too, and still run on test's turn.
cat >"$T/tie.yaml" <<EOF
name: tie
datasets: [{name: syn, path: $T/data}]
models: [gmf]
methods:
  - name: normal
    search: {eval_noisy: [false, true]}
  - name: t-ce
    search: {lr: [1e-3, 1e-2, 3e-2]}
seeds: [1, 2]
search: {budget: 3, seeds: 2}
settings: {epochs: 2, factors: 8, eval_noisy: false, eval_freq: 3, eval_test: false}
EOF
"$DB" tune "$T/tie.yaml" --jobs 2 --results "$T/TIE" >/dev/null 2>"$T/errt"
check "tie: tune exits 0" test $? -eq 0
tie=$(grep -v '^#' "$T/TIE/tuning.tsv" | awk -F'\t' '$1 == "normal" { print $4 ":" $6 ":" $7 }' | tr '\n' ' ')
v=$(echo "$tie" | cut -d: -f2)
check "tie: both trials with one target, the first chosen ($tie)" \
	test -n "$v" -a "$tie" = "1:$v:1 2:$v:0 "
check "tie: 6 t-ce trial files, 2 seeds each" \
	test "$(ls "$T"/TIE/syn/gmf-t-ce-trial=*.result | wc -l)" -eq 6
for f in "$T"/TIE/syn/gmf-t-ce-trial=*.result; do
	n=${f##*trial=}
	awk -F'\t' -v n="${n%%,*}" '$1 == "metric" && $2 == "valid" && $3 == "ndcg" && $4 == 20 { print n "\t" $5 }' "$f"
done | awk -F'\t' '{ s[$1] += $2; c[$1]++ } END { for (i in s) printf "%s\t%.17g\t%d\n", i, s[i] / c[i], c[i] }' >"$T/means"
check "tie: t-ce's targets are the means over the 2 seeds' trial files" \
	awk -F'\t' 'NR == FNR { if ($3 != 2) exit 1; v[$1] = $2; next }
		!/^#/ && $1 == "t-ce" { if (!($4 in v) || v[$4] + 0 != $6 + 0) exit 1; n++ } END { exit n != 3 }' "$T/means" "$T/TIE/tuning.tsv"
check "tie: the suite's own cells (eval_test false) ran, 2 per method" \
	test "$(ls "$T"/TIE/syn/gmf-normal-s[12]-*.result "$T"/TIE/syn/gmf-t-ce-s[12]-*.result | wc -l)" -eq 4
# a trial is known by its label (trial=N in the file name), not by
# eval_test=false: the suite's own cells, which set it too, are ordinary
# cells (rows without test numbers), never pooled with the trial of the
# same settings and seeds (normal's trial 1)
"$DB" summary "$T/TIE" --metric ndcg@20 >"$T/tie.sum" 2>"$T/errs"
check "tie: summary of the suite's own eval_test=false cells: exit 0" test $? -eq 0
check "tie: summary has a row per method's own cells (and t-ce's tuned one), no trial" \
	test "$(grep -c '^syn  *gmf  *\(normal\|t-ce\)  *-  *—' "$T/tie.sum")" -eq 2 -a "$(wc -l <"$T/tie.sum")" -eq 4
"$DB" summary "$T/TIE" >/dev/null 2>"$T/errs"
rc=$?
check "tie: summary's default columns refused, none of the cells has test numbers" \
	sh -c '[ "$1" -ne 0 ] && grep -q "no result with test metrics" "$2"' - $rc "$T/errs"
"$DB" report "$T/TIE" --out "$T/rept" --no-gnuplot >/dev/null 2>"$T/errr"
check "tie: report keeps the own cells apart from the trials of the same settings" \
	test $? -eq 0 -a -z "$(grep 'in one cell group' "$T/errr")"

cp -r "$T/R" "$T/EMPTY" && : >"$T/EMPTY/tuning.tsv"
"$DB" report "$T/EMPTY" --out "$T/repe" --no-gnuplot >/dev/null 2>"$T/erre"
check "report: an empty tuning.tsv is refused as empty" grep -q 'tuning.tsv: empty' "$T/erre"

# every trial of a group excluded: no trial runs, no target, no choice
cat >"$T/none.yaml" <<EOF
name: none
datasets: [{name: syn, path: $T/data}]
models: [gmf]
methods:
  - name: normal
    search: {l2: [1e-4, 1e-3]}
seeds: [1]
search: {budget: 2}
settings: {epochs: 2, factors: 8, eval_noisy: false, eval_freq: 3}
exclude: [{method: normal, values: {l2: [1e-4, 1e-3]}}]
EOF
"$DB" tune "$T/none.yaml" --results "$T/NONE" >/dev/null 2>"$T/errn"
check "no trial runs: tune exits 0 and writes tuning.tsv" test $? -eq 0 -a -s "$T/NONE/tuning.tsv"
check "no trial runs: 2 rows, none chosen" \
	test "$(grep -v '^#' "$T/NONE/tuning.tsv" | awk -F'\t' '$1 == "normal" && $7 == 0' | wc -l)" -eq 2 \
	-a "$(grep -v '^#' "$T/NONE/tuning.tsv" | awk -F'\t' '$7 == 1' | wc -l)" -eq 0
check "no trial runs: a warning names the group" grep -q 'warning: no trial of syn x gmf x normal has a finite target' "$T/errn"
check "no trial runs: no tuned cell" test -z "$(find "$T/NONE" -name '*tuned*')"

# the report's tuning section: the trials with the choice marked, and the
# tuned and the default cells' test recall@20 (the figures' metric) as the
# means of their own result files
"$DB" report "$T/R" --out "$T/rep" --no-gnuplot >/dev/null 2>&1
check "report: tuning.md with a section per searched method" \
	test "$(grep -c '^### gmf × ' "$T/rep/tuning.md" 2>/dev/null)" -eq 2
mean() { awk -F'\t' '$1 == "metric" && $2 == "test" && $3 == "recall" && $4 == 20 { s += $5; n++ } END { if (n) printf "%.4f (%d seeds)", s / n, n }' "$@"; }
for m in normal t-ce; do
	got=$(rows $m | awk -F'\t' '$7 == 1 { print $4 }')
	sec=$(awk -v m="### gmf × $m on syn" '$0 == m { on = 1; next } /^### / { on = 0 } on' "$T/rep/tuning.md")
	check "report: $m's chosen row is tuning.tsv's trial $got" \
		test "$(echo "$sec" | grep '\*\*chosen\*\*' | cut -d'|' -f2 | tr -d ' ')" = "$got"
	vals=$(rows $m | awk -F'\t' '$7 == 1 { print $5 }')
	tuned=$(mean "$T"/R/syn/gmf-$m-tuned,"$vals"-s*.result)
	def=$(mean "$T"/R/syn/gmf-$m-s[0-9]-*.result)
	check "report: $m tuned recall@20 $tuned and default $def beside it" \
		sh -c 'echo "$1" | grep -q "tuned ${2% (*} ± [0-9.]* ${2#* }, default ${3% (*} ± [0-9.]* ${3#* }"' - "$sec" "$tuned" "$def"
done

# summary: a method's tuned cells and its own (default) cells are two
# rows of one dataset, model and method, told apart by the tuning column
"$DB" summary "$T/R" >"$T/sum"
for m in normal t-ce; do
	check "summary: $m's tuned row marked tuned, its default row not" \
		test "$(grep -c "^syn  *gmf  *$m  *tuned  " "$T/sum")" -eq 1 -a "$(grep -c "^syn  *gmf  *$m  *-  " "$T/sum")" -eq 1
done
check "summary: a tuning column" grep -q '^dataset  *model  *method  *tuning  *recall@20' "$T/sum"

# killed mid-search, then resumed: the same tuning.tsv as an uninterrupted run
sed 's/epochs: 2/epochs: 60/' "$T/tiny.yaml" >"$T/slow.yaml"
"$DB" tune "$T/slow.yaml" --jobs 2 --results "$T/ref" >/dev/null 2>&1
"$DB" tune "$T/slow.yaml" --jobs 2 --results "$T/kill" >/dev/null 2>&1 &
pid=$!
i=0
while [ -z "$(find "$T/kill" -name '*trial=*.result' 2>/dev/null)" ] && [ $i -lt 400 ]; do sleep 0.05; i=$((i + 1)); done
{ kill -9 $pid && wait $pid; } 2>/dev/null
sleep 0.5 # the workers of the killed run notice their parent is gone
check "killed during the search: no tuning.tsv yet" test ! -e "$T/kill/tuning.tsv"
"$DB" tune "$T/slow.yaml" --jobs 2 --results "$T/kill" >/dev/null 2>&1
check "resumed tune: exit 0" test $? -eq 0
check "resumed tune: the same tuning.tsv as the uninterrupted one" \
	cmp "$T/ref/tuning.tsv" "$T/kill/tuning.tsv"

done_testing
