"""Rocket.Chat's password rules, as pure checks."""

import hashlib

import pytest

from chinwag.domain.errors import ChinwagError
from chinwag.domain.password_policy import PasswordPolicy

STRICT = PasswordPolicy(
    enabled=True,
    min_length=8,
    max_length=20,
    forbid_repeating=True,
    repeating_count=3,
    lowercase=True,
    uppercase=True,
    number=True,
    special=True,
)


def test_a_disabled_policy_only_keeps_common_passwords_out() -> None:
    off = PasswordPolicy()
    assert off.violations("x") == []
    assert off.violations("dragon") == ["error-password-policy-not-met-commonPassword"]
    assert PasswordPolicy(forbid_common=False).violations("dragon") == []


def test_every_rule_reports_in_rocket_chats_order() -> None:
    assert STRICT.violations("Good-pass1") == []
    assert STRICT.violations("aaaa") == [
        "error-password-policy-not-met-minLength",
        "error-password-policy-not-met-repeatingCharacters",
        "error-password-policy-not-met-oneUppercase",
        "error-password-policy-not-met-oneNumber",
        "error-password-policy-not-met-oneSpecial",
    ]
    assert STRICT.violations("Aaa-bbb-ccc1") == []  # three in a row are allowed, four are not
    assert "error-password-policy-not-met-maxLength" in STRICT.violations("A1-" + "x" * 30)


def test_check_raises_the_first_rule_with_all_reasons() -> None:
    with pytest.raises(ChinwagError) as caught:
        STRICT.check("short")
    assert caught.value.code == "error-password-policy-not-met-minLength"
    assert len(caught.value.details["reasons"]) == 4  # type: ignore[arg-type]
    with pytest.raises(ChinwagError) as blank:
        STRICT.check("   ")
    assert blank.value.code == "error-password-policy-not-met"


def test_a_digest_of_a_common_password_is_refused() -> None:
    policy = PasswordPolicy()
    with pytest.raises(ChinwagError):
        policy.check_digest(hashlib.sha256(b"Dragon").hexdigest())
    policy.check_digest(hashlib.sha256(b"an uncommon passphrase").hexdigest())
