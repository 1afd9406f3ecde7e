# What the tool tells its user: train's stop reason and early output checks,
# run's closing table, check --resolved and its warnings, did-you-mean,
# data manifest, summary.
. "$DB_SRCDIR/tests/tap.sh"
DB=${DENOISEBENCH:-./denoisebench}
T=$(mktemp -d /tmp/db-test-ux-XXXXXX)
trap 'rm -rf "$T"' EXIT
run() { "$@" >"$T/out" 2>"$T/err"; echo $? >"$T/rc"; }
rc_is() { [ "$(cat "$T/rc")" = "$1" ]; }
out_has() { grep -q -- "$1" "$T/out"; }
err_has() { grep -q -- "$1" "$T/err"; }

# train: an unwritable output fails before training (100000 epochs would
# take minutes), naming the path
run timeout 20 "$DB" train --model gmf --epochs 100000 --out "$T/no/such/dir/r.result"
check "train --out in a missing directory: exit 2" rc_is 2
check "train --out: the message names the path" err_has "$T/no/such/dir/r.result"
run timeout 20 "$DB" train --model gmf --epochs 100000 --dump-topk "$T/no/such/dir/top"
check "train --dump-topk unwritable: exit 2 before training" rc_is 2
# train's summary says how training ended
run "$DB" train --model gmf --epochs 5
check "train: ran all epochs" out_has "^ran all 5 epochs (15 iterations)"
run "$DB" train --model gmf --protocol deca --epochs 100 --set eval_freq=1 --set early_stop=1 \
	--set early_stop_rounds=3 --set lr=0.05
check "train: early stop names the epoch of 100 and the rounds" \
	sh -c "grep -q '^stopped early at epoch [0-9]* of 100 (iteration [0-9]*): the validation loss rose 3 times' '$T/out'"

# run: a failed cell's line says why; the closing table holds the finished
# groups with mean ± sd over their seeds
printf 'name: fail\ndatasets:\n  - name: broken\n    path: %s\nmodels: [gmf]\nmethods: [normal]\nseeds: [1]\n' "$T" >"$T/fail.yaml"
run "$DB" run "$T/fail.yaml" --results "$T/f"
check "run: the FAILED line gives the reason" err_has "FAILED: .*broken.train.rating"
printf 'name: q\ndatasets:\n  - name: synthetic\nmodels: [mf, gmf]\nmethods: [normal]\nseeds: [1, 2]\nsettings: {epochs: 2}\n' >"$T/q.yaml"
run "$DB" run "$T/q.yaml" --results "$T/q" --jobs 2
check "run: closing table has a row per group" sh -c "[ \$(grep -c '^synthetic  *\(mf\|gmf\)  *normal  *0\.[0-9]* ± 0\.[0-9]* (2)' '$T/out') = 2 ]"
# summary: the same numbers as export's per-seed means
"$DB" export "$T/q" | awk -F'\t' '$2=="mf" && $5=="test" && $6=="ndcg" && $7==20 {s+=$8; n++} END {printf "%.4f\n", s/n}' >"$T/mean"
run "$DB" summary "$T/q" --metric ndcg@20
check "summary: mf's ndcg@20 mean equals export's" sh -c "grep '^synthetic  *mf ' '$T/out' | grep -q \"  \$(cat '$T/mean') ± \""
run "$DB" summary "$T/q" --markdown
check "summary --markdown: header, rule and a row per group" sh -c "head -2 '$T/out' | grep -q '^|---|---|---|---|---|$' && [ \$(grep -c '^| synthetic | ' '$T/out') = 2 ]"
run "$DB" summary "$T/q" --metric ndcg20
check "summary: a bad metric spec exits 2" rc_is 2

