#!/usr/bin/env bash
# A one-node Slurm cluster on this machine, for the Slurm executor's integration test:
#   scripts/slurm-local.sh start|stop|status
# Debian 12's slurm-wlm (Slurm 22.05) and munge; no systemd needed, runs as root (CI, containers).
# Sourcing it only defines seplab_slurm_start, seplab_slurm_stop and seplab_slurm_up.
#
# The config is /etc/slurm/slurm.conf, the path every client (sbatch, squeue, sacct, scancel,
# sinfo, scontrol) reads by default, so callers need no SLURM_CONF. A slurm.conf that this script
# did not write (it lacks the marker line below) is never overwritten: start refuses instead.
# The cluster: node "localhost" with this machine's CPUs and memory, partition "debug" (default,
# no time limit), CPUs as the consumable resource (two 1-CPU jobs run side by side), no cgroups,
# no accounting (sacct does not work), finished jobs stay visible to squeue/scontrol for 10 min.
# State under /var/lib/seplab-slurm, logs under /var/log/seplab-slurm, pid files under
# /run/seplab-slurm. stop leaves running jobs' slurmstepd alone; the next start re-attaches them.
set -euo pipefail

_seplab_slurm_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/setup.sh
source "$_seplab_slurm_root/scripts/setup.sh"

SEPLAB_SLURM_CONF=/etc/slurm/slurm.conf
SEPLAB_SLURM_MARK="# written by SepLab scripts/slurm-local.sh"
SEPLAB_SLURM_NODE=localhost
SEPLAB_SLURM_STATE=/var/lib/seplab-slurm
SEPLAB_SLURM_LOGS=/var/log/seplab-slurm
SEPLAB_SLURM_RUN=/run/seplab-slurm
SEPLAB_SLURM_TIMEOUT=${SEPLAB_SLURM_TIMEOUT:-60}
SEPLAB_MUNGE_KEY=/etc/munge/munge.key

_slurm_say() { echo "slurm-local: $*" >&2; }

# True when the process whose id is in file $1 is alive.
_slurm_pid_alive() {
    local pid
    [ -s "$1" ] || return 1
    pid=$(cat "$1" 2>/dev/null) || return 1
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

# Sends TERM to the process in pid file $1 (named $2), waits up to 20 s, then KILL.
_slurm_kill_pidfile() {
    local file=$1 name=$2 pid i
    if ! _slurm_pid_alive "$file"; then
        rm -f "$file"
        return 0
    fi
    pid=$(cat "$file")
    _slurm_say "stopping $name (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 40; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.5
    done
    if kill -0 "$pid" 2>/dev/null; then
        _slurm_say "$name did not stop in 20 s: killing it"
        kill -KILL "$pid" 2>/dev/null || true
        sleep 0.5
    fi
    if kill -0 "$pid" 2>/dev/null; then
        _slurm_say "$name (pid $pid) could not be stopped."
        return 1
    fi
    rm -f "$file"
}

_munge_works() {
    command -v munge >/dev/null 2>&1 && munge -n 2>/dev/null | unmunge >/dev/null 2>&1
}

_slurm_show_logs() {
    local f
    for f in "$SEPLAB_SLURM_LOGS/slurmctld.log" "$SEPLAB_SLURM_LOGS/slurmd.log"; do
        [ -f "$f" ] || continue
        echo "--- last lines of $f" >&2
        tail -n 15 "$f" >&2
    done
}

# The node's state as sinfo's compact %t (idle, mix, alloc, down*, drain, ...), or nothing.
_slurm_node_state() {
    command -v sinfo >/dev/null 2>&1 || return 0
    timeout 10 sinfo -h -N -n "$SEPLAB_SLURM_NODE" -o %t 2>/dev/null | head -n 1 || true
}

# 0 when sinfo answers and the node can run jobs (idle, mixed, allocated or completing).
seplab_slurm_up() {
    case "$(_slurm_node_state)" in
        idle | mix | alloc | comp) return 0 ;;
        *) return 1 ;;
    esac
}

