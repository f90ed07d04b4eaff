"""Schemathesis hooks for tmf688-hub (loaded by schemathesis.toml; run `st` from the repository root).

1. Hub creation (POST /topic/{topicId}/hub, POST /hub) needs a callback the hub can deliver to: the
   hub refuses callbacks that are not absolute http(s) URLs, and one it accepts gets notified. Any
   string callback a test case carries is replaced by the hub's own mock inbox,
   {base URL}/inbox/schemathesis, or by $TMF688_CALLBACK when set (for a deployment that cannot
   reach its own URL). Schemathesis re-checks a case a before_call hook edits, so a negative case
   stays negative only if something else in it is invalid; a callback of the wrong type or a missing
   one is left alone. This runs in every phase (schemathesis' own body overrides skip the coverage one).
2. A failure is dropped only when it matches an entry of exclusions.toml, each a reasoned deviation
   the official swagger forces or a limitation of the tool. The run's summary counts the dropped ones.
No check is disabled or relaxed.
"""

import os
import sys
import tomllib
from pathlib import Path

import schemathesis

HUB_CREATION = {"createHub", "registerListener"}
EXCLUSIONS = tomllib.loads((Path(__file__).parent / "exclusions.toml").read_text("utf-8"))["exclusion"]


def _operation_id(case) -> str | None:
    return case.operation.definition.raw.get("operationId")


def _callback(case) -> str:
    return os.environ.get("TMF688_CALLBACK") or case.operation.schema.get_base_url() + "/inbox/schemathesis"


@schemathesis.hook
def before_call(context, case, **kwargs):
    if _operation_id(case) not in HUB_CREATION:
        return
    if isinstance(case.body, dict) and isinstance(case.body.get("callback"), str):
        case.body["callback"] = _callback(case)


def _declares_query_parameter(case, name: str) -> bool:
    parameters = case.operation.definition.raw.get("parameters") or []
    return any(isinstance(p, dict) and p.get("in") == "query" and p.get("name") == name for p in parameters)


def _matches(exclusion, failure, case, response) -> bool:
    """Whether a failure is the one an exclusion describes: every condition the entry states must hold."""
    if failure.code != exclusion["code"] or response.status_code != exclusion["status"]:
        return False
    if "operations" in exclusion and case.operation.label not in exclusion["operations"]:
        return False
    if "operations-with-query-parameter" in exclusion and not _declares_query_parameter(case, exclusion["operations-with-query-parameter"]):
        return False
    if "response-contains" in exclusion and not any(text in (response.text or "") for text in exclusion["response-contains"]):
        return False
    return "failure-contains" not in exclusion or exclusion["failure-contains"] in failure.message


_reported: set[tuple[str, str]] = set()


@schemathesis.hook
def filter_failure(context, failure, case, response) -> bool:
    """Keep every failure except those an exclusion names; say once per exclusion and operation what was dropped."""
    for exclusion in EXCLUSIONS:
        if _matches(exclusion, failure, case, response):
            key = (exclusion["id"], case.operation.label)
            if key not in _reported:
                _reported.add(key)
                print(f"excluded ({exclusion['id']}): {failure.code} on {case.operation.label}: {response.status_code}", file=sys.stderr)
            return False
    return True
