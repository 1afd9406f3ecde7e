# The command line: errors name what is wrong and exit non-zero without
# writing output; result files are deterministic apart from timings;
# export and --dump-topk produce the documented formats.
. "$DB_SRCDIR/tests/tap.sh"
DB=${DENOISEBENCH:-./denoisebench}
T=$(mktemp -d /tmp/db-test-cli-XXXXXX)
trap 'rm -rf "$T"' EXIT

# exit status and message of a command: "code<TAB>stderr"
run() { "$@" >"$T/out" 2>"$T/err"; echo $? >"$T/rc"; }
rc_is() { [ "$(cat "$T/rc")" = "$1" ]; }
err_has() { grep -q -- "$1" "$T/err"; }

run "$DB" --version
check "--version names the BLAS" grep -q '^BLAS: ' "$T/out"
cp "$T/out" "$T/out.version"
for c in train export synth demo keys check run cell plan data import; do
	run "$DB" $c --help
	check "$c --help: usage on stdout, exit 0" sh -c "rc_ok=\$(cat '$T/rc'); [ \$rc_ok = 0 ] && grep -q '^usage: denoisebench $c' '$T/out'"
done
run "$DB" frobnicate
check "unknown command: exit 2" rc_is 2
run "$DB" train --bogus
check "unknown option: exit 2" rc_is 2
run "$DB" train --set epochz=3
check "unknown setting: exit 2" rc_is 2
check "unknown setting: did-you-mean hint" err_has "did you mean 'epochs'"
run "$DB" train --set batch_size=0
check "impossible value: refused with its range" err_has "out of range"
run "$DB" train --data "$T/nowhere/ml-100k" --out "$T/r1"
check "missing data: exit 2" rc_is 2
check "missing data: the message names the file" err_has "nowhere/ml-100k/ml-100k.train.rating"
check "missing data: no result file" test ! -e "$T/r1"

# a malformed train line: file and line named, nothing written
mkdir -p "$T/bad"
printf '0\t1\t5\n1\t2\t4\nx\t3\t1\n' >"$T/bad/bad.train.rating"
printf '0\t2\t5\n' >"$T/bad/bad.valid.rating"
printf '1\t1\t5\n' >"$T/bad/bad.test.negative"
run "$DB" train --data "$T/bad" --out "$T/r2"
check "malformed line: exit 2" rc_is 2
check "malformed line: file:line in the message" err_has "bad.train.rating:3"
check "malformed line: no result file" test ! -e "$T/r2"
check "malformed line: no temporary file left" sh -c "! ls '$T' | grep -q tmp"

# a real run on synthetic data, twice
run "$DB" synth --out "$T/syn" --name syn --seed 3
check "synth writes the four files" test -s "$T/syn/syn.train.rating" -a -s "$T/syn/syn.test.noisy"
args="train --data $T/syn --model gmf --epochs 4 --set eval_freq=5 --ks 5,20"
run "$DB" $args --out "$T/a.result" --dump-topk "$T/a.topk"
check "train: exit 0" rc_is 0
check "train: prints a summary table" grep -q 'R@5' "$T/out"
run "$DB" $args --out "$T/b.result"
grep -v '^timing\|^end' "$T/a.result" >"$T/a.notime"
grep -v '^timing\|^end' "$T/b.result" >"$T/b.notime"
check "same seed: result files identical apart from timings" cmp -s "$T/a.notime" "$T/b.notime"
check "result records config, hash, version and timings" sh -c \
  "grep -q '^config_hash' '$T/a.result' && grep -q '^config	seed	1' '$T/a.result' && grep -q '^version' '$T/a.result' && grep -q '^timing	seconds_per_epoch' '$T/a.result'"
# OpenBLAS picks its kernels for the CPU at load time and kernels sum in
# other orders, so the kernel in use goes into --version and every result
# file: force two x86-64 kernels that run on any such CPU and read them back
# (a build for one CPU has no choice to force)
if [ "$(uname -m)" = x86_64 ] && grep -q '^BLAS: OpenBLAS.*, kernel [A-Za-z0-9]*$' "$T/out.version"; then
	for k in Prescott Nehalem; do
		run env OPENBLAS_CORETYPE=$k "$DB" $args --epochs 1 --out "$T/$k.result"
		check "result file names the BLAS kernel in use ($k)" grep -q "^blas	OpenBLAS.*, kernel $k\$" "$T/$k.result"
		run env OPENBLAS_CORETYPE=$k "$DB" --version
		check "--version names the BLAS kernel in use ($k)" grep -q "^BLAS: OpenBLAS.*, kernel $k\$" "$T/out"
	done
