#!/usr/bin/env python3
"""pmc-audit's text-rule pass beside ripgrep with the same patterns, in one run (see run.sh)."""
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
REPEATS = 3


def name_expression(pattern: str) -> str:
    """As BypassPatterns::name_expression (auditor/src/classify/bypass_patterns.cpp)."""
    if "*" in pattern:
        glob = "".join("[A-Za-z0-9_]*" if c == "*" else re.escape(c) for c in pattern)
        return "(?:^|[^A-Za-z0-9_])(" + glob + ")(?:$|[^A-Za-z0-9_])"
    tail = "" if pattern.endswith("_") else "(?:$|[^A-Za-z0-9])"
    return "(?:^|[^A-Za-z0-9])(" + re.escape(pattern) + ")" + tail


def flag_expression(pattern: str) -> str:
    """As BypassPatterns::flag_expression."""
    if pattern.endswith("*"):
        return "(?:^|[^A-Za-z0-9_-])(" + re.escape(pattern[:-1]) + "[A-Za-z0-9_-]*)"
    return "(?:^|[^A-Za-z0-9_-])(" + re.escape(pattern) + ")(?:$|[^A-Za-z0-9_])"


WORDS = ("deploy build test release cache artifact docker image node runner matrix step job "
         "services bookings providers categories name description price active schema "
         "migration backup verify fingerprint environment production staging review").split()
IDENTS = ("DATABASE_URL PMC_EXPECTED_ENV ALLOWED_COLUMNS ALLOWED_HOSTS NODE_ENV CMAKE_BUILD_TYPE "
          "GITHUB_SHA RUNNER_OS kAllowedTables allowlist enforce_ci_only_execution HOME PATH "
          "SKIPPED_ROWS ACCEPTANCE_TESTS FORCED_COLORS").split()
HITS = ("SKIP_FINGERPRINT APP_BYPASS_REVIEW FORCE_APPLY DISABLE_DATABASE_ENVIRONMENT_CHECK "
        "PRISMA_USER_CONSENT_FOR_DANGEROUS_AI_ACTION --force --skip-backup --accept-data-loss "
        "--no-verify safety_assured").split()


def line(rng: random.Random, kind: str) -> str:
    words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 9)))
    ident = rng.choice(IDENTS)
    if kind == "yml":
        return rng.choice([f"      - run: ./tools/{rng.choice(WORDS)} --{rng.choice(WORDS)} {words}",
                           f"        {ident}: \"{words}\"", f"    {rng.choice(WORDS)}:",
                           f"      # {words}"])
    if kind == "sh":
        return rng.choice([f"export {ident}=\"{words}\"", f"echo \"{words}\" >> \"${{{ident}}}.log\"",
                           f"if [ -n \"${{{ident}:-}}\" ]; then {rng.choice(WORDS)}; fi", f"# {words}"])
    if kind == "cmake":
        return rng.choice([f"set({ident} \"{words}\")", f"add_library({rng.choice(WORDS)} STATIC {words})",
                           f"# {words}"])
    if kind == "json":
        return f"  \"{rng.choice(WORDS)}\": \"{words} {ident}\","
    return f"{ident}={words.replace(' ', '-')}"


def generate(tree: str, megabytes: int) -> int:
    """CI YAML, shell, CMake, Dockerfile, .env, Makefile and JSON files; one line in ~5000 hits."""
    rng = random.Random(7)
    kinds = [("yml", ".github/workflows/wf{}.yml"), ("sh", "scripts/s{}.sh"), ("cmake", "cmake/m{}.cmake"),
             ("sh", "docker/{}/Dockerfile"), ("env", "env/e{}.env"), ("sh", "make/{}/Makefile"),
             ("json", "config/c{}.json")]
    pool = {kind: [line(rng, kind) for _ in range(20000)] for kind, _ in kinds}
    written = 0
    hits = 0
    index = 0
    target = megabytes * 1024 * 1024
    while written < target:
        kind, pattern = kinds[index % len(kinds)]
        path = os.path.join(tree, "generated", pattern.format(index))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        lines = rng.choices(pool[kind], k=rng.randint(200, 800))
        if rng.random() < 0.3:
            lines[rng.randrange(len(lines))] = f"{rng.choice(HITS)}=1"
            hits += 1
        text = "\n".join(lines) + "\n"
        with open(path, "w") as out:
            out.write(text)
        written += len(text)
        index += 1
    return hits


