"""Checking a presented password, and the workspace's rules for choosing a new one."""

import re

from chinwag.actions.deps import Deps
from chinwag.domain.password_policy import PasswordPolicy
from chinwag.domain.passwords import check_digest, sha256_hex

SHA256_HEX = re.compile(r"[0-9a-fA-F]{64}")


async def password_matches(deps: Deps, user_id: str, presented: str) -> bool:
    """Does `presented` (the SHA-256 hex that web clients send, or the plain password) match?
    Runs bcrypt off the loop; call it outside any transaction."""
    async with deps.reader() as uow:
        hashed = await uow.users.find_password_hash(user_id)
    if hashed is None or not presented:
        return False
    # Most likely a digest; a plain password that happens to look like one is tried next.
    looks_hashed = SHA256_HEX.fullmatch(presented) is not None
    if looks_hashed and await deps.run_cpu(check_digest, presented.lower(), hashed):
        return True
    return await deps.run_cpu(check_digest, sha256_hex(presented), hashed)


def password_policy(deps: Deps) -> PasswordPolicy:
    """The policy as the Accounts_Password_Policy_* settings have it now."""
    s = deps.settings
    p = "Accounts_Password_Policy_"
    return PasswordPolicy(
        enabled=s.bool(f"{p}Enabled"),
        min_length=s.int(f"{p}MinLength"),
        max_length=s.int(f"{p}MaxLength"),
        forbid_repeating=s.bool(f"{p}ForbidRepeatingCharacters"),
        repeating_count=s.int(f"{p}ForbidRepeatingCharactersCount"),
        lowercase=s.bool(f"{p}AtLeastOneLowercase"),
        uppercase=s.bool(f"{p}AtLeastOneUppercase"),
        number=s.bool(f"{p}AtLeastOneNumber"),
        special=s.bool(f"{p}AtLeastOneSpecialCharacter"),
        forbid_common=s.bool(f"{p}ForbidCommonPasswords"),
    )


def require_allowed_password(deps: Deps, plain: str) -> None:
    """A new password must meet the policy and not be a common one (error-password-policy-*)."""
    password_policy(deps).check(plain)


def require_allowed_digest(deps: Deps, digest: str) -> None:
    """A new password sent only as its SHA-256 digest: the common-password check alone."""
    password_policy(deps).check_digest(digest)