else
	for k in 1 2 3 4; do skip "not OpenBLAS built for every x86-64 CPU: no kernel to force"; done
fi
# By default a run pins the portable kernel, Haswell, on every CPU that has its
# instructions (AVX2, FMA), so that they all write the same bits: it restarts
# itself with OPENBLAS_CORETYPE set.  DENOISEBENCH_BLAS_KERNEL names another
# kernel or native; a name unknown, or one this CPU cannot run, is refused
# before any output.  (A user's own OPENBLAS_CORETYPE is obeyed: above.)
cpu_has() { grep -m1 '^flags' /proc/cpuinfo | grep -qw "$1"; }
clean_env="env -u OPENBLAS_CORETYPE -u DENOISEBENCH_BLAS_KERNEL -u DENOISEBENCH_BLAS_PINNED"
if [ "$(uname -m)" = x86_64 ] && grep -q '^BLAS: OpenBLAS.*, kernel [A-Za-z0-9]*$' "$T/out.version"; then
	if cpu_has avx2 && cpu_has fma; then
		run $clean_env "$DB" --version
		check "default: --version runs kernel Haswell" grep -q '^BLAS: OpenBLAS.*, kernel Haswell$' "$T/out"
		check "default: --version says the choice is portable" grep -q '^BLAS kernel choice: portable$' "$T/out"
		run $clean_env "$DB" $args --epochs 1 --out "$T/pinned.result"
		check "default: the result file names kernel Haswell" grep -q "^blas	OpenBLAS.*, kernel Haswell\$" "$T/pinned.result"
		run $clean_env OPENBLAS_CORETYPE=Haswell "$DB" $args --epochs 1 --out "$T/haswell.result"
		check "default: the same bits as OPENBLAS_CORETYPE=Haswell" sh -c \
			"grep -v '^timing\|^end' '$T/pinned.result' >'$T/p.nt'; grep -v '^timing\|^end' '$T/haswell.result' >'$T/h.nt'; cmp -s '$T/p.nt' '$T/h.nt'"
	else
		for k in 1 2 3 4; do skip "no AVX2 and FMA: the default keeps OpenBLAS's own kernel"; done
	fi
	run $clean_env DENOISEBENCH_BLAS_KERNEL=nehalem "$DB" $args --epochs 1 --out "$T/nehalem.result"
	check "DENOISEBENCH_BLAS_KERNEL=nehalem: the result file names kernel Nehalem" grep -q "^blas	OpenBLAS.*, kernel Nehalem\$" "$T/nehalem.result"
	check "DENOISEBENCH_BLAS_KERNEL=nehalem: the same bits as OPENBLAS_CORETYPE=Nehalem" sh -c \
		"grep -v '^timing\|^end' '$T/nehalem.result' >'$T/n1.nt'; grep -v '^timing\|^end' '$T/Nehalem.result' >'$T/n2.nt'; cmp -s '$T/n1.nt' '$T/n2.nt'"
	run $clean_env DENOISEBENCH_BLAS_KERNEL=native "$DB" --version
	check "DENOISEBENCH_BLAS_KERNEL=native: --version says so" grep -q '^BLAS kernel choice: native$' "$T/out"
	run $clean_env DENOISEBENCH_BLAS_KERNEL=pentium "$DB" $args --epochs 1 --out "$T/bogus.result"
	check "unknown kernel: exit 2, no result file" sh -c "[ \$(cat '$T/rc') = 2 ] && [ ! -e '$T/bogus.result' ]"
	check "unknown kernel: the message names the variable and the known kernels" sh -c \
		"grep -q 'DENOISEBENCH_BLAS_KERNEL=pentium: expected native, portable or a kernel name (.*Haswell' '$T/err'"
	# a resumed set whose results came from another kernel says so
	run $clean_env "$DB" run "$DB_SRCDIR/suites/quick.yaml" --results "$T/qk"
	run $clean_env DENOISEBENCH_BLAS_KERNEL=nehalem "$DB" run "$DB_SRCDIR/suites/quick.yaml" --results "$T/qk"
	check "resumed on another kernel: exit 0, a warning names how many cells and both BLAS" sh -c \
		"[ \$(cat '$T/rc') = 0 ] && grep -q 'warning: 6 of the cells with a result already came from another BLAS than this run.s .*kernel Nehalem. (first: .*, .*kernel [A-Za-z0-9]*.)' '$T/err'"
	run $clean_env "$DB" run "$DB_SRCDIR/suites/quick.yaml" --results "$T/qk"
	check "resumed on the same kernel: no warning" sh -c "! grep -q 'another BLAS' '$T/err'"
	if ! cpu_has avx512f; then
		run $clean_env DENOISEBENCH_BLAS_KERNEL=SkylakeX "$DB" $args --epochs 1 --out "$T/skx.result"
		check "a kernel this CPU cannot run: exit 2, no result file" sh -c "[ \$(cat '$T/rc') = 2 ] && [ ! -e '$T/skx.result' ]"
		check "a kernel this CPU cannot run: the message says why" err_has "lacks the instructions of kernel SkylakeX"
	else
		for k in 1 2; do skip "this CPU runs every kernel of the table"; done
	fi
