#!/bin/sh
# The committed extra-feedback run (extended ADT paper Table 4/5 shape): GMF on
# ml-100k and modcloth, 3 seeds, every strategy, colliding inference at |N| = 10
# over the lambda grid; then the report into reports/adt-extra/.
# usage: reports/adt-extra.sh BUILD_DIR DATA_DIR RESULTS_DIR
set -eu
mkdir -p "$3"
DB=$(cd "$1" && pwd)/denoisebench
DENOISEBENCH_DATA=$(cd "$2" && pwd)
export DENOISEBENCH_DATA
RESULTS=$(cd "$3" && pwd)
cd "$(dirname "$0")/.."
"$DB" run suites/adt-extra.yaml --only model=gmf --only collide_n=10 --jobs 2 --results "$RESULTS"
"$DB" report "$RESULTS" --suite suites/adt-extra.yaml --out reports/adt-extra
