# The diagnostics cadence (diag_freq, diag_test) and dump_preds: they add
# lines to a result file and change nothing else in it.
. "$DB_SRCDIR/tests/tap.sh"
DB=${DENOISEBENCH:-./denoisebench}
T=$(mktemp -d /tmp/db-test-diag-XXXXXX)
trap 'rm -rf "$T"' EXIT

# small batches and frequent validation: diagnostics points fall between
# and on evaluation points, and T-CE's counters run from the first batches
base="--method t-ce --epochs 3 --set num_gradual=20 --set batch_size=64 --set eval_freq=10"
kept='^(config_hash|data|train|warning|curve|curve_stat|rating_prob|metric|ks|user)\s'
for m in gmf cdae lightgcn neumf; do
	"$DB" train --model $m $base --set diag_freq=-1 --out "$T/$m-off.result" >/dev/null 2>&1
	"$DB" train --model $m $base --set diag_freq=7 --set diag_test=true --set dump_preds=20 \
		--out "$T/$m-on.result" >/dev/null 2>&1
	grep -E "$kept" "$T/$m-off.result" >"$T/$m-off.kept"
	grep -E "$kept" "$T/$m-on.result" >"$T/$m-on.kept"
	check "$m: no diag lines with diag_freq=-1" sh -c "! grep -q '^diag' '$T/$m-off.result'"
	check "$m: curve_stat and user lines present (the comparison is not vacuous)" sh -c \
		"grep -q '^curve_stat' '$T/$m-on.kept' && grep -q '^user' '$T/$m-on.kept'"
	check "$m: diagnostics, test ranking and predictions change no other line" \
		cmp "$T/$m-off.kept" "$T/$m-on.kept"
done

# each switch alone, and under adt (best-validation selection): the
# diagnostics cadence without the test ranking, then the ranking added
for p in deca adt; do
	for on in "" "--set diag_test=true"; do
		"$DB" train --model gmf $base --protocol $p --set diag_freq=-1 \
			--out "$T/$p-off.result" >/dev/null 2>&1
		"$DB" train --model gmf $base --protocol $p --set diag_freq=5 $on \
			--out "$T/$p-on.result" >/dev/null 2>&1
		grep -E "$kept" "$T/$p-off.result" >"$T/$p-off.kept"
		grep -E "$kept" "$T/$p-on.result" >"$T/$p-on.kept"
		check "gmf $p, diag_freq=5 ${on:-alone}: the metric and curve lines unchanged" sh -c \
			"grep -q '^diag	' '$T/$p-on.result' && grep -q '^curve	' '$T/$p-on.kept' && cmp '$T/$p-off.kept' '$T/$p-on.kept'"
	done
done

