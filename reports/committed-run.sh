#!/bin/sh
# The committed reproduction of 2026-12-01 (reports/*/README.md say which commit
# ran the cells and which wrote the reports): the cells it ran, in this order,
# each slice resumable (rerun the same command after a kill), then each report
# with the causes table, and the result files packed beside the report.
#   usage: reports/committed-run.sh BUILD_DIR DATA_DIR RESULTS_DIR [JOBS]
# `make reproduce` (reports/reproduce.sh) runs the same suites whole.
set -eu
. "$(dirname "$0")/lib.sh"
# DeCA Table 2: GMF and CDAE whole (with the causes' switch cells), then
# NeuMF and LightGCN with Normal and DeCA, then what time allowed of the rest
run deca-www22 --only model=gmf,cdae
run deca-www22-table4
run deca-www22-table6
for d in ml-100k modcloth; do
	run deca-www22 --only model=neumf,lightgcn --only method=normal,deca --only dataset=$d
done
run deca-www22 --only dataset=ml-100k
for name in deca-www22 deca-www22-table4 deca-www22-table6; do
	report "$name"
	(cd "$RESULTS" && tar cJf - --exclude='*.lock' --exclude='*.log' "$name") \
		>"reports/$name/results.tar.xz"
done
report deca-www22 dpi-dvae
