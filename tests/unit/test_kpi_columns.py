"""The vectorized evaluation of a page of agents equals ``compute`` value by value."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.metrics.domain.catalog import CATALOG, compute
from services.metrics.kpis import evaluate_column, measure_columns
from services.metrics.measures_query import ALL_MEASURES

amounts = st.one_of(st.just(0.0), st.floats(0, 1e6, allow_nan=False), st.integers(0, 500))
agent_measures = st.fixed_dictionaries({name: amounts.map(float) for name in ALL_MEASURES})


@settings(max_examples=60, deadline=None)
@given(pages=st.lists(st.one_of(st.none(), agent_measures), min_size=1, max_size=6))
def test_every_kpi_column_matches_compute(pages: list[dict[str, float] | None]) -> None:
    agents = [f"E{i}" for i in range(len(pages))]
    by_agent = {a: m for a, m in zip(agents, pages, strict=True) if m is not None}
    columns = measure_columns(agents, by_agent)
    empty = dict.fromkeys(ALL_MEASURES, 0.0)
    for definition in CATALOG.values():
        column = evaluate_column(definition, columns, len(agents), version=1)
        for i, agent in enumerate(agents):
            expected = compute(definition, by_agent.get(agent, empty))
            assert column.numerators[i] == pytest.approx(expected.numerator)
            assert column.denominators[i] == pytest.approx(expected.denominator)
            if expected.value is None:
                assert column.values[i] is None, definition.code
            else:
                got = column.values[i]
                assert got is not None and math.isclose(got, expected.value, rel_tol=1e-9), (
                    definition.code
                )
