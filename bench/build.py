"""Benchmark: ``docgen build`` of the regional sample, with and without PDFs, and a large case.

    python bench/build.py [--repeat 5] [--applicants 1000] [--root PATH]

In one run, round after round, it times (a) a cold ``soffice --convert-to pdf`` of the
sample's job posting with a fresh profile, the yardstick: it moves with the machine,
(b) ``docgen build samples/region-vest.yaml`` and (c) the same with ``--pdf``, each as a
new process, as a user runs it. Then it builds a generated case: the sample with
``--applicants`` more rejected applicants (letters only), and reads the peak memory
(maximum resident set size) of each build from the operating system. It prints medians,
the ratio of (c) to (a), the peak memory of both cases and the cost per extra applicant;
the last line holds the ratios. ``--root`` runs another checkout of docgen (to compare
before and after on the same machine). Needs LibreOffice and a POSIX system (``wait4``).
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
    """The sample with ``extra`` more rejected, not interviewed applicants (ids A1000 …)."""
    text = sample.read_text(encoding="utf-8")
    head, sep, tail = text.partition("\napplicants:\n")
    if not sep:
        raise SystemExit(f"{sample}: no applicants list found")
    rows = []
    for i in range(extra):
        name = f"{FIRST[i % len(FIRST)]} {LAST[(i // len(FIRST)) % len(LAST)]} {i}"
        rows.append(f"  - id: A{1000 + i}\n    name: {name}\n    outcome: rejected\n")
    case = folder / f"case-{extra}.yaml"
    case.write_text(head + sep + "".join(rows) + tail, encoding="utf-8")
    for other in sample.parent.iterdir():  # the logo and anything else the case names
        if other.suffix != ".yaml":
            shutil.copy(other, folder / other.name)
    return case


def run(args: list[str], root: Path) -> tuple[float, float]:
    """Run a command to the end; return its wall time (s) and peak memory (MB)."""
    env = {**os.environ, "PYTHONPATH": str(root)}
    start = time.perf_counter()
    proc = subprocess.Popen(args, cwd=root, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
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
    args = parser.parse_args()
    root = args.root.resolve()
    soffice = shutil.which(os.environ.get("DOCGEN_SOFFICE") or "soffice")
    if soffice is None:
        raise SystemExit("LibreOffice (soffice) not found")
    sample = root / "samples" / "region-vest.yaml"
    docgen = [sys.executable, "-m", "docgen", "build"]
    with tempfile.TemporaryDirectory(prefix="docgen-bench-build-") as tmp:
        scratch = Path(tmp)
        run([*docgen, str(sample), "-o", str(scratch / "warm")], root)  # untimed: disk caches
        posting = scratch / "warm" / "stillingsopslag.docx"
        cold_soffice(soffice, posting, scratch, -1)  # untimed: LibreOffice from disk once
        large = generated_case(sample, args.applicants, scratch) if args.applicants else None
        yard, plain, pdf, plain_mem, big, big_mem = [], [], [], [], [], []
        for i in range(args.repeat):
            yard.append(cold_soffice(soffice, posting, scratch, i))
            t, mem = run([*docgen, str(sample), "-o", str(scratch / f"plain{i}")], root)
            plain.append(t)
            plain_mem.append(mem)
            pdf.append(run([*docgen, str(sample), "--pdf", "-o", str(scratch / f"pdf{i}")],
                           root)[0])
            if large is not None:
                t, mem = run([*docgen, str(large), "-o", str(scratch / f"large{i}")], root)
                big.append(t)
                big_mem.append(mem)
            for folder in ("plain", "pdf", "large"):
                shutil.rmtree(scratch / f"{folder}{i}", ignore_errors=True)
            print(f"round {i + 1}: soffice {yard[-1]:.2f} s, build {plain[-1]:.2f} s, "
                  f"--pdf {pdf[-1]:.2f} s" + (f", large {big[-1]:.2f} s" if big else ""),
                  flush=True)
    y, p, q = (statistics.median(v) for v in (yard, plain, pdf))
    print(f"cold soffice, one document (yardstick): {y:.2f} s (median of {args.repeat})")
    print(f"docgen build: {p:.2f} s; docgen build --pdf: {q:.2f} s = {q / y:.2f}x the yardstick")
    tail = ""
    if big:
        b, m, mb = statistics.median(big), max(plain_mem), max(big_mem)
        per = (b - p) / args.applicants * 1000
        print(f"sample: peak {m:.0f} MB; +{args.applicants} applicants: {b:.2f} s, "
              f"peak {mb:.0f} MB ({mb - m:+.0f} MB), {per:.2f} ms per extra applicant")
        tail = f", +{mb - m:.0f} MB and {per:.2f} ms per extra applicant"
    print(f"ratio: build --pdf {q / y:.2f}x one cold soffice conversion; "
          f"build {p:.2f} s{tail}")


if __name__ == "__main__":
    main()
