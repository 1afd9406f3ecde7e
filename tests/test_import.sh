# denoisebench import: a built-in run's own top-K lists and scores, imported
# back, give the same metrics and per-user values (ties included); every
# input that would bias a number is refused with file:line, exit 2 and no
# result file; imported cells take part in export, report and compare.
. "$DB_SRCDIR/tests/tap.sh"
DB=${DENOISEBENCH:-./denoisebench}
T=$(mktemp -d /tmp/db-test-import-XXXXXX)
trap 'rm -rf "$T"' EXIT

run() { "$@" >"$T/out" 2>"$T/err"; echo $? >"$T/rc"; }
rc_is() { [ "$(cat "$T/rc")" = "$1" ]; }
err_has() { grep -q -- "$1" "$T/err"; }
# the test split's metric, ks and user lines of a result file
test_lines() { grep -E '^(metric|ks|user)	test	' "$1"; }
same_test() { test_lines "$1" >"$T/l1"; test_lines "$2" >"$T/l2"; [ -s "$T/l1" ] && cmp -s "$T/l1" "$T/l2"; }

"$DB" synth --out "$T/syn" --name syn --seed 3 >/dev/null
KS="--ks 5,20"
"$DB" train --data "$T/syn" --model gmf --epochs 4 $KS --out "$T/gmf.result" \
	--dump-topk "$T/gmf.topk" --dump-scores "$T/gmf.scores" >/dev/null 2>&1
# MostPop under the deca protocol: float32 sigmoid(count) saturates to 1,
# so thousands of scores tie and the lowest-id rule decides the lists
"$DB" train --data "$T/syn" --model mostpop $KS --out "$T/pop.result" \
	--dump-topk "$T/pop.topk" --dump-scores "$T/pop.scores" >/dev/null 2>&1
"$DB" train --data "$T/syn" --model mostpop --protocol adt $KS --out "$T/popadt.result" \
	--dump-scores "$T/popadt.scores" >/dev/null 2>&1
IMP="import --data $T/syn $KS"

# --- round trips ---
run "$DB" $IMP --method gmf-ext --topk "$T/gmf.topk" --settings "lr=0.001 epochs=4" \
	--out "$T/gmf-topk.result"
check "import --topk: exit 0" rc_is 0
check "gmf --dump-topk imported back: identical test metrics and per-user values" \
	same_test "$T/gmf.result" "$T/gmf-topk.result"
run "$DB" $IMP --method gmf-ext --scores "$T/gmf.scores" --out "$T/gmf-scores.result"
check "gmf --dump-scores imported back: identical metrics and per-user values" \
	same_test "$T/gmf.result" "$T/gmf-scores.result"
ties=$(awk -F'\t' '$3 == 1' "$T/pop.scores" | wc -l)
check "mostpop (deca) scores tie: $ties scores are exactly 1" test "$ties" -gt 1000
run "$DB" $IMP --method pop-ext --scores "$T/pop.scores" --out "$T/pop-scores.result"
check "mostpop (deca) scores imported: identical, ties included" \
	same_test "$T/pop.result" "$T/pop-scores.result"
run "$DB" $IMP --method pop-ext --topk "$T/pop.topk" --out "$T/pop-topk.result"
check "mostpop (deca) top-K imported: identical" same_test "$T/pop.result" "$T/pop-topk.result"
run "$DB" $IMP --protocol adt --method pop-ext --scores "$T/popadt.scores" --out "$T/popadt-s.result"
check "mostpop (adt, integer counts) scores imported: identical" \
	same_test "$T/popadt.result" "$T/popadt-s.result"
# the export rows (split metric k value) of the test split agree too
"$DB" export "$T/gmf.result" | awk -F'\t' '$5=="test"' | cut -f5-8 >"$T/e1"
"$DB" export "$T/gmf-topk.result" | awk -F'\t' '$5=="test"' | cut -f5-8 >"$T/e2"
check "export: the imported test rows equal the built-in ones" cmp -s "$T/e1" "$T/e2"
check "export: an imported file has no test_noisy or valid rows" sh -c \
	"! '$DB' export '$T/gmf-topk.result' | cut -f5 | grep -q -e test_noisy -e valid"
