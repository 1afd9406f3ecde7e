# Result integrity: the reader refuses damaged, foreign and future files
# with file:line; report refuses to pool foreign cells; compare fails when it
# compares nothing; write errors fail the cell with the reason; two
# concurrent runs train each cell once.
. "$DB_SRCDIR/tests/tap.sh"
DB=${DENOISEBENCH:-./denoisebench}
T=$(mktemp -d /tmp/db-test-integrity-XXXXXX)
trap 'rm -rf "$T"' EXIT

# Re-seals FILE after an edit: the closing line recomputed over the body.
seal() {
	head -n -1 "$1" >"$1.body"
	printf 'end\t%s\t%s\n' "$(wc -l <"$1.body")" "$(sha256sum "$1.body" | cut -d' ' -f1)" >>"$1.body"
	mv "$1.body" "$1"
}
# refused DESC FILE PATTERN: export --tidy exits 2 and names PATTERN.
refused() {
	"$DB" export --tidy "$2" >"$T/out" 2>"$T/err"
	check "$1: exit 2" test $? -eq 2
	check "$1: says $3" grep -q -- "$3" "$T/err"
	check "$1: no output" test ! -s "$T/out"
}

cat >"$T/m.yaml" <<EOF
name: methods
datasets:
  - name: synthetic
models: [gmf]
methods: [normal, t-ce, deca]
seeds: [1, 2, 3]
settings:
  epochs: 2
  factors: 8
EOF
"$DB" run "$T/m.yaml" --jobs 2 --results "$T/r" 2>/dev/null
check "a 9-cell run" test "$(find "$T/r" -name '*.result' | wc -l)" -eq 9
good=$(find "$T/r" -name 'gmf-normal-s1-*.result')
check "--version names the build's commit" sh -c "'$DB' --version | grep -q '^tool: '"
check "the result records the tool" grep -q "^tool	$("$DB" --version | sed -n 's/^tool: //p')$" "$good"
check "the result ends with its closing line" sh -c "tail -n 1 '$good' | grep -q '^end	[0-9]*	[0-9a-f]\{64\}$'"
check "a result reads" "$DB" export --tidy "$good"

# the cell's identity holds the build's commit unless DENOISEBENCH_IDENTITY=release
"$DB" check "$T/m.yaml" >"$T/c.commit" 2>/dev/null
DENOISEBENCH_IDENTITY=commit "$DB" check "$T/m.yaml" >"$T/c.commit2" 2>/dev/null
DENOISEBENCH_IDENTITY=release "$DB" check "$T/m.yaml" >"$T/c.release" 2>/dev/null
check "identity: the default is commit" cmp "$T/c.commit" "$T/c.commit2"
check "identity: release names other files than commit" sh -c "! grep -qxFf '$T/c.release' '$T/c.commit'"
DENOISEBENCH_IDENTITY=bogus "$DB" run "$T/m.yaml" --results "$T/bogus" 2>"$T/err"
check "identity: an unknown DENOISEBENCH_IDENTITY is refused" sh -c "test $? -ne 0 && grep -q 'DENOISEBENCH_IDENTITY=bogus' '$T/err'"

# damaged files
f=$T/bad.result
head -n 40 "$good" >"$f"
refused "truncated at a line" "$f" "bad.result:40: no closing line"
: >"$f"
refused "emptied" "$f" "bad.result:1: empty file"
sed 's/^\(metric	test	ndcg	20	\)0\./\19./' "$good" >"$f"
refused "a number edited" "$f" "bad.result:$(wc -l <"$good"): SHA-256 of the lines above"
sed '$d' "$good" | sed '5d' >"$f"; tail -n 1 "$good" >>"$f"
refused "a line deleted" "$f" "bad.result:$(($(wc -l <"$good") - 1)): the closing line counts"
sed '1s/	2$/	3/' "$good" >"$f"
refused "a future format" "$f" "bad.result:1: result format 3 is newer"
sed '1s/	2$/	1/; $d' "$good" >"$f"
refused "format 1 (no closing line)" "$f" "bad.result:1: result format 1 has no closing"
printf 'hello\n' >"$f"
refused "not a result" "$f" "bad.result:1: not a denoisebench result"

head -n 40 "$good" >"$f"
"$DB" export "$good" "$f" >"$T/out" 2>/dev/null
check "export of a good and a bad file: exit 2, no partial table" sh -c "test $? -eq 2 && test ! -s '$T/out'"

