#!/bin/sh
# Normal (BCE) training of GMF and NeuMF under the deca protocol and the
# authors' per-dataset defaults, several seeds, beside DeCA Table 2.
# usage: reports/normal-baselines.sh BUILD_DIR DATA_DIR OUT_DIR
# Writes one result file per run to OUT_DIR and prints a Markdown table of
# mean ± sd over seeds.  (The YAML suite runner will supersede this script.)
set -eu
DB=$1/denoisebench
DATA=$2
OUT=$3
mkdir -p "$OUT"
for cell in "ml-100k 1 2 3 4 5" "modcloth 1 2 3"; do
	set -- $cell
	ds=$1
	shift
	for model in gmf neumf; do
		for seed in "$@"; do
			f=$OUT/$ds-$model-normal-$seed.result
			[ -s "$f" ] || "$DB" train --data "$DATA/$ds" --model $model --seed $seed --out "$f" >/dev/null
		done
	done
done
"$DB" export "$OUT" | awk -F'\t' '
NR > 1 && $5 == "test" && ($6 == "recall" || $6 == "ndcg") {
	key = $1 "\t" $2 "\t" $6 "@" $7
	n[key]++; s[key] += $8; ss[key] += $8 * $8
}
END {
	for (key in n) {
		m = s[key] / n[key]
		v = n[key] > 1 ? (ss[key] - n[key] * m * m) / (n[key] - 1) : 0
		printf "%s\t%.4f\t%.4f\t%d\n", key, m, sqrt(v > 0 ? v : 0), n[key]
	}
}' | sort
