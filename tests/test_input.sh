# Unsafe or unbounded input is refused fast, with a message and exit 2, and
# nothing is written outside the results and temporary directories: path
# traversal in names, a 24 M-cell suite, FIFOs, K lists, a long manifest
# comment, and what `check` knows `run` would refuse.
# (A suite with problems exits 1, like every refused suite; other bad input 2.)
. "$DB_SRCDIR/tests/tap.sh"
DB=${DENOISEBENCH:-./denoisebench}
T=$(mktemp -d /tmp/db-test-input-XXXXXX)
trap 'rm -rf "$T"' EXIT
F="$DB_SRCDIR/tests/fixtures/suites"

run() { "$@" >"$T/out" 2>"$T/err"; echo $? >"$T/rc"; }
rc_is() { [ "$(cat "$T/rc")" = "$1" ]; }
err_has() { grep -q -- "$1" "$T/err"; }
suite() { # suite NAME DATASET-NAME [MODELS] [METHODS] [EXTRA]
	printf 'name: %s\ndatasets: [{name: %s}]\nmodels: %s\nmethods: %s\nseeds: [1]\n%s\n' \
		"$1" "$2" "${3:-[mostpop]}" "${4:-[normal]}" "${5:-}" >"$T/s.yaml"
}

# path traversal: refused at check and run, nothing created above the results
mkdir -p "$T/a/b"
suite '..' syn
(cd "$T/a/b" && run "$DB" run "$T/s.yaml")
check "suite name '..': run exits 1" rc_is 1
check "suite name '..': FILE:LINE:COLUMN message" err_has "s.yaml:1:7: suite name '..' would name a directory"
check "suite name '..': no results directory anywhere" test -z "$(ls -A "$T/a/b")"
suite s '../../x'
(cd "$T/a/b" && run "$DB" run "$T/s.yaml" --results "$T/a/b/res")
check "dataset name '../../x': run exits 1" rc_is 1
check "dataset name '../../x': the message" err_has "s.yaml:2:19: dataset name '../../x' holds a path separator"
check "dataset name '../../x': nothing written" sh -c "[ ! -e '$T/x' ] && [ ! -e '$T/a/b/res' ]"
run "$DB" train --model mostpop --set dataset=../../x --out "$T/r"
check "train --set dataset=../../x: exit 2, no result" sh -c "[ $(cat "$T/rc") = 2 ] && [ ! -e '$T/r' ]"
check "train --set dataset=../../x: says why" err_has "path separator"
# synthetic data go to a private directory under $TMPDIR
TMPDIR="$T/no-such-tmp" run "$DB" train --model mostpop --out "$T/r"
check "synthetic data under \$TMPDIR: its absence is the error" err_has "temporary directory in $T/no-such-tmp"
mkdir -p "$T/tmp"
TMPDIR="$T/tmp" run "$DB" train --model mostpop --out "$T/r"
check "synthetic data under \$TMPDIR: runs, and leaves nothing there" sh -c "[ $(cat "$T/rc") = 0 ] && [ -z \"\$(ls -A '$T/tmp')\" ]"

# the 24 M-cell suite: refused from the sweep sizes, in well under a second
start=$(date +%s)
run "$DB" check "$F/huge.yaml"
end=$(date +%s)
check "24 M-cell suite: exit 1" rc_is 1
check "24 M-cell suite: names the count and the sweep" err_has "has 24300000 cells, more than max_cells 100000: syn x gmf x normal alone has 24300000, from the sweep of epochs"
check "24 M-cell suite: refused within 2 s (took $((end - start)) s)" test $((end - start)) -le 2

