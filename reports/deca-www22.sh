#!/bin/sh
# The committed DeCA (WWW'22) Table 2 reproduction: every method of the suite
# on GMF, NeuMF and CDAE, ml-100k and modcloth, 3 seeds, then the report
# (reproduction.md/.tex, LaTeX tables, figures) into reports/deca-www22/.
# usage: reports/deca-www22.sh BUILD_DIR DATA_DIR RESULTS_DIR
# A killed run resumes where it stopped (rerun the same command).
set -eu
mkdir -p "$3"
DB=$(cd "$1" && pwd)/denoisebench
DENOISEBENCH_DATA=$(cd "$2" && pwd)
export DENOISEBENCH_DATA
RESULTS=$(cd "$3" && pwd)
cd "$(dirname "$0")/.."
"$DB" run suites/deca-www22.yaml --only model=gmf,neumf,cdae --jobs 2 --results "$RESULTS"
"$DB" report "$RESULTS" --suite suites/deca-www22.yaml --out reports/deca-www22
