"""Benchmark: ``docgen build`` of the regional sample, with and without PDFs, and a large case.

    python bench/build.py [--repeat 5] [--applicants 1000] [--root PATH] [--compare PATH]

In one run, round after round, it times (a) a cold ``soffice --convert-to pdf`` of the
sample's job posting with a fresh profile, the yardstick: it moves with the machine,
(b) ``docgen build samples/region-vest.yaml`` and (c) the same with ``--pdf``, each as a
new process, as a user runs it. Then it builds a generated case: the sample with
``--applicants`` more rejected applicants (letters only), and reads the peak memory
(maximum resident set size) of each build from the operating system. It prints medians,
the ratio of (c) to (a), the peak memory of both cases and the cost per extra applicant;
the last line holds the ratios (of ``--root``, default this checkout). ``--compare`` runs
another checkout in the same rounds, side by side (before and after a change, on the same
machine at the same time). Needs LibreOffice and a POSIX system (``wait4``).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIRST = ["Søren", "Åse", "Mette", "Jens", "Birgitte", "Mads", "Line", "Ole", "Karen", "Peter",
         "Signe", "Rasmus", "Louise", "Niels", "Astrid", "Frederik", "Maja", "Bo", "Trine"]
LAST = ["Østergaard", "Kjærgaard", "Brøndum", "Holm", "Dahl", "Møller", "Lund", "Bæk",
        "Jørgensen", "Ødegaard", "Sørensen", "Hansen", "Vestergaard", "Krog", "Aagaard"]


def generated_case(sample: Path, extra: int, folder: Path) -> Path:
    """The sample with ``extra`` more rejected, not interviewed applicants.

    Their ids are A100 … A999, then A1000 …: up to 900 extra fit ids of three digits (an
    older docgen's limit, for comparisons), more need four.
    """
    text = sample.read_text(encoding="utf-8")
    head, sep, tail = text.partition("\napplicants:\n")
    if not sep:
        raise SystemExit(f"{sample}: no applicants list found")
    rows = []
    for i in range(extra):
        name = f"{FIRST[i % len(FIRST)]} {LAST[(i // len(FIRST)) % len(LAST)]} {i}"
        rows.append(f"  - id: A{100 + i}\n    name: {name}\n    email: a{100 + i}@eksempel.dk\n"
                    "    outcome: rejected\n")
    case = folder / f"case-{extra}.yaml"
    case.write_text(head + sep + "".join(rows) + tail, encoding="utf-8")
    for other in sample.parent.iterdir():  # the logo and anything else the case names
        if other.suffix != ".yaml":
            shutil.copy(other, folder / other.name)
    return case


def run(args: list[str], root: Path) -> tuple[float, float]:
    """Run a command to the end; return its wall time (s) and peak memory (MB)."""
    env = {**os.environ, "PYTHONPATH": str(root)}
    # stderr goes to a file: a pipe nobody reads until the end fills up and stalls the build
    with tempfile.TemporaryFile() as errfile:
        start = time.perf_counter()
        proc = subprocess.Popen(args, cwd=root, env=env, stdout=subprocess.DEVNULL,
                                stderr=errfile)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        errfile.seek(0)
        err = errfile.read().decode(errors="replace")
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(args)}\n{err[-2000:]}")
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS
    return elapsed, usage.ru_maxrss * 1024 / scale / 1024


def cold_soffice(soffice: str, source: Path, scratch: Path, i: int) -> float:
    profile, out = scratch / f"profile{i}", scratch / f"yard{i}"
    start = time.perf_counter()
    subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                    "--norestore", "--nolockcheck", "--convert-to", "pdf", "--outdir", str(out),
                    str(source)], check=True, capture_output=True, timeout=300)
    elapsed = time.perf_counter() - start
    if not (out / (source.stem + ".pdf")).is_file():
        raise SystemExit("the yardstick conversion wrote no PDF")
    shutil.rmtree(profile, ignore_errors=True)
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="rounds (default 5)")
    parser.add_argument("--applicants", type=int, default=1000,
                        help="extra applicants in the large case (default 1000; 0: skip it)")
    parser.add_argument("--root", type=Path, default=ROOT, help="the docgen checkout to run")
    parser.add_argument("--compare", type=Path, action="append", default=[],
                        help="another checkout to run in the same rounds (before/after)")
    args = parser.parse_args()
    roots = [r.resolve() for r in (args.root, *args.compare)]
    soffice = shutil.which(os.environ.get("DOCGEN_SOFFICE") or "soffice")
    if soffice is None:
        raise SystemExit("LibreOffice (soffice) not found")
    sample = ROOT / "samples" / "region-vest.yaml"
    docgen = [sys.executable, "-m", "docgen", "build"]
    yard: list[float] = []
    times: dict[tuple[Path, str], list[float]] = {}
    peaks: dict[tuple[Path, str], list[float]] = {}
    with tempfile.TemporaryDirectory(prefix="docgen-bench-build-") as tmp:
        scratch = Path(tmp)
        for root in roots:  # untimed: disk caches
            run([*docgen, str(sample), "-o", str(scratch / "warm")], root)
        posting = scratch / "warm" / "stillingsopslag.docx"
        cold_soffice(soffice, posting, scratch, -1)  # untimed: LibreOffice from disk once
        large = generated_case(sample, args.applicants, scratch) if args.applicants else None
        builds = [("build", [str(sample)]), ("build --pdf", [str(sample), "--pdf"])]
        if large is not None:
            builds.append(("large", [str(large)]))
        for i in range(args.repeat):
            yard.append(cold_soffice(soffice, posting, scratch, i))
            line = [f"round {i + 1}: soffice {yard[-1]:.2f} s"]
            for root in roots:
                for label, extra in builds:
                    out = scratch / f"out{i}"
                    t, mem = run([*docgen, *extra, "-o", str(out)], root)
                    shutil.rmtree(out, ignore_errors=True)
                    times.setdefault((root, label), []).append(t)
                    peaks.setdefault((root, label), []).append(mem)
                    line.append(f"{label} {t:.2f} s")
            print(", ".join(line), flush=True)
    y = statistics.median(yard)
    print(f"cold soffice, one document (yardstick): {y:.2f} s (median of {args.repeat})")
    last = ""
    for root in reversed(roots):
        p = statistics.median(times[root, "build"])
        q = statistics.median(times[root, "build --pdf"])
        line = (f"{root.name}: build {p:.2f} s, build --pdf {q:.2f} s = {q / y:.2f}x the "
                f"yardstick; sample peak {max(peaks[root, 'build']):.0f} MB")
        tail = ""
        if large is not None:
            b, mb = statistics.median(times[root, "large"]), max(peaks[root, "large"])
            m = max(peaks[root, "build"])
            per = (b - p) / args.applicants * 1000
            line += (f"; +{args.applicants} applicants {b:.2f} s, peak {mb:.0f} MB "
                     f"({mb - m:+.0f} MB), {per:.2f} ms per extra applicant")
            tail = f", +{mb - m:.0f} MB and {per:.2f} ms per extra applicant"
        print(line)
        last = (f"ratio: build --pdf {q / y:.2f}x one cold soffice conversion; "
                f"build {p:.2f} s{tail}")
    print(last)


if __name__ == "__main__":
    main()
