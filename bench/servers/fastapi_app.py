"""FastAPI contract server: Debian's FastAPI 0.92 (pydantic v1) on uvicorn, uvloop and httptools.

pydantic v1 coerces by default (1.5 -> 1, "3" -> 3), so JSON fields are strict here to match
the contract the Node servers enforce.
"""
import argparse
import os
from itertools import count
from typing import List, Literal, Optional

import uvicorn
from fastapi import FastAPI, Path, Query
from pydantic import BaseModel, StrictBool, confloat, conint, conlist, constr, validator

ID_MAX = 2**31 - 1


def strict_number(value):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError("value is not a number")
    return value


class Dimensions(BaseModel):
    width: confloat(gt=0)
    height: confloat(gt=0)
    depth: confloat(gt=0)

    _numbers = validator("width", "height", "depth", pre=True, allow_reuse=True)(strict_number)


class ItemIn(BaseModel):
    name: constr(strict=True, min_length=1, max_length=100)
    sku: constr(strict=True, regex=r"^[A-Z]{3}-\d{5}$")
    price: confloat(ge=0)
    quantity: conint(strict=True, ge=0, le=10000)
    inStock: StrictBool
    category: Literal["tools", "toys", "books", "food"]
    tags: conlist(constr(strict=True, min_length=1, max_length=20), max_items=10)
    dimensions: Dimensions

    _price = validator("price", pre=True, allow_reuse=True)(strict_number)


class ItemOut(ItemIn):
    id: int


class User(BaseModel):
    id: int
    username: str
    email: str
    firstName: str
    lastName: str
    age: int
    active: bool
    role: str
    createdAt: str
    fields: Optional[str] = None


app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
ids = count(1)


@app.get("/json")
async def hello():
    return {"message": "Hello, World!"}


@app.get("/users/{id}", response_model=User)
async def get_user(
    id: int = Path(..., ge=1, le=ID_MAX),
    fields: Optional[str] = Query(None, min_length=1, max_length=64, regex=r"^[A-Za-z_,]+$"),
):
    return {
        "id": id, "username": f"user{id}", "email": f"user{id}@example.com", "firstName": "Ada",
        "lastName": "Lovelace", "age": 36, "active": True, "role": "admin",
        "createdAt": "2024-01-01T00:00:00.000Z", "fields": fields,
    }


@app.post("/items", response_model=ItemOut, status_code=201)
async def create_item(item: ItemIn):
    return {"id": next(ids), **item.dict()}


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "3000")))
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    if args.workers > 1:
        # uvicorn starts worker processes from an import string, not from an app object.
        uvicorn.run("fastapi_app:app", app_dir=os.path.dirname(os.path.abspath(__file__)), host="127.0.0.1",
                    port=args.port, workers=args.workers, log_level="warning", access_log=False)
    else:
        uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning", access_log=False)
