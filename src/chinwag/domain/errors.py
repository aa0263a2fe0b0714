"""Domain errors. Adapters turn them into Rocket.Chat's error envelope."""

from dataclasses import dataclass, field


@dataclass
class ChinwagError(Exception):
    """A failure a client caused and can read: `code` is Rocket.Chat's `errorType`."""

    code: str
    reason: str = ""
    details: dict[str, object] = field(default_factory=dict)
    status: int = 400

    def __str__(self) -> str:
        return f"{self.reason} [{self.code}]" if self.reason else self.code


class InvalidParams(ChinwagError):
    def __init__(self, reason: str, code: str = "invalid-params") -> None:
        super().__init__(code=code, reason=reason, status=400)


class NotFound(ChinwagError):
    def __init__(self, code: str, reason: str) -> None:
        super().__init__(code=code, reason=reason, status=400)


class Unauthorized(ChinwagError):
    """No or bad credentials (HTTP 401)."""

    def __init__(self, reason: str = "You must be logged in to do this.") -> None:
        super().__init__(code="unauthorized", reason=reason, status=401)

    def __str__(self) -> str:
        return self.reason


class LoginFailed(ChinwagError):
    """A login that did not succeed: HTTP 401, with Rocket.Chat's `error` code."""

    def __init__(
        self,
        code: str = "Unauthorized",
        reason: str = "Unauthorized",
        details: dict[str, object] | None = None,
    ) -> None:
        super().__init__(code=code, reason=reason, details=details or {}, status=401)


class Forbidden(ChinwagError):
    """Logged in, but not allowed (HTTP 403)."""

    def __init__(
        self,
        reason: str = "User does not have the permissions required for this action",
        code: str = "error-forbidden",
    ) -> None:
        super().__init__(code=code, reason=reason, status=403)


def not_allowed(reason: str = "Not allowed") -> ChinwagError:
    return ChinwagError(code="error-not-allowed", reason=reason)


def invalid_user() -> ChinwagError:
    return ChinwagError(code="error-invalid-user", reason="User not found.")


def room_not_found() -> ChinwagError:
    return ChinwagError(code="error-room-not-found", reason="The required room was not found")
