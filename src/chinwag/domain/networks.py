"""The network an address belongs to, as abuse detection counts it: IPv4 /24, IPv6 /48."""

import ipaddress

IPV4_PREFIX = 24
IPV6_PREFIX = 48


def network_of(address: str | None) -> str | None:
    """ "203.0.113.0/24" for 203.0.113.7; None for no address or one that does not parse.

    An IPv4-mapped IPv6 address (::ffff:203.0.113.7) counts as the IPv4 address it carries.
    """
    if not address:
        return None
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    prefix = IPV4_PREFIX if ip.version == 4 else IPV6_PREFIX
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def email_domain(email: str | None) -> str | None:
    """The lower-cased part after the last "@", or None."""
    if not email or "@" not in email:
        return None
    return email.rsplit("@", 1)[1].strip().lower() or None
