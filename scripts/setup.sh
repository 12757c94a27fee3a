#!/usr/bin/env bash
# `npm run setup`: everything masa needs on a fresh Debian/Ubuntu machine.
#  1. Debian packages, only those missing (headless Jupyter, Chromium for static figures,
#     bubblewrap for the HumanEval sandbox, scipy/statsmodels for the reference tests, and a
#     single-node SLURM with munge, curl and procps for the cluster tests, which start and stop
#     the daemons themselves: test/cluster/slurm-up.sh);
#  2. `npm ci`, skipped when node_modules already matches package-lock.json;
#  3. the TypeScript kernel, registered project-locally (jupyter/kernels/tslab, found through
#     JUPYTER_PATH by the npm scripts), so nothing is installed globally.
# Running it twice is harmless: the second run checks and does nothing.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

packages=(
  jupyter-nbconvert jupyter-client python3-nbclient jupyter-nbformat jupyter-notebook
  chromium bubblewrap util-linux
  python3-scipy python3-statsmodels python3-numpy
  slurmctld slurmd slurm-client munge curl procps
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -gt 0 ]; then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "masa setup: this machine has no apt-get. Install these by hand (Debian package names), then rerun:" >&2
    echo "  ${missing[*]}" >&2
    echo "  (Jupyter with nbclient and nbformat for /usr/bin/python3, a Chromium at /usr/bin/chromium," >&2
    echo "   bubblewrap's bwrap, Python's scipy, statsmodels and numpy, and SLURM (slurmctld, slurmd," >&2
    echo "   sbatch/scontrol/scancel) with munge, curl and ps for the cluster tests)" >&2
    exit 1
  fi
  sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo=(sudo); else
      echo "masa setup: need root or sudo to install: ${missing[*]}" >&2
      exit 1
    fi
  fi
  # Ubuntu ships Chromium as a snap; its apt package is chromium-browser.
  if printf '%s\n' "${missing[@]}" | grep -qx chromium && ! apt-cache show chromium >/dev/null 2>&1; then
    missing=("${missing[@]/chromium/chromium-browser}")
  fi
  echo "masa setup: installing Debian packages: ${missing[*]}"
  # No service starts during the install (munge, slurmctld, slurmd): the cluster tests start and
  # stop their own daemons. A policy-rc.d already in place (containers) is left as it is.
  norc=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    norc=/usr/sbin/policy-rc.d
    printf '#!/bin/sh\n# masa setup: no service starts while it installs packages\nexit 101\n' | "${sudo[@]}" tee "$norc" >/dev/null
    "${sudo[@]}" chmod 0755 "$norc"
    trap '"${sudo[@]}" rm -f "$norc"' EXIT
  fi
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  if [ -n "$norc" ]; then "${sudo[@]}" rm -f "$norc"; trap - EXIT; fi
else
  echo "masa setup: Debian packages present"
fi

stamp="node_modules/.masa-lock-sha256"
want="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x node_modules/.bin/tslab ]; then
  echo "masa setup: node_modules matches package-lock.json"
else
  echo "masa setup: npm ci"
  npm ci --no-audit --no-fund
  echo "$want" > "$stamp"
fi

# The kernel spec is committed; check that Jupyter sees it with the project's JUPYTER_PATH.
if JUPYTER_PATH="$root/jupyter" /usr/bin/python3 -c "
import sys
from jupyter_client.kernelspec import KernelSpecManager
sys.exit(0 if 'tslab' in KernelSpecManager().find_kernel_specs() else 1)
" 2>/dev/null; then
  echo "masa setup: TypeScript kernel 'tslab' registered (project-local: jupyter/kernels/tslab)"
else
  echo "masa setup: Jupyter does not see jupyter/kernels/tslab; check /usr/bin/python3 has jupyter_client" >&2
  exit 1
fi
echo "masa setup: done. Next: npm run demo, npm test"
