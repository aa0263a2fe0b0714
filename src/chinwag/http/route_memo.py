"""Routing that remembers which of the app's routes answers a method and path.

FastAPI tries the app's routes in order until one matches, and every included router is a
route that tries all of its own: with some twenty routers of REST sections, a cheap call
such as `me` or `subscriptions.get` spent about a quarter of its CPU finding its handler.
The first matching route for a given method and path never changes while the routes stay
the same, so it is remembered and tried first; anything else takes FastAPI's own loop.

"The routes stay the same" is FastAPI's routes version: the sum of every router's own
count of changes. Adding up the counters of the routers the memo last saw costs a tenth of
FastAPI's walk over every route to find them, and any change to the tree bumps one of them.
"""

from collections.abc import Iterator

from fastapi import FastAPI, routing
from fastapi.routing import _apply_router_form_limits, _update_scope  # private; fastapi is pinned
from fastapi.telemetry._api import _route_selected
from starlette.routing import Match
from starlette.types import Receive, Scope, Send

MAX_REMEMBERED = 4096  # paths with ids in them would grow it without end


class RouteMemo(routing.APIRouter):
    """The app's top router, with a memory of (method, path) -> index of the route."""

    _memo: dict[tuple[str, str], int]
    _memo_version: int
    _memo_routers: tuple[routing.APIRouter, ...] = ()

    async def app(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().app(scope, receive, send)
            return
        memo = self._fresh_memo()
        key = (scope["method"], scope["path"])
        index = memo.get(key)
        if index is None:
            self._learn(scope, key, memo)
        else:
            route = self.routes[index]
            child_scope: Scope
            if isinstance(route, routing._IncludedRouter):
                # Its match is a search of its own routes, which handling it repeats; the
                # memo's key matched it fully when learnt, and matching adds nothing to scope.
                match, child_scope = Match.FULL, {}
            else:
                match, child_scope = route.matches(scope)
            if match == Match.FULL:  # the same steps as FastAPI's loop once it has a match
                _apply_router_form_limits(scope, self.form_limits)
                scope.setdefault("router", self)
                _update_scope(scope, child_scope)
                _route_selected(
                    scope=scope,
                    path=getattr(route, "path_format", None),
                    mount=isinstance(route, routing.Mount),
                )
                await route.handle(scope, receive, send)
                return
        await super().app(scope, receive, send)

    def _fresh_memo(self) -> dict[tuple[str, str], int]:
        version = sum(router._routes_version for router in self._memo_routers)
        if getattr(self, "_memo_version", None) != version or not self._memo_routers:
            self._memo_routers = tuple(_routers_in(self))
            version = sum(router._routes_version for router in self._memo_routers)
            self._memo, self._memo_version = {}, version
        return self._memo

    def _learn(self, scope: Scope, key: tuple[str, str], memo: dict[tuple[str, str], int]) -> None:
        """Remember the first route that fully matches, as FastAPI's loop would pick it."""
        if len(memo) >= MAX_REMEMBERED:
            return
        for index, route in enumerate(self.routes):
            match, _ = route.matches(scope)
            if match == Match.FULL:  # earlier partial matches (other methods) lose to it
                memo[key] = index
                return


def _routers_in(router: routing.APIRouter) -> Iterator[routing.APIRouter]:
    """The router and every router included in it, each once (as FastAPI's version walk)."""
    seen: set[int] = set()
    pending = [router]
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        for route in current.routes:
            if isinstance(route, routing._IncludedRouter):
                pending.append(route.original_router)


def install(app: FastAPI) -> None:
    """Make the app's own router (FastAPI builds it) a RouteMemo: same state, same routes."""
    router = app.router
    if router.middleware_stack != router.app:  # Starlette wraps nothing around a plain router
        raise RuntimeError("the app's router is wrapped; RouteMemo would be bypassed")
    router.__class__ = RouteMemo
    router.middleware_stack = router.app
