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
# every row of a tabular or longtable has as many cells as its column spec
# (p{..} one column, rules and \multicolumn rows aside): an escaped
# separator (\&) compiles but moves the row's numbers a column left; a
# file with no row to check fails too
cells_ok() {
	awk 'match($0, /\\begin\{(tabular|longtable)\}\{[^}]*(\{[^}]*\}[^}]*)*\}/) {
			spec = substr($0, RSTART, RLENGTH); sub(/^\\begin\{[a-z]+\}\{/, "", spec)
			gsub(/\{[^}]*\}/, "", spec); gsub(/[^lcrp]/, "", spec); n = length(spec); next}
		/\\end\{(tabular|longtable)\}/ {n = 0; next}
		n && /\\\\$/ && !/\\multicolumn/ {line = $0; gsub(/\\&/, "", line)
			rows++; if (gsub(/&/, "", line) + 1 != n) {print FILENAME ": " $0; bad = 1}}
		END {exit bad || !rows}' "$@"
}
for f in reproduction.tex table-deca.tex table-adt.tex; do
	check "$f: every table row fills its columns" cells_ok "$T/rep/$f"
done
want="| $("$DB" --version | sed -n 's/^tool: //p') | $("$DB" --version | sed -n 's/^BLAS: //p') | $(($(find "$T/res" -name '*.result' | wc -l))) |"
check "reproduction.md: the provenance row names the build, the BLAS kernel and every result file" \
	grep -qxF "$want" "$T/rep/reproduction.md"
check "one selection rule: no rules section" test ! -e "$T/rep/rules.tex"

# The selection rules side by side: three rules of two methods compile in
# one pass without an overfull box
cat >"$T/rules.yaml" <<'END'
name: rules
datasets:
  - name: synthetic
models: [gmf]
methods: [normal, t-ce]
seeds: [1, 2, 3]
settings: {epochs: 1, factors: 8}
cells:
  - {sweep: {selection: [last, best, oracle]}}
END
"$DB" run "$T/rules.yaml" --jobs 2 --results "$T/resr" >/dev/null 2>&1
"$DB" report "$T/resr" --out "$T/repr" --no-gnuplot >/dev/null 2>&1
check "rules.tex: one pdflatex pass" sh -c "cd '$T/repr' && pdflatex -interaction=nonstopmode -halt-on-error rules.tex >/dev/null 2>&1"
check "rules.tex: no overfull box" sh -c "! grep -q Overfull '$T/repr/rules.log'"
check "rules.md beside it" grep -q '^| method | last | best | oracle (upper bound) |' "$T/repr/rules.md"

# DeCA Figs. 5/6: a C1 x C2 x alpha sweep (two seeds; seed 2 is missing at
# the paper's point, on every slice) becomes one figure of reproduction.tex: the C1 x C2 heat
# map and a line per setting, the PDFs included when gnuplot drew them
# (the defaults C1 1000, C2 10, alpha 1 are the paper's configuration here)
cat >"$T/fig6.yaml" <<'END'
name: fig6
datasets:
  - name: synthetic
models: [gmf]
methods:
  - name: deca
    sweep:
      deca_c1: [1, 1000]
      deca_c2: [10, 1000]
      deca_alpha: [0, 1]
seeds: [1, 2]
settings: {epochs: 1, factors: 8}
reference:
  paper: toy-paper
  table: Table 1
  rows:
    - [synthetic, gmf, deca, ndcg, 20, 0.2, 0.01]
END
"$DB" run "$T/fig6.yaml" --jobs 2 --results "$T/res6" >/dev/null 2>&1
rm "$T"/res6/synthetic/gmf-deca-deca_c1=1000,deca_c2=10,deca_alpha=1-s2-*.result # the paper's point
fig6() { # report options...; the figure environment of reproduction.tex into $T/fig6.tex
	rm -rf "$T/rep"
	"$DB" report "$T/res6" --suite "$T/fig6.yaml" --out "$T/rep" "$@" >/dev/null 2>&1
	sed -n '/^\\begin{figure}/,/^\\end{figure}/p' "$T/rep/reproduction.tex" >"$T/fig6.tex"
}
fig6
check "fig. 6: one figure, the heat map then the C1, C2 and alpha lines" sh -c \
	"[ \$(grep -c '^\\\\begin{figure}' '$T/fig6.tex') = 1 ] && grep '^\\\\caption{synthetic' '$T/fig6.tex' | tr '\n' ' ' | grep -q 'C_1\\\\times C_2\\$}.*C_1\\$}.*C_2\\\$}.*alpha\\$}'"
check "fig. 6: the caption gives the seeds, 1-2 per point" grep -q 'the mean over 1--2 seeds per point' "$T/fig6.tex"
check "fig. 6: with the PDFs drawn, pdflatex compiles and includes all four" sh -c \
	"cd '$T/rep' && pdflatex -interaction=nonstopmode -halt-on-error reproduction.tex >/dev/null 2>&1 && pdflatex -interaction=nonstopmode -halt-on-error reproduction.tex >/dev/null 2>&1 && [ \$(grep -o 'figures/sweep-synthetic-gmf-deca-deca_[a-z0-9_-]*.pdf>' reproduction.log | sort -u | wc -l) = 4 ]"
check "fig. 6: no overfull box, no rerun" clean_log reproduction.tex
fig6 --no-gnuplot
check "fig. 6 without gnuplot: the document still compiles, a note in place of each PDF" sh -c \
	"cd '$T/rep' && pdflatex -interaction=nonstopmode -halt-on-error reproduction.tex >/dev/null 2>&1 && [ \$(grep -c 'not drawn' '$T/fig6.tex') = 4 ]"
done_testing
