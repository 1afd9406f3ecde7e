#!/bin/sh
# Every runnable table, then its report: what `make reproduce` runs.
# usage: reports/reproduce.sh BUILD_DIR DATA_DIR RESULTS_DIR [JOBS]
# Each suite's cells go to RESULTS_DIR/NAME (separate directories, so that
# no report pools two suites' copies of one configuration), and its report
# (reproduction.md/.tex with verdicts and the causes of reports/causes.tsv,
# LaTeX tables, figures) to reports/NAME/.  The extended paper's Table 2
# (suites/dpi-dvae.yaml) has exactly deca-www22's modcloth cells, so it is
# reported from RESULTS_DIR/deca-www22 without running anything.  A killed
# run resumes where it stopped (rerun the same command).  Estimated wall
# time on 2 cores (bench figures of reports/benchmark.md, no early stop):
# deca-www22 2.8 h, table3 1.3 h, table4 and table6 a few minutes.
set -eu
. "$(dirname "$0")/lib.sh"
for name in deca-www22 deca-www22-table3 deca-www22-table4 deca-www22-table6; do
	run "$name"
	report "$name"
done
report deca-www22 dpi-dvae
