#!/usr/bin/env python3
"""Every link in the README, the changelog, ARCHITECTURE.md and the
documentation book (docs/src) that points inside the repository must reach
a file, an #anchor a heading of it, and a #/json/pointer into a JSON file
(the book's copy of the OpenAPI document) a member of it. Links to other sites are not
followed (this machine reaches none); mdbook's {{#include}} paths are
checked too. Exits 1, naming each broken link, when any is broken.

Usage: scripts/check-links.py [ROOT]
"""
import json
import pathlib
import re
import sys

ROOT = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".").resolve()
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
SRC = re.compile(r"<(?:img|a)\s[^>]*(?:src|href)=\"([^\"]+)\"")
INCLUDE = re.compile(r"\{\{#include\s+([^}:\s]+)")
FENCE = re.compile(r"^(```|~~~)")


def prose(text):
    """The lines outside code blocks, with inline code removed."""
    out, fenced = [], False
    for line in text.splitlines():
        if FENCE.match(line.strip()):
            fenced = not fenced
            continue
        if not fenced:
            out.append(re.sub(r"`[^`]*`", "", line))
    return "\n".join(out)


def slug(heading):
    """The anchor mdbook (and GitHub) give a heading."""
    text = re.sub(r"`([^`]*)`", r"\1", heading.strip().lower())
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(path):
    found = set()
    for line in prose(path.read_text(encoding="utf-8")).splitlines():
        m = re.match(r"^#{1,6}\s+(.*)$", line)
        if m:
            found.add(slug(m.group(1)))
    return found


def pointed(path, pointer):
    """Whether the RFC 6901 JSON pointer (as a URL fragment) names a member."""
    node = json.loads(path.read_text(encoding="utf-8"))
    for part in pointer.split("/")[1:]:
        part = part.replace("~1", "/").replace("~0", "~").replace("%7B", "{").replace("%7D", "}")
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return False
    return True


def files():
    for name in ("README.md", "CHANGELOG.md", "ARCHITECTURE.md"):
        if (ROOT / name).exists():
            yield ROOT / name
    yield from sorted((ROOT / "docs" / "src").rglob("*.md"))


def main():
    broken, checked = [], 0
    for md in files():
        text = md.read_text(encoding="utf-8")
        targets = LINK.findall(prose(text)) + SRC.findall(text)
        targets += INCLUDE.findall(text)
        for target in targets:
            if re.match(r"^[a-z][a-z0-9+.-]*:", target):
                continue  # another site, mail
            checked += 1
            where, _, anchor = target.partition("#")
            dest = (md.parent / where).resolve() if where else md
            rel = md.relative_to(ROOT)
            if not dest.exists():
                broken.append(f"{rel}: {target} (no such file)")
            elif anchor and dest.suffix == ".md" and anchor not in anchors(dest):
                broken.append(f"{rel}: {target} (no such heading)")
            elif anchor and dest.suffix == ".json" and not pointed(dest, anchor):
                broken.append(f"{rel}: {target} (no such member)")
    for b in broken:
        print(f"broken link: {b}", file=sys.stderr)
    print(f"links: {checked} checked, {len(broken)} broken")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
