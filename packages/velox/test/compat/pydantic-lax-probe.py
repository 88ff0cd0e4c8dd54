"""Pydantic v2's lax mode for JSON input, probed: every (target type, JSON input) pair of the
table in lax-cases.json through TypeAdapter(T).validate_json, printed as the pinned answers.

  /path/to/venv/bin/python packages/velox/test/compat/pydantic-lax-probe.py > packages/velox/test/compat/lax-cases.json

Needs pydantic 2 (captured with pydantic 2.13.5, pydantic-core 2.46.5).
"""
import json
from datetime import date, datetime
from typing import Optional, Union

import pydantic
import pydantic_core
from pydantic import TypeAdapter, ValidationError

TARGETS = {
    "integer": int,
    "number": float,
    "boolean": bool,
    "string": str,
    "null": type(None),
    "integer|null": Optional[int],
    "number|null": Optional[float],
    "integer|string": Union[int, str],
    "array<integer>": list[int],
    "date-time": datetime,
    "date": date,
}

INPUTS = [
    "5", "5.0", "-5", "5.5", "1e3", "1e400", "9007199254740993", "100000000000000000000000",
    "true", "false", "0", "1", "2", "0.0", "1.0", "-0",
    '"5"', '" 5 "', '"+5"', '"-5"', '"5.0"', '"5.00"', '"5.5"', '"5."', '".5"', '"1e3"', '"1_000"', '"0x10"', '"05"',
    '"inf"', '"-inf"', '"nan"', '"Infinity"', '"abc"', '""', '" "',
    '"true"', '"True"', '"TRUE"', '" true "', '"false"', '"yes"', '"no"', '"on"', '"off"', '"t"', '"f"', '"y"', '"n"', '"1"', '"0"', '"2"',
    "null", '"null"', "[]", "{}", "[1]", '["1", 2]', '"[1]"',
    '"2024-01-02"', '"2024-01-02T03:04:05Z"', '"2024-01-02T03:04:05.678+01:00"', '"2024-01-02 03:04:05"',
    "1704164645", "1704164645123", "1704164645.5", '"1704164645"', "0.5",
]


def answer(target, text):
    try:
        value = TypeAdapter(target).validate_json(text)
    except ValidationError as err:
        e = err.errors(include_url=False)[0]
        return {"error": e["type"]}
    if isinstance(value, (datetime, date)):
        return {"ok": value.isoformat()}
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return {"ok": repr(value)}
    return {"ok": value}


print(json.dumps({
    "pydantic": pydantic.VERSION,
    "pydanticCore": pydantic_core.__version__,
    "cases": [{"target": name, "input": text, **answer(t, text)} for name, t in TARGETS.items() for text in INPUTS],
}, indent=1))
