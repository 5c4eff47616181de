"""Small statistics and machine facts for benchmark reports: percentiles, medians with spread, load, RSS."""

from __future__ import annotations

import os
import platform
import statistics
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path


def percentile(values: Sequence[float], pct: float) -> float:
    """Linear-interpolated percentile (pct in 0..100); NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * pct / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def latency_summary(samples_ms: Sequence[float]) -> dict[str, float]:
    """p50/p95/p99/mean/max of latencies in milliseconds."""
    return {
        "n": float(len(samples_ms)),
        "p50": percentile(samples_ms, 50),
        "p95": percentile(samples_ms, 95),
        "p99": percentile(samples_ms, 99),
        "mean": statistics.fmean(samples_ms) if samples_ms else float("nan"),
        "max": max(samples_ms) if samples_ms else float("nan"),
    }


def median_spread(values: Sequence[float]) -> dict[str, float]:
    """Median of repeated runs with min, max and relative spread ((max-min)/median)."""
    if not values:
        return {"median": float("nan"), "min": float("nan"), "max": float("nan"), "spread": float("nan")}
    med = statistics.median(values)
    low, high = min(values), max(values)
    return {"median": med, "min": low, "max": high, "spread": (high - low) / med if med else float("nan")}


def ratio(numerator: float, denominator: float) -> float:
    """numerator/denominator, NaN when the denominator is zero or missing."""
    return numerator / denominator if denominator else float("nan")


def load_average() -> tuple[float, float, float]:
    """The 1/5/15-minute load average (the machine is shared, so every figure is reported beside it)."""
    return os.getloadavg()


def rss_mb(pid: int) -> float:
    """Resident set size of a process in MiB, from /proc (NaN when it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def dir_size_bytes(path: Path) -> int:
    """Total size of the files under path (or of the file itself)."""
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def machine() -> dict[str, object]:
    """Where and when the figures were measured."""
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "date_utc": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "host": platform.node(),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "load_average": load_average(),
    }