check "result file: the method is the outside name, external names the input" sh -c \
	"grep -q '^config	method	gmf-ext$' '$T/gmf-topk.result' &&
	 grep -q '^config	external	topk$' '$T/gmf-topk.result' &&
	 grep -q '^config	external_settings	lr=0.001 epochs=4$' '$T/gmf-topk.result'"
check "built-in result files carry no external setting" sh -c "! grep -q '^config	external' '$T/gmf.result'"
h1=$(grep '^config_hash' "$T/gmf-topk.result")
"$DB" $IMP --method gmf-ext --topk "$T/gmf.topk" --settings "lr=0.01 epochs=4" \
	--out "$T/gmf-topk2.result" >/dev/null 2>&1
check "the producer's settings are part of the cell identity" \
	test "$h1" != "$(grep '^config_hash' "$T/gmf-topk2.result")"
if command -v python3 >/dev/null 2>&1; then
	python3 - "$T/syn/syn.train.rating" "$T/gmf.scores" "$T/gmf.f32" <<'EOF'
import struct, sys
users = 1 + max(int(l.split('\t')[0]) for l in open(sys.argv[1]))
items = 1 + max(int(l.split('\t')[1]) for l in open(sys.argv[1]))
m = [0.0] * (users * items)
for l in open(sys.argv[2]):
    u, i, s = l.split('\t')
    m[int(u) * items + int(i)] = float(s)
open(sys.argv[3], 'wb').write(struct.pack('<%df' % len(m), *m))
EOF
	run "$DB" $IMP --method gmf-ext --scores-f32 "$T/gmf.f32" --out "$T/gmf-f32.result"
	check "the scores as a float32 matrix: identical" same_test "$T/gmf.result" "$T/gmf-f32.result"
	head -c 100 "$T/gmf.f32" >"$T/short.f32"
	run "$DB" $IMP --method x --scores-f32 "$T/short.f32" --out "$T/r"
	check "float32 matrix of the wrong size: refused" sh -c "[ \$(cat '$T/rc') = 2 ] && grep -q 'short.f32: ends in the row of user' '$T/err' && [ ! -e '$T/r' ]"
	cp "$T/gmf.f32" "$T/nan.f32"
	printf '\000\000\300\177' | dd of="$T/nan.f32" bs=1 seek=40 conv=notrunc 2>/dev/null
	run "$DB" $IMP --method x --scores-f32 "$T/nan.f32" --out "$T/r"
	check "float32 matrix with a NaN: refused at its byte" sh -c "[ \$(cat '$T/rc') = 2 ] && grep -q 'nan.f32: byte 40 (user 0, item 10)' '$T/err' && [ ! -e '$T/r' ]"
	# an independent ranker: examples/rank.py's popularity lists are the
	# built-in MostPop's where that ranks raw counts (adt)
	python3 "$DB_SRCDIR/examples/rank.py" "$T/syn" >"$T/py.topk"
	run "$DB" $IMP --protocol adt --model mostpop --method pop-py --topk "$T/py.topk" \
		--out "$T/py.result"
	check "examples/rank.py popularity imported: identical to built-in MostPop (adt)" \
		same_test "$T/popadt.result" "$T/py.result"
	# the other splits, one import each: their own users and masks
	for sp in test_noisy valid; do
		python3 "$DB_SRCDIR/examples/rank.py" "$T/syn" --split $sp >"$T/py-$sp.topk"
		run "$DB" $IMP --protocol adt --model mostpop --method pop-py --split $sp \
			--topk "$T/py-$sp.topk" --out "$T/py-$sp.result"
		grep -E "^(metric|ks|user)	$sp	" "$T/popadt.result" >"$T/s1"
		grep -E '^(metric|ks|user)	' "$T/py-$sp.result" >"$T/s2"
		check "--split $sp: only that split, identical to built-in MostPop's (adt)" \
			sh -c "[ -s '$T/s1' ] && cmp -s '$T/s1' '$T/s2'"
	done
	run "$DB" compare "$T/popadt.result" "$T/py-valid.result" --split valid \
		--ignore method,external,external_settings,external_input
	check "compare --split valid pairs a valid-only import" sh -c "[ \$(cat '$T/rc') = 0 ] && grep -q '^ok 1' '$T/out'"
	run "$DB" compare "$T/popadt.result" "$T/py-valid.result" \
		--ignore method,external,external_settings,external_input
	check "compare --split test with a valid-only import: refused, exit 2" sh -c \
		"[ \$(cat '$T/rc') = 2 ] && grep -q 'no test ndcg@20' '$T/err'"
