# The recsys25 protocol end to end (README "The recsys25 protocol").
# valid_split=noisy validates on <name>.valid.noisy.
# selection=oracle: the tested parameters are those of
# the best test metric among the evaluation points and the end of training,
# so its metric is at least that of selection=last and selection=best of the
# same cell, and equals the best of the test values its result file logs
# (diag_test lines), computed here from the file alone.  The file says it is
# an upper bound.
. "$DB_SRCDIR/tests/tap.sh"
DB=${DENOISEBENCH:-./denoisebench}
T=$(mktemp -d /tmp/db-test-oracle-XXXXXX)
trap 'rm -rf "$T"' EXIT

# the test NDCG@20 of a result file
final() {
	awk -F'\t' '$1=="metric"&&$2=="test"&&$3=="ndcg"&&$4==20{print $5}' "$1"
}
# the largest logged test NDCG@20 and the number of points logging it
logged_max() {
	awk -F'\t' '$1=="diag_test"&&$3=="ndcg"&&$4==20{n++; if(n==1||$5>m)m=$5}
		END{printf "%.17g %d\n", m, n}' "$1"
}
# a >= b (a and b as the result file prints them)
ge() { awk -v a="$1" -v b="$2" 'BEGIN{exit !(a + 0 >= b + 0)}'; }
eq() { awk -v a="$1" -v b="$2" 'BEGIN{exit !(a + 0 == b + 0)}'; }

# recsys25: points at epoch ends; deca: every 7 iterations, batches after
# the last point (the end is a candidate); adt with T-CE
cells="gmf:--protocol recsys25 --epochs 8
mf:--epochs 4 --set eval_freq=7 --set batch_size=256 --set early_stop=false
neumf:--protocol adt --method t-ce --epochs 3 --set eval_freq=5 --set batch_size=256"
echo "$cells" | while IFS=: read -r model args; do
	for sel in last best oracle; do
		# shellcheck disable=SC2086
		"$DB" train --model "$model" $args --set selection=$sel \
			--out "$T/$model-$sel.result" >/dev/null 2>&1
	done
	o=$(final "$T/$model-oracle.result")
	l=$(final "$T/$model-last.result")
	b=$(final "$T/$model-best.result")
	set -- $(logged_max "$T/$model-oracle.result")
	check "$model: the oracle run completes ($o)" test -n "$o"
	check "$model: oracle N@20 $o >= last $l" ge "$o" "$l"
	check "$model: oracle N@20 $o >= best $b" ge "$o" "$b"
	check "$model: oracle N@20 $o = the best of its $2 logged test points ($1)" eq "$o" "$1"
	check "$model: several candidates were logged ($2)" test "${2:-0}" -ge 3
	check "$model: the result file says oracle, an upper bound" \
		grep -q '^warning	selection=oracle: .*upper bound' "$T/$model-oracle.result"
done >"$T/tap"
cat "$T/tap"
tap_n=$(grep -c '^ok\|^not ok' "$T/tap")
tap_failed=$(grep -c '^not ok' "$T/tap")

# reports: summary names the rule of each group when they differ, the
# oracle as an upper bound; a set of one rule keeps its columns
"$DB" summary "$T/gmf-best.result" "$T/gmf-oracle.result" >"$T/sum" 2>&1
check "summary: the oracle's row says 'oracle (upper bound)'" \
	grep -q 'normal .*oracle (upper bound)$' "$T/sum"
check "summary: the other row says best" grep -q 'normal .* best$' "$T/sum"
"$DB" summary "$T/gmf-best.result" "$T/mf-best.result" >"$T/sum1" 2>&1
check "summary of one rule: no selection column" sh -c "! grep -q selection '$T/sum1'"

# --where: one rule's cells; the oracle's tables say they are an upper bound
"$DB" summary --where selection=best "$T/gmf-best.result" "$T/gmf-oracle.result" \
	"$T/mf-oracle.result" >"$T/sumw" 2>&1
check "summary --where selection=best: the best cell only" \
	test "$(grep -c normal "$T/sumw")" = 1 -a "$(grep -c 'gmf .* normal' "$T/sumw")" = 1