# Writes /etc/slurm/slurm.conf from this machine's hardware (slurmd -C), unless a foreign one exists.
_slurm_write_conf() {
    if [ -e "$SEPLAB_SLURM_CONF" ] && ! grep -qxF "$SEPLAB_SLURM_MARK" "$SEPLAB_SLURM_CONF"; then
        _slurm_say "$SEPLAB_SLURM_CONF exists and was not written by SepLab: refusing to overwrite it."
        return 1
    fi
    local hw node
    if ! hw=$(slurmd -C 2>/dev/null | grep '^NodeName='); then
        _slurm_say "slurmd -C did not report this machine's hardware."
        return 1
    fi
    # "NodeName=vm CPUs=2 Boards=1 SocketsPerBoard=1 CoresPerSocket=2 ThreadsPerCore=1 RealMemory=N":
    # the node is named localhost but keeps the measured layout, so slurmd finds no mismatch.
    node=$(sed -E "s/^NodeName=[^ ]+/NodeName=$SEPLAB_SLURM_NODE/" <<<"$hw")
    mkdir -p "$(dirname "$SEPLAB_SLURM_CONF")" || return 1
    cat >"$SEPLAB_SLURM_CONF.tmp" <<EOF || return 1
$SEPLAB_SLURM_MARK
# A one-node test cluster; scripts/slurm-local.sh start rewrites this file, stop leaves it.
ClusterName=seplab
SlurmctldHost=$SEPLAB_SLURM_NODE
SlurmUser=root
AuthType=auth/munge
CredType=cred/munge
MpiDefault=none
MailProg=/bin/true
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/backfill
# Pending jobs are looked at every 5 s rather than 60/30 s (a job whose BeginTime passed waits for it).
SchedulerParameters=sched_interval=5,bf_interval=5
# A requeued job waits cred_expire + 1 s (default 120) before it may start again.
AuthInfo=cred_expire=10
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
JobRequeue=1
MinJobAge=600
SlurmctldTimeout=10
SlurmdTimeout=10
InactiveLimit=0
KillWait=10
Waittime=0
SlurmctldPort=6817
SlurmdPort=6818
StateSaveLocation=$SEPLAB_SLURM_STATE/ctld
SlurmdSpoolDir=$SEPLAB_SLURM_STATE/d
SlurmctldPidFile=$SEPLAB_SLURM_RUN/slurmctld.pid
SlurmdPidFile=$SEPLAB_SLURM_RUN/slurmd.pid
SlurmctldLogFile=$SEPLAB_SLURM_LOGS/slurmctld.log
SlurmdLogFile=$SEPLAB_SLURM_LOGS/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
$node State=UNKNOWN
PartitionName=debug Nodes=$SEPLAB_SLURM_NODE Default=YES MaxTime=INFINITE State=UP
EOF
    mv "$SEPLAB_SLURM_CONF.tmp" "$SEPLAB_SLURM_CONF"
}

# Creates the munge key when absent and starts munged (as the munge user) unless munge works.
_slurm_start_munge() {
    if [ ! -e "$SEPLAB_MUNGE_KEY" ]; then
        _slurm_say "creating $SEPLAB_MUNGE_KEY"
        mkdir -p "$(dirname "$SEPLAB_MUNGE_KEY")"
        dd if=/dev/urandom of="$SEPLAB_MUNGE_KEY" bs=1024 count=1 status=none || {
            _slurm_say "could not write $SEPLAB_MUNGE_KEY."
            return 1
        }
    fi
    if ! { chown munge:munge "$SEPLAB_MUNGE_KEY" && chmod 0400 "$SEPLAB_MUNGE_KEY"; }; then
        _slurm_say "could not give $SEPLAB_MUNGE_KEY to the munge user with mode 0400."
        return 1
    fi
    if _munge_works; then
        _slurm_say "munged already running"
        return 0
    fi
    _slurm_say "starting munged"
    # Without systemd nobody creates munged's runtime dir.
    install -d -o munge -g munge -m 0755 /run/munge /var/log/munge /var/lib/munge || return 1
    if ! runuser -u munge -- /usr/sbin/munged --force >/dev/null 2>&1; then
        _slurm_say "munged did not start (see /var/log/munge/munged.log)."
        return 1
    fi
    touch "$SEPLAB_SLURM_RUN/munged.ours"
    local i
    for ((i = 0; i < 20; i++)); do
        _munge_works && return 0
        sleep 0.5
    done
    _slurm_say "munge -n | unmunge still fails 10 s after starting munged."
    return 1
}

