#!/bin/sh
# Stops what slurm-up.sh started (listed in its mark file), by the PIDs the daemons wrote:
# slurmd, then slurmctld, then munged. TERM, up to 10 s, then KILL. Harmless when nothing runs.
MARK=/run/masa-slurm-test.started
[ -f "$MARK" ] || exit 0
for pf in /run/slurm/slurmd.pid /run/slurm/slurmctld.pid /run/munge/munged.pid; do
  grep -qx "$pf" "$MARK" || continue
  [ -s "$pf" ] || continue
  pid=$(cat "$pf")
  kill -TERM "$pid" 2>/dev/null || continue
  for i in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
done
rm -f "$MARK"
exit 0
