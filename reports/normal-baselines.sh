#!/bin/sh
# Normal (BCE) training of GMF and NeuMF under the deca protocol and the
# authors' per-dataset defaults, several seeds, beside DeCA Table 2.
# usage: reports/normal-baselines.sh BUILD_DIR DATA_DIR OUT_DIR [baselines]
# (with `baselines`: only the training-free part, seconds instead of hours)
# Writes one result file per run to OUT_DIR and prints a Markdown table of
# mean ± sd over seeds, then the training-free reference points (MostPop,
# ItemKNN, EASE^R: deterministic, one run each) under both protocols, which
# must agree since baselines rank by their raw scores.
# (The YAML suite runner will supersede this script.)
set -eu
DB=$1/denoisebench
DATA=$2
OUT=$3
PART=${4:-all}
mkdir -p "$OUT"
[ "$PART" = baselines ] || for cell in "ml-100k 1 2 3 4 5" "modcloth 1 2 3"; do
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
[ "$PART" = baselines ] || "$DB" export "$OUT" | awk -F'\t' '
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

BASE=$OUT/baselines
mkdir -p "$BASE"
for ds in ml-100k modcloth; do
	for model in mostpop itemknn ease; do
		for proto in deca adt; do
			f=$BASE/$ds-$model-$proto.result
			[ -s "$f" ] || "$DB" train --data "$DATA/$ds" --model $model --set protocol=$proto \
				--set ks=3,5,20 --out "$f" >/dev/null
		done
	done
done
echo
echo "| dataset | model | protocols | R@3 | R@5 | R@20 | N@3 | N@5 | N@20 |"
echo "|---|---|---|---|---|---|---|---|---|"
"$DB" export "$BASE" | awk -F'\t' '
NR > 1 && $5 == "test" && ($6 == "recall" || $6 == "ndcg") {
	key = $1 "\t" $2
	v[key, $6 "@" $7, $9] = sprintf("%.4f", $8)
	h[key, $9] = 1
	keys[key] = 1
}
END {
	split("recall@3 recall@5 recall@20 ndcg@3 ndcg@5 ndcg@20", col, " ")
	for (key in keys) {
		line = ""; agree = 1; n = 0
		for (c = 1; c <= 6; c++) {
			first = ""
			for (kh in h) {
				split(kh, p, SUBSEP)
				if (p[1] != key) continue
				x = v[key, col[c], p[2]]
				if (first == "") first = x
				else if (x != first) agree = 0
				if (c == 1) n++
			}
			line = line " | " first
		}
		split(key, kk, "\t")
		printf "| %s | %s | %s%s |\n", kk[1], kk[2], agree ? "deca = adt" : "DIFFER", line
	}
}' | sort
