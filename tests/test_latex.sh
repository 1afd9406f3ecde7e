# Every .tex the report writes compiles with pdflatex, without an overfull
# box: table-deca.tex and table-adt.tex in one pass, reproduction.tex (a
# longtable, which measures its columns on the first pass) in two, the
# second without a rerun warning.  Results: tiny synthetic runs of four
# models and three methods, so that the DeCA layout has two blocks of two
# models.  Skips when pdflatex is not installed.
. "$DB_SRCDIR/tests/tap.sh"
DB=${DENOISEBENCH:-./denoisebench}
if ! command -v pdflatex >/dev/null 2>&1; then
	skip "pdflatex not installed"
	done_testing
	exit
fi
T=$(mktemp -d /tmp/db-test-latex-XXXXXX)
trap 'rm -rf "$T"' EXIT
cat >"$T/suite.yaml" <<'END'
name: latex
datasets:
  - name: synthetic
models: [gmf, neumf, mf, cdae]
methods: [normal, t-ce, deca]
seeds: [1, 2]
settings: {epochs: 1, factors: 8}
reference:
  paper: toy-paper
  table: Table 1
  rows:
    - [synthetic, gmf, normal, recall, 3, 0.1, 0.01]
    - [synthetic, gmf, normal, recall, 20, 0.3, 0.01]
    - [synthetic, gmf, deca, ndcg, 3, 0.1, 0.01]
    - [synthetic, gmf, deca, ndcg, 20, 0.2, 0.01]
    - [synthetic, neumf, deca, ndcg, 20, 0.2, 0.01]
    - [synthetic, cdae, deca, ndcg, 20, 0.2, 0.01]
    - [synthetic, mf, deca, ndcg, 20, 0.2, 0.01]
END
"$DB" run "$T/suite.yaml" --jobs 2 --results "$T/res" >/dev/null 2>&1
check "the runs" test -d "$T/res/synthetic"
"$DB" report "$T/res" --suite "$T/suite.yaml" --causes "$DB_SRCDIR/reports/causes.tsv" \
	--out "$T/rep" --no-gnuplot >/dev/null 2>&1
check "the report" test -s "$T/rep/reproduction.tex"
tex() { (cd "$T/rep" && pdflatex -interaction=nonstopmode -halt-on-error "$1" >/dev/null 2>&1); }
clean_log() { ! grep -q -e 'Overfull' -e 'Rerun' "$T/rep/${1%.tex}.log"; }
for f in table-deca.tex table-adt.tex; do
	check "$f: one pdflatex pass" tex $f
	check "$f: no overfull box, no rerun" clean_log $f
done
check "table-deca.tex: two blocks of two models" sh -c \
	"[ \$(grep -c '^Method &' '$T/rep/table-deca.tex') = 2 ]"
tex reproduction.tex
check "reproduction.tex: second pdflatex pass" tex reproduction.tex
check "reproduction.tex: no overfull box, no rerun" clean_log reproduction.tex
done_testing
