"""The DDP session as a state machine: text in, requests and messages out; no I/O.

The server feeds it frames with `receive()`, handles the requests it returns (method
calls, subscriptions), answers through `result()` / `ready()` / `nosub()`, and sends
whatever `outgoing()` hands back.
"""

from dataclasses import dataclass, field
from typing import Any

import orjson

from chinwag.ddp.ejson import from_ejson

SUPPORTED = ("1", "pre2", "pre1")


@dataclass(frozen=True)
class MethodCall:
    id: str
    method: str
    params: list[Any]


@dataclass(frozen=True)
class Subscribe:
    id: str
    name: str
    params: list[Any]


@dataclass(frozen=True)
class Unsubscribe:
    id: str


Request = MethodCall | Subscribe | Unsubscribe


@dataclass
class MethodError(Exception):
    """A Meteor.Error: `error` is the code (string or number), `reason` the text."""

    error: str | int
    reason: str = ""
    details: dict[str, Any] | None = None

    def as_ddp(self) -> dict[str, Any]:
        message = f"{self.reason} [{self.error}]" if self.reason else f"[{self.error}]"
        body: dict[str, Any] = {
            "isClientSafe": True,
            "error": self.error,
            "reason": self.reason,
            "message": message,
            "errorType": "Meteor.Error",
        }
        if self.details:
            body["details"] = self.details
        return body


@dataclass(slots=True)
class DdpSession:
    session_id: str
    connected: bool = False
    closed: bool = False
    subscriptions: set[str] = field(default_factory=set)
    _out: list[dict[str, Any]] = field(default_factory=list)

    def receive(self, text: str) -> list[Request]:
        """Take one frame; answer what the protocol itself answers; return the rest."""
        try:
            message = orjson.loads(text)
        except orjson.JSONDecodeError:
            self._error("Bad JSON", text)
            return []
        if not isinstance(message, dict) or not isinstance(message.get("msg"), str):
            if isinstance(message, dict) and "server_id" in message:
                return []
            self._error("Bad request", text)
            return []
        kind = message["msg"]
        if not self.connected:
            return self._connect(message, text) if kind == "connect" else self._must_connect(text)
        return self._dispatch(kind, message, text)

    def _connect(self, message: dict[str, Any], text: str) -> list[Request]:
        version = message.get("version")
        if version not in SUPPORTED:
            self._out.append({"msg": "failed", "version": "1"})
            self.closed = True
            return []
        self.connected = True
        self._out.append({"msg": "connected", "session": self.session_id})
        return []

    def _must_connect(self, text: str) -> list[Request]:
        self._error("Must connect first", text)
        return []

    def _dispatch(self, kind: str, message: dict[str, Any], text: str) -> list[Request]:
        if kind == "ping":
            self._out.append({"msg": "pong", **({"id": message["id"]} if "id" in message else {})})
            return []
        if kind == "pong" or kind == "connect":
            return []
        ident = message.get("id")
        if kind == "method":
            name, params = message.get("method"), message.get("params", [])
            if (
                not isinstance(ident, str)
                or not isinstance(name, str)
                or not isinstance(params, list)
            ):
                self._error("Malformed method invocation", text)
                return []
            return [MethodCall(ident, name, from_ejson(params))]
        if kind == "sub":
            name, params = message.get("name"), message.get("params", [])
            if (
                not isinstance(ident, str)
                or not isinstance(name, str)
                or not isinstance(params, list)
            ):
                self._error("Malformed subscription", text)
                return []
            return [Subscribe(ident, name, from_ejson(params))]
        if kind == "unsub":
            if not isinstance(ident, str):
                self._error("Malformed unsubscribe", text)
                return []
            return [Unsubscribe(ident)]
        self._error("Bad request", text)
        return []

    def result(self, call_id: str, result: Any = None, error: MethodError | None = None) -> None:
        body: dict[str, Any] = {"msg": "result", "id": call_id}
        if error is not None:
            body["error"] = error.as_ddp()
        elif result is not None:
            body["result"] = result
        self._out.append(body)
        self._out.append({"msg": "updated", "methods": [call_id]})

    def ready(self, sub_id: str) -> None:
        self.subscriptions.add(sub_id)
        self._out.append({"msg": "ready", "subs": [sub_id]})

    def nosub(self, sub_id: str, error: MethodError | None = None) -> None:
        self.subscriptions.discard(sub_id)
        body: dict[str, Any] = {"msg": "nosub", "id": sub_id}
        if error is not None:
            body["error"] = error.as_ddp()
        self._out.append(body)

    def added(self, collection: str, doc_id: str, fields: dict[str, Any]) -> None:
        self._out.append({"msg": "added", "collection": collection, "id": doc_id, "fields": fields})

    def removed(self, collection: str, doc_id: str) -> None:
        self._out.append({"msg": "removed", "collection": collection, "id": doc_id})

    def changed(self, collection: str, doc_id: str, fields: dict[str, Any]) -> None:
        self._out.append(
            {"msg": "changed", "collection": collection, "id": doc_id, "fields": fields}
        )

    def _error(self, reason: str, offending: str) -> None:
        self._out.append({"msg": "error", "reason": reason, "offendingMessage": offending[:1000]})

    def outgoing(self) -> list[dict[str, Any]]:
        out, self._out = self._out, []
        return out
