"""The pure parts of two-factor login: TOTP windows, backup codes, mailed codes."""

from datetime import UTC, datetime, timedelta

import pyotp

from chinwag.domain import two_factor as tf

AT = datetime(2026, 6, 1, 12, 0, 0, tzinfo=UTC)


def test_a_code_counts_within_max_delta_steps_and_not_beyond() -> None:
    secret = tf.new_totp_secret()
    code = pyotp.TOTP(secret).at(AT)
    assert tf.totp_matches(secret, code, AT, 1)
    assert tf.totp_matches(secret, f"{code[:3]} {code[3:]}", AT + timedelta(seconds=30), 1)
    assert not tf.totp_matches(secret, code, AT + timedelta(seconds=90), 1)
    assert not tf.totp_matches(secret, code, AT + timedelta(seconds=30), 0)
    assert not tf.totp_matches(secret, "12345", AT, 1)


def test_the_enrolment_link_names_the_workspace_and_the_account() -> None:
    secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    made = tf.enrolment(secret, "alice", "Chinwag")
    assert made.url == f"otpauth://totp/Chinwag:alice?secret={secret}&issuer=Chinwag"
    assert made.qr_svg.startswith("data:image/svg+xml;base64,")


def test_backup_codes_are_stored_hashed_and_used_once() -> None:
    codes, hashes = tf.new_backup_codes()
    assert len(codes) == 12 and all(len(c) == 8 for c in codes)
    assert not set(codes) & set(hashes)
    left = tf.remaining_after_backup(tuple(hashes), codes[3])
    assert left is not None and len(left) == 11 and tf.hash_backup_code(codes[3]) not in left
    assert tf.remaining_after_backup(left, codes[3]) is None


def test_mailed_codes_hash_per_user_and_read_with_a_dash() -> None:
    code = tf.new_email_code()
    assert len(code) == 6 and code.isdigit()
    stored = tf.hash_email_code("u1", code)
    assert tf.email_code_matches("u1", stored, tf.display_email_code(code))
    assert not tf.email_code_matches("u2", stored, code)


def test_a_client_fingerprint_depends_on_agent_and_address() -> None:
    assert tf.fingerprint("ua", "1.2.3.4") == tf.fingerprint("ua", "1.2.3.4")
    assert tf.fingerprint("ua", "1.2.3.4") != tf.fingerprint("ua", "1.2.3.5")
