#!/bin/sh
# Prints a suite's `reference:` block from the published numbers
# (paper-results.tsv, columns paper table dataset model method metric k mean
# sd), in this tool's names, so that every suite's rows come from one source
# by one rule.  The TSV itself is not part of the project.
# usage: suites/reference-rows.sh TSV PAPER TABLE DATASET... > rows.yaml
#   e.g. suites/reference-rows.sh paper-results.tsv deca-www22 "Table 3" Modcloth
# Names: MovieLens = ml-100k; DeCA(p) = deca-p; the extended paper's DPI =
# deca and DVAE = deca-p; Table 3's ablations DeCA-DP / -DN and its full
# method select the deca_terms setting (deca+deca_terms=dp, ...); Tables 4
# and 6's "h=X" variants select deca_h_model (deca+deca_h_model=x).
set -eu
tsv=$1 paper=$2 table=$3
shift 3
printf '  - paper: %s\n    table: %s\n    rows:\n' "$paper" "$table"
awk -F'\t' -v paper="$paper" -v table="$table" -v sets="$*" '
function tool(x) {
	if (x == "MovieLens") return "ml-100k"
	return tolower(x)
}
function method(m, ablation,   h, t) {
	if (m ~ / h=/) {
		h = m; sub(/.* h=/, "", h); sub(/ h=.*/, "", m)
		return method(m, 0) "+deca_h_model=" tolower(h)
	}
	if (m == "DPI") m = "DeCA"
	if (m == "DVAE") m = "DeCA(p)"
	t = ""
	if (m ~ /-DP$/) { t = "dp"; sub(/-DP$/, "", m) }
	else if (m ~ /-DN$/) { t = "dn"; sub(/-DN$/, "", m) }
	else if (ablation) t = "both"
	m = m == "DeCA(p)" ? "deca-p" : tolower(m)
	return t == "" ? m : m "+deca_terms=" t
}
BEGIN { n = split(sets, want, " ") }
NR > 1 && $1 == paper && $2 == table {
	keep = 0
	for (i = 1; i <= n; i++) keep = keep || $3 == want[i]
	if (!keep) next
	abl = table == "Table 3" && paper == "deca-www22"
	printf "      - [%s, %s, %s, %s, %s, %s, %s]\n", tool($3), tool($4), method($5, abl),
		$6, $7, $8, $9 == "" ? "null" : $9
}' "$tsv"
