"""FastAPI twin of the apps in fastapi-422.test.ts and validators/*.test.ts.

Replays the requests of fastapi-cases.ts against real FastAPI and prints each answer, to re-check
the pinned bodies after a FastAPI or Pydantic upgrade (the table was captured with FastAPI 0.142.2,
Pydantic 2.13.5, Python 3.11). Needs fastapi, httpx and email-validator. From the repository root:

  npx tsx -e 'import { fastapiCases as c } from "./packages/velox/test/validators/fastapi-cases.ts";
    console.log(JSON.stringify(c.map((x) => ({ name: x.name, ...x.request }))))' \
    | python packages/velox/test/validators/fastapi-reference.py
"""
from datetime import datetime
from enum import Enum
from typing import Annotated, Literal, Optional
from uuid import UUID

from fastapi import Body, Cookie, FastAPI, Header, Path, Query
from pydantic import BaseModel, ConfigDict, EmailStr, Field

app = FastAPI()


class Kind(str, Enum):
    a = "a"
    b = "b"
    c = "c"


class Dimensions(BaseModel):
    width: float
    height: float


class Variant(BaseModel):
    sku: str = Field(min_length=2)
    stock: int = 0


class Item(BaseModel):
    name: str = Field(min_length=1, max_length=20)
    price: float = Field(gt=0)
    tax: float = Field(default=0, ge=0, le=1)
    quantity: int = Field(default=1, ge=1, lt=1000)
    pack: int = Field(default=5, multiple_of=5)
    kind: Kind = Kind.a
    mode: Literal["fast"] = "fast"
    tags: list[str] = Field(default_factory=lambda: ["x"], min_length=1, max_length=3)
    active: bool = True
    dimensions: Optional[Dimensions] = None
    variants: list[Variant] = []
    id: Optional[UUID] = None
    created: Optional[datetime] = None
    contact: Optional[EmailStr] = None


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")
    a: int


@app.get("/items/{item_id}")
def read_item(
    item_id: Annotated[int, Path(ge=1)],
    q: Annotated[Optional[str], Query(min_length=3, max_length=10)] = None,
    size: Annotated[int, Query(gt=0, lt=100)] = 10,
    ratio: Optional[float] = None,
    active: Optional[bool] = None,
    code: Annotated[Optional[str], Query(pattern="^[A-Z]{3}$")] = None,
    ids: Annotated[Optional[list[int]], Query()] = None,
):
    return {"ok": True}


@app.get("/search")
def search(needed: str, page: int = 1):
    return {"ok": True}


@app.get("/whoami")
def whoami(x_token: Annotated[str, Header()], session_id: Annotated[str, Cookie()], x_retries: Annotated[int, Header()] = 0):
    return {"ok": True}


@app.post("/items")
def create_item(item: Item):
    return {"ok": True}


@app.post("/strict")
def create_strict(body: Strict):
    return {"ok": True}


@app.put("/items/{item_id}")
def replace_item(item_id: Annotated[int, Path(ge=1)], item: Item, x_token: Annotated[str, Header()], limit: int = 10):
    return {"ok": True}


def replay(cases):
    import json

    from fastapi.testclient import TestClient

    client = TestClient(app, raise_server_exceptions=False)
    answers = {}
    for case in cases:
        client.cookies.clear()
        for key, value in case.get("cookies", {}).items():
            client.cookies.set(key, value)
        kwargs = {"params": case.get("query"), "headers": dict(case.get("headers", {}))}
        if "json" in case:
            kwargs["json"] = case["json"]
        if "body" in case:
            kwargs["content"] = case["body"]
            kwargs["headers"]["content-type"] = "application/json"
        res = client.request(case["method"], case["url"], **kwargs)
        try:
            body = res.json()
        except ValueError:
            body = res.text
        answers[case["name"]] = {"status": res.status_code, "body": body}
    return answers


if __name__ == "__main__":
    import json
    import sys

    json.dump(replay(json.load(sys.stdin)), sys.stdout, indent=1)
