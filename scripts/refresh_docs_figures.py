#!/usr/bin/python3
"""Regenerates the figures in docs/*.md from the commands that produce them.

A figure is a block in a doc:

    <!-- figure: strata compare -b configs/a.json -c configs/b.json -w resnet18 -->
    Produced by `strata compare ...`:
    ...the command's output...
    <!-- end figure -->

The command runs with bash from the repository root, with build/sim (the strata binary; or
$STRATA_BIN_DIR) first on PATH. `figure` blocks are deterministic simulator output; `measured` blocks (timings) are rerun
only with --measured, and name the machine and date they were measured on.

usage: refresh_docs_figures.py [--check] [--measured] [--only SUBSTRING] [--doc NAME.md]
  --check     rewrite nothing; exit 1 listing every deterministic figure that differs
  --doc       only the figures of docs/NAME.md (the suite checks each doc as its own test)
  --measured  also rerun the measured (timing) figures
"""
import argparse
import datetime
import os
import platform
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BLOCK = re.compile(r"<!-- (figure|measured): (.+?) -->\n(.*?)<!-- end figure -->\n", re.S)


def run(command):
    env = dict(os.environ)
    bin_dir = env.get("STRATA_BIN_DIR") or os.path.join(ROOT, "build", "sim")
    env["PATH"] = bin_dir + os.pathsep + env.get("PATH", "")
    result = subprocess.run(["bash", "-c", "set -o pipefail; " + command], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit("refresh_docs_figures: `%s` failed (exit %d):\n%s"
                 % (command, result.returncode, result.stderr[-2000:]))
    return result.stdout


def machine():
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return "%d-core %s" % (os.cpu_count() or 1, cpu)


def body(kind, command, output):
    if kind == "figure":
        return "Produced by `%s`:\n\n%s" % (command, output)
    return "Measured with `%s` on a %s, %s:\n\n%s" % (
        command, machine(), datetime.date.today().isoformat(), output)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--measured", action="store_true")
    parser.add_argument("--only", default="")
    parser.add_argument("--doc", default="")
    args = parser.parse_args()
    docs = os.path.join(ROOT, "docs")
    stale, count = [], 0
    names = sorted(os.listdir(docs))
    if args.doc and args.doc not in names:
        sys.exit("refresh_docs_figures: --doc %s: no such file in docs/" % args.doc)
    for name in names:
        if not name.endswith(".md") or (args.doc and name != args.doc):
            continue
        path = os.path.join(docs, name)
        with open(path) as f:
            text = f.read()
        out, last = [], 0
        for m in BLOCK.finditer(text):
            kind, command, current = m.group(1), m.group(2), m.group(3)
            out.append(text[last:m.start(3)])
            last = m.end(3)
            wanted = kind == "figure" or (args.measured and not args.check)
            if not wanted or args.only not in command:
                out.append(current)
                continue
            count += 1
            print("refresh_docs_figures: docs/%s: %s" % (name, command), file=sys.stderr)
            fresh = body(kind, command, run(command))
            if fresh != current:
                stale.append("docs/%s: %s" % (name, command))
            out.append(fresh)
        out.append(text[last:])
        new_text = "".join(out)
        if not args.check and new_text != text:
            fd, tmp = tempfile.mkstemp(dir=docs, suffix=".md")
            with os.fdopen(fd, "w") as f:
                f.write(new_text)
            os.chmod(tmp, 0o644)
            os.replace(tmp, path)
    if args.check:
        if stale:
            print("refresh_docs_figures: %d of %d figures are stale (run "
                  "scripts/refresh_docs_figures.sh):\n  %s" % (len(stale), count,
                                                               "\n  ".join(stale)),
                  file=sys.stderr)
            return 1
        print("refresh_docs_figures: %d figures match their commands" % count, file=sys.stderr)
        return 0
    print("refresh_docs_figures: %d figures run, %d changed" % (count, len(stale)),
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
