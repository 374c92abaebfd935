#!/usr/bin/env bash
# A real one-node Slurm with accounting, on loopback, for the accounting tests.
#
#   ci/slurm/live.sh WORK_DIR OUT_DIR
#
# Installs (if missing) slurmctld, slurmd, slurmdbd, slurm-client, munge and mariadb-server from
# Debian's packages, starts munge, MariaDB, slurmdbd, slurmctld and slurmd under WORK_DIR, submits a
# set of jobs (a sleep, a CPU burner, an array of 3, a failure, a time-out, a GPU job on fake GPUs),
# waits until their accounting rows are complete, writes to OUT_DIR:
#   sacct-parsable2.txt   sacct -P (header, '|')
#   sacct-parsable.txt    sacct -p --noheader --delimiter='☃' (trailing delimiter)
#   sacct.json            sacct --json
#   submitted.tsv         what was submitted: name, expected state, minimum and maximum elapsed (s)
#   fields.txt            the --format list used
#   node.txt              the node line of slurmd -C
# and tears everything down (with IMPACTS_LIVE_KEEP=1: first writes OUT/slurm_conf and OUT/ready
# and stays up until OUT/stop exists or it gets SIGTERM). A daemon that does not start fails the
# run and prints its log.
# Facts and pitfalls: ../shared/docs/slurm-notes.md.
set -euo pipefail

WORK=${1:?usage: live.sh WORK_DIR OUT_DIR}
OUT=${2:?usage: live.sh WORK_DIR OUT_DIR}
mkdir -p "$WORK" "$OUT"
WORK=$(cd "$WORK" && pwd)
OUT=$(cd "$OUT" && pwd)
CLUSTER=impactsci
PORT_DB=36306
PORT_DBD=36819
PORT_CTLD=36817
PORT_D=36818

log() { printf '[slurm] %s\n' "$*" >&2; }

if [ "$(id -u)" != 0 ]; then
  log "FAILED: the live cluster needs root (it installs Debian packages and runs munged, mariadbd, slurmdbd, slurmctld and slurmd as their users); run as root, or set IMPACTS_SKIP_LIVE=1 for ci/test"
  exit 1
fi

need=()
for b in slurmctld slurmd slurmdbd sacct munged mariadbd; do
  command -v "$b" >/dev/null 2>&1 || need+=("$b")