# the three crashes of the old reader, sealed so that they reach the parser
wide_ks() { # N IN OUT: every ks line with the Ks 1..N, every user line N values
	awk -F'\t' -v OFS='\t' -v n="$1" '
		$1 == "ks" { s = ""; for (k = 1; k <= n; k++) s = s OFS k; print $1, $2 s; next }
		$1 == "user" { s = ""; for (k = 1; k <= n; k++) s = s OFS $5; print $1, $2, $3, $4 s; next }
		{ print }' "$2" >"$3"
	seal "$3"
}
wide_ks 70 "$good" "$f"
check "ks with 70 values: read whole (no overflow)" sh -c "'$DB' export --tidy '$f' | awk -F'\t' '\$9 == 70' | grep -q ."
# a ks line the ks setting would refuse: a repeated K would pool two
# series, K 0 divides by zero, and the count is bounded like the setting's
sed 's/^\(ks	test	1	2\)	3	/\1	2	/' "$f" >"$T/ks-repeat.result"; seal "$T/ks-repeat.result"
refused "a ks line with a K twice" "$T/ks-repeat.result" "ks-repeat.result:[0-9]*: K 2 twice in a 'ks' line"
sed 's/^\(ks	test\)	1	/\1	0	/' "$f" >"$T/ks-zero.result"; seal "$T/ks-zero.result"
refused "a ks line with K 0" "$T/ks-zero.result" "ks-zero.result:[0-9]*: K 0 in a 'ks' line, expected >= 1"
wide_ks 4097 "$good" "$T/ks-4097.result"
refused "a ks line with 4097 Ks" "$T/ks-4097.result" "ks-4097.result:[0-9]*: a 'ks' line with 4097 Ks, at most 4096"
sed 's/^user	test	\([0-9]*\).*/user/' "$good" >"$f"; seal "$f"
refused "a user line without a TAB" "$f" "bad.result:[0-9]*: a 'user' line with 1 fields"
if grep -q '^rating_prob' "$good"; then
	sed '0,/^rating_prob/s/^\(rating_prob	[^	]*	\)[0-9]*/\11e300/' "$good" >"$f"
else
	sed 's/^\(timing	train_seconds.*\)/rating_prob	1	1e300	0.5\n\1/' "$good" >"$f"
fi
seal "$f"
refused "a rating_prob count of 1e300" "$f" "bad.result:[0-9]*: field 3 of a 'rating_prob' line ('1e300') is not an integer"
# the same three as small hand-written fixtures
FX=$DB_SRCDIR/tests/fixtures/results
check "fixture ks70.result: 70 Ks read" sh -c "test \$('$DB' export --tidy '$FX/ks70.result' | awk -F'\t' '\$9 == 70' | wc -l) -eq 1"
refused "fixture user_notab.result" "$FX/user_notab.result" "user_notab.result:10: a 'user' line with 1 fields"
refused "fixture rating_huge.result" "$FX/rating_huge.result" "rating_huge.result:9: field 3 of a 'rating_prob' line"

# pooling: a foreign data checksum or tool in one group
mkdir "$T/pool"
cp "$T"/r/synthetic/gmf-normal-s[12]-*.result "$T/pool/"
p=$(ls "$T"/pool/gmf-normal-s2-*.result)
sed 's/^data_checksum	.*/data_checksum	00000000deadbeef/' "$p" >"$f"; seal "$f"; cp "$f" "$p"
refused "a foreign data checksum in one group" "$T/pool" "$(basename "$p"):[0-9]*: data_checksum 00000000deadbeef, but .*gmf-normal-s1-.*:[0-9]*"
cp "$T"/r/synthetic/gmf-normal-s2-*.result "$T/pool/"
sed 's/^tool	.*/tool	0.0.1-abcdef/' "$p" >"$f"; seal "$f"; cp "$f" "$p"
refused "another tool in one group" "$T/pool" "$(basename "$p"):[0-9]*: tool 0.0.1-abcdef, but"

# the walk reads *.result only: a killed writer's tmp file is not a result
rows=$("$DB" export "$T/r" | wc -l)
cp "$good" "$good.tmp.999999"
"$DB" export "$T/r" >"$T/rows" 2>&1
check "a leftover .tmp.PID file is not read ($rows rows)" sh -c "test $? -eq 0 && test $rows -gt 1 && test \$(wc -l <'$T/rows') -eq $rows"
"$DB" run "$T/m.yaml" --jobs 2 --results "$T/r" --force --only seed=1 --only method=normal 2>/dev/null
check "run removes a tmp file whose writer is gone" test ! -e "$good.tmp.999999"

