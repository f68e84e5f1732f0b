"""The benchmark of this checkout and of an earlier commit, in the same run, rounds interleaved.

The earlier commit is checked out into a temporary git worktree, its store is built there (from
the same mirror, or from its shipped release), and `python -m lisdash bench --json` runs in each
tree in turn: previous, this, previous, this, ... so both see the same machine load. Every
numeric figure is summarised as the median of its rounds beside the other tree's median.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _git(*args: str, cwd: Path = REPO) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


def _bench(tree: Path, with_browser: bool) -> dict:
    command = [sys.executable, "-m", "lisdash", "bench", "--json", *([] if with_browser else ["--no-browser"])]
    done = subprocess.run(command, cwd=tree, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"bench failed in {tree} (exit {done.returncode}):\n{done.stderr[-2000:]}")
    return json.loads(done.stdout)


def leaves(figures: dict, prefix: str = "") -> dict[str, float]:
    """Every numeric figure of a bench result, by its dotted path ('browser.first_paint_s')."""
    out: dict[str, float] = {}
    for key, value in figures.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(leaves(value, path + "."))
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            out[path] = float(value)
    return out


def side_by_side(previous: list[dict], this: list[dict]) -> dict[str, dict[str, float | None]]:
    """Median of each figure over the rounds, previous beside this, with their ratio (this / previous)."""
    before = [leaves(r) for r in previous]
    after = [leaves(r) for r in this]
    out: dict[str, dict[str, float | None]] = {}
    for key in sorted(set().union(*before, *after)):
        a = [r[key] for r in before if key in r]
        b = [r[key] for r in after if key in r]
        ma = round(statistics.median(a), 3) if a else None
        mb = round(statistics.median(b), 3) if b else None
        out[key] = {"previous": ma, "this": mb, "ratio": round(mb / ma, 3) if ma and mb is not None else None}
    return out


def compare(rev: str, rounds: int = 2, with_browser: bool = True) -> dict:
    """Bench `rev` and this checkout `rounds` times each, interleaved, on the same machine."""
    sha = _git("rev-parse", rev)
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp) / "previous"
        _git("worktree", "add", "--detach", str(tree), sha)
        try:
            built = subprocess.run([sys.executable, "-m", "lisdash", "build"], cwd=tree, capture_output=True, text=True)
            if built.returncode:
                raise RuntimeError(f"building {sha[:10]}'s store in {tree} failed (exit {built.returncode}; set "
                                   f"LISDASH_MIRROR to an absolute path):\n{built.stderr[-2000:]}")
            runs: dict[str, list[dict]] = {"previous": [], "this": []}
            for _ in range(rounds):
                runs["previous"].append(_bench(tree, with_browser))
                runs["this"].append(_bench(REPO, with_browser))
        finally:
            _git("worktree", "remove", "--force", str(tree))
    return {"previous_commit": sha, "this_commit": _git("rev-parse", "HEAD"),
            "uncommitted_changes": bool(_git("status", "--porcelain", "--untracked-files=no")),
            "rounds": rounds, "figures": side_by_side(runs["previous"], runs["this"]), "runs": runs}
