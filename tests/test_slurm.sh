# A real Slurm run: a one-node cluster on the loopback interface (munged,
# slurmctld and slurmd with a generated slurm.conf in a temporary
# directory), the `plan --format slurm` job array submitted with sbatch, and
# the result set compared with `run`'s.  Skipped, with the reason, when the
# daemons are missing or cannot start (they need root: CI runs as root).
. "$DB_SRCDIR/tests/tap.sh"
DB=${DENOISEBENCH:-./denoisebench}
SUITE=$DB_SRCDIR/suites/smoke.yaml
C=$(mktemp -d /tmp/db-test-slurm-XXXXXX)
stop() {
	for p in "$C/slurmd.pid" "$C/slurmctld.pid" "$C/munge/pid"; do
		[ -s "$p" ] && kill "$(cat "$p")" 2>/dev/null
	done
	sleep 1
	rm -rf "$C"
}
trap stop EXIT
results() { (cd "$1" && for f in $(find . -name '*.result' | sort); do echo "== $f"; grep -v '^timing\|^end	' "$f"; done); }
skip_all() {
	skip "real Slurm: $1"
	skip "real Slurm: $1"
	skip "real Slurm: $1"
	done_testing
	exit 0
}

for b in munged mungekey slurmctld slurmd sbatch sinfo; do
	command -v $b >/dev/null 2>&1 || PATH=$PATH:/usr/sbin command -v $b >/dev/null 2>&1 ||
		skip_all "$b not installed (Debian: slurm-wlm, munge)"
done
PATH=$PATH:/usr/sbin
[ "$(id -u)" = 0 ] || skip_all "the daemons run as root here and this is not root"

# ports from the PID, so two test runs do not meet
port=$((20000 + ($$ % 20000)))
mkdir -p "$C/state" "$C/spool" "$C/munge" && chmod 700 "$C/munge"
mungekey -c -k "$C/munge/munge.key" >/dev/null 2>&1 &&
	munged --force --socket="$C/munge/sock" --key-file="$C/munge/munge.key" \
		--pid-file="$C/munge/pid" --log-file="$C/munge/log" --seed-file="$C/munge/seed" ||
	skip_all "munged does not start: $(tail -1 "$C/munge/log" 2>/dev/null)"
cat >"$C/slurm.conf" <<CONF
ClusterName=denoisebench-test
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$C/munge/sock
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$C/state
SlurmdSpoolDir=$C/spool
SlurmctldPidFile=$C/slurmctld.pid
SlurmdPidFile=$C/slurmd.pid
SlurmctldLogFile=$C/slurmctld.log
SlurmdLogFile=$C/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
ReturnToService=2
NodeName=localhost NodeAddr=127.0.0.1 CPUs=2 RealMemory=1000 State=UNKNOWN
PartitionName=test Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$C/slurm.conf"
slurmctld -f "$SLURM_CONF" >/dev/null 2>&1 && slurmd -f "$SLURM_CONF" -N localhost >/dev/null 2>&1 ||
	skip_all "slurmctld/slurmd do not start: $(tail -1 "$C/slurmctld.log" "$C/slurmd.log" 2>/dev/null | tr '\n' ' ')"
up=0
for i in $(seq 1 30); do
	sinfo -h -o %t 2>/dev/null | grep -q '^idle' && { up=1; break; }
	sleep 1
done
[ $up = 1 ] || skip_all "the node did not come up in 30 s: $(tail -1 "$C/slurmd.log" 2>/dev/null)"

"$DB" run "$SUITE" --jobs 2 --results "$C/run" >/dev/null 2>&1
results "$C/run" >"$C/r-run"
"$DB" plan "$SUITE" --format slurm --results "$C/slurm" >"$C/job.sh"
# bounded: a hung job fails the test instead of the whole make check
timeout 300 sbatch --wait --quiet -o "$C/task-%a.out" "$C/job.sh" >/dev/null 2>"$C/sbatch.err"
check "sbatch --wait: the job array ran to the end (exit 0)" test $? -eq 0
check "every array task wrote its result" test "$(find "$C/slurm" -name '*.result' | wc -l)" -eq 12
results "$C/slurm" >"$C/r-slurm"
check "the Slurm job array's result set equals run's" cmp "$C/r-run" "$C/r-slurm"
done_testing