# check --resolved: each setting's value and origin; warnings for settings
# inert in a run this short (10 train lines: 1 batch an epoch, 20 epochs)
mkdir -p "$T/ml-100k"
for i in 0 1 2 3 4 5 6 7 8 9; do printf '%s\t%s\t5\n' $((i % 3)) $i; done >"$T/ml-100k/ml-100k.train.rating"
printf '0\t10\t5\n' >"$T/ml-100k/ml-100k.valid.rating"
printf '(1,11)\t3\t4\n' >"$T/ml-100k/ml-100k.test.negative"
printf 'name: r\ndatasets:\n  - name: ml-100k\n    path: %s\nmodels: [gmf]\nmethods:\n  - normal\n  - name: t-ce\n    settings: {eval_freq: 0, selection: best}\nseeds: [1]\nsettings: {lr: 0.002, protocol: deca}\n' "$T/ml-100k" >"$T/r.yaml"
run "$DB" check "$T/r.yaml" --resolved
check "check --resolved: suite setting" out_has "^    lr  *0.002  *suite$"
check "check --resolved: protocol default" out_has "^    batch_size  *2048  *protocol$"
check "check --resolved: the authors' per-cell value" out_has "^    epochs  *20  *paper config$"
check "check --resolved: the key's default" out_has "^    factors  *32  *default$"
check "check --resolved: validation rarer than the run" out_has "^    warning: validation every 500 iterations (eval_freq) but the run has 20: no validation point"
check "check --resolved: T-CE ramp longer than the run" out_has "^    warning: T-CE's drop-rate ramp (num_gradual 400) is longer than the run (20 iterations)"
check "check --resolved: validation off under selection=best" out_has "^    warning: validation is off (eval_freq 0) but selection=best"
check "check --resolved: normal has no ramp warning" sh -c "sed -n '/^1 /,/^2 /p' '$T/out' | grep -vq 'T-CE'"
run "$DB" check "$T/r.yaml"
check "check: warnings on stderr name the cell" err_has "warning: cell 2 (ml-100k/gmf-t-ce-s1-"
run "$DB" train --method t-ce --epochs 3 --out "$T/w.result"
check "result file: a warning line for the inert ramp" grep -q "^warning	T-CE's drop-rate ramp (num_gradual 400) is longer than the run (9 iterations)" "$T/w.result"
# the ramp warning is the methods' own (method_ops.warnings): DCF shares
# T-CE's schedule, finetune says its extra_base's and R-CE has none
run "$DB" train --method dcf --epochs 3 --out "$T/w.result"
check "result file: DCF warns of its ramp" grep -q "^warning	DCF's drop-rate ramp (num_gradual 400) is longer than the run (9 iterations): the drop rate reaches only 0.00401 of drop_rate 0.2, so DCF stays close to normal$" "$T/w.result"
run "$DB" train --method finetune --protocol adt --epochs 1 --set extra_epochs=1 --out "$T/w.result"
check "result file: finetune says its T-CE phase's ramp" grep -q "^warning	T-CE's drop-rate ramp (num_gradual 30000) is longer than the run (11 iterations): the drop rate reaches only 6.67e-05 of drop_rate 0.2, so T-CE stays close to normal$" "$T/w.result"
run "$DB" train --method finetune --protocol adt --epochs 1 --set extra_epochs=1 --set extra_base=r-ce --out "$T/w.result"
check "result file: finetune over R-CE has no ramp warning" sh -c "grep -q '^warning	validation every' '$T/w.result' && ! grep -q 'drop-rate ramp' '$T/w.result'"

# train --help lists every model and method of the registries (as `keys`
# lists the settings' choices); did-you-mean for models and methods
run "$DB" train --help
for key in model method; do
	"$DB" keys | sed -n "s/^$key .*one of //p" >"$T/choices"
	check "train --help: every $key" sh -c "[ -s '$T/choices' ] && grep -qF \"\$(cat '$T/choices')\" '$T/out'"
done
run "$DB" train --model nuemf
check "--model nuemf: exit 2, did you mean neumf" sh -c "[ \$(cat '$T/rc') = 2 ] && grep -q \"did you mean 'neumf'\" '$T/err'"
run "$DB" train --method tce
check "--method tce: did you mean t-ce" err_has "did you mean 't-ce'"
run "$DB" train --method zzzzzz
check "--method far from every name: no hint" sh -c "! grep -q 'did you mean' '$T/err'"

# data manifest: written for a user's dataset, read back by data check
"$DB" synth --out "$T/mine" --name mine >/dev/null 2>&1
run "$DB" data manifest "$T/mine" --out "$T/mine.manifest"
check "data manifest: exit 0" rc_is 0
run "$DB" data check "$T/mine" --manifest "$T/mine.manifest"
check "data manifest: data check says the copy matches" sh -c "[ \$(cat '$T/rc') = 0 ] && grep -q 'matches mine (4 file(s)' '$T/out'"
printf '0\t1\t5\n' >>"$T/mine/mine.valid.rating"
run "$DB" data check "$T/mine" --manifest "$T/mine.manifest"
check "data manifest: a changed file is found" sh -c "[ \$(cat '$T/rc') = 1 ] && grep -q 'mine.valid.rating: .* lines, the manifest says' '$T/out'"
run "$DB" data manifest "$T" --name nope --out "$T/nope.manifest"
check "data manifest: a missing file is an error, nothing written" sh -c "[ \$(cat '$T/rc') = 2 ] && [ ! -e '$T/nope.manifest' ] && grep -q 'nope.train.rating' '$T/err'"

# figures of curves with one evaluation point say so, with an x range
# gnuplot accepts (no "empty x range")
mkdir -p "$T/one"
for m in normal t-ce; do
	# diag_freq=-1: files with their evaluation points only (the drops
	# figure prefers the diagnostics points)
	"$DB" train --model gmf --method $m --epochs 2 --set eval_freq=3 --set diag_freq=-1 \
		--out "$T/one/$m.result" >/dev/null 2>&1
done
"$DB" report "$T/one" --out "$T/fig" >/dev/null 2>&1
check "figure: a one-point series is named on the figure" grep -q "^set label 1 'one evaluation point only.*: normal, t-ce'" "$T/fig/figures/curve-synthetic-gmf.gp"
check "figure: a T-CE drops figure of one point says so" grep -q "^set label 1 'one evaluation point only.*: t-ce'" "$T/fig/figures/drops-synthetic-gmf-t-ce.gp"
if command -v gnuplot >/dev/null 2>&1; then
	(cd "$T/fig/figures" && for g in curve-*.gp panels-*.gp drops-*.gp; do gnuplot "$g"; done) 2>"$T/gp.err" >/dev/null
	check "figure: gnuplot draws them without 'empty x range'" sh -c "! grep -q 'empty x range' '$T/gp.err'"
else
	skip "gnuplot not installed"
fi

done_testing
