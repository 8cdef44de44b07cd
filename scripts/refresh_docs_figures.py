#!/usr/bin/python3
"""Regenerates the figures in docs/*.md from the commands that produce them.

A figure is a block in a doc:

    <!-- figure: strata compare -b configs/a.json -c configs/b.json -w resnet18 -->
    Produced by `strata compare ...`:
    ...the command's output...
    <!-- end figure -->

The command runs with bash from the repository root, with build/sim (the strata binary; or
$STRATA_BIN_DIR) first on PATH. `figure` blocks are deterministic simulator output; `measured`
blocks (timings) are rerun only with --measured, and name the machine and date they were measured
on. A `long figure` is a deterministic figure whose command takes most of a minute or more on 2
cores (the paper tables on VGG-16 and BERT-base, the studies on photographs): it is regenerated
like any figure, and --check runs it only with --long. Without --long, a long figure that is a
`strata compare -w ...` is checked on its rows of the small networks (QUICK_WORKLOADS): the same
command on those workloads alone must print the doc's row of each, byte for byte (a workload's
row of the comparison does not depend on the other workloads of the run).

usage: refresh_docs_figures.py [--check [--long]] [--measured] [--only SUBSTRING] [--doc NAME.md]
  --check     rewrite nothing; exit 1 listing every deterministic figure that differs
  --long      with --check: the long figures too, in full (the suite checks their quick rows)
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
BLOCK = re.compile(r"<!-- (figure|long figure|measured): (.+?) -->\n(.*?)<!-- end figure -->\n",
                   re.S)
# The zoo networks a long comparison's rows are checked on without --long: each prepares in about
# a second (VGG-16's 138 M and BERT-base's 110 M synthetic weights take most of a long figure's
# time).
QUICK_WORKLOADS = ("resnet18", "resnet50", "mobilenet_v1", "resnet34_face")
COMPARE_WORKLOADS = re.compile(r"^(strata compare .*? -w )(\S+)(.*)$")


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


def quick_rows(command, current):
    """A long comparison's rows of QUICK_WORKLOADS against the doc's: the problems found, or None
    when the figure has no such rows (not a `strata compare -w`, or no quick workload)."""
    m = COMPARE_WORKLOADS.match(command)
    if not m:
        return None
    quick = [w for w in m.group(2).split(",") if w in QUICK_WORKLOADS]
    if not quick:
        return None
    output = run(m.group(1) + ",".join(quick) + m.group(3)).splitlines()
    lines = set(current.splitlines())
    problems = []
    for w in quick:
        rows = [line for line in output if line.startswith("| %s |" % w)]
        if not rows:
            problems.append("no row for %s" % w)
        problems += ["row differs: %s" % r for r in rows if r not in lines]
    return problems


def body(kind, command, output):
    if kind in ("figure", "long figure"):
        return "Produced by `%s`:\n\n%s" % (command, output)
    return "Measured with `%s` on a %s, %s:\n\n%s" % (
        command, machine(), datetime.date.today().isoformat(), output)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--long", action="store_true")
    parser.add_argument("--measured", action="store_true")
    parser.add_argument("--only", default="")
    parser.add_argument("--doc", default="")
    args = parser.parse_args()
    docs = os.path.join(ROOT, "docs")
    if args.long and not args.check:
        sys.exit("refresh_docs_figures: --long goes with --check (regenerating runs every figure)")
    stale, count, quick_checked, not_run = [], 0, 0, []
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
            wanted = kind != "measured" or (args.measured and not args.check)
            if not wanted or args.only not in command:
                out.append(current)
                continue
            if kind == "long figure" and args.check and not args.long:
                out.append(current)
                print("refresh_docs_figures: docs/%s: long figure, its quick rows: %s"
                      % (name, command), file=sys.stderr)
                problems = quick_rows(command, current)
                count += problems is not None
                if problems is None:
                    not_run.append("docs/%s: %s" % (name, command))
                elif problems:
                    stale.append("docs/%s: %s (%s)" % (name, command, "; ".join(problems)))
                else:
                    quick_checked += 1
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
        print("refresh_docs_figures: %d figures match their commands (%d of them long figures on "
              "their quick rows)" % (count, quick_checked), file=sys.stderr)
        if not_run:
            print("refresh_docs_figures: %d long figures not run (--check --long runs every figure in"
                  " full):\n  %s" % (len(not_run), "\n  ".join(not_run)), file=sys.stderr)
        return 0
    print("refresh_docs_figures: %d figures run, %d changed" % (count, len(stale)),
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