seplab_slurm_start() {
    if [ "$(id -u)" -ne 0 ]; then
        _slurm_say "start needs root (the daemons run as root)."
        return 1
    fi
    if seplab_slurm_up; then
        _slurm_say "already up (node $SEPLAB_SLURM_NODE is $(_slurm_node_state))"
        return 0
    fi
    if [ -e "$SEPLAB_SLURM_CONF" ] && ! grep -qxF "$SEPLAB_SLURM_MARK" "$SEPLAB_SLURM_CONF"; then
        _slurm_say "$SEPLAB_SLURM_CONF exists and was not written by SepLab: refusing to overwrite it."
        return 1
    fi
    seplab_install slurm-wlm munge || {
        _slurm_say "installing slurm-wlm and munge failed."
        return 1
    }
    mkdir -p "$SEPLAB_SLURM_STATE/ctld" "$SEPLAB_SLURM_STATE/d" "$SEPLAB_SLURM_LOGS" \
        "$SEPLAB_SLURM_RUN" || return 1
    _slurm_start_munge || return 1
    _slurm_say "writing $SEPLAB_SLURM_CONF"
    _slurm_write_conf || return 1

    if _slurm_pid_alive "$SEPLAB_SLURM_RUN/slurmctld.pid"; then
        _slurm_say "slurmctld already running"
    else
        _slurm_say "starting slurmctld"
        slurmctld || {
            _slurm_say "slurmctld did not start."
            _slurm_show_logs
            return 1
        }
    fi
    if _slurm_pid_alive "$SEPLAB_SLURM_RUN/slurmd.pid"; then
        _slurm_say "slurmd already running"
    else
        _slurm_say "starting slurmd"
        slurmd -N "$SEPLAB_SLURM_NODE" || {
            _slurm_say "slurmd did not start."
            _slurm_show_logs
            return 1
        }
    fi

    _slurm_say "waiting for node $SEPLAB_SLURM_NODE to be idle"
    local deadline=$((SECONDS + SEPLAB_SLURM_TIMEOUT)) state
    while ((SECONDS < deadline)); do
        state=$(_slurm_node_state)
        case "$state" in
            idle | mix | alloc | comp)
                _slurm_say "up: node $SEPLAB_SLURM_NODE is $state, partition debug"
                return 0
                ;;
            down* | drain* | drng* | fail*)
                scontrol update nodename="$SEPLAB_SLURM_NODE" state=resume >/dev/null 2>&1 || true
                ;;
        esac
        sleep 1
    done
    _slurm_say "node $SEPLAB_SLURM_NODE is not idle after ${SEPLAB_SLURM_TIMEOUT} s (state: ${state:-no answer from sinfo})."
    _slurm_show_logs
    return 1
}

seplab_slurm_stop() {
    if [ "$(id -u)" -ne 0 ]; then
        _slurm_say "stop needs root."
        return 1
    fi
    if [ -e "$SEPLAB_SLURM_CONF" ] && ! grep -qxF "$SEPLAB_SLURM_MARK" "$SEPLAB_SLURM_CONF"; then
        _slurm_say "$SEPLAB_SLURM_CONF was not written by SepLab: not stopping that cluster."
        return 1
    fi
    _slurm_kill_pidfile "$SEPLAB_SLURM_RUN/slurmd.pid" slurmd || return 1
    _slurm_kill_pidfile "$SEPLAB_SLURM_RUN/slurmctld.pid" slurmctld || return 1
    if [ -e "$SEPLAB_SLURM_RUN/munged.ours" ]; then
        _slurm_kill_pidfile /run/munge/munged.pid munged || return 1
        rm -f "$SEPLAB_SLURM_RUN/munged.ours"
    elif _munge_works; then
        _slurm_say "munged was not started by this script: left running"
    fi
    _slurm_say "stopped"
}

_seplab_slurm_status() {
    if ! command -v sinfo >/dev/null 2>&1; then
        _slurm_say "Slurm is not installed."
        return 1
    fi
    timeout 10 sinfo || true
    timeout 10 squeue || true
    if seplab_slurm_up; then
        return 0
    fi
    _slurm_say "not up."
    return 1
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    case "${1:-}" in
        start) seplab_slurm_start ;;
        stop) seplab_slurm_stop ;;
        status) _seplab_slurm_status ;;
        *)
            echo "usage: $0 start|stop|status" >&2
            exit 2
            ;;
    esac
fi
