# The common part of reports/reproduce.sh and reports/committed-run.sh,
# sourced after `set -eu` with their arguments BUILD_DIR DATA_DIR RESULTS_DIR
# [JOBS]: DB (the binary), DENOISEBENCH_DATA (exported, for the suites'
# data paths), RESULTS (absolute), JOBS (default 2), the working directory at
# the repository's root (the suites and reports/ are named from there), and
#   run NAME [OPTION...]   suites/NAME.yaml into RESULTS/NAME (resumable)
#   report NAME [SUITE]    RESULTS/NAME against suites/SUITE.yaml (default
#                          NAME) with reports/causes.tsv into reports/SUITE
DB=$(cd "$1" && pwd)/denoisebench
DENOISEBENCH_DATA=$(cd "$2" && pwd)
export DENOISEBENCH_DATA
mkdir -p "$3"
RESULTS=$(cd "$3" && pwd)
JOBS=${4:-2}
cd "$(dirname "$0")/.."
run() { n=$1; shift; "$DB" run "suites/$n.yaml" --jobs "$JOBS" --results "$RESULTS/$n" "$@"; }
report() {
	s=${2:-$1}
	"$DB" report "$RESULTS/$1" --suite "suites/$s.yaml" --causes reports/causes.tsv \
		--out "reports/$s"
}