# what run would refuse, found by check; exclude: makes the grid valid
suite s syn '[gmf, ease]' '[normal, t-ce]'
run "$DB" check "$T/s.yaml"
check "ease x t-ce: check exits 1" rc_is 1
check "ease x t-ce: names the pair" err_has "model 'ease' has no gradients, so method 't-ce' cannot train it"
suite s syn '[gmf, ease]' '[normal, t-ce]' 'exclude: [{model: ease, method: t-ce}]'
run "$DB" check "$T/s.yaml"
check "exclude: {model: ease, method: t-ce}: valid, 3 cells" sh -c "[ $(cat "$T/rc") = 0 ] && [ $(wc -l <"$T/out") = 3 ] && ! grep -q ease-t-ce '$T/out'"
printf 'name: s\ndatasets: [{name: syn}]\nmodels: [gmf]\nmethods: [normal]\nseeds: [1, 1]\n' >"$T/s.yaml"
run "$DB" check "$T/s.yaml"
check "seeds: [1, 1]: refused" sh -c "[ $(cat "$T/rc") = 1 ] && grep -q 's.yaml:5:12: seed 1 is listed twice' '$T/err'"
suite s syn '[gmf]' '[normal]' 'sweep: {drop_rate: [0.1, 0.2]}'
run "$DB" check "$T/s.yaml"
check "drop_rate swept over normal: refused" err_has "method 'normal' ignores drop_rate (read by t-ce, finetune, warmup, dcf)"

# FIFOs: refused at once instead of blocking
mkfifo "$T/fifo.yaml"
run timeout 10 "$DB" check "$T/fifo.yaml"
check "FIFO as suite file: exit 1 without hanging" rc_is 1
check "FIFO as suite file: the message" err_has "fifo.yaml: not a regular file"
mkdir -p "$T/d"
mkfifo "$T/d/d.train.rating"
run timeout 10 "$DB" train --data "$T/d" --out "$T/r2"
check "FIFO as train file: exit 2 without hanging" rc_is 2
check "FIFO as train file: the message" err_has "d.train.rating: not a regular file"

# K lists: no wrap, no duplicate, no zero, not more than 4096 values (never cut)
for ks in 4294967299 3,3 0,3 "$(seq -s, 4097)"; do
	run "$DB" train --model mostpop --ks "$ks" --out "$T/r3"
	check "--ks $(echo "$ks" | cut -c1-20): exit 2, no result" sh -c "[ $(cat "$T/rc") = 2 ] && [ ! -e '$T/r3' ]"
done
check "--ks 4294967299: not read as 3" sh -c "'$DB' train --model mostpop --ks 4294967299 2>&1 | grep -q 'ks: 4294967299 is too large'"

# batch_size x (1 + neg_ratio) beyond the loop's int positions: refused
# before anything is allocated (was a signed overflow, then a heap overflow)
run "$DB" train --epochs 1 --set batch_size=4290710 --set neg_ratio=1000 --set eval_freq=0 \
	--out "$T/r4"
check "batch of 4.3e9 samples: exit 2, no result" sh -c "[ $(cat "$T/rc") = 2 ] && [ ! -e '$T/r4' ]"
check "batch of 4.3e9 samples: the sizes named" \
	err_has "batch_size 4290710 with neg_ratio 1000 makes batches of 4295000710 samples"

# both validation cadences at once would validate the same parameters twice
run "$DB" train --epochs 2 --set eval_freq=2 --set eval_epochs=1 --set selection=best \
	--out "$T/r5"
check "eval_freq and eval_epochs both set: exit 2, no result" \
	sh -c "[ $(cat "$T/rc") = 2 ] && [ ! -e '$T/r5' ]"
check "eval_freq and eval_epochs both set: both named" err_has "eval_freq 2 and eval_epochs 1"
# DeCA(p)'s nested pre-training validates every 500 iterations whatever the
# cell's cadence: a cell validating at epoch ends (eval_epochs, as the
# recsys25 protocol's NeuMF rows) runs, its g not given both cadences
run "$DB" train --method deca-p --epochs 1 --set eval_freq=0 --set eval_epochs=1 \
	--set deca_pretrain_cache=false --out "$T/r6"
check "deca-p with eval_epochs 1: exit 0" test "$(cat "$T/rc")" = 0
check "deca-p with eval_epochs 1: a result" test -s "$T/r6"

# a manifest comment longer than 4096 bytes stays one comment line
mkdir -p "$T/m"
printf '0\t0\t5\n' >"$T/m/m.train.rating"
sum=$(sha256sum "$T/m/m.train.rating" | cut -d' ' -f1)
{ printf '#'; head -c 4094 /dev/zero | tr '\0' x; printf 'file ghost 1 -\n'
  printf 'name m\nfile m.train.rating 1 %s\n' "$sum"; } >"$T/m.manifest"
run "$DB" data check "$T/m" --manifest "$T/m.manifest"
check "4 KiB manifest comment: its tail is not read as a file line" rc_is 0
done_testing
