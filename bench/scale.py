"""Benchmark: is a build linear in panel members × applicants?

    python bench/scale.py --panel 3 --applicants 20

Builds the same synthetic case at two sizes, the given one and twice as many applicants
and panel members (so four times the scoresheet sheets), and prints on its last line
``ratio: 3.2 (at most 4.0 if linear …)``: fixed costs (reading, linting the templates)
pull it below 4, and a quadratic build would give about 16. Rendering runs in
docgen's worker as in a real build.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from docgen.pack.pipeline import build

HEAD = """\
reference: B-1
dates: {{deadline: 2026-10-01, letters: 2026-11-01}}
organisation:
  name: Bench
  sector: private
  address: {{street: Vej 1, postal_code: "8000", city: Aarhus}}
  contact: {{name: Kim Kontakt, title: leder}}
  signer: {{name: Kim Kontakt, title: leder}}
position:
  title: Peer-medarbejder
  tasks: [Samtaler]
  competencies: [Samarbejde]
  qualities: [Lyttende]
  hours_per_week: 20
  pay_basis: Efter overenskomst
  working_times: [day]
  place: Huset
  application: {{how: Send en mail}}
panel:
{panel}applicants:
{applicants}  - {{id: A999, name: Bo Ansat, interviewed: yes, outcome: hired}}
decision: {{reasons: [erfaring], hired_profile: Den ansatte har erfaring.}}
"""


def _case(folder: Path, panel: int, applicants: int) -> Path:
    members = "".join(
        f"  - {{id: P{i}, name: Panel Medlem{i}, title: leder, lived_experience: yes}}\n"
        for i in range(1, panel + 1)
    )
    people = "".join(
        f"  - {{id: A{i:03d}, name: Ane Ansøger{i}, interviewed: yes, outcome: rejected}}\n"
        for i in range(1, applicants + 1)
    )
    path = folder / f"case-{panel}-{applicants}.yaml"
    path.write_text(HEAD.format(panel=members, applicants=people), encoding="utf-8")
    return path


def _seconds(folder: Path, panel: int, applicants: int) -> float:
    case = _case(folder, panel, applicants)
    started = time.perf_counter()
    build(case, folder / f"out-{panel}-{applicants}")
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--panel", type=int, default=3)
    parser.add_argument("--applicants", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        _seconds(folder, 1, 2)  # warm up: imports, template lint cache
        small = _seconds(folder, args.panel, args.applicants)
        large = _seconds(folder, args.panel * 2, args.applicants * 2)
    sheets = args.panel * 2 * (args.applicants * 2 + 1)
    print(f"small ({args.panel}x{args.applicants}): {small:.2f} s; "
          f"large ({args.panel * 2}x{args.applicants * 2}): {large:.2f} s")
    print(f"ratio: {large / small:.1f} (at most 4.0 if linear, about 16 if quadratic; "
          f"{large / sheets * 1000:.0f} ms per applicant sheet, letters included)")


if __name__ == "__main__":
    main()