else
	skip "float32 matrix round trip (no python3)"
	skip "examples/rank.py (no python3)"
	for x in 1 2 3 4; do skip "examples/rank.py splits (no python3)"; done
	skip "float32 matrix size"
	skip "float32 matrix NaN"
fi

# --- refusals: exit 2, FILE:LINE and what is wrong, no result file ---
# refuse NAME FILE 'expected message' (FILE from a crafted copy)
refuse() {
	fmt=$1; file=$2; msg=$3; what=$4
	rm -f "$T/r"
	run "$DB" $IMP --method x "--$fmt" "$file" --out "$T/r"
	check "refused: $what (exit 2, $msg, no file)" refused "$msg"
}
refused() { rc_is 2 && err_has "$1" && [ ! -e "$T/r" ]; }
u0=$(head -1 "$T/gmf.topk" | cut -f1)
awk -F'\t' -v u="$u0" '$1 != u' "$T/gmf.topk" >"$T/miss.topk"
n=$(wc -l <"$T/miss.topk")
refuse topk "$T/miss.topk" "miss.topk:$n: no list for user $u0" "a test user missing"
awk -F'\t' -v u="$u0" '!($1 == u && $2 == 20)' "$T/gmf.topk" >"$T/short.topk"
refuse topk "$T/short.topk" "list of user $u0 has no rank 20: shorter than the largest K" \
	"a list shorter than the largest K"
awk -F'\t' -v u="$u0" '$1 == u && $2 <= 19' "$T/gmf.topk" >"$T/one.topk"
# a train item of u0 replacing its rank-3 item (line 3)
ti=$(awk -F'\t' -v u="$u0" '$1 == u {print $2; exit}' "$T/syn/syn.train.rating")
awk -F'\t' -v OFS='\t' -v u="$u0" -v i="$ti" '$1 == u && $2 == 3 {$3 = i} 1' "$T/gmf.topk" >"$T/mask.topk"
refuse topk "$T/mask.topk" "mask.topk:3: item $ti is masked for user $u0" "a masked item in a list"
awk -F'\t' -v OFS='\t' 'NR == 5 {$3 = 99999} 1' "$T/gmf.topk" >"$T/unk.topk"
refuse topk "$T/unk.topk" "unk.topk:5: unknown item 99999" "an unknown item"
i1=$(head -1 "$T/gmf.topk" | cut -f3)
awk -F'\t' -v OFS='\t' -v i="$i1" 'NR == 4 {$3 = i} 1' "$T/gmf.topk" >"$T/dup.topk"
refuse topk "$T/dup.topk" "dup.topk:4: user $u0 lists item $i1 twice" "a repeated item"
{ head -2 "$T/gmf.topk"; head -1 "$T/gmf.topk"; tail -n +3 "$T/gmf.topk"; } >"$T/rank.topk"
refuse topk "$T/rank.topk" "rank.topk:3: user $u0 has rank 1 twice" "a repeated rank"
awk -F'\t' -v OFS='\t' 'NR == 6 {$1 = 100000} 1' "$T/gmf.topk" >"$T/unku.topk"
refuse topk "$T/unku.topk" "unku.topk:6: unknown user 100000" "an unknown user"
awk 'NR == 7 {print "1 2 3"; next} 1' "$T/gmf.topk" >"$T/space.topk"
refuse topk "$T/space.topk" "space.topk:7: expected 'user<TAB>rank<TAB>item'" "a malformed line (spaces)"
awk -F'\t' -v OFS='\t' 'NR == 8 {$2 = "2x"} 1' "$T/gmf.topk" >"$T/junk.topk"
refuse topk "$T/junk.topk" "junk.topk:8: expected" "a malformed number"
awk -F'\t' -v OFS='\t' 'NR == 9 {$3 = "nan"} 1' "$T/gmf.scores" >"$T/nan.scores"
refuse scores "$T/nan.scores" "nan.scores:9: score 'nan' is not finite" "a NaN score"
awk -F'\t' -v OFS='\t' 'NR == 10 {$3 = "1e39"} 1' "$T/gmf.scores" >"$T/inf.scores"
refuse scores "$T/inf.scores" "inf.scores:10: score '1e39' is not finite in float32" \
	"a score beyond float32"
