"""What a benchmark hands back to the runner: its aims (figures against the figure its issue asked for)
and its checks (correctness that must hold at any size: exactly once, nothing lost, gap-free).

``run(url)`` of each ``bench_*.py`` returns a list of these; ``run.py`` prints them under the
benchmark's own table and again in the summary. An aim not met is reported; a check that fails
makes the run fail (``make bench-smoke`` in CI relies on that).
"""

from dataclasses import dataclass


@dataclass
class Aim:
    """A measured figure against its issue's aim. ``better`` is "lower" (latency) or "higher" (rate)."""

    label: str
    value: float
    target: float
    unit: str
    better: str = "lower"
    source: str = ""  # which issue set the aim

    @property
    def met(self) -> bool:
        return self.value < self.target if self.better == "lower" else self.value >= self.target

    def line(self) -> str:
        sign = "<" if self.better == "lower" else "≥"
        verdict = "met" if self.met else "NOT met"
        return f"{self.label:<72}{self.value:>11,.2f} {self.unit:<6} aim {sign} {self.target:,.0f} {self.unit:<6}{verdict}"


@dataclass
class Check:
    """Correctness that must hold whatever the size."""

    label: str
    ok: bool
    detail: str = ""

    def line(self) -> str:
        return f"{self.label:<72}{'ok' if self.ok else 'FAILED'}{'  (' + self.detail + ')' if self.detail else ''}"
