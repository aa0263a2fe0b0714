"""Rocket.Chat's password policy (Accounts_Password_Policy_*) and a check against the most
common passwords. Pure: the caller builds the policy from the settings."""

import hashlib
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from chinwag.domain.errors import ChinwagError

NOT_MET = "error-password-policy-not-met"
COMMON = "error-password-policy-not-met-commonPassword"

MESSAGES = {
    f"{NOT_MET}-minLength": "The password does not meet the minimum length password policy.",
    f"{NOT_MET}-maxLength": "The password does not meet the maximum length password policy.",
    f"{NOT_MET}-repeatingCharacters": (
        "The password contains repeating characters which is against the password policy."
    ),
    f"{NOT_MET}-oneLowercase": (
        "The password does not contain at least one lowercase character which is against "
        "the password policy."
    ),
    f"{NOT_MET}-oneUppercase": (
        "The password does not contain at least one uppercase character which is against "
        "the password policy."
    ),
    f"{NOT_MET}-oneNumber": (
        "The password does not contain at least one numerical character which is against "
        "the password policy."
    ),
    f"{NOT_MET}-oneSpecial": (
        "The password does not contain at least one special character which is against the "
        "password policy."
    ),
    COMMON: "The password is one of the most commonly used passwords.",
}


@dataclass(frozen=True)
class PasswordPolicy:
    enabled: bool = False
    min_length: int = -1
    max_length: int = -1
    forbid_repeating: bool = False
    repeating_count: int = 3
    lowercase: bool = False
    uppercase: bool = False
    number: bool = False
    special: bool = False
    forbid_common: bool = True

    def _rules(self, password: str) -> list[tuple[bool, str]]:
        """(broken, error id) for each rule the policy holds."""
        repeat = re.compile(r"(.)\1{" + str(max(1, self.repeating_count)) + ",}")
        return [
            (self.min_length > 0 and len(password) < self.min_length, "minLength"),
            (0 < self.max_length < len(password), "maxLength"),
            (self.forbid_repeating and bool(repeat.search(password)), "repeatingCharacters"),
            (self.lowercase and not re.search(r"[a-z]", password), "oneLowercase"),
            (self.uppercase and not re.search(r"[A-Z]", password), "oneUppercase"),
            (self.number and not re.search(r"[0-9]", password), "oneNumber"),
            (self.special and not re.search(r"[^A-Za-z0-9 ]", password), "oneSpecial"),
        ]

    def violations(self, password: str) -> list[str]:
        """The error ids of every rule `password` breaks, in Rocket.Chat's order."""
        found = []
        if self.enabled:
            found = [f"{NOT_MET}-{name}" for broken, name in self._rules(password) if broken]
        if self.forbid_common and is_common_password(password):
            found.append(COMMON)
        return found

    def check(self, password: str) -> None:
        """Raise the first broken rule's error; `details.reasons` lists every broken rule."""
        if not password.strip():
            raise ChinwagError(
                NOT_MET, "The password provided does not meet the server's password policy."
            )
        found = self.violations(password)
        if found:
            reasons = [{"error": e, "message": MESSAGES[e]} for e in found]
            raise ChinwagError(found[0], MESSAGES[found[0]], details={"reasons": reasons})

    def check_digest(self, digest: str) -> None:
        """Only a SHA-256 hex digest was sent (Meteor clients hash before sending): the common
        list can still be checked; the other rules cannot."""
        if self.forbid_common and digest.lower() in common_password_digests():
            reasons = [{"error": COMMON, "message": MESSAGES[COMMON]}]
            raise ChinwagError(COMMON, MESSAGES[COMMON], details={"reasons": reasons})

    def describe(self) -> dict[str, object]:
        """pw.getPolicy's answer: `enabled` and `policy`, a list of [name, params?]."""
        policy: list[list[object]] = []
        if self.enabled:
            name = "get-password-policy-"
            if self.min_length >= 1:
                policy.append([f"{name}minLength", {"minLength": self.min_length}])
            if self.max_length >= 1:
                policy.append([f"{name}maxLength", {"maxLength": self.max_length}])
            if self.forbid_repeating:
                policy.append([f"{name}forbidRepeatingCharacters"])
            if self.repeating_count:
                policy.append(
                    [
                        f"{name}forbidRepeatingCharactersCount",
                        {"forbidRepeatingCharactersCount": self.repeating_count},
                    ]
                )
            for on, rule in (
                (self.lowercase, "mustContainAtLeastOneLowercase"),
                (self.uppercase, "mustContainAtLeastOneUppercase"),
                (self.number, "mustContainAtLeastOneNumber"),
                (self.special, "mustContainAtLeastOneSpecialCharacter"),
            ):
                if on:
                    policy.append([f"{name}{rule}"])
        return {"enabled": self.enabled, "policy": policy}


@cache
def common_passwords() -> frozenset[str]:
    """The 10,000 most common passwords, lower case (see scripts/make-common-passwords)."""
    text = (resources.files("chinwag.domain") / "data" / "common-passwords.txt").read_text()
    return frozenset(line for line in text.splitlines() if line and not line.startswith("# "))


@cache
def common_password_digests() -> frozenset[str]:
    """SHA-256 hex of each common password as typed in lower case, and capitalised."""
    out = set()
    for word in common_passwords():
        for variant in {word, word.capitalize(), word.upper()}:
            out.add(hashlib.sha256(variant.encode()).hexdigest())
    return frozenset(out)


def is_common_password(password: str) -> bool:
    return password.strip().lower() in common_passwords()
