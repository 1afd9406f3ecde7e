# The published splits (never committed): loaded as the reference loads
# them, and the evaluation protocol's known upper bounds reproduced with the
# oracle (reference/protocol.md §1.5, §1.6).  Skips when the data is absent.
. "$DB_SRCDIR/tests/tap.sh"
DB=${DENOISEBENCH:-./denoisebench}
DATA=${DENOISEBENCH_DATA:-$DB_SRCDIR/../shared/datasets}
T=$(mktemp -d /tmp/db-test-real-XXXXXX)
trap 'rm -rf "$T"' EXIT

field() { awk -F'\t' -v a="$2" -v b="$3" '$1==a && $2==b {print $3}' "$1"; }
metric() { awk -F'\t' -v s="$2" -v m="$3" -v k="$4" '$1=="metric" && $2==s && $3==m && $4==k {printf "%.4f", $5}' "$1"; }

if [ ! -f "$DATA/ml-100k/ml-100k.train.rating" ]; then
	skip "ml-100k not found in $DATA (set DENOISEBENCH_DATA)"
else
	"$DB" train --data "$DATA/ml-100k" --model oracle --out "$T/ml.result" >/dev/null 2>&1
	r=$T/ml.result
	check "ml-100k: 944 users, 1611 items (max train id + 1)" \
		test "$(field "$r" data users)$(field "$r" data items)" = "9441611"
	check "ml-100k: 79619 train, 1707 valid, 3594 clean test lines" \
		test "$(field "$r" data train_lines)/$(field "$r" data valid_lines)/$(field "$r" data test_lines)" = "79619/1707/3594"
	check "ml-100k: 707 clean-test users" test "$(metric "$r" test users 0 | cut -d. -f1)" = "707"
	# a perfect ranker under the reference masking (§1.6)
	check "ml-100k oracle: Recall@3/5/10/20 = 0.4448/0.4853/0.5115/0.5165" test \
		"$(metric "$r" test recall 3)/$(metric "$r" test recall 5)/$(metric "$r" test recall 10)/$(metric "$r" test recall 20)" = "0.4448/0.4853/0.5115/0.5165"
	check "ml-100k oracle: NDCG@3/5/10/20 = 0.7122/0.6573/0.6136/0.5980" test \
		"$(metric "$r" test ndcg 3)/$(metric "$r" test ndcg 5)/$(metric "$r" test ndcg 10)/$(metric "$r" test ndcg 20)" = "0.7122/0.6573/0.6136/0.5980"
	"$DB" train --data "$DATA/ml-100k" --model oracle --set mask_valid=false --out "$T/ml2.result" >/dev/null 2>&1
	check "ml-100k oracle without valid masking: Recall@20 = 0.99 (§1.6)" \
		test "$(metric "$T/ml2.result" test recall 20 | cut -c1-4)" = "0.99"
	"$DB" train --data "$DATA/ml-100k" --model gmf --epochs 5 --out "$T/gmf.result" >/dev/null 2>&1
	"$DB" train --data "$DATA/ml-100k" --model random --out "$T/rnd.result" >/dev/null 2>&1
	check "ml-100k: a short GMF run beats random ranking" awk -v a="$(metric "$T/gmf.result" test recall 20)" \
		-v b="$(metric "$T/rnd.result" test recall 20)" 'BEGIN {exit !(a > b)}'
fi

if [ ! -f "$DATA/modcloth/modcloth.train.rating" ]; then
	skip "modcloth not found in $DATA (set DENOISEBENCH_DATA)"
else
	"$DB" train --data "$DATA/modcloth" --model mostpop --out "$T/mc.result" >/dev/null 2>&1
	r=$T/mc.result
	check "modcloth: 44784 users, 1020 items" \
		test "$(field "$r" data users)$(field "$r" data items)" = "447841020"
	check "modcloth: 79914 train, 9990 valid, 5433 clean test, 9989 noisy test lines" \
		test "$(field "$r" data train_lines)/$(field "$r" data valid_lines)/$(field "$r" data test_lines)/$(field "$r" data test_noisy_lines)" = "79914/9990/5433/9989"
	check "modcloth: 4303 clean-test users" test "$(metric "$r" test users 0 | cut -d. -f1)" = "4303"
fi

# the committed figures run's suite: 12 cells, ml-100k under adt, NeuMF
# without the 50 test rankings (its cost)
if [ -f "$DATA/ml-100k/ml-100k.train.rating" ] && [ -f "$DATA/modcloth/modcloth.train.rating" ]; then
	DENOISEBENCH_DATA=$DATA "$DB" check "$DB_SRCDIR/suites/figures.yaml" --resolved >"$T/fig.out" 2>&1
	check "suites/figures.yaml: 12 cells, ml-100k adt, modcloth deca, neumf without diag_test" awk '
		/^[0-9]+ / {n++; cell=$2} $1=="protocol" {p[cell]=$2} $1=="diag_test" {d[cell]=$2}
		END {for (c in p) if ((c ~ /^ml-100k/) != (p[c]=="adt") || (c ~ /neumf/) != (d[c]=="false")) exit 1
		     exit n != 12}' "$T/fig.out"
else
	skip "ml-100k or modcloth not found in $DATA"
fi

# suites/newer-methods.yaml: 2 datasets x (4 models x 5 methods - CDAE's PLD)
# x 3 seeds, and its normal cells are deca-www22's (the same file names)
if [ -f "$DATA/ml-100k/ml-100k.train.rating" ] && [ -f "$DATA/modcloth/modcloth.train.rating" ]; then
	DENOISEBENCH_DATA=$DATA "$DB" check "$DB_SRCDIR/suites/newer-methods.yaml" 2>/dev/null |
		awk '{print $2}' | sort >"$T/newer.cells"
	DENOISEBENCH_DATA=$DATA "$DB" check "$DB_SRCDIR/suites/deca-www22.yaml" 2>/dev/null |
		awk '{print $2}' | sort >"$T/deca.cells"
	check "newer-methods.yaml: 114 cells, none of PLD on CDAE" sh -c \
		"[ \$(wc -l <'$T/newer.cells') = 114 ] && ! grep -q 'cdae-pld' '$T/newer.cells'"
	check "newer-methods.yaml: its 24 normal cells are deca-www22.yaml's" sh -c \
		"[ \$(grep -- '-normal-' '$T/newer.cells' | comm -12 - '$T/deca.cells' | wc -l) = 24 ]"
else
	skip "ml-100k or modcloth not found in $DATA"
fi
done_testing