mkdir "$T/o" "$T/rep-o" "$T/rep-b"
cp "$T/gmf-oracle.result" "$T/gmf-best.result" "$T/o/"
"$DB" report "$T/o" --where selection=oracle --out "$T/rep-o" --no-gnuplot >/dev/null 2>&1
"$DB" report "$T/o" --where selection=best --out "$T/rep-b" --no-gnuplot >/dev/null 2>&1
check "report --where selection=oracle: the caption says upper bound" \
	grep -q 'selection=oracle): an upper bound' "$T/rep-o/table-deca.tex"
check "report --where selection=best: no such caption" sh -c \
	"test -s '$T/rep-b/table-deca.tex' && ! grep -q 'upper bound' '$T/rep-b/table-deca.tex'"
"$DB" summary --where selection "$T/o" >"$T/w.out" 2>&1
check "--where without =: an error" grep -q "expected KEY=VALUE" "$T/w.out"

# every method completes under the new rules (ensemble and nmtr keep a
# checkpoint of their second model under every rule but last)
for me in normal t-ce r-ce clean wbpr ensemble deca deca-p finetune warmup nmtr nr; do
	for sel in revised oracle; do
		check "$me completes under selection=$sel" "$DB" train --model gmf --method $me \
			--epochs 2 --set eval_freq=3 --set deca_pretrain_cache=false \
			--set selection=$sel
	done
done

# the oracle's metric must be one the run measures
"$DB" train --model gmf --epochs 1 --set selection=oracle --set oracle_metric=ndcg@7 \
	--out "$T/bad.result" >"$T/bad.out" 2>&1
check "oracle_metric not among ks: an error naming the setting" \
	grep -q "oracle_metric 'ndcg@7'" "$T/bad.out"
check "... and no result file" test ! -e "$T/bad.result"
# a cadence longer than the run: said, and recorded
"$DB" train --model gmf --protocol recsys25 --epochs 2 --set eval_epochs=5 \
	--out "$T/rare.result" >/dev/null 2>&1
check "eval_epochs longer than the run: a warning line in the result" \
	grep -q '^warning	validation every 5 epochs (eval_epochs) but the run has 2' "$T/rare.result"

# valid_split: the other file, counted in the result's data line
"$DB" synth --out "$T/syn" --name syn >/dev/null 2>&1
head -7 "$T/syn/syn.valid.rating" >"$T/syn/syn.valid.noisy"
"$DB" train --data "$T/syn" --protocol recsys25 --epochs 1 --set valid_split=noisy \
	--out "$T/noisy.result" >/dev/null 2>&1
"$DB" train --data "$T/syn" --protocol recsys25 --epochs 1 --out "$T/rating.result" \
	>/dev/null 2>&1
v=$(awk -F'\t' '$1=="data"&&$2=="valid_lines"{print $3}' "$T/noisy.result")
w=$(awk -F'\t' '$1=="data"&&$2=="valid_lines"{print $3}' "$T/rating.result")
check "valid_split=noisy reads syn.valid.noisy (7 lines, got $v)" test "$v" = 7
check "valid_split=rating (default off ml-100k) reads syn.valid.rating ($w lines)" \
	test "${w:-7}" -gt 7
# selection=revised reads revised_drop: the same training (every other curve
# column equal) under drop 0 and 0.5 gives a different criterion at every
# point (dropping the largest-loss positives changes the mean)
for d in 0 0.5; do
	"$DB" train --model gmf --protocol recsys25 --epochs 4 --set selection=revised \
		--set revised_drop=$d --out "$T/rv-$d.result" >/dev/null 2>&1
	awk -F'\t' '$1=="curve"{print $4}' "$T/rv-$d.result" >"$T/rv-$d.crit"
	awk -F'\t' '$1=="curve"{$4=""; print}' "$T/rv-$d.result" >"$T/rv-$d.rest"
done
check "revised: the same training under revised_drop 0 and 0.5 (4 points)" \
	sh -c "cmp -s '$T/rv-0.rest' '$T/rv-0.5.rest' && [ \$(wc -l <'$T/rv-0.rest') = 4 ]"
check "revised: revised_drop moves the criterion at every point" \
	sh -c "paste '$T/rv-0.crit' '$T/rv-0.5.crit' | awk '\$1 == \$2 {bad++} END {exit bad || NR != 4}'"
done_testing