def copy_repository(tree: str) -> None:
    listed = subprocess.run(["git", "-C", ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            check=True, capture_output=True).stdout.decode().split("\0")
    for relative in filter(None, listed):
        source = os.path.join(ROOT, relative)
        if os.path.isfile(source):
            os.makedirs(os.path.dirname(os.path.join(tree, "pmc", relative)), exist_ok=True)
            shutil.copyfile(source, os.path.join(tree, "pmc", relative))


def timed(argv, ok_codes):
    start = time.monotonic()
    before = os.times()
    result = subprocess.run(argv, capture_output=True)
    wall = time.monotonic() - start
    after = os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    if result.returncode not in ok_codes:
        sys.exit(f"audit-text bench: {argv[0]} exited {result.returncode}: {result.stderr.decode()[:500]}")
    return wall, cpu, result.stdout


def best(argv, ok_codes):
    runs = [timed(argv, ok_codes) for _ in range(REPEATS)]
    return min(runs, key=lambda run: run[0])


def main() -> None:
    megabytes = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    build = os.environ.get("PMC_BUILD_DIR", os.path.join(ROOT, "build"))
    audit = os.path.join(build, "auditor", "pmc-audit")
    if not os.access(audit, os.X_OK):
        sys.exit(f"audit-text bench: no {audit}; build pmc-audit first (PMC_BUILD_DIR picks the build)")
    with open(os.path.join(ROOT, "rules", "contract.json")) as source:
        bypass = json.load(source)["bypass"]
    expressions = [name_expression(p) for p in bypass["name_patterns"]] + \
                  [flag_expression(p) for p in bypass["flag_patterns"]]

    work = tempfile.mkdtemp(prefix="pmc-audit-text-bench-")
    try:
        tree = os.path.join(work, "tree")
        os.makedirs(os.path.join(tree, "rules"))
        shutil.copyfile(os.path.join(ROOT, "rules", "contract.json"), os.path.join(tree, "rules", "contract.json"))
        planted = generate(tree, megabytes)
        copy_repository(tree)
        subprocess.run(["git", "-C", tree, "init", "-q"], check=True)
        paths = [os.path.join(d, f) for d, dirs, files in os.walk(tree)
                 for f in files if os.path.relpath(d, tree).split(os.sep)[0] != ".git"]
        size = sum(os.path.getsize(path) for path in paths)
        count = len(paths)
        for path in paths:  # warm the page cache for both tools
            with open(path, "rb") as handle:
                handle.read()

        ours = [audit, "--rules", "bypass-text", "--format", "json", tree]
        # ripgrep over the same files: hidden ones too, no .gitignore, less what the text rules skip
        # (C/C++, Markdown, the contract's own files); binary files it skips by itself.
        theirs = ["rg", "--no-config", "--hidden", "--no-ignore", "--count-matches", "-g", "!.git/",
                  "-g", "!/rules/", "-g", "!*.md", "-g", "!*.{c,cc,cpp,cxx,h,hh,hpp,hxx,inl,ipp,tpp,tcc}"]
        for expression in expressions:
            theirs += ["-e", expression]
        theirs.append(tree)
        theirs_one = theirs[:1] + ["-j", "1"] + theirs[1:]

        audit_wall, audit_cpu, out = best(ours, (0, 1))
        findings = len(json.loads(out)["findings"])
        rg_wall, rg_cpu, rg_out = best(theirs, (0, 1))
        rg_one_wall, rg_one_cpu, _ = best(theirs_one, (0, 1))
        rg_matches = sum(int(row.rsplit(b":", 1)[1]) for row in rg_out.splitlines() if row)

        print(f"tree: {size / 2**20:.0f} MiB in {count} files ({planted} planted matches, plus this repository)")
        print(f"{'':34} {'wall s':>8} {'cpu s':>8}  result")
        print(f"{'pmc-audit --rules bypass-text':34} {audit_wall:8.2f} {audit_cpu:8.2f}  {findings} findings")
        print(f"{'rg (default threads)':34} {rg_wall:8.2f} {rg_cpu:8.2f}  {rg_matches} matches (comments included)")
        print(f"{'rg -j1':34} {rg_one_wall:8.2f} {rg_one_cpu:8.2f}")
        print(f"ratio rg / pmc-audit (wall): {rg_wall / audit_wall:.2f}x (target >= 1.0); "
              f"rg -j1 / pmc-audit: {rg_one_wall / audit_wall:.2f}x; best of {REPEATS} runs each")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
