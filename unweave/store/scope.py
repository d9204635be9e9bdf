"""What a reader may see. Every read of the store goes through a Scope.

A scope is made of grants. A grant opens one dataset, whole or only some of its entities,
possibly withholding statements under some handling codes (what a recipient passes on to
another case never includes H2 facts). A user's scope is built from their agency's own
datasets and what was shared into their cases (``unweave.access.scopes.scope_for``); the
local administrator working on their own store sees everything.

The same condition filters every query over statements, so search, entity views, counts,
graphs, paths, reports and exports cannot disagree about what a reader may see.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, and_, false, or_, true


@dataclass(frozen=True)
class Grant:
    dataset_id: int
    entity_ids: frozenset[str] | None = None  # None: every entity of the dataset
    withheld: frozenset[str] = frozenset()  # handling codes not opened by this grant
    case: str | None = None  # the case it came through (None: the reader's own agency)


@dataclass(frozen=True)
class Scope:
    # None means every statement: the local administrator working on their own store.
    grants: tuple[Grant, ...] | None = None
    # May victims' identifying fields be shown in clear (a role that needs them)?
    reveal_victims: bool = True
    # The case an access is made for: recorded as its purpose in the audit trail.
    purpose: str | None = None
    # Who is reading (None: the local administrator); for the audit trail.
    reader: str | None = None
    agency_id: int | None = field(default=None, compare=False)

    @classmethod
    def everything(cls) -> Scope:
        return cls(None)

    @classmethod
    def of(cls, dataset_ids: Iterable[int], **kwargs: object) -> Scope:
        """Whole datasets, every statement of each."""
        return cls(tuple(Grant(d) for d in sorted(set(dataset_ids))), **kwargs)  # type: ignore[arg-type]

    @property
    def unrestricted(self) -> bool:
        return self.grants is None

    @property
    def datasets(self) -> frozenset[int] | None:
        """Datasets of which something may be visible (None: all). A prefilter only."""
        if self.grants is None:
            return None
        return frozenset(g.dataset_id for g in self.grants)

    @property
    def whole_datasets(self) -> frozenset[int] | None:
        """Datasets visible entirely, every statement (None: all)."""
        if self.grants is None:
            return None
        return frozenset(
            g.dataset_id for g in self.grants if g.entity_ids is None and not g.withheld
        )

    def visible(
        self,
        dataset_column: ColumnElement[int],
        entity_column: ColumnElement[str] | None = None,
        handling_column: ColumnElement[str] | None = None,
    ) -> ColumnElement[bool]:
        """The condition a query over statements (or rows derived from them) must carry.

        A grant limited to some entities or withholding some handling codes needs the
        entity and handling columns; without them such a grant opens nothing (it fails
        closed rather than open).
        """
        if self.grants is None:
            return true()
        whole = sorted(self.whole_datasets or ())
        terms: list[ColumnElement[bool]] = []
        if whole:
            terms.append(dataset_column.in_(whole))
        for grant in self.grants:
            if grant.entity_ids is None and not grant.withheld:
                continue
            if grant.entity_ids is not None and entity_column is None:
                continue
            if grant.withheld and handling_column is None:
                continue
            parts: list[ColumnElement[bool]] = [dataset_column == grant.dataset_id]
            if grant.entity_ids is not None:
                if not grant.entity_ids:
                    continue
                assert entity_column is not None
                parts.append(entity_column.in_(sorted(grant.entity_ids)))
            if grant.withheld:
                assert handling_column is not None
                parts.append(handling_column.not_in(sorted(grant.withheld)))
            terms.append(and_(*parts))
        if not terms:
            return false()
        return or_(*terms)
