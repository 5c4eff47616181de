"""State shared by the importers of one run (load-shared imports several datasets in a row)."""

from __future__ import annotations

from dataclasses import dataclass, field

from indexer.importers.linking import PolicyIndex


@dataclass
class ImportContext:
    """Policies seen so far, so that later datasets can link their 解读 and Q&A to them."""

    policy_index: PolicyIndex = field(default_factory=PolicyIndex)
