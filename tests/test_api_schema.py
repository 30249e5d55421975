"""Property-based tests from the OpenAPI spec (schemathesis): whatever the input, no 500,
and every answer matches its documented schema. Embedded store, real seed dataset;
bounded examples (25 per operation and mode) so the run stays short.

Each operation's cases come from ``APIOperation.as_strategy()`` under Hypothesis in one
test: schemathesis' own ``from_fixture``/``parametrize`` loader reads ``Item._nodeid``,
which pytest 9 no longer has.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode

from repgraph.api import create_app

EXAMPLES = 25

#: Checks that cannot hold where a rule is beyond JSON Schema: search text must hold a
#: letter or digit *after folding* (885 Unicode alphanumerics fold to nothing), answered
#: 422 naming ``q``, which "schema-valid request rejected" would count as a failure.
SKIPPED = {"GET /entities": [schemathesis.checks.positive_data_acceptance]}


def _exercise(operation, mode: GenerationMode) -> None:
    skipped = SKIPPED.get(operation.label, [])

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def run(case):
        case.call_and_validate(excluded_checks=skipped)

    run()


@pytest.mark.parametrize("seed_store", ["embedded"], indirect=True)
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=["valid", "invalid"])
def test_api_never_fails_on_any_input(seed_store, mode):
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(store=seed_store))
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 8
    if mode is GenerationMode.NEGATIVE:  # nothing to get wrong in a request without parameters
        operations = [op for op in operations if any(True for _ in op.iter_parameters())]
        assert len(operations) >= 7
    failures = []
    for operation in operations:
        try:
            _exercise(operation, mode)
        except Exception as exc:  # noqa: BLE001 - collect every operation's failure, then report them all
            failures.append(f"{operation.label}: {exc}")
    assert not failures, "\n\n".join(failures)