# compare gates
mkdir "$T/b12" "$T/n3" "$T/n12" "$T/nonly"
cp "$T"/r/synthetic/gmf-*-s[12]-*.result "$T/b12/"
cp "$T"/r/synthetic/gmf-*-s3-*.result "$T/n3/"
cp "$T"/r/synthetic/gmf-*-s[12]-*.result "$T/n12/"
cp "$T"/r/synthetic/gmf-normal-s[12]-*.result "$T/nonly/"
"$DB" compare "$T/b12" "$T/n12" >"$T/out" 2>&1
check "compare a set with itself: exit 0" test $? -eq 0
"$DB" compare "$T/b12" "$T/n3" >"$T/out" 2>&1
check "compare, disjoint seeds: exit non-zero" test $? -ne 0
check "compare, disjoint seeds: not ok naming the seeds" grep -q "^not ok .*over 0 seeds.*only in BASE: 1 2; only in NEW: 3" "$T/out"
"$DB" compare "$T/b12" "$T/nonly" >"$T/out" 2>&1
check "compare, a missing group: exit 1" test $? -eq 1
check "compare, a missing group: not ok naming it" grep -q "^not ok .* - BASE group synthetic/gmf/t-ce has no partner in NEW" "$T/out"
cp "$T"/r/synthetic/gmf-normal-s3-*.result "$T/nonly/"
"$DB" compare "$T/b12" "$T/nonly" >"$T/out" 2>&1
check "compare, a seed in NEW only: not ok naming it" grep -q "^not ok 1 - synthetic/gmf/normal.*only in NEW: 3" "$T/out"
q=$(ls "$T"/n12/gmf-normal-s1-*.result)
sed 's/^\(metric	test	ndcg	20	\).*/\1nan/' "$q" >"$f"; seal "$f"; cp "$f" "$q"
"$DB" compare "$T/b12" "$T/n12" >"$T/out" 2>&1
check "compare, a NaN metric: exit non-zero" test $? -ne 0
for m in normal t-ce deca; do mkdir "$T/$m"; cp "$T"/r/synthetic/gmf-$m-*.result "$T/$m/"; done
"$DB" compare "$T/normal" "$T/t-ce" --ignore method >"$T/out" 2>&1
check "compare normal t-ce --ignore method: the message names the differing key" grep -q "differs in num_gradual (BASE" "$T/out"
for m in t-ce deca; do
	"$DB" compare "$T/normal" "$T/$m" --pair-by dataset,model >"$T/out" 2>&1
	check "compare normal $m --pair-by dataset,model: one pair over 3 seeds" grep -q "^\(not \)\?ok 1 - synthetic/gmf/$m ndcg@20: .* over 3 seeds" "$T/out"
	check "compare normal $m --pair-by dataset,model: nothing unpaired" test "$(grep -c '^1\.\.1$' "$T/out")" -eq 1
done
"$DB" compare "$T/b12" "$T/n12" --pair-by dataset >"$T/out" 2>&1
check "--pair-by too few keys: refused, naming both groups" grep -q "same pairing settings" "$T/out"

# write errors fail the cell with the reason recorded (SIGXFSZ is ignored)
(ulimit -f 64; "$DB" run "$T/m.yaml" --results "$T/full" --only seed=1 --only method=normal 2>/dev/null)
check "ulimit -f: the run reports a failed cell" test $? -ne 0
check "ulimit -f: no result file" test -z "$(find "$T/full" -name '*.result')"
check "ulimit -f: the reason is recorded" grep -q "write failed: File too large" "$(find "$T/full" -name '*.result.failed')"
check "ulimit -f: no temporary file" test -z "$(find "$T/full" -name '*.tmp.*')"

# two concurrent runs on one results directory train each cell once
sed 's/epochs: 2/epochs: 30/' "$T/m.yaml" >"$T/slow.yaml"
"$DB" run "$T/slow.yaml" --jobs 2 --results "$T/two" 2>"$T/log1" &
a=$!
"$DB" run "$T/slow.yaml" --jobs 2 --results "$T/two" 2>"$T/log2"
wait $a
check "two concurrent runs: 9 results" test "$(find "$T/two" -name '*.result' | wc -l)" -eq 9
check "two concurrent runs: each cell trained once" test "$(cat "$T/log1" "$T/log2" | grep -c ' done$')" -eq 9
check "two concurrent runs: the other run's cells are skipped" test "$(cat "$T/log1" "$T/log2" | grep -c 'skipped (result exists)$')" -eq 9
done_testing
