"""Run mypy and fail if it finds more errors than mypy-baseline.json allows (README, "Development").

mypy.ini checks two levels: the modules named in its strict section are checked strictly, the rest at
mypy's default strictness. The baseline holds each level's error count, and one per file; a count may only
go down. When it went down, lower the baseline (``--update``) so that it cannot creep back up.

    python scripts/mypy_ratchet.py             # check (CI, ``make mypy``)
    python scripts/mypy_ratchet.py --update    # write today's lower counts into the baseline
"""

import argparse
import configparser
import json
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "mypy.ini"
BASELINE = ROOT / "mypy-baseline.json"
LEVELS = ("strict", "default")
NOTE = "Error counts that may only go down; lower them with: python scripts/mypy_ratchet.py --update"


class RatchetError(Exception):
    """mypy did not run to the end, or its output or the configuration cannot be read."""


@dataclass(frozen=True)
class MypyError:
    file: str
    line: int
    code: str | None
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: error: {self.message}" + (f"  [{self.code}]" if self.code else "")


Counts = dict[str, dict[str, int]]  # level -> file -> errors


def strict_patterns(config: Path = CONFIG) -> list[str]:
    """The module patterns of every mypy.ini section that turns on disallow_untyped_defs."""
    parser = configparser.ConfigParser()
    if not parser.read(config):
        raise RatchetError(f"Cannot read {config}.")
    patterns: list[str] = []
    for section in parser.sections():
        if section.startswith("mypy-") and parser.getboolean(section, "disallow_untyped_defs", fallback=False):
            patterns.extend(p.strip() for p in section.removeprefix("mypy-").split(","))
    if not patterns:
        raise RatchetError(f"{config} has no strict section (one with disallow_untyped_defs = True).")
    for pattern in patterns:
        if "*" in pattern.removesuffix(".*"):
            raise RatchetError(f"{config}: the ratchet reads only 'a.b' and 'a.b.*' patterns, not {pattern!r}.")
    return patterns


def module_of(file: str) -> str:
    """regencies/scoping.py -> regencies.scoping; ssk_tracker/lib/__init__.py -> ssk_tracker.lib."""
    parts = list(Path(file).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def is_strict(file: str, patterns: list[str]) -> bool:
    """mypy's own matching: 'a.b' is that module alone, 'a.b.*' is a.b and everything under it."""
    module = module_of(file)
    for pattern in patterns:
        if pattern.endswith(".*"):
            package = pattern.removesuffix(".*")
            if module == package or module.startswith(package + "."):
                return True
        elif module == pattern:
            return True
    return False


def parse_output(stdout: str) -> list[MypyError]:
    """mypy's ``--output json``: one object a line; notes are not errors."""
    errors = []
    for line in stdout.splitlines():
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError:
            raise RatchetError(f"Unexpected line from mypy (not JSON): {line}") from None
        if item.get("severity") == "error":
            errors.append(MypyError(item["file"], item["line"], item.get("code"), item["message"]))
    return errors


def run_mypy() -> list[MypyError]:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", str(CONFIG), "--output", "json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if result.returncode not in (0, 1):  # 2: mypy could not check (bad configuration, crash, a syntax error)
        raise RatchetError(f"mypy stopped with exit code {result.returncode}:\n{result.stdout}{result.stderr}")
    return parse_output(result.stdout)


def count(errors: list[MypyError], patterns: list[str]) -> Counts:
    counts: Counts = {level: {} for level in LEVELS}
    per_file = Counter(error.file for error in errors)
    for file, number in sorted(per_file.items()):
        counts["strict" if is_strict(file, patterns) else "default"][file] = number
    return counts


def read_baseline(path: Path) -> Counts | None:
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        baseline = {level: {str(f): int(n) for f, n in data[level]["files"].items()} for level in LEVELS}
        for level in LEVELS:
            if sum(baseline[level].values()) != int(data[level]["total"]):
                raise ValueError(f"the {level} total is not the sum of its files")
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise RatchetError(f"{path} cannot be read ({exc}); rewrite it with --update --allow-increase.") from None
    return baseline


def write_baseline(path: Path, counts: Counts) -> None:
    data: dict[str, object] = {"note": NOTE}
    for level in LEVELS:
        data[level] = {"total": sum(counts[level].values()), "files": counts[level]}
    path.write_text(json.dumps(data, indent=2, sort_keys=False) + "\n", encoding="utf-8")


def grown_files(baseline: Counts, counts: Counts, level: str) -> list[str]:
    return [f for f, n in counts[level].items() if n > baseline[level].get(f, 0)]


def compare(baseline: Counts, counts: Counts, errors: list[MypyError]) -> tuple[list[str], list[str], list[str]]:
    """(report lines, levels that went up, levels that went down)."""
    lines, up, down = [f"{'level':<8} {'baseline':>8} {'now':>6}"], [], []
    for level in LEVELS:
        before, now = sum(baseline[level].values()), sum(counts[level].values())
        change = "" if now == before else f"  ({now - before:+d})"
        lines.append(f"{level:<8} {before:>8} {now:>6}{change}")
        if now > before:
            up.append(level)
        elif now < before:
            down.append(level)
    for level in up:
        grown = grown_files(baseline, counts, level)
        lines.append(f"\nThe {level} level has more errors than the baseline. Files with more errors than before:")
        for file in grown:
            lines.append(f"  {file}: {baseline[level].get(file, 0)} -> {counts[level][file]}")
        lines.extend(str(error) for error in errors if error.file in grown)
    return lines, up, down


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--update", action="store_true", help="write today's counts into the baseline")
    parser.add_argument(
        "--allow-increase",
        action="store_true",
        help="with --update: accept a higher count too (a module moved into the strict level; say so in the commit)",
    )
    parser.add_argument("--baseline", type=Path, default=BASELINE, help=f"default {BASELINE.name}")
    args = parser.parse_args(argv)
    try:
        patterns = strict_patterns()
        errors = run_mypy()
        baseline = read_baseline(args.baseline)
    except RatchetError as exc:
        print(f"mypy ratchet: {exc}", file=sys.stderr)
        return 2
    counts = count(errors, patterns)
    if baseline is None:
        if not args.update:
            print(f"mypy ratchet: {args.baseline} is missing; create it with --update.", file=sys.stderr)
            return 2
        write_baseline(args.baseline, counts)
        print(f"Wrote {args.baseline.name}: " + ", ".join(f"{lv} {sum(counts[lv].values())}" for lv in LEVELS))
        return 0
    lines, up, down = compare(baseline, counts, errors)
    print("mypy errors per level (mypy.ini):")
    print("\n".join(lines))
    if args.update:
        if up and not args.allow_increase:
            print(f"\nNot updating {args.baseline.name}: the {' and '.join(up)} level went up. Fix the new errors.")
            return 1
        write_baseline(args.baseline, counts)
        print(f"\nWrote {args.baseline.name}; commit it.")
        return 0
    if up:
        print(f"\nmypy ratchet failed: fix the errors above (the full list: {sys.executable} -m mypy).")
        return 1
    if down:
        print(
            f"\nFewer errors than the baseline, well done: lower it with 'python scripts/mypy_ratchet.py --update' "
            f"and commit {args.baseline.name}, so that the count cannot creep back up."
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
