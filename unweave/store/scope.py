"""What a reader may see. Every read of the store goes through a Scope.

Today a scope is the set of datasets visible to the reader; access control (cases,
sharing of chosen entities, handling codes) refines it here and nowhere else.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, false, true


@dataclass(frozen=True)
class Scope:
    # None means every dataset: the local administrator working on their own store.
    datasets: frozenset[int] | None = None

    @classmethod
    def everything(cls) -> Scope:
        return cls(None)

    @classmethod
    def of(cls, dataset_ids: Iterable[int]) -> Scope:
        return cls(frozenset(dataset_ids))

    def visible(self, dataset_column: ColumnElement[int]) -> ColumnElement[bool]:
        """The condition a query over statements (or derived rows) must carry."""
        if self.datasets is None:
            return true()
        if not self.datasets:
            return false()
        return dataset_column.in_(sorted(self.datasets))
