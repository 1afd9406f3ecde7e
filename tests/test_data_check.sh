# `denoisebench data check` against a manifest written here with wc and
# sha256sum, one mismatch of each kind; a suite run on data that differs
# from its manifest warns and changes the cells' identities.
. "$DB_SRCDIR/tests/tap.sh"
DB=${DENOISEBENCH:-./denoisebench}
T=$(mktemp -d /tmp/db-test-datacheck-XXXXXX)
trap 'rm -rf "$T"' EXIT
run() { "$@" >"$T/out" 2>"$T/err"; echo $? >"$T/rc"; }
rc_is() { [ "$(cat "$T/rc")" = "$1" ]; }
out_has() { grep -q -- "$1" "$T/out"; }

"$DB" synth --out "$T/syn" --name syn --seed 5 --users 60 --items 40 >/dev/null 2>&1
mkdir -p "$T/m"
{
	echo "# written by the test"
	echo "name syn"
	echo "licence generated"
	for f in syn.train.rating syn.valid.rating syn.test.negative syn.test.noisy; do
		echo "file $f $(awk 'END {print NR}' "$T/syn/$f") $(sha256sum <"$T/syn/$f" | cut -d' ' -f1)"
	done
	echo "file syn.extra - - optional"
} >"$T/m/syn.manifest"

run "$DB" data check "$T/syn" --manifest "$T/m/syn.manifest"
check "data check: a faithful copy matches (exit 0)" rc_is 0
check "data check: says it matches" out_has "matches syn"
DENOISEBENCH_MANIFESTS="$T/m" run "$DB" data check "$T/syn"
check "data check: NAME.manifest found in \$DENOISEBENCH_MANIFESTS" rc_is 0

cp -r "$T/syn" "$T/bad"
n=$(awk 'END {print NR}' "$T/bad/syn.train.rating")
printf '0\t1\t1\n' >>"$T/bad/syn.train.rating"
sed -i '1s/^\([0-9]*\)\t\([0-9]*\)/\1\t\2 /' "$T/bad/syn.valid.rating"
rm "$T/bad/syn.test.noisy"
run "$DB" data check "$T/bad" --name syn --manifest "$T/m/syn.manifest"
check "data check: a differing copy exits 1" rc_is 1
check "data check: a line added: the counts" out_has "syn.train.rating: $((n + 1)) lines, the manifest says $n"
check "data check: a byte changed: the SHA-256" out_has "syn.valid.rating: SHA-256 "
check "data check: same line count, so no count message for valid" sh -c "! grep -q 'syn.valid.rating: [0-9]* lines' '$T/out'"
check "data check: a file removed: missing" out_has "syn.test.noisy: missing"
check "data check: an optional file may be absent" sh -c "! grep -q syn.extra '$T/out'"
check "data check: nothing else reported (4 differences and the verdict)" test "$(wc -l <"$T/out")" -eq 5

printf 'name syn\nfile syn.train.rating many -\n' >"$T/m/broken.manifest"
run "$DB" data check "$T/syn" --manifest "$T/m/broken.manifest"
check "data check: a malformed manifest: exit 2" rc_is 2
check "data check: a malformed manifest: file:line" grep -q 'broken.manifest:2: expected' "$T/err"
run "$DB" data check "$T/syn" --manifest "$T/m/none.manifest"
check "data check: no manifest: exit 2" rc_is 2
run "$DB" data check
check "data check without DIR: usage error" rc_is 2

# a suite on the differing copy: warned about, and its cells get new identities
printf 'name: dc\ndatasets:\n  - name: syn\n    path: %s\nmodels: [gmf]\nmethods: [normal]\nseeds: [1]\nsettings: {epochs: 1}\n' "$T/syn" >"$T/good.yaml"
sed "s|$T/syn|$T/bad|" "$T/good.yaml" >"$T/bad.yaml"
cp "$T/syn/syn.test.noisy" "$T/syn/syn.valid.rating" "$T/bad/"
DENOISEBENCH_MANIFESTS="$T/m" run "$DB" check "$T/good.yaml"
check "check: data matching the manifest, no manifest warning" sh -c "! grep -v 'warning: cell [0-9]* (' '$T/err' | grep -q warning"
cp "$T/out" "$T/good.cells"
DENOISEBENCH_MANIFESTS="$T/m" run "$DB" run "$T/bad.yaml" --results "$T/r"
check "run on data that differs from its manifest: exit 0" rc_is 0
check "run: warns which file differs" grep -q "warning: syn does not match .*syn.train.rating: $((n + 1)) lines" "$T/err"
sum=$(sed -n 's/.*record its data checksum \([0-9a-f]*\)$/\1/p' "$T/err")
check "run: the warning's checksum is the one the result records" grep -q "^data_checksum	$sum$" "$T"/r/syn/*.result
DENOISEBENCH_MANIFESTS="$T/m" "$DB" check "$T/bad.yaml" >"$T/bad.cells" 2>/dev/null
check "changed data: another cell identity" sh -c "! cmp -s '$T/good.cells' '$T/bad.cells'"
done_testing