done
if [ ${#need[@]} -gt 0 ]; then
  log "installing Debian packages (missing: ${need[*]})"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  apt-get install -y -q slurmctld slurmd slurmdbd slurm-client munge mariadb-server >/dev/null
fi

PIDS=()
fail() {
  log "FAILED: $*"
  for f in "$WORK"/log/* "$WORK"/munge/*.log "$WORK"/db/*.log; do
    [ -f "$f" ] || continue
    echo "----- $f" >&2
    tail -n 60 "$f" >&2 || true
  done
  exit 1
}

teardown() {
  set +e
  # slurmd, slurmctld (flushes to slurmdbd), slurmdbd, mariadbd, munged: SIGTERM and wait.
  for name in slurmd slurmctld slurmdbd mariadbd munged; do
    pidfile="$WORK/run/$name.pid"
    [ -f "$pidfile" ] || continue
    pid=$(cat "$pidfile")
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
    fi
  done
  log "torn down"
}
trap teardown EXIT
trap "exit 1" TERM INT

mkdir -p "$WORK"/{log,run,etc,spool/ctld,spool/d,munge,db,state}
chmod 0755 "$WORK" "$WORK/run" "$WORK/munge"
chown munge:munge "$WORK/munge"
runuser -u munge -- test -x "$WORK/munge" \
  || fail "$WORK is not reachable by the munge user: make its parent folders traversable (chmod o+x)"

# munge: key 0400 owned by munge, socket directory 0755, run as munge.
dd if=/dev/urandom bs=1 count=1024 of="$WORK/munge/munge.key" 2>/dev/null
chown munge:munge "$WORK/munge/munge.key"
chmod 0400 "$WORK/munge/munge.key"
SOCK="$WORK/munge/munge.socket"
runuser -u munge -- munged --key-file="$WORK/munge/munge.key" --socket="$SOCK" \
  --pid-file="$WORK/munge/munged.pid" --log-file="$WORK/munge/munged.log" --seed-file="$WORK/munge/munged.seed" \
  || fail "munged did not start"
for _ in $(seq 1 50); do [ -S "$SOCK" ] && break; sleep 0.1; done
[ -S "$SOCK" ] || fail "munge socket missing"
cp "$WORK/munge/munged.pid" "$WORK/run/munged.pid"
log "munge up"

# MariaDB in a private datadir, loopback only.
chown mysql:mysql "$WORK/db"
mariadb-install-db --no-defaults --auth-root-authentication-method=normal --user=mysql \
  --datadir="$WORK/db" >"$WORK/log/mariadb-install.log" 2>&1 || fail "mariadb-install-db"
runuser -u mysql -- mariadbd --no-defaults --datadir="$WORK/db" --socket="$WORK/db/mysql.sock" \
  --port=$PORT_DB --bind-address=127.0.0.1 --pid-file="$WORK/db/mariadbd.pid" \
  --log-error="$WORK/db/mariadbd.log" --skip-name-resolve >/dev/null 2>&1 &
for _ in $(seq 1 100); do
  mariadb --no-defaults -uroot --socket="$WORK/db/mysql.sock" -e 'select 1' >/dev/null 2>&1 && break
  sleep 0.2
done
mariadb --no-defaults -uroot --socket="$WORK/db/mysql.sock" -e 'select 1' >/dev/null 2>&1 || fail "mariadbd did not start"
cp "$WORK/db/mariadbd.pid" "$WORK/run/mariadbd.pid"
mariadb --no-defaults -uroot --socket="$WORK/db/mysql.sock" <<SQL
CREATE DATABASE slurm_acct_db;
CREATE USER 'slurm'@'127.0.0.1' IDENTIFIED BY 'slurmpw';
GRANT ALL ON slurm_acct_db.* TO 'slurm'@'127.0.0.1';
FLUSH PRIVILEGES;
SQL
log "mariadb up"

NODELINE=$(slurmd -C | head -n 1)
NODE=$(hostname -s)
CPUS=$(echo "$NODELINE" | sed -n 's/.*CPUs=\([0-9]*\).*/\1/p')
MEM=$(echo "$NODELINE" | sed -n 's/.*RealMemory=\([0-9]*\).*/\1/p')
echo "$NODELINE" >"$OUT/node.txt"
mkdir -p "$WORK/dev"
ln -sf /dev/null "$WORK/dev/gpu0"
ln -sf /dev/null "$WORK/dev/gpu1"

cat >"$WORK/etc/slurmdbd.conf" <<EOF
AuthType=auth/munge
AuthInfo=socket=$SOCK
DbdHost=localhost
DbdAddr=127.0.0.1
DbdPort=$PORT_DBD
SlurmUser=root
PidFile=$WORK/run/slurmdbd.pid
LogFile=$WORK/log/slurmdbd.log
StorageType=accounting_storage/mysql
StorageHost=127.0.0.1
StoragePort=$PORT_DB
StorageUser=slurm
StoragePass=slurmpw
StorageLoc=slurm_acct_db
EOF
chmod 0600 "$WORK/etc/slurmdbd.conf"

cat >"$WORK/etc/slurm.conf" <<EOF
ClusterName=$CLUSTER
SlurmctldHost=$NODE(127.0.0.1)
SlurmctldPort=$PORT_CTLD
SlurmdPort=$PORT_D
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$SOCK
StateSaveLocation=$WORK/state
SlurmdSpoolDir=$WORK/spool/d
SlurmctldPidFile=$WORK/run/slurmctld.pid
SlurmdPidFile=$WORK/run/slurmd.pid
SlurmctldLogFile=$WORK/log/slurmctld.log
SlurmdLogFile=$WORK/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/linux
JobAcctGatherFrequency=5
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
DefMemPerCPU=256
GresTypes=gpu
AccountingStorageType=accounting_storage/slurmdbd
AccountingStorageHost=127.0.0.1
AccountingStoragePort=$PORT_DBD
AccountingStoragePass=$SOCK
AccountingStorageTRES=gres/gpu
MinJobAge=2
InactiveLimit=0
KillWait=5
ReturnToService=2
NodeName=$NODE NodeAddr=127.0.0.1 CPUs=$CPUS RealMemory=$MEM Gres=gpu:2 State=UNKNOWN
PartitionName=debug Nodes=$NODE Default=YES MaxTime=INFINITE State=UP
EOF
cat >"$WORK/etc/gres.conf" <<EOF
AutoDetect=off
NodeName=$NODE Name=gpu File=$WORK/dev/gpu[0-1]
EOF
cat >"$WORK/etc/cgroup.conf" <<EOF
CgroupAutomount=no
ConstrainCores=no
ConstrainDevices=no
ConstrainRAMSpace=no
ConstrainSwapSpace=no
EOF
export SLURM_CONF="$WORK/etc/slurm.conf"

slurmdbd || fail "slurmdbd did not start"  # reads slurmdbd.conf beside $SLURM_CONF
for _ in $(seq 1 100); do
  sacctmgr -n -P list cluster >/dev/null 2>&1 && break
  sleep 0.2
done
sacctmgr -n -P list cluster >/dev/null 2>&1 || fail "slurmdbd does not answer"
sacctmgr -i add cluster $CLUSTER >/dev/null || fail "sacctmgr add cluster"
log "slurmdbd up"

slurmctld -i || fail "slurmctld did not start"
slurmd || fail "slurmd did not start"
for _ in $(seq 1 150); do
  state=$(sinfo -h -N -o '%T' 2>/dev/null | head -n 1 || true)
  case "$state" in idle*|mixed*|allocated*) break ;; esac
  sleep 0.2
done
state=$(sinfo -h -N -o '%T' 2>/dev/null | head -n 1 || true)
case "$state" in idle*|mixed*|allocated*) ;; *) fail "node not ready (state '$state')" ;; esac
log "slurmctld and slurmd up; node $NODE ($CPUS CPUs, $MEM MB) $state"

