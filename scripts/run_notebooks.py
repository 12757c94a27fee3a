"""Execute notebooks headless with the tslab kernel (called by scripts/run-notebooks.mjs).

nbconvert hides tslab's errors (tslab sends no ename/evalue: the message is only in the
cell's stderr stream) and writes no output notebook on failure, so this runner uses nbclient
directly: it always saves the executed copy, prints each failing cell's source and real error
text, and exits 1 when any cell failed.
"""
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError


def cell_error_text(cell):
    parts = []
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream" and out.get("name") == "stderr":
            parts.append(out.get("text", ""))
        elif out.get("output_type") == "error":
            parts.append("%s: %s" % (out.get("ename", ""), out.get("evalue", "")))
            parts.extend(out.get("traceback", []))
    return "".join(p if p.endswith("\n") else p + "\n" for p in parts if p).strip()


def run(path, out_dir, timeout):
    nb = nbformat.read(str(path), as_version=4)
    client = NotebookClient(
        nb,
        kernel_name="tslab",
        timeout=timeout,
        allow_errors=False,
        resources={"metadata": {"path": str(path.parent)}},
    )
    started = time.time()
    error = None
    try:
        client.execute()
    except CellTimeoutError as e:
        error = "cell timed out after %ss: %s" % (timeout, str(e).splitlines()[0] if str(e) else "")
    except DeadKernelError as e:
        error = "kernel died: %s" % e
    except CellExecutionError as e:
        error = str(e).splitlines()[0] if str(e) else "cell failed"
    finally:
        out_dir.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, str(out_dir / path.name))
    elapsed = time.time() - started
    if error is None:
        print("ok    %s (%.1fs)" % (path.name, elapsed), flush=True)
        return True
    print("FAIL  %s (%.1fs)" % (path.name, elapsed), flush=True)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        text = cell_error_text(cell)
        ran = cell.get("execution_count") is not None
        if text and ran:
            print("  cell %d (id %s):" % (i, cell.get("id", "?")))
            print("    source: " + cell.source.strip().replace("\n", "\n            ")[:800])
            print("    error:  " + text.replace("\n", "\n            ")[:4000])
    if "cell" not in error:
        print("  " + error)
    return False


def main(argv):
    timeout = 600
    paths = []
    out_dir = Path("test-output/notebooks")
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--timeout":
            timeout = int(argv[i + 1])
            i += 2
            continue
        if a == "--out":
            out_dir = Path(argv[i + 1])
            i += 2
            continue
        paths.append(Path(a))
        i += 1
    if not paths:
        print("no notebooks given", file=sys.stderr)
        return 2
    failed = [p for p in paths if not run(p, out_dir, timeout)]
    print("%d passed, %d failed" % (len(paths) - len(failed), len(failed)), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
