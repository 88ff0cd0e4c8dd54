"""FastAPI's answers for several body parameters, Body(embed=True), a wrong Content-Type,
Header(convert_underscores=False) and include_in_schema=False, pinned in body-params-cases.json
(FastAPI 0.142.2, Pydantic 2.13.5):

  /path/to/venv/bin/python packages/velox/test/compat/body-params-reference.py > packages/velox/test/compat/body-params-cases.json
"""
import json
from typing import Annotated, Optional
from fastapi import Body, FastAPI, Header
from fastapi.testclient import TestClient
from pydantic import BaseModel

class Item(BaseModel):
    name: str
    price: float
    tax: Optional[float] = None

class User(BaseModel):
    username: str
    full_name: Optional[str] = None

app = FastAPI()

@app.put("/items/{item_id}")
def update_item(item_id: int, item: Item, user: User, importance: Annotated[int, Body()]):
    return {"item_id": item_id, "item": item, "user": user, "importance": importance}

@app.put("/embed/{item_id}")
def embed(item_id: int, item: Annotated[Item, Body(embed=True)]):
    return {"item_id": item_id, "item": item}

@app.post("/plain")
def plain(item: Item):
    return item

@app.get("/hdr")
def hdr(strange_header: Annotated[Optional[str], Header(convert_underscores=False)] = None, x_token: Annotated[Optional[str], Header()] = None, hidden: Annotated[Optional[str], Header(include_in_schema=False)] = None):
    return {"strange_header": strange_header, "x_token": x_token, "hidden": hidden}

c = TestClient(app)
out = {}
def rec(name, r):
    out[name] = {"status": r.status_code, "body": r.json()}
rec("multi ok", c.put("/items/5", json={"item": {"name": "Foo", "price": 35.4}, "user": {"username": "dave"}, "importance": 5}))
rec("multi lax", c.put("/items/5", json={"item": {"name": "Foo", "price": "35.4"}, "user": {"username": "dave"}, "importance": "5"}))
rec("multi bad", c.put("/items/5", json={"item": {"name": "Foo", "price": "x"}, "user": {}, "importance": "high"}))
rec("multi missing", c.put("/items/5", json={}))
rec("multi empty", c.put("/items/5"))
rec("multi not object", c.put("/items/5", json=[1, 2]))
rec("multi null", c.put("/items/5", json=None, headers={"content-type": "application/json"}, content=b"null"))
rec("embed ok", c.put("/embed/5", json={"item": {"name": "Foo", "price": 1}}))
rec("embed unembedded", c.put("/embed/5", json={"name": "Foo", "price": 1}))
rec("plain text/plain", c.post("/plain", content=b'{"name":"Foo","price":1}', headers={"content-type": "text/plain"}))
rec("plain no type", c.post("/plain", content=b'{"name":"Foo","price":1}', headers={"content-type": ""}))
rec("plain form type", c.post("/plain", content=b'name=Foo&price=1', headers={"content-type": "application/x-www-form-urlencoded"}))
rec("multi text/plain", c.put("/items/5", content=b'{}', headers={"content-type": "text/plain"}))
rec("hdr", c.get("/hdr", headers={"strange_header": "a", "x-token": "b", "hidden": "h"}))
rec("hdr dashed", c.get("/hdr", headers={"strange-header": "a"}))
spec = c.get("/openapi.json").json()
out["openapi multi"] = {"requestBody": spec["paths"]["/items/{item_id}"]["put"]["requestBody"], "component": spec["components"]["schemas"]["Body_update_item_items__item_id__put"]}
out["openapi embed"] = {"requestBody": spec["paths"]["/embed/{item_id}"]["put"]["requestBody"], "component": spec["components"]["schemas"]["Body_embed_embed__item_id__put"]}
out["openapi hdr"] = spec["paths"]["/hdr"]["get"]["parameters"]
print(json.dumps(out, indent=1))