else
	for k in 1 2 3 4 5 6 7 8 9 10 11 12 13; do skip "not OpenBLAS built for every x86-64 CPU: no kernel to pin"; done
fi
# the passes beyond the clean test are settings: off, their lines are absent
# and the clean test's lines unchanged
run "$DB" $args --set eval_noisy=false --set eval_valid_rank=false \
  --set eval_rating_prob=false --out "$T/p.result"
check "passes off: exit 0" rc_is 0
check "passes off: no test_noisy, valid or rating_prob lines" sh -c \
  "! grep -Eq '^(metric|user|ks)	(test_noisy|valid)	|^rating_prob	' '$T/p.result'"
check "passes on: the run has all three" sh -c "grep -q '^metric	test_noisy	' '$T/a.result' && \
  grep -q '^metric	valid	' '$T/a.result' && grep -q '^rating_prob	' '$T/a.result'"
grep -E '^(metric|user|ks)	test	|^curve|^train	' "$T/a.result" >"$T/a.test"
grep -E '^(metric|user|ks)	test	|^curve|^train	' "$T/p.result" >"$T/p.test"
check "passes off: training and clean test lines identical" cmp -s "$T/a.test" "$T/p.test"
# ftz: the default (update where the CPU has MXCSR) is recorded and not
# hashed; true and false are each recorded and hashed
zdef=$("$DB" keys | awk '$1 == "ftz" {print $4}')
run "$DB" $args --set ftz=true --out "$T/z.result"
run "$DB" $args --set ftz=false --out "$T/zf.result"
check "ftz: default $zdef, true and false recorded in the result and in its hash" sh -c \
  "grep -q '^config	ftz	true' '$T/z.result' && grep -q '^config	ftz	false' '$T/zf.result' && \
  grep -q '^config	ftz	$zdef\$' '$T/a.result' && ! cmp -s '$T/z.result' '$T/a.result' && \
  h=\$(grep ^config_hash '$T/a.result') && [ \"\$(grep ^config_hash '$T/z.result')\" != \"\$h\" ] && \
  { [ $zdef = false ] || [ \"\$(grep ^config_hash '$T/zf.result')\" != \"\$h\" ]; }"
