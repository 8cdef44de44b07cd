#!/usr/bin/env bash
# The Slurm job-array recipe of docs/sweeps.md on a real single-node Slurm: starts munged,
# slurmctld and slurmd (Debian's munge and slurm-wlm) on a generated slurm.conf in a scratch
# directory, submits the recipe (taken from the docs, not a copy) as a 4-task array, merges the
# shards with `strata merge`, and checks results.csv equals the local `strata sweep`'s byte for
# byte. Where the daemons cannot start it skips (exit 77) with the reason, except under CI=true,
# where that is a failure.
# Usage: job_array_sweep.sh STRATA_BINARY SOURCE_DIR
set -euo pipefail
strata=$1
src=$2
spec=configs/sweeps/array_shape_resnet18.json
tasks=4

cannot_run() {
  echo "Slurm test: $*" >&2
  if [ "${CI:-}" = true ]; then
    echo "Slurm test: failing, not skipping: CI=true (scripts/setup.sh installs slurm-wlm and munge)" >&2
    exit 1
  fi
  echo "Slurm test: skipped" >&2
  exit 77
}

for tool in munged mungekey slurmctld slurmd sbatch sinfo; do
  command -v "$tool" > /dev/null || cannot_run "$tool not found (Debian packages munge, slurm-wlm)"
done
[ "$(id -u)" -eq 0 ] || cannot_run "the daemons run as root here; this user is $(id -un)"

# A short path: munged's socket path must fit a sockaddr_un (108 bytes).
tmp=$(mktemp -d "${TMPDIR:-/tmp}/slurm.XXXXXX")
[ ${#tmp} -lt 80 ] || { rmdir "$tmp"; tmp=$(mktemp -d /tmp/slurm.XXXXXX); }
chmod 755 "$tmp"  # munged wants every directory above its socket searchable by all
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2> /dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2> /dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT
show_logs() {
  for log in "$tmp"/*.log; do
    echo "--- $log" >&2
    tail -n 15 "$log" >&2
  done
}

mungekey --create --keyfile="$tmp/munge.key"
munged --foreground --key-file="$tmp/munge.key" --socket="$tmp/munge.sock" \
  --pid-file="$tmp/munged.pid" --log-file="$tmp/munged.log" --seed-file="$tmp/munged.seed" \
  2> "$tmp/munged.err.log" &
pids+=($!)
for _ in $(seq 50); do [ -S "$tmp/munge.sock" ] && break; sleep 0.1; done
[ -S "$tmp/munge.sock" ] || { show_logs; cannot_run "munged did not create its socket"; }

# Two free TCP ports for slurmctld and slurmd.
read -r ctld_port node_port < <(python3 -c '
import socket
s = [socket.socket() for _ in range(2)]
for x in s: x.bind(("127.0.0.1", 0))
print(*[x.getsockname()[1] for x in s])')
node=$(hostname -s)
mkdir -p "$tmp/state" "$tmp/spool"
cat > "$tmp/slurm.conf" << CONF
ClusterName=strata
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$node_port
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$tmp/munge.sock
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/slurmctld.log
SlurmdLogFile=$tmp/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
ReturnToService=2
NodeName=$node NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=strata Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$tmp/slurm.conf
slurmctld -D > "$tmp/slurmctld.out.log" 2>&1 &
pids+=($!)
slurmd -D > "$tmp/slurmd.out.log" 2>&1 &
pids+=($!)
state=""
for _ in $(seq 300); do
  state=$(sinfo --noheader --format=%t 2> /dev/null || true)
  [ "$state" = idle ] && break
  sleep 0.1
done
[ "$state" = idle ] || { show_logs; cannot_run "the node is not idle after 30 s (state '$state')"; }

# The recipe: the first sh block after "**Slurm job array**" in docs/sweeps.md.
awk '/^\*\*Slurm job array\*\*/ {found = 1} found && /^```sh$/ {inside = 1; next}
     inside && /^```$/ {exit} inside {print}' "$src/docs/sweeps.md" > "$tmp/strata_sweep.sbatch"
grep -q '^#SBATCH --array' "$tmp/strata_sweep.sbatch" || { echo "no recipe found in docs/sweeps.md" >&2; exit 1; }

# Command-line options override the recipe's #SBATCH sizes: 4 tasks of one core on this node.
cd "$src"
export STRATA="$strata"
timeout 600 sbatch --wait --quiet --array=0-$((tasks - 1)) --cpus-per-task=1 --time=10 \
  --chdir="$src" --output="$tmp/task_%a.log" "$tmp/strata_sweep.sbatch" "$spec" "$tmp/results" || {
  show_logs
  cat "$tmp"/task_*.log >&2 || true
  echo "Slurm test: the array job failed" >&2
  exit 1
}
"$strata" merge "$tmp"/results/shard* --out "$tmp/results/all" 2> "$tmp/merge.log" ||
  { cat "$tmp/merge.log" >&2; exit 1; }
"$strata" sweep "$spec" --out "$tmp/local" -q
ls -d "$tmp"/results/shard* | wc -l | grep -qx "$tasks"
cmp "$tmp/results/all/results.csv" "$tmp/local/results.csv"
rows=$(($(wc -l < "$tmp/local/results.csv") - 1))
echo "Slurm test: $tasks array tasks on $node merged into $rows rows, byte-identical to the local sweep"
