# K lists of any length end to end: a 70-K run agrees with single-K runs and
# with recall@K recomputed here from its top-K dump; 70-K result sets go
# through export, report and compare; lists that wrap or repeat are refused.
. "$DB_SRCDIR/tests/tap.sh"
DB=${DENOISEBENCH:-./denoisebench}
T=$(mktemp -d /tmp/db-test-ks-XXXXXX)
trap 'rm -rf "$T"' EXIT

ks70=$(seq -s, 70)
"$DB" synth --out "$T/toy" --name toy >/dev/null 2>&1
train() { # OUT KS [extra options]
	out=$1 ks=$2
	shift 2
	"$DB" train --data "$T/toy" --model gmf --seed 1 --ks "$ks" --out "$out" "$@" >/dev/null 2>&1
}
# the test split's metric M at K of a result file, as written (%.17g)
value() { "$DB" export "$1" | awk -F'\t' -v m="$2" -v k="$3" '$5 == "test" && $6 == m && $7 == k { print $8 }'; }

train "$T/all.result" "$ks70" --dump-topk "$T/all.topk"
check "--ks 1..70: the run writes all 70 Ks" sh -c \
	"test \$(grep '^ks	test	' '$T/all.result' | tr '\t' '\n' | tail -n +3 | wc -l) -eq 70"
check "--ks 1..70: 70 x 4 test metric lines" sh -c \
	"test \$('$DB' export '$T/all.result' | awk -F'\t' '\$5 == \"test\"' | wc -l) -eq 280"

# each K beyond 16 alone gives the same bits as in the 70-K run
for k in 17 40 70; do
	train "$T/k$k.result" "$k"
	for m in recall ndcg precision mrr; do
		a=$(value "$T/all.result" $m $k) b=$(value "$T/k$k.result" $m $k)
		check "$m@$k of the 70-K run equals --ks $k alone ($a, $b)" test -n "$a" -a "$a" = "$b"
	done
done
# and a reversed list gives every value of the ascending one
train "$T/rev.result" "$(seq -s, 70 -1 1)"
"$DB" export "$T/all.result" | cut -f5-8 | sort >"$T/all.export"
"$DB" export "$T/rev.result" | cut -f5-8 | sort >"$T/rev.export"
check "--ks 70..1: the same metric values as 1..70" cmp "$T/all.export" "$T/rev.export"

# recall@K from the dump and the clean test file, summed in user order as
# the evaluation does: hits in the top K / |G|, averaged over the test users
recall_dump() { # K
	awk -F'\t' -v K="$1" 'FNR == NR { g[$1] = g[$1] + 1; in_g[$1 "," $2] = 1; next }
		$2 <= K && ($1 "," $3) in in_g { hit[$1]++ }
		END { n = 0; for (u in g) n++; s = 0
			for (u = 0; n_seen < n; u++) if (u in g) { s += hit[u] / g[u]; n_seen++ }
			printf "%.17g\n", s / n }' "$T/toy/toy.test.negative" "$T/all.topk"
}
for k in 20 55 70; do
	a=$(value "$T/all.result" recall $k) b=$(recall_dump $k)
	check "recall@$k equals the recall recomputed from the top-K dump ($a, $b)" \
		test -n "$a" -a "$a" = "$b"
done

# refused with the key and the value, before any training
for bad in 4294967299 "1,4294967299" "$ks70,3" "0,$ks70"; do
	"$DB" train --model mostpop --ks "$bad" --out "$T/bad.result" >/dev/null 2>"$T/err"
	rc=$? short=$(echo "$bad" | cut -c1-24)
	check "--ks $short: exit 2, no result" sh -c "test $rc -eq 2 && test ! -e '$T/bad.result'"
done
"$DB" train --model mostpop --set ks=1,4294967299 --out "$T/bad.result" >/dev/null 2>"$T/err"
check "--set ks=1,4294967299: the message names the key and the value" \
	grep -q "ks: 4294967299 is too large (at most 2147483647)" "$T/err"
"$DB" train --model mostpop --ks "$ks70,3" --out "$T/bad.result" >/dev/null 2>"$T/err"
check "--ks 1..70,3: the repeat named" grep -q "ks: 3 is listed twice" "$T/err"
"$DB" train --model gmf --ks 1,2,3,4,5,6,7,8,9 --set diag_test=true --out "$T/bad.result" \
	>/dev/null 2>"$T/err"
check "diag_test with 9 Ks: refused, not cut" sh -c "test $? -eq 2 && grep -q 'diag_test records at most 8 Ks' '$T/err'"

# result sets of 70 Ks through export --tidy, report and compare
mkdir -p "$T/a/toy" "$T/b/toy"
for s in 1 2; do
	"$DB" train --data "$T/toy" --model gmf --seed $s --ks "$ks70" \
		--out "$T/a/toy/gmf-s$s.result" >/dev/null 2>&1
done
cp "$T"/a/toy/*.result "$T/b/toy/"
users=$(grep -c "^user	test	[0-9]*	recall	" "$T/a/toy/gmf-s1.result")
check "export --tidy: every user at K = 70 ($users users, 2 seeds)" sh -c \
	"test \$('$DB' export --tidy '$T/a' | awk -F'\t' '\$7 == \"test\" && \$8 == \"recall\" && \$9 == 70 && \$10 != \"all\"' | wc -l) -eq $((2 * users))"
"$DB" report "$T/a" --out "$T/rep" --no-gnuplot >/dev/null 2>"$T/err"
check "report of 70-K results: exit 0" test $? -eq 0
check "report: the DeCA table has a column per metric and K (R@70, N@70)" sh -c \
	"grep -q 'R@70' '$T/rep/table-deca.tex' && grep -q 'N@70' '$T/rep/table-deca.tex'"
check "report: the column spec has all 140 columns" \
	grep -q "^\\\\begin{tabular}{l$(printf 'c%.0s' $(seq 140))}" "$T/rep/table-deca.tex"
if command -v pdflatex >/dev/null 2>&1; then
	check "report: the 140-column table compiles" sh -c \
		"cd '$T/rep' && pdflatex -interaction=nonstopmode -halt-on-error table-deca.tex"
else
	skip "report: the 140-column table compiles (no pdflatex)"
fi
"$DB" report "$T/a" --out "$T/rep2" --ks "$ks70" --no-gnuplot >/dev/null 2>&1
check "report --ks 1..70: exit 0" test $? -eq 0
"$DB" compare "$T/a" "$T/b" --metric recall@70 >"$T/out" 2>&1
check "compare at recall@70: identical sets exit 0" test $? -eq 0
check "compare at recall@70: one ok line over 2 seeds" grep -q "^ok 1 - toy/gmf/normal recall@70: .* over 2 seeds" "$T/out"
done_testing
