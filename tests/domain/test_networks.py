"""The network an address counts toward, and the domain of an address."""

import pytest

from chinwag.domain.networks import email_domain, network_of


@pytest.mark.parametrize(
    ("address", "network"),
    [
        ("203.0.113.7", "203.0.113.0/24"),
        ("203.0.113.250", "203.0.113.0/24"),
        ("::ffff:203.0.113.7", "203.0.113.0/24"),
        ("2001:db8:abcd:12::1", "2001:db8:abcd::/48"),
        ("2001:db8:abcd:ffff:ffff::9", "2001:db8:abcd::/48"),
        (" 10.1.2.3 ", "10.1.2.0/24"),
        ("not-an-address", None),
        ("", None),
        (None, None),
    ],
)
def test_network_of(address: str | None, network: str | None) -> None:
    assert network_of(address) == network


@pytest.mark.parametrize(
    ("email", "domain"),
    [("a@Spam.Test", "spam.test"), ("odd@name@x.org", "x.org"), ("nobody", None), (None, None)],
)
def test_email_domain(email: str | None, domain: str | None) -> None:
    assert email_domain(email) == domain