# a resumed set with a result made under another ftz than its cell's
# settings give now (as a file from before the default changed: same name,
# the default's value unhashed) says so; the file is kept, not rerun
run "$DB" run "$DB_SRCDIR/suites/quick.yaml" --results "$T/qf"
run "$DB" run "$DB_SRCDIR/suites/quick.yaml" --results "$T/qf"
check "resumed, every result under its settings' ftz: no ftz warning" sh -c "! grep -q 'another ftz' '$T/err'"
zf=$(find "$T/qf" -name '*.result' | sort | head -1)
zo=false
[ "$zdef" = false ] && zo=true
sed "/^end	/d; s/^config	ftz	$zdef\$/config	ftz	$zo/" "$zf" >"$T/zbody"
{ cat "$T/zbody"; printf 'end\t%s\t%s\n' "$(wc -l <"$T/zbody")" "$(sha256sum "$T/zbody" | cut -c1-64)"; } >"$zf"
run "$DB" run "$DB_SRCDIR/suites/quick.yaml" --results "$T/qf"
check "resumed with a result made under ftz $zo: exit 0, a warning names the count, the file and both values" sh -c \
  "[ \$(cat '$T/rc') = 0 ] && grep -q 'warning: 1 of the cells with a result already were made under another ftz than their settings give now (first: $zf, ftz $zo, now $zdef)' '$T/err'"
check "... and that result is kept, not rerun" grep -q "^config	ftz	$zo\$" "$zf"
# LightGCN's sparse products at AVX2 width (where the CPU has it) and at the
# baseline's give the same bits
lg="train --data $T/syn --model lightgcn --epochs 2 --set eval_freq=5"
run "$DB" $lg --out "$T/lg1.result"
run env DENOISEBENCH_SIMD=baseline "$DB" $lg --out "$T/lg2.result"
grep -v '^timing\|^end	' "$T/lg1.result" >"$T/lg1.notime"
grep -v '^timing\|^end	' "$T/lg2.result" >"$T/lg2.notime"
check "lightgcn: the widest and the baseline products give identical result files" \
  cmp -s "$T/lg1.notime" "$T/lg2.notime"
# ... and so do the one-thread passes over the user rows and the
# row-by-row product (the default picks by the graph's size), at every
# width and at layer counts with other pass schedules, with factors that
# leave a partial vector strip
for L in 2 3; do
	lgl="$lg --set gcn_layers=$L --set factors=29"
	for how in rows passes; do
		for w in baseline avx2 native; do
			run env DENOISEBENCH_LIGHTGCN=$how DENOISEBENCH_SIMD=$w "$DB" $lgl \
				--out "$T/lg.$L.$how.$w.result"
			grep -v '^timing\|^end	' "$T/lg.$L.$how.$w.result" >"$T/lg.$L.$how.$w.notime"
		done
	done
	check "lightgcn $L layers: passes and rows, at every width, give identical result files" \
		sh -c "for f in '$T'/lg.$L.*.notime; do cmp -s \"\$f\" '$T/lg.$L.rows.baseline.notime' || exit 1; done"
done
run "$DB" $args --seed 2 --out "$T/c.result"
check "another seed: other metrics" sh -c "! cmp -s '$T/a.result' '$T/c.result'"

users=$(awk -F'\t' '$1=="metric" && $2=="test" && $3=="users" {print $5}' "$T/a.result")
check "dump-topk: users x 20 lines" test "$(wc -l <"$T/a.topk")" -eq $((users * 20))
check "dump-topk: ranks 1..20 per user" sh -c \
  "awk -F'\t' 'NF!=3 || \$2<1 || \$2>20 {bad=1} END {exit bad}' '$T/a.topk'"

run "$DB" export "$T/a.result" "$T/c.result"
check "export: header first" sh -c "head -1 '$T/out' | grep -q '^dataset	model	method	seed	split	metric	k	value'"
# 2 files x 3 splits (test, test_noisy, valid) x 4 metrics x 2 K
check "export: one row per file, split, metric and K" test "$(tail -n +2 "$T/out" | wc -l)" -eq 48
check "export: the three splits" test "$(tail -n +2 "$T/out" | cut -f5 | sort -u | tr '\n' ' ')" = "test test_noisy valid "
mkdir -p "$T/dir/sub" && cp "$T/a.result" "$T/dir/sub/" && cp "$T/c.result" "$T/dir/"
"$DB" export "$T/dir" >"$T/dirout" 2>/dev/null
check "export: directories are searched" test "$(tail -n +2 "$T/dirout" | wc -l)" -eq 48
run "$DB" export "$T/a.topk"
check "export: a non-result file is refused" rc_is 2

run "$DB"
check "default job: exit 0" rc_is 0
check "default job: table of five models" test "$(grep -c -E '^synthetic' "$T/out")" -eq 5
done_testing