# points: ceil(iterations / diag_freq), the last one at the run's end
points() { # file freq -> "expected actual last-at-end"
	awk -F'\t' -v f="$2" '$1=="train"&&$2=="iterations"{n=$3} $1=="diag"{c++; last=$2}
		END{print int((n+f-1)/f), c+0, (last==n)}' "$1"
}
set -- $(points "$T/gmf-on.result" 7)
check "diag_freq=7: ceil(iterations/7) points ($1), got $2" test "$1" = "$2" -a "$1" -gt 10
check "diag_freq=7: the last point at the run's last batch" test "$3" = 1
"$DB" train --model gmf $base --out "$T/auto.result" >/dev/null 2>&1
set -- $(awk -F'\t' '$1=="train"&&$2=="iterations"{n=$3} $1=="diag"{c++}
	END{print n, c+0}' "$T/auto.result")
check "diag_freq=0 (default): 25 to 50 points over $1 iterations, got $2" \
	test "$2" -ge 25 -a "$2" -le 50

# T-CE's counters: with a point after every batch, the counters of the
# diagnostics points up to an evaluation point's batch add up to that
# evaluation point's (curve_stat counts since the previous one)
"$DB" train --model gmf $base --set diag_freq=1 --out "$T/every.result" >/dev/null 2>&1
check "diag_freq=1: diag_stat sums match every curve_stat" awk -F'\t' '
	$1=="diag_stat"{d[$3]+=$4; at[$2 SUBSEP $3]=d[$3]}
	$1=="curve_stat"{c[$3]+=$4; want[++n]=$2+1 SUBSEP $3; got[n]=c[$3]}
	END{if (n < 10) exit 1; for (i=1;i<=n;i++) if (!(want[i] in at) || at[want[i]]!=got[i]) exit 1}
	' "$T/every.result"

# the last diagnostics point ranks the parameters the final test ranks
# (selection=last): its test values are the metric lines'
check "diag_test: the last point's recall/ndcg are the test metrics" awk -F'\t' '
	$1=="train"&&$2=="iterations"{n=$3}
	$1=="diag_test"{v[$2 SUBSEP $3 SUBSEP $4]=$5}
	$1=="metric"&&$2=="test"&&($3=="recall"||$3=="ndcg"){m[$3 SUBSEP $4]=$5; k++}
	END{if (k != 8) exit 1; for (x in m) if (v[n SUBSEP x] != m[x]) exit 1}
	' "$T/gmf-on.result"
check "diag_test: recall@20 moves along training" sh -c "[ \$(awk -F'\t' '\$1==\"diag_test\"&&\$3==\"recall\"&&\$4==20{print \$5}' '$T/gmf-on.result' | sort -u | wc -l) -gt 5 ]"

# dump_preds: 20 clean + 20 noisy train lines, the same for every model and
# seed of the data; the noisy ones rated below noisy_below (4)
"$DB" train --model gmf $base --seed 2 --set dump_preds=20 --out "$T/gmf-s2.result" >/dev/null 2>&1
lines() { awk -F'\t' '$1=="pred"{print $2, $3, $4, $5}' "$1"; }
lines "$T/gmf-on.result" >"$T/p1"
lines "$T/neumf-on.result" >"$T/p2"
lines "$T/gmf-s2.result" >"$T/p3"
check "dump_preds=20: 20 clean and 20 noisy lines" sh -c \
	"[ \$(grep -c ' clean\$' '$T/p1') = 20 ] && [ \$(grep -c ' noisy\$' '$T/p1') = 20 ]"
check "dump_preds: noisy lines rated below 4, clean ones 4 or more" awk \
	'($4=="noisy") != ($3 < 4) {exit 1}' "$T/p1"
check "dump_preds: the same lines for another model and another seed" sh -c \
	"cmp '$T/p1' '$T/p2' && cmp '$T/p1' '$T/p3'"
awk -F'\t' '$1=="pred"{print $6}' "$T/gmf-on.result" >"$T/q1"
awk -F'\t' '$1=="pred"{print $6}' "$T/neumf-on.result" >"$T/q2"
check "dump_preds: the two models predict differently" sh -c "! cmp -s '$T/q1' '$T/q2'"
check "result files with diag, diag_test and pred lines read back" \
	"$DB" export "$T/gmf-on.result"

# every figure's data file holds the points its runs logged, per series:
# gmf normal and t-ce (seeds 1, 2) and neumf t-ce, all at diag_freq=7
mkdir -p "$T/fig/synthetic"
cp "$T/gmf-on.result" "$T/fig/synthetic/gmf-t-ce-s1.result"
cp "$T/neumf-on.result" "$T/fig/synthetic/neumf-t-ce-s1.result"
for c in "t-ce 2" "normal 1"; do
	set -- $c
	"$DB" train --model gmf $base --method $1 --seed $2 --set diag_freq=7 --set diag_test=true \
		--set dump_preds=20 --out "$T/fig/synthetic/gmf-$1-s$2.result" >/dev/null 2>&1
done
"$DB" synth --out "$T/data/synthetic" --name synthetic >/dev/null 2>&1 # the built-in data's train counts
"$DB" report "$T/fig" --out "$T/figrep" --data "$T/data" --no-gnuplot >/dev/null 2>&1
# rows per block of a .dat (blocks: two blank lines apart; # lines are headers)
rows() { awk 'BEGIN{n=0; b=0} /^#/{next} /^$/{if (n) {printf "%s%d", b++ ? " " : "", n}; n=0; next}
	{n++} END{if (n) printf "%s%d", b ? " " : "", n; print ""}' "$T/figrep/figures/$1.dat"; }
count() { grep -c "^$1	" "$2"; } # lines of a kind in a result file
N=$(count diag "$T/gmf-on.result")
C=$(count curve "$T/gmf-on.result")
R=$(count rating_prob "$T/gmf-on.result")
check "diag_freq=7: the runs log N=$N diagnostics and $C evaluation points" test "$N" -gt 10 -a "$C" -gt 1
check "panels-synthetic-gmf.dat: normal, t-ce, $N rows each" test "$(rows panels-synthetic-gmf)" = "$N $N"
check "along-synthetic-gmf.dat: normal, t-ce, $N rows each" test "$(rows along-synthetic-gmf)" = "$N $N"
check "drops-synthetic-gmf-t-ce.dat: $N rows" test "$(rows drops-synthetic-gmf-t-ce)" = "$N"
check "curve-synthetic-gmf.dat: normal, t-ce, $C rows each" test "$(rows curve-synthetic-gmf)" = "$C $C"
check "curve-synthetic-neumf.dat: t-ce, $C rows" test "$(rows curve-synthetic-neumf)" = "$C"
check "ratings-synthetic-gmf.dat: one row per rating ($R)" test "$(rows ratings-synthetic-gmf)" = "$R"
check "activity-synthetic-gmf.dat: four activity groups" test "$(rows activity-synthetic-gmf)" = 4
check "preds-synthetic.dat: one model pair (t-ce), one seed pair (gmf t-ce)" \
	test "$(rows preds-synthetic)" = "1 1"

# damaged new lines, resealed so that only the line itself is wrong
reseal() { # in out sed-expression
	head -n -1 "$1" | sed "$3" >"$T/body"
	{ cat "$T/body"; printf 'end\t%s\t%s\n' "$(wc -l <"$T/body")" \
		"$(sha256sum "$T/body" | cut -d' ' -f1)"; } >"$2"
}
mkdir -p "$T/bad1" "$T/bad2"
reseal "$T/gmf-on.result" "$T/bad1/x.result" '0,/\tclean\t/s//\tdirty\t/'
"$DB" report "$T/bad1" --out "$T/rep1" >"$T/out" 2>&1
rc=$?
line=$(grep -n '^pred	[0-9]*	[0-9]*	[0-9.]*	dirty' "$T/bad1/x.result" | cut -d: -f1)
check "a pred line that is neither clean nor noisy: exit 2, FILE:LINE named" sh -c \
	"[ $rc = 2 ] && grep -q 'x.result:$line: field 5 of a .pred. line' '$T/out'"
reseal "$T/gmf-on.result" "$T/bad2/x.result" '0,/^diag\t\([0-9]*\)\t\([0-9]*\)\t/s//diag\t\1\t/'
"$DB" export "$T/bad2/x.result" >"$T/out" 2>&1
rc=$?
check "a diag line without its epoch field: exit 2, the field count named" sh -c \
	"[ $rc = 2 ] && grep -q \"a 'diag' line with 5 fields\" '$T/out'"
done_testing
