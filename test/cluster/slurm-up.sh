#!/bin/sh
# Starts a real single-node SLURM on localhost for the cluster tests (run as root, no systemd):
# munged, slurmctld and slurmd, from ../shared/notes/slurm.md's measured recipe. The node
# advertises two GPUs as GRES whose "device files" are /dev/full and /dev/zero (character devices
# every Linux has; nothing opens them), so the jobs' `--gres=gpu:N` lines are the real ones and
# SLURM does the GPU bookkeeping (CUDA_VISIBLE_DEVICES, at most two one-GPU jobs at once).
# SLURM_FRESH=1 (default) wipes the controller's and the node's saved state first, so a job id or a
# drained node from an earlier run never leaks into this one. Stop with slurm-down.sh.
set -eu
# What this script started, for slurm-down.sh (which stops only those).
MARK=/run/masa-slurm-test.started
for pf in /run/slurm/slurmctld.pid /run/slurm/slurmd.pid; do
  if [ -s "$pf" ] && kill -0 "$(cat "$pf")" 2>/dev/null; then
    echo "slurm-up: $pf names a running process ($(cat "$pf")): SLURM is already up; stop it first (slurm-down.sh)" >&2
    exit 3
  fi
done
: > "$MARK"
if [ -s /run/munge/munged.pid ] && kill -0 "$(cat /run/munge/munged.pid)" 2>/dev/null; then
  # A munged already running (e.g. started by the package's init script) serves us as well.
  munge -n | unmunge >/dev/null || { echo "slurm-up: a munged runs but does not answer" >&2; exit 3; }
else
  [ -s /etc/munge/munge.key ] || runuser -u munge -- mungekey -c
  install -d -o munge -g munge -m 0755 /run/munge
  # As root munged refuses ("Logfile is insecure"): run it as its own user.
  runuser -u munge -- /usr/sbin/munged
  echo /run/munge/munged.pid >> "$MARK"
  for i in $(seq 50); do munge -n | unmunge >/dev/null 2>&1 && break; sleep 0.1; done
fi
install -d -o slurm -g slurm -m 0755 /run/slurm /var/spool/slurmctld /var/log/slurm
install -d -m 0755 /var/spool/slurmd /etc/slurm
if [ "${SLURM_FRESH:-1}" = 1 ]; then rm -rf /var/spool/slurmctld/* /var/spool/slurmd/*; fi
# `slurmd -C` prints this machine's real node line, so the config matches any runner.
NODELINE=$(slurmd -C | head -n1 | sed 's/^\(NodeName=[^ ]*\)/\1 NodeAddr=127.0.0.1/')
NODENAME=$(echo "$NODELINE" | sed 's/^NodeName=\([^ ]*\).*/\1/')
cat > /etc/slurm/gres.conf <<CONF
NodeName=${NODENAME} Name=gpu File=/dev/full
NodeName=${NODENAME} Name=gpu File=/dev/zero
CONF
cat > /etc/slurm/slurm.conf <<CONF
ClusterName=ci
SlurmctldHost=localhost
SlurmUser=slurm
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/run/slurm/slurmctld.pid
SlurmdPidFile=/run/slurm/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=/var/log/slurm/jobcomp.log
SchedulerParameters=batch_sched_delay=0
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
GresTypes=gpu
MpiDefault=none
MailProg=/bin/true
ReturnToService=2
MinJobAge=3600
${NODELINE} Gres=gpu:2 State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
/usr/sbin/slurmctld
echo /run/slurm/slurmctld.pid >> "$MARK"
for i in $(seq 100); do scontrol ping 2>/dev/null | grep -q UP && break; sleep 0.1; done
/usr/sbin/slurmd
echo /run/slurm/slurmd.pid >> "$MARK"
for i in $(seq 300); do
  st=$(sinfo -h -N -o %T | head -n1)
  case "$st" in idle|mixed|allocated) exit 0;; *drain*|inval*|down*) break;; esac
  sleep 0.1
done
sinfo -N -l >&2; tail -n 20 /var/log/slurm/slurmctld.log /var/log/slurm/slurmd.log >&2; exit 1
