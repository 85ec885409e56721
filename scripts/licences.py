#!/usr/bin/env python3
"""The licences of everything Suara ships (the `suara` binary and the
citizen pages' wasm; deny.toml says which targets), as the documentation
book lists them: docs/src/operations/licences.md, from `cargo deny list`.

  scripts/licences.py          rewrite the listing
  scripts/licences.py --check  exit 1 when the listing is not current
"""
import json
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
LISTING = ROOT / "docs" / "src" / "operations" / "licences.md"
OWN = {"app", "server"}


def listing():
    out = subprocess.run(
        ["cargo", "deny", "--offline", "list", "--layout", "license", "--format", "json"],
        cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout
    licences = json.loads(out)["licenses"]
    lines = [
        "# Licences of what Suara ships",
        "",
        "<!-- Made by scripts/licences.py from `cargo deny list` (make licences); "
        "make test fails when it is not current. -->",
        "",
        "Suara itself is under the GNU Affero General Public License, version 3 or later. It ships "
        "the crates below, in the `suara` binary and in the citizen pages' WebAssembly; a crate "
        "offered under several licences is listed under each. `make test` checks with "
        "`cargo deny check licenses` that each is one of those allowed in `deny.toml`, all "
        "compatible with the AGPL.",
        "",
    ]
    for name, crates in licences:
        shipped = sorted(
            " ".join(c.split(" ")[:2]).replace(" ", "@")
            for c in crates
            if c.split(" ")[0] not in OWN
        )
        if not shipped:
            continue
        lines += [f"## {name} ({len(shipped)})", "", ", ".join(shipped), ""]
    return "\n".join(lines)


def main():
    now = listing()
    if "--check" in sys.argv:
        if not LISTING.exists() or LISTING.read_text(encoding="utf-8") != now:
            print(f"{LISTING.relative_to(ROOT)} is not current: run make licences",
                  file=sys.stderr)
            return 1
        return 0
    LISTING.write_text(now, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