START=$(date +%Y-%m-%dT%H:%M:%S)
cd "$WORK"
submit() { sbatch --parsable -o /dev/null -e /dev/null "$@"; }
j_sleep=$(submit -J sleeper -n 1 --wrap 'srun sleep 5')
j_burn=$(submit -J burner -n 1 --wrap "bash -c 'end=\$((SECONDS+8)); while [ \$SECONDS -lt \$end ]; do :; done'")
j_array=$(submit -J arrayed -n 1 --array=1-3 --wrap 'sleep 2')
j_fail=$(submit -J failer -n 1 --wrap 'sleep 1; exit 1')
j_gpu=$(submit -J gpuer -n 1 --gres=gpu:1 --wrap 'sleep 3')
j_timeout=$(submit -J timeouter -n 1 -t 1 --wrap 'sleep 300')
printf 'name\tjobid\tstate\tmin_elapsed\tmax_elapsed\ttasks\n' >"$OUT/submitted.tsv"
printf 'sleeper\t%s\tCOMPLETED\t5\t30\t1\n' "$j_sleep" >>"$OUT/submitted.tsv"
# bash's SECONDS counts whole seconds from a fractional start: the burner runs 7 to 8 s.
printf 'burner\t%s\tCOMPLETED\t7\t40\t1\n' "$j_burn" >>"$OUT/submitted.tsv"
printf 'arrayed\t%s\tCOMPLETED\t2\t30\t3\n' "$j_array" >>"$OUT/submitted.tsv"
printf 'failer\t%s\tFAILED\t1\t30\t1\n' "$j_fail" >>"$OUT/submitted.tsv"
printf 'gpuer\t%s\tCOMPLETED\t3\t30\t1\n' "$j_gpu" >>"$OUT/submitted.tsv"
printf 'timeouter\t%s\tTIMEOUT\t60\t200\t1\n' "$j_timeout" >>"$OUT/submitted.tsv"
log "submitted: sleep $j_sleep, burner $j_burn, array $j_array, fail $j_fail, gpu $j_gpu, timeout $j_timeout"

FIELDS=JobID,JobIDRaw,JobName,User,Account,Partition,State,ExitCode,Submit,Start,End,Elapsed,ElapsedRaw,NNodes,NCPUS,AllocTRES,ReqMem,ConsumedEnergyRaw,NodeList,TotalCPU,Timelimit
echo "$FIELDS" >"$OUT/fields.txt"
# Wait until every allocation row is terminal and complete (not the placeholder 'allocation' row).
expected=8
deadline=$((SECONDS + 420))
while :; do
  rows=$(sacct -X -P -n -a -S "$START" -E now --format=JobID,JobName,Partition,State 2>/dev/null || true)
  done_rows=$(printf '%s\n' "$rows" | awk -F'|' '$3 != "" && $2 != "allocation" && $4 !~ /^(PENDING|RUNNING|REQUEUED|SUSPENDED|COMPLETING)/' | grep -c . || true)
  [ "$done_rows" -ge "$expected" ] && break
  [ $SECONDS -lt $deadline ] || fail "jobs did not finish in time: $rows"
  sleep 2
done
sleep 3
sacct -P -a -S "$START" -E now --format="$FIELDS" >"$OUT/sacct-parsable2.txt"
sacct -p -n -a -S "$START" -E now --delimiter='☃' --format="$FIELDS" >"$OUT/sacct-parsable.txt"
sacct --json -a -S "$START" -E now >"$OUT/sacct.json"
sacct -V >"$OUT/version.txt"
log "accounting written to $OUT ($(grep -c . "$OUT/sacct-parsable2.txt") lines)"
if [ "${IMPACTS_LIVE_KEEP:-0}" = "1" ]; then
  # Stay up for the tests that submit jobs (continuous ingestion) until asked to stop (the file
  # OUT/stop, or SIGTERM); they find the cluster through OUT/slurm_conf.
  echo "$SLURM_CONF" >"$OUT/slurm_conf"
  echo "$START" >"$OUT/start.txt"
  touch "$OUT/ready"
  log "up for the tests (touch $OUT/stop or SIGTERM to end)"
  while [ ! -e "$OUT/stop" ]; do sleep 1; done
fi
