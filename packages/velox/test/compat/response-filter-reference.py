"""FastAPI's response_model_exclude_unset / _none / _defaults and include / exclude, for the cases
of response-filter.test.ts. Prints {case: body}; captured with FastAPI 0.142.2, Pydantic 2.13.5.

  /path/to/venv/bin/python packages/velox/test/compat/response-filter-reference.py
"""
import json
from typing import Optional

from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel


class Owner(BaseModel):
    name: str
    email: Optional[str] = None
    active: bool = True


class Item(BaseModel):
    name: str
    description: Optional[str] = None
    price: float
    tax: float = 10.5
    tags: list[str] = []
    owner: Optional[Owner] = None


app = FastAPI()
ITEMS = {
    "foo": {"name": "Foo", "price": 50.2},
    "bar": {"name": "Bar", "description": "The bartenders", "price": 62, "tax": 20.2},
    "baz": {"name": "Baz", "description": None, "price": 50.2, "tax": 10.5, "tags": []},
    "own": {"name": "Own", "price": 1, "owner": {"name": "Ada", "email": None}},
    "list": {"name": "L", "price": 2, "tags": ["a"], "owner": {"name": "Bo", "email": "bo@x.io", "active": False}},
}
CASES = {
    "unset": dict(response_model_exclude_unset=True),
    "none": dict(response_model_exclude_none=True),
    "defaults": dict(response_model_exclude_defaults=True),
    "include": dict(response_model_include={"name", "owner"}),
    "exclude": dict(response_model_exclude={"tax", "tags"}),
    "nested-exclude": dict(response_model_exclude={"owner": {"email"}}),
    "unset-none": dict(response_model_exclude_unset=True, response_model_exclude_none=True),
}
for case, options in CASES.items():
    def handler(item_id: str):
        return ITEMS[item_id]
    app.get(f"/{case}/{{item_id}}", response_model=Item, **options)(handler)
    def many():
        return list(ITEMS.values())
    app.get(f"/{case}-list", response_model=list[Item], **options)(many)

client = TestClient(app)
out = {}
for case in CASES:
    for item_id in ITEMS:
        out[f"{case} {item_id}"] = client.get(f"/{case}/{item_id}").json()
    out[f"{case} all"] = client.get(f"/{case}-list").json()
print(json.dumps(out, indent=1))
