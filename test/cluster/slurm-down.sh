#!/bin/sh
# Stops what slurm-up.sh started, by the PIDs its daemons wrote: slurmd, slurmctld, munged.
# TERM, up to 10 s, then KILL. Harmless when nothing runs.
for pf in /run/slurm/slurmd.pid /run/slurm/slurmctld.pid /run/munge/munged.pid; do
  [ -s "$pf" ] || continue
  pid=$(cat "$pf")
  kill -TERM "$pid" 2>/dev/null || continue
  for i in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
done
exit 0