sed '11d' "$T/gmf.scores" >"$T/gap.scores"
refuse scores "$T/gap.scores" "no score for user $u0 of the split, item 10" "a missing score"
{ head -12 "$T/gmf.scores"; sed -n 12p "$T/gmf.scores"; tail -n +13 "$T/gmf.scores"; } >"$T/two.scores"
refuse scores "$T/two.scores" "two.scores:13: a second score for user $u0" "a repeated score"
awk -F'\t' -v OFS='\t' 'NR == 14 {$3 = ""} 1' "$T/gmf.scores" >"$T/empty.scores"
refuse scores "$T/empty.scores" "empty.scores:14: score '' is not a number" "an empty score"
run "$DB" $IMP --method "my method" --topk "$T/gmf.topk" --out "$T/r"
check "refused: a method name with a space" refused "expected 1 to 31 of"
run "$DB" $IMP --method normal --topk "$T/gmf.topk" --out "$T/r"
check "refused: a built-in method's name" sh -c "[ \$(cat '$T/rc') = 2 ] && grep -q 'is built in' '$T/err' && [ ! -e '$T/r' ]"
run "$DB" train --data "$T/syn" --model mostpop --set external=topk --out "$T/r"
check "refused: external set on a built-in run" sh -c "[ \$(cat '$T/rc') = 2 ] && [ ! -e '$T/r' ]"

# --- the real data: MostPop's float32 sigmoid(count) ties at 1 for half the scores ---
DATA=${DENOISEBENCH_DATA:-$DB_SRCDIR/../shared/datasets}
if [ -s "$DATA/ml-100k/ml-100k.train.rating" ]; then
	"$DB" train --data "$DATA/ml-100k" --model mostpop --out "$T/ml.result" \
		--dump-topk "$T/ml.topk" --dump-scores "$T/ml.scores" >/dev/null 2>&1
	for f in topk scores; do
		run "$DB" import --data "$DATA/ml-100k" --model mostpop --method pop-ext --$f "$T/ml.$f" \
			--out "$T/ml-$f.result"
		check "ml-100k MostPop --dump-$f imported back: identical" same_test "$T/ml.result" "$T/ml-$f.result"
	done
	rm -f "$T/ml.scores"
else
	skip "ml-100k not found in $DATA (set DENOISEBENCH_DATA)"
	skip "ml-100k not found"
fi

# --- imported cells in report, compare and export --tidy ---
mkdir -p "$T/base" "$T/new"
for s in 1 2 3; do
	"$DB" train --data "$T/syn" --model mostpop $KS --seed $s --out "$T/base/pop-$s.result" \
		--dump-topk "$T/p$s.topk" >/dev/null 2>&1
	"$DB" $IMP --model mostpop --seed $s --method pop-ext --topk "$T/p$s.topk" \
		--out "$T/new/pop-ext-$s.result" >/dev/null 2>&1
done
run "$DB" compare "$T/base" "$T/new" --metric ndcg@20 --ignore method,external,external_settings,external_input
check "compare: the imported cells pair with the built-in ones and are not worse" rc_is 0
check "compare: one pair" test "$(grep -c '^ok' "$T/out")" -eq 1
run "$DB" export --tidy "$T/new"
check "export --tidy: the imported cells' per-user rows" sh -c "grep -q 'pop-ext' '$T/out'"
cp "$T/base/"*.result "$T/new/"
run "$DB" report "$T/new" --out "$T/rep"
check "report: tables with an imported method" sh -c "[ \$(cat '$T/rc') = 0 ] && grep -rq 'pop-ext' '$T/rep'"
done_testing
