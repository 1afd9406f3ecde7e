# Speed against the authors' code, for bench/bench.sh.
# mode=ratio: awk -F'\t' -v mode=ratio -v ds=D -v model=M -v method=X -v rows=FILE \
#   -f authors.awk AUTHORS.tsv RESULT
#   prints one comment line with ours/theirs per epoch and per evaluation for
#   the cell (nothing when AUTHORS.tsv has no row for it) and appends
#   "ds model method part ours theirs" lines to FILE for the summary; with
#   -v label=L (e.g. neumf+once: a variant of the model) the lines name L.
# mode=summary: awk -F'\t' -v mode=summary -f authors.awk FILE
#   prints the summary table against the targets of issue 13, one row per
#   cell and part.
# Ours are the result file's in-process wall seconds; theirs are the CPU
# seconds of AUTHORS.tsv's fifth column (one thread, so their unloaded wall).

# the issue's targets, as speed-ups theirs/ours: per epoch GMF and CDAE (alone
# or under DeCA) 25x, LightGCN 20x, NeuMF 4x; every evaluation 20x
function target(model, part) {
	sub(/\+.*/, "", model) # a variant's target is its model's
	if (part == "eval")
		return 20
	if (model == "neumf")
		return 4
	return model == "lightgcn" ? 20 : 25
}
function verdict(model, part, ours, theirs) {
	return theirs / ours >= target(model, part) ? "met" : "not met"
}
function part_text(model, part, ours, theirs) {
	return sprintf("%s %.4f s / %.4f s = %.3f (%.1fx, target %dx: %s)", part, ours, theirs,
		ours / theirs, theirs / ours, target(model, part), verdict(model, part, ours, theirs))
}

mode == "ratio" && FILENAME == ARGV[1] && $1 == ds && $2 == model && $3 == method {
	theirs[$4] = $5
}
mode == "ratio" && FILENAME == ARGV[2] && $1 == "timing" {
	t[$2] = $3
}
mode == "ratio" {
	next
}

# a cell timed twice (GMF Normal on ml-100k: models and methods parts) keeps
# its first row
mode == "summary" && !(($1, $2, $3, $4) in seen) {
	seen[$1, $2, $3, $4]
	n++
	for (i = 1; i <= 6; i++)
		row[n, i] = $i
}

END {
	if (mode == "ratio") {
		ours["epoch"] = t["seconds_per_epoch"]
		ours["eval"] = t["eval_seconds"]
		line = ""
		for (p = 1; p <= 2; p++) {
			part = p == 1 ? "epoch" : "eval"
			if (!(part in theirs) || ours[part] <= 0)
				continue
			line = line (line == "" ? "" : "; ") part_text(model, part, ours[part], theirs[part])
			printf "%s\t%s\t%s\t%s\t%.6f\t%.6f\n", ds, label != "" ? label : model, method,
				part, ours[part], theirs[part] >> rows
		}
		if (line != "")
			print "#   authors' code: " line
	}
	if (mode == "summary" && n) {
		printf "%-10s %-15s %-6s %9s %9s %7s %8s %7s %s\n", "dataset", "model", "part",
			"ours_s", "theirs_s", "ratio", "speedup", "target", "met"
		for (i = 1; i <= n; i++) {
			m = row[i, 2] (row[i, 3] == "normal" ? "" : "/" row[i, 3])
			printf "%-10s %-15s %-6s %9.4f %9.4f %7.3f %7.1fx %6dx %s\n", row[i, 1], m,
				row[i, 4], row[i, 5], row[i, 6], row[i, 5] / row[i, 6], row[i, 6] / row[i, 5],
				target(row[i, 2], row[i, 4]), verdict(row[i, 2], row[i, 4], row[i, 5], row[i, 6])
		}
	}
}
