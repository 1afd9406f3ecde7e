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
