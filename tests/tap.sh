# Minimal TAP producer for the shell tests; source it.
# check "description" command...   runs the command; ok when it exits 0.
tap_n=0
tap_failed=0
# the BLAS kernel is the default's unless a test sets it (README, "The BLAS
# kernel is part of a result")
unset DENOISEBENCH_BLAS_KERNEL DENOISEBENCH_BLAS_PINNED OPENBLAS_CORETYPE
check() {
	desc=$1
	shift
	tap_n=$((tap_n + 1))
	if "$@" >/dev/null 2>&1; then
		echo "ok $tap_n - $desc"
	else
		echo "not ok $tap_n - $desc"
		tap_failed=$((tap_failed + 1))
	fi
}
skip() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n # SKIP $1"
}
done_testing() {
	echo "1..$tap_n"
	[ "$tap_failed" -eq 0 ]
}
