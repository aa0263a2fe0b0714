"""Every endpoint in the OpenAPI description, fed bad input by every kind of caller:
the answer is a 2xx or Rocket.Chat's error envelope with a 4xx, never a 500."""

import itertools
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tests.conftest import Persona

WEIRD_VALUES: list[Any] = [
    None,
    "",
    "x" * 5000,
    -1,
    2**70,
    1e30,
    True,
    [],
    {},
    ["a", 1],
    {"$gt": ""},
    "../../etc/passwd",
    "\u0000\ud7ff\U0001f600",
]
WEIRD_QUERY = ["", "-1", "abc", "1e30", "99999999999999999999", "{", "[1]", '{"$where":"1"}', "%00"]
WEIRD_BODIES: list[bytes] = [b"", b"{", b"[]", b'"text"', b"123", b"null", b'{"a":' + b"[" * 200]
# Field names Rocket.Chat endpoints commonly read, tried on every endpoint that takes a body.
COMMON_FIELDS = [
    "user",
    "username",
    "email",
    "password",
    "resume",
    "userId",
    "rid",
    "token",
    "data",
]
# Real values for path parameters, besides the parameter's own name.
PATH_VALUES = {"setting_id": ["Site_Name", "API_Default_Count", "Accounts_RegistrationForm"]}
SKIP = {("POST", "/api/v1/logout"), ("GET", "/api/v1/logout")}  # would end the caller's session


def _operations(app: FastAPI) -> list[tuple[str, str, dict[str, Any]]]:
    spec = app.openapi()
    ops = []
    for path, methods in spec["paths"].items():
        for method, op in methods.items():
            if (method.upper(), path) not in SKIP:
                ops.append((method.upper(), path, op))
    return ops


def _properties(op: dict[str, Any], spec: dict[str, Any]) -> list[str]:
    schema = (
        op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
    )
    if "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return list(dict.fromkeys([*schema.get("properties", {}), *COMMON_FIELDS]))


def _urls(path: str) -> list[str]:
    urls = [path.replace("{", "").replace("}", "")]  # path params as their own names
    for param, values in PATH_VALUES.items():
        if "{" + param + "}" in path:
            urls += [path.replace("{" + param + "}", v) for v in values]
    return urls


def _check(r: httpx.Response, what: str) -> None:
    assert r.status_code < 500, f"{what}: {r.status_code} {r.text[:300]}"
    if r.status_code >= 400 and r.headers.get("content-type", "").startswith("application/json"):
        body = r.json()
        assert body.get("success") is False and isinstance(body.get("error"), str), what


def _body_cases(props: list[str]) -> list[Any]:
    cases: list[Any] = [{}, {"unexpected": 1}]
    for prop, value in itertools.product(props, WEIRD_VALUES):
        cases.append({prop: value})
    if props:
        cases.extend({p: value for p in props} for value in WEIRD_VALUES)
    return cases


@pytest.mark.parametrize("who", ["anonymous", "user", "admin"])
async def test_no_input_makes_a_server_error(
    app: FastAPI, client: httpx.AsyncClient, admin: Persona, alice: Persona, who: str
) -> None:
    headers = {"anonymous": {}, "user": alice.headers, "admin": admin.headers}[who]
    spec = app.openapi()
    for method, path, op in _operations(app):
        for url in _urls(path):
            await _fuzz_operation(client, headers, spec, method, path, url, op, who)


async def _fuzz_operation(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    spec: dict[str, Any],
    method: str,
    path: str,
    url: str,
    op: dict[str, Any],
    who: str,
) -> None:
    """Bad query strings everywhere; bad bodies where the method takes one."""
    params = [p["name"] for p in op.get("parameters", []) if p.get("in") == "query"]
    params += ["count", "offset", "sort", "query", "fields"]
    for name, value in itertools.product(params, WEIRD_QUERY):
        r = await client.request(method, url, params={name: value}, headers=headers)
        _check(r, f"{who} {method} {path} ?{name}={value!r}")
    if method in ("POST", "PUT", "DELETE"):
        for raw in WEIRD_BODIES:
            h = {**headers, "content-type": "application/json"}
            r = await client.request(method, url, content=raw, headers=h)
            _check(r, f"{who} {method} {path} body={raw[:20]!r}")
        for body in _body_cases(_properties(op, spec)):
            r = await client.request(method, url, json=body, headers=headers)
            _check(r, f"{who} {method} {path} json={str(body)[:80]}")
