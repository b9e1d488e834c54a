#!/usr/bin/env python3
"""Scaling: `check` and `build --format html` as one dimension of a project grows ×1, ×10, ×100.

    benches/scaling.py [--bin PATH] [--dims roles,duties,chapters,headings] [--factors 1,10,100]
                       [--timeout SECONDS] [--keep DIR]

Each dimension grows alone, from a small project (two audiences, 3 chapters, 5 roles, 10 duties):

    roles      N roles in ONE framework file, each accountable to an earlier one, `::: roles`
    duties     N duties in ONE framework file, over 20 roles, `::: duties all`
    chapters   N small chapters (a heading and two paragraphs each)
    headings   N headings with the SAME text in one chapter (ids `-2`, `-3`, … made unique)

Base sizes: 50 roles, 1,000 duties, 50 chapters, 200 headings; so ×100 is 5,000 roles, 100,000
duties, 5,000 chapters and 20,000 headings. Each run is timed with `/usr/bin/time -v` (wall
time and peak resident memory) and stopped after --timeout seconds. Prints a Markdown table.
Benchmarks are scripts, not tests.
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

BASE = {"roles": 50, "duties": 1000, "chapters": 50, "headings": 200}
WORDS = ("safeguarding children welfare commissioning provider designated professional named nurse "
         "doctor partnership local authority board assurance accountability duty statutory guidance "
         "training supervision referral assessment information sharing early help inspection").split()


def sentence(i, n=12):
    words = [WORDS[(i * 7 + k * 3) % len(WORDS)] for k in range(n)]
    words[0] = words[0].capitalize()
    return " ".join(words) + "."


def write(root, rel, text):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def project(root, dim, n):
    """Writes a project with `n` of `dim` (the other dimensions at their small default)."""
    roles = n if dim == "roles" else (20 if dim == "duties" else 5)
    duties = n if dim == "duties" else 10
    chapters = n if dim == "chapters" else 3
    headings = n if dim == "headings" else 0
    write(root, "guidepack.toml", "\n".join([
        "[pack]", 'title = "Scaling pack"', 'publisher = "Bench"', 'version = "1.0.0"',
        'date = "2013-03-28"', 'language = "en-GB"', "",
        "[[audience]]", 'id = "commissioners"', 'name = "Commissioners"', 'description = "Plan"', "",
        "[[audience]]", 'id = "providers"', 'name = "Providers"', 'description = "Deliver"', "",
    ]))
    fw = ["[[statute]]", 'id = "act"', 'title = "Children Act 2004, section 11"',
          'url = "https://www.legislation.gov.uk/ukpga/2004/31/section/11"', ""]
    for i in range(roles):
        parent = f'["role-{(i - 1) // 2}"]' if i else "[]"
        fw += ["[[role]]", f'id = "role-{i}"', f'name = "Role {i}"', 'kind = "organisation"',
               f'description = "{sentence(i)}"', f"accountable_to = {parent}",
               'audiences = ["commissioners", "providers"]', ""]
    for i in range(duties):
        fw += ["[[duty]]", f'id = "duty-{i}"', f'role = "role-{i % roles}"', f'text = "{sentence(i, 10)}"',
               'basis = ["act"]', 'audiences = ["commissioners"]' if i % 2 else 'audiences = ["providers"]', ""]
    write(root, "content/framework/framework.toml", "\n".join(fw))
    write(root, "content/glossary.toml", 'CCG = "clinical commissioning group"\n')
    for c in range(chapters):
        body = [f"---\ntitle: Chapter {c} {WORDS[c % len(WORDS)]}\n---\n",
                f"## About chapter {c}\n", sentence(c) + " The CCG leads.\n", sentence(c + 1) + "\n"]
        if c == 0:
            body.append("## Roles\n\n::: roles\n:::\n")
            body.append("## Duties\n\n::: duties all\n:::\n")
            body += ["## Duties of each role\n\n" + sentence(k) + "\n" for k in range(headings)]
        write(root, f"content/{c:05d}-chapter-{c}.md", "\n".join(body))


def timed(cmd, timeout):
    """Runs `cmd` under /usr/bin/time -v; (wall seconds or None on timeout, peak MiB, exit code)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as t:
        try:
            proc = subprocess.run(["/usr/bin/time", "-v", "-o", t.name] + cmd, timeout=timeout,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        except subprocess.TimeoutExpired:
            return None, None, None
        stats = {}
        for line in t.read().splitlines():
            key, _, value = line.strip().rpartition(": ")
            stats[key] = value
    wall = stats.get("Elapsed (wall clock) time (h:mm:ss or m:ss)", "0:0")
    seconds = sum(float(p) * 60 ** i for i, p in enumerate(reversed(wall.split(":"))))
    peak = int(stats.get("Maximum resident set size (kbytes)", "0")) / 1024
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr.decode(errors="replace")[-2000:])
    return seconds, peak, proc.returncode


def du(path):
    total = 0
    for dirpath, _, files in os.walk(path):
        total += sum(os.path.getsize(os.path.join(dirpath, f)) for f in files)
    return total / (1024 * 1024)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default=os.path.join(here, "..", "target", "release", "guidepack"))
    ap.add_argument("--dims", default="roles,duties,chapters,headings")
    ap.add_argument("--factors", default="1,10,100")
    ap.add_argument("--timeout", type=float, default=120)
    ap.add_argument("--keep", help="generate the projects here and keep them")
    a = ap.parse_args()
    binary = os.path.abspath(a.bin)
    work = a.keep or tempfile.mkdtemp(prefix="gp-scaling-")
    print(f"binary: {binary}\n")
    print("| dimension | size | check s | check MiB | build html s | build MiB | output MiB |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    try:
        for dim in a.dims.split(","):
            for factor in (int(f) for f in a.factors.split(",")):
                n = BASE[dim] * factor
                root = os.path.join(work, f"{dim}-{n}")
                shutil.rmtree(root, ignore_errors=True)
                project(root, dim, n)
                cells = []
                for args in (["check"], ["build", "--format", "html"]):
                    secs, mib, code = timed([binary, "--project", root] + args, a.timeout)
                    if secs is None:
                        cells += [f"> {a.timeout:.0f}", "—"]
                    else:
                        mark = "" if code == 0 else f" (exit {code})"
                        cells += [f"{secs:.2f}{mark}", f"{mib:.0f}"]
                out = os.path.join(root, "output")
                cells.append(f"{du(out):.1f}" if os.path.isdir(out) else "—")
                print(f"| {dim} | {n:,} | " + " | ".join(cells) + " |", flush=True)
                if not a.keep:
                    shutil.rmtree(root, ignore_errors=True)
    finally:
        if not a.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
