#!/usr/bin/env bash
# `npm run notebook`: Jupyter on the project with the TypeScript (tslab) kernel, for interactive use.
# The kernel spec is project-local (jupyter/kernels/tslab), so nothing is installed globally.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
if ! command -v jupyter-notebook >/dev/null 2>&1 && ! [ -x /usr/bin/jupyter-notebook ]; then
  echo "npm run notebook: jupyter-notebook is missing; run 'npm run setup' (Debian package jupyter-notebook)" >&2
  exit 1
fi
export MASA_ROOT="$root"
export JUPYTER_PATH="$root/jupyter${JUPYTER_PATH:+:$JUPYTER_PATH}"
export PATH="$root/node_modules/.bin:$PATH"
extra=()
# Jupyter refuses to start as root without this; containers and fresh machines often are root.
[ "$(id -u)" -eq 0 ] && extra+=(--allow-root)
cd "$root/notebooks"
exec /usr/bin/jupyter-notebook "${extra[@]}" --no-browser --ip=127.0.0.1 --NotebookApp.kernel_spec_manager_class=jupyter_client.kernelspec.KernelSpecManager "$@"
