#!/usr/bin/env python3
"""compile_commands.json for the benchmark repository: this repository's own entries moved to
the copy (build-tree paths kept), plus one entry per generated unit with runtime flags."""
import json
import os
import re
import sys


def main() -> None:
    source_db, source_root, repo, out_dir = sys.argv[1:5]
    entries = json.load(open(source_db))
    source_root = os.path.realpath(source_root)
    build_dir = os.path.realpath(os.path.dirname(source_db))
    moved = re.compile(re.escape(source_root + "/") + r"(?!" + re.escape(os.path.relpath(build_dir, source_root)) + r"/)")

    def move(text: str) -> str:
        return moved.sub(repo + "/", text)

    result, template = [], None
    for entry in entries:
        relative = os.path.relpath(os.path.realpath(entry["file"]), source_root)
        if relative.startswith(("tests/", "bench/", "fixtures/", "..")) or not os.path.exists(os.path.join(repo, relative)):
            continue
        command = entry.get("command") or " ".join(entry["arguments"])
        moved_entry = {"directory": entry["directory"], "command": move(command), "file": move(entry["file"])}
        result.append(moved_entry)
        if relative == "runtime/src/error/failure.cpp":
            template = moved_entry
    if template is None:
        sys.exit("make_compile_commands: runtime/src/error/failure.cpp is not in " + source_db)
    template_file = template["file"]
    for name in sorted(os.listdir(os.path.join(repo, "generated"))):
        if not name.endswith(".cpp"):
            continue
        file = os.path.join(repo, "generated", name)
        command = template["command"].replace(template_file, file)
        command = re.sub(r"-o \S+", "-o " + file + ".o", command) + " -I" + repo
        result.append({"directory": template["directory"], "command": command, "file": file})
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "compile_commands.json"), "w") as out:
        json.dump(result, out, indent=1)
    print(len(result))


if __name__ == "__main__":
    main()
