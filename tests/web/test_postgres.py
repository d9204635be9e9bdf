"""The routes that read data through a reader's scope, on PostgreSQL too.

The same store as the other web tests (conftest.build_web_store), in a real PostgreSQL
server (tests/pgserver.py), and the same tests: those of search, entity profiles, the
link chart, the review queue, the case report and the timeline, run again with clients of
this app. Routes that only write, or whose checks do not depend on the database, are
left to the SQLite run, to keep the suite lean.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.web import (
    test_analysis,
    test_entities,
    test_freshness,
    test_graph,
    test_review,
    test_search,
)
from tests.web.conftest import USERS, build_web_store, login, make_app
from unweave.store.db import Store

SCOPED: list[Callable[..., None]] = [
    test_search.test_search_across_scripts_and_phone_formats,
    test_search.test_facets_count_and_filter,
    test_search.test_another_agency_sees_only_what_was_shared,
    test_search.test_search_for_a_case_is_audited_with_its_purpose,
    test_entities.test_every_fact_carries_its_provenance,
    test_entities.test_the_partner_sees_only_the_shared_facts,
    test_entities.test_markup_in_a_name_shows_as_text,
    test_graph.test_neighbourhood_and_expansion,
    test_graph.test_shortest_path_with_evidence,
    test_graph.test_a_node_of_another_agency_is_unknown,
    test_review.test_queue_shows_pairs_with_their_explanation,
    test_review.test_another_agency_does_not_see_the_pairs,
    test_analysis.test_report_of_a_case,
    test_analysis.test_timeline,
    test_freshness.test_access_withdrawn_is_gone_at_the_next_request,
]


@pytest.fixture(scope="module")
def pg_store(pg_server: Any) -> Iterator[Store]:
    store = build_web_store(pg_server.create_database("web_routes"))
    yield store
    store.close()


@pytest.fixture(scope="module")
def pg_app(pg_store: Store) -> Any:
    return make_app(pg_store)


@pytest.mark.parametrize("check", SCOPED, ids=lambda f: f.__name__.removeprefix("test_"))
def test_on_postgres(check: Callable[..., None], pg_app: Any, pg_store: Store) -> None:
    given: dict[str, Any] = {}
    for name in inspect.signature(check).parameters:
        if name == "web_store":
            given[name] = pg_store
        else:  # it_inv, gb_inv...: a client logged in as that user
            username = name.replace("_", ".")
            assert username in USERS, name
            given[name] = login(TestClient(pg_app), username)
    check(**given)
