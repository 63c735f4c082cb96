#!/usr/bin/env python3
"""pmc-audit beside its baselines over the same units, in one run (see run.sh)."""
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


class Timed:
    """Wall time, and CPU time of the children run inside, with the load average before."""

    def __enter__(self):
        self.load = os.getloadavg()[0]
        self.start = time.monotonic()
        self.cpu_start = os.times()
        return self

    def __exit__(self, *exc):
        end = os.times()
        self.wall = time.monotonic() - self.start
        self.cpu = (end.children_user - self.cpu_start.children_user) + (end.children_system - self.cpu_start.children_system)


def copy_repository(repo: str) -> None:
    listed = subprocess.run(["git", "-C", ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            check=True, capture_output=True).stdout.decode().split("\0")
    for relative in filter(None, listed):
        if relative.startswith(("fixtures/", "tests/", "bench/")):
            continue
        source = os.path.join(ROOT, relative)
        if not os.path.isfile(source):
            continue
        target = os.path.join(repo, relative)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copy2(source, target)


def floor_commands(db: str):
    for entry in json.load(open(db)):
        args = shlex.split(entry["command"]) if "command" in entry else entry["arguments"]
        # What pmc-audit drops too: the output, the compile step, dependency files.
        kept, skip = [], False
        for arg in args:
            if skip:
                skip = False
            elif arg in ("-o", "-MF", "-MT", "-MQ"):
                skip = True
            elif arg not in ("-c", "-MD", "-MMD"):
                kept.append(arg)
        yield entry["directory"], kept + ["-fsyntax-only", "-w"]


def run_audit(audit: str, db_dir: str, repo: str, jobs: int, cache: str, out: str) -> None:
    with open(out, "w") as stdout:
        code = subprocess.run([audit, "-p", db_dir, "--jobs", str(jobs), "--cache-dir", cache, "--format", "json", repo],
                              stdout=stdout, stderr=subprocess.DEVNULL).returncode
    if code not in (0, 1):
        sys.exit(f"bench: pmc-audit exited {code}")


def main() -> None:
    build = os.environ.get("PMC_BUILD_DIR", os.path.join(ROOT, "build"))
    generated = int(sys.argv[1]) if len(sys.argv) > 1 else 40
    audit = os.path.join(build, "auditor", "pmc-audit")
    if not os.access(audit, os.X_OK) or not os.path.isfile(os.path.join(build, "compile_commands.json")):
        sys.exit(f"bench/audit: build pmc-audit first (scripts/dev/build.sh; PMC_BUILD_DIR={build})")
    work = tempfile.mkdtemp(prefix="pmc-audit-bench.")
    try:
        repo, db_dir = os.path.join(work, "repo"), os.path.join(work, "db")
        copy_repository(repo)
        subprocess.run([sys.executable, os.path.join(HERE, "generate_units.py"), repo, str(generated)], check=True)
        subprocess.run(["git", "-C", repo, "init", "-q"], check=True)
        units = subprocess.run([sys.executable, os.path.join(HERE, "make_compile_commands.py"),
                                os.path.join(build, "compile_commands.json"), ROOT, repo, db_dir],
                               check=True, capture_output=True, text=True).stdout.strip()
        db = os.path.join(db_dir, "compile_commands.json")

        with Timed() as floor:
            for directory, args in floor_commands(db):
                if subprocess.run(args, cwd=directory).returncode != 0:
                    sys.exit("bench: a unit does not compile: " + shlex.join(args))
        with Timed() as cold1:
            run_audit(audit, db_dir, repo, 1, os.path.join(work, "cache-1"), os.path.join(work, "cold-1.json"))
        with Timed() as cold2:
            run_audit(audit, db_dir, repo, 2, os.path.join(work, "cache-2"), os.path.join(work, "cold-2.json"))
        with Timed() as warm:
            run_audit(audit, db_dir, repo, 1, os.path.join(work, "cache-1"), os.path.join(work, "warm-1.json"))
        files = [entry["file"] for entry in json.load(open(db))]
        with Timed() as tidy:
            subprocess.run(["clang-tidy-19", "-p", db_dir, "--quiet", "--checks=-*,readability-else-after-return",
                            "--extra-arg=-w", *files], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

        reports = [json.load(open(os.path.join(work, name))) for name in ("cold-1.json", "cold-2.json", "warm-1.json")]
        same = reports[0]["findings"] == reports[1]["findings"] == reports[2]["findings"]
        summary = reports[2]["summary"]

        def line(label, timed, ratio):
            print(f"{label:<52} {timed.wall:8.2f} s wall {timed.cpu:8.2f} s cpu  load {timed.load:4.1f}   {ratio}")

        print(f"units: {units} in compile_commands.json ({generated} generated), {reports[0]['summary']['units']} audited")
        line("clang-19 -fsyntax-only, a process per unit (floor)", floor, "")
        line("pmc-audit --jobs 1, cold cache", cold1, f"{cold1.wall / floor.wall:.2f}x floor (target <= 1.10)")
        line("pmc-audit --jobs 2, cold cache", cold2, f"{cold1.wall / cold2.wall:.2f}x faster than --jobs 1 (target >= 1.80)")
        line("pmc-audit --jobs 1, unchanged tree (warm cache)", warm,
             f"{100 * warm.wall / cold1.wall:.1f}% of cold (target <= 5%); {summary['cached_units']}/{summary['units']} "
             f"units cached; same findings: {'yes' if same else 'NO'}")
        line("clang-tidy-19, one cheap check", tidy, f"{tidy.wall / floor.wall:.2f}x floor")
        print("load: the 1-minute load average when each started; on a shared machine, wall-time ratios need idle cores")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
