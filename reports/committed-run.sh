#!/bin/sh
# The committed reproduction (reports/*/README.md say which commit ran which
# cells and which wrote the reports): the cells it ran, in this order, each
# slice resumable (rerun the same command after a kill), then each report with
# the causes table, and the result files packed beside the report.
#   usage: reports/committed-run.sh BUILD_DIR DATA_DIR RESULTS_DIR [JOBS]
# `make reproduce` (reports/reproduce.sh) runs the same suites whole.  The
# cells were run by five builds over two days; one build of any of them
# runs the same cells to the same numbers (their READMEs give the byte-for-
# byte comparisons behind that).
set -eu
. "$(dirname "$0")/lib.sh"
# 2026-12-01 (c7816d2). DeCA Table 2: GMF and CDAE whole (with the causes'
# switch cells), then NeuMF and LightGCN with Normal and DeCA, then what time
# allowed of the rest; Tables 4 and 6
run deca-www22 --only model=gmf,cdae
run deca-www22-table4
run deca-www22-table6
for d in ml-100k modcloth; do
	run deca-www22 --only model=neumf,lightgcn --only method=normal,deca --only dataset=$d
done
run deca-www22 --only dataset=ml-100k
# 2026-12-02 (3f509db): the rest of Table 2 as far as time allowed, Table 3's
# GMF and CDAE rows
others=wbpr,t-ce,r-ce,ensemble,deca-p
run deca-www22 --only dataset=ml-100k --only model=lightgcn --only method=deca-p,ensemble
run deca-www22 --only dataset=modcloth --only model=neumf --only method=$others
run deca-www22-table3 --only model=gmf,cdae
# 2026-12-02 (tool lines 1ce3110-dirty = the tree of merge 1955dbd built before
# its commit, 41b4037, cf81f42-dirty = the tree of merge 834d966 likewise; the
# merges' uncommitted part was the conflict resolution): the figures' cells, the RecSys'25
# grid's GMF rows, the newer methods' GMF rows, DeCA's Fig. 6 sweep with seed 1
run figures
run recsys25-ml100k --only model=gmf
run newer-methods --only model=gmf
run deca-www22-fig6 --only seed=1 --only dataset=ml-100k
run deca-www22-fig6 --only seed=1 --only dataset=modcloth
# 2026-12-02 (3f509db), stopped when time ran out
run deca-www22 --only dataset=modcloth --only model=lightgcn --only method=$others
# 2026-12-02, second session (590280f, the stop-22 build): Table 3's NeuMF and LightGCN rows,
# the tuned run (trials, then defaults and tuned cells), the newer methods'
# NeuMF, CDAE and LightGCN rows
run deca-www22-table3 --only model=neumf,lightgcn
"$DB" tune suites/tuned-ml100k.yaml --jobs "$JOBS" --results "$RESULTS/tuned-ml100k"
run newer-methods --only dataset=ml-100k --only model=neumf,cdae,lightgcn
run newer-methods --only dataset=modcloth --only model=neumf,cdae
run newer-methods --only dataset=modcloth --only model=lightgcn
run recsys25-ml100k --only model=neumf
# 2026-12-02, second session (a670f2e: DeCA(p)'s g on its own cadence): the
# RecSys'25 NeuMF DeCA(p) cells, which 590280f refused
run recsys25-ml100k --only model=neumf --only method=deca-p
# 2026-12-02, third session (tool ed11326 = the source of e0d23e4): the RecSys'25 grid's
# LightGCN and CDAE rows, a method's best, last and oracle cells from one training (README
# "Shared training"). LightGCN's best cells were also run one training per cell by tool
# 53b37a4 (= the source of a840259); those files are not packed, and
# reports/recsys25-ml100k/README.md compares them with the shared ones.
run recsys25-ml100k --only model=lightgcn
run recsys25-ml100k --only model=cdae --only method=normal,t-ce,r-ce,dcf,udt
run recsys25-ml100k --only model=cdae
for name in deca-www22 deca-www22-table3 deca-www22-table4 deca-www22-table6 figures \
	recsys25-ml100k newer-methods deca-www22-fig6 tuned-ml100k; do
	report "$name"
	(cd "$RESULTS" && XZ_OPT=-9e tar --sort=name --owner=0 --group=0 --numeric-owner \
		--mtime='2026-12-02 00:00Z' -cJf - --exclude='*.lock' --exclude='*.log' "$name") \
		>"reports/$name/results.tar.xz"
done
report deca-www22 dpi-dvae
sh reports/tuned-orderings.sh "$DB" "$RESULTS/tuned-ml100k" >reports/tuned-ml100k/orderings.md
