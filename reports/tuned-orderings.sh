#!/bin/sh
# Tuned vs tuned (issue 15): each method's tuned cells (its default cells when
# the chosen values are the defaults) against tuned Normal of the same model,
# `denoisebench compare` on test recall@20 and ndcg@20 (paired t over seeds,
# Wilcoxon over users), one comparison per (model, method); then Holm over the
# six methods of a model, applied to compare's p values (already adjusted over
# its two tests, so the result is conservative).  Prints a Markdown table.
#   usage: reports/tuned-orderings.sh DENOISEBENCH RESULTS/tuned-ml100k
set -eu
DB=$1 R=$2/ml-100k
T=$(mktemp -d /tmp/db-orderings-XXXXXX)
trap 'rm -rf "$T"' EXIT
echo "| model | method | metric | tuned Normal | tuned method | difference [95 % CI] | p (t) | p (Wilcoxon) | Holm over 6 (max of both) | verdict |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for model in gmf neumf; do
	for metric in recall@20 ndcg@20; do
		rm -rf "$T/base" && mkdir -p "$T/base/ml-100k"
		ln "$R/$model-normal-tuned,"*.result "$T/base/ml-100k/"
		for method in wbpr t-ce r-ce ensemble deca deca-p; do
			rm -rf "$T/new" && mkdir -p "$T/new/ml-100k"
			if ls "$R/$model-$method-tuned,"*.result >/dev/null 2>&1; then
				ln "$R/$model-$method-tuned,"*.result "$T/new/ml-100k/"
			else # the chosen values are the defaults
				ln "$R/$model-$method-s"[0-9]*.result "$T/new/ml-100k/"
			fi
			"$DB" compare "$T/base" "$T/new" --pair-by dataset,model --metric "$metric" \
				--summary "$T/s" >/dev/null 2>&1 || true
			grep "^| ml-100k/$model/" "$T/s" | sed "s/^/$metric/"
		done | awk -F' *\\| *' -v model="$model" '
			{m[NR] = $0; split($2, g, "/"); meth[NR] = g[3]; metric[NR] = $1
			 base[NR] = $4; new[NR] = $5; d[NR] = $6; pt[NR] = $7; pw[NR] = $8
			 p[NR] = (pt[NR] > pw[NR]) ? pt[NR] : pw[NR]}
			END {n = NR
				for (i = 1; i <= n; i++) o[i] = i
				for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++)
					if (p[o[j]] < p[o[i]]) {t = o[i]; o[i] = o[j]; o[j] = t}
				run = 0
				for (r = 1; r <= n; r++) {i = o[r]; a = (n - r + 1) * p[i]
					if (a > 1) a = 1; if (a < run) a = run; run = a; adj[i] = a}
				for (i = 1; i <= n; i++) {
					v = "no significant difference"
					if (adj[i] < 0.05) v = (substr(d[i], 1, 1) == "+") ? "better than Normal" : "worse than Normal"
					printf "| %s | %s | %s | %s | %s | %s | %s | %s | %.3g | %s |\n", model, meth[i],
						metric[i], base[i], new[i], d[i], pt[i], pw[i], adj[i], v}}'
	done
done
