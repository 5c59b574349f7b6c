#!/usr/bin/env python3
"""Syntax-checks the torch translation units of a compile database against other LibTorch headers.

Usage: check_torch2_tus.py compile_commands.json torch-include-dir work-dir jobs [regex]
Driven by scripts/check-torch2.sh, which explains why.
"""
import concurrent.futures
import json
import os
import re
import shlex
import subprocess
import sys

SYSTEM_TORCH_API = "/usr/include/torch/csrc/api/include"


def retarget(words, include):
    """Swaps the system torch include dir for the given headers; they precede /usr/include."""
    out = []
    i = 0
    while i < len(words):
        if words[i] == "-isystem" and words[i + 1] == SYSTEM_TORCH_API:
            out += ["-isystem", include + "/torch/csrc/api/include", "-isystem", include]
            i += 2
            continue
        out.append(words[i])
        i += 1
    return out


def drop_output_and_pch(words, pch_header):
    """Removes -o X and -c, and points a CMake PCH -include at the 2.x PCH."""
    out = []
    i = 0
    while i < len(words):
        w = words[i]
        if w == "-o":
            i += 2
            continue
        if w == "-include" and words[i + 1].endswith("cmake_pch.hxx"):
            out += ["-include", pch_header]
            i += 2
            continue
        if w != "-c":
            out.append(w)
        i += 1
    return out


def build_pch(entries, include, work):
    """Precompiles <torch/torch.h> with the exact flags of the build's PCH, or gcc refuses it."""
    owner = next(e for e in entries if e["file"].endswith("cmake_pch.hxx.cxx"))
    header = os.path.join(work, "torch2_pch.hxx")
    with open(header, "w") as f:
        f.write("#include <torch/torch.h>\n")
    words = retarget(shlex.split(owner["command"]), include)[:-1]  # drop the .cxx compiled
    flags = []
    i = 0
    while i < len(words):
        if words[i] in ("-o", "-include", "-x"):
            i += 2
            continue
        if words[i] != "-c":
            flags.append(words[i])
        i += 1
    cmd = flags + ["-x", "c++-header", header, "-o", header + ".gch"]
    subprocess.run(cmd, cwd=owner["directory"], check=True)
    return header


def version_check(entries, include, work):
    """Proves the headers in use are 2.x, not the system's 1.13."""
    probe = os.path.join(work, "version_probe.cpp")
    with open(probe, "w") as f:
        f.write('#include <torch/version.h>\n'
                'static_assert(TORCH_VERSION_MAJOR == 2, "not the LibTorch 2.x headers");\n'
                'int main() { return 0; }\n')
    subprocess.run(["c++", "-std=c++17", "-fsyntax-only", "-isystem",
                    include + "/torch/csrc/api/include", probe], check=True)


def main():
    db_path, include, work, jobs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    only = re.compile(sys.argv[5]) if len(sys.argv) > 5 and sys.argv[5] else None
    entries = json.load(open(db_path))
    version_check(entries, include, work)
    build_dir = os.path.dirname(os.path.abspath(db_path))
    header = os.path.join(work, "torch2_pch.hxx")
    if not os.path.exists(header + ".gch") or os.path.getmtime(header + ".gch") < os.path.getmtime(db_path):
        header = build_pch(entries, include, work)
    units = [e for e in entries
             if SYSTEM_TORCH_API in e["command"]
             and not e["file"].startswith(build_dir + "/")
             and not e["file"].endswith("cmake_pch.hxx.cxx")
             and (only is None or only.search(e["file"]))]

    def check(entry):
        words = drop_output_and_pch(retarget(shlex.split(entry["command"]), include), header)
        r = subprocess.run(words + ["-fsyntax-only"], cwd=entry["directory"],
                           capture_output=True, text=True)
        return entry["file"], r.returncode, r.stderr

    failed = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        for n, (path, rc, err) in enumerate(pool.map(check, units), 1):
            status = "ok" if rc == 0 else "FAILED"
            print(f"[{n}/{len(units)}] {status} {os.path.relpath(path)}", flush=True)
            if rc != 0:
                failed += 1
                print(err, flush=True)
    print(f"check-torch2: {len(units) - failed} of {len(units)} translation units compile "
          f"against the LibTorch headers in {include}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
