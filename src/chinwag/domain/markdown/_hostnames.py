"""Which auto-detected links and e-mail addresses become LINK nodes.

A port of the parts of tldts (as bundled by @rocket.chat/message-parser) that the parser
consults: hostname extraction, hostname validation, IP detection and the public-suffix
lookup. Strings are sequences of UTF-16 code units, as in JavaScript.
"""

import re
from dataclasses import dataclass
from functools import cache

from chinwag.domain.markdown._suffixes import EXCEPTIONS, RULES

Trie = tuple[int, dict[str, "Trie"]]
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]{0,31}://")
_SPECIAL_SCHEMES = {"http", "https", "ws", "wss", "ftp", "file"}


@dataclass(frozen=True)
class Host:
    hostname: str | None = None
    is_ip: bool = False
    is_icann: bool = False
    is_private: bool = False
    domain: str | None = None


def _build(rules: str) -> Trie:
    root: Trie = (0, {})
    for line in rules.splitlines():
        flag, suffix = line.split(" ", 1)
        node = root
        labels = suffix.split(".")
        for i, label in enumerate(reversed(labels)):
            child = node[1].get(label)
            if child is None:
                child = (0, {})
            if i == len(labels) - 1:
                child = (int(flag), child[1])
            node[1][label] = child
            node = child
    return root


@cache
def _tries() -> tuple[Trie, Trie]:
    return _build(EXCEPTIONS), _build(RULES)


def _lower(text: str) -> str:
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass").lower()


def _to_units(text: str) -> str:
    data = text.encode("utf-16-le", "surrogatepass")
    return "".join(chr(int.from_bytes(data[i : i + 2], "little")) for i in range(0, len(data), 2))


def _lower_units(text: str) -> str:
    return _to_units(_lower(text))


def _hostname_char(c: str) -> bool:
    return "a" <= c <= "z" or "0" <= c <= "9" or ord(c) > 127


def is_valid_hostname(host: str) -> bool:
    if not 0 < len(host) <= 255:
        return False
    if not _hostname_char(host[0]) and host[0] not in "._":
        return False
    last_dot, prev = -1, ""
    for i, c in enumerate(host):
        if c == ".":
            if i - last_dot > 64 or prev in (".", "-", "_"):
                return False
            last_dot = i
        elif not _hostname_char(c) and c not in "-_":
            return False
        prev = c
    return len(host) - last_dot - 1 <= 63 and prev != "-"


def _scheme_ok(url: str, start: int, colon: int) -> bool:
    if url[start:colon] in ("https", "http", "wss", "ws"):
        return True
    for c in url[start:colon]:
        low = chr(ord(c) | 32)
        if not ("a" <= low <= "z" or "0" <= low <= "9" or low in ".-+"):
            return False
    return True


def extract_hostname(url: str, is_hostname: bool) -> str | None:
    start, end, upper = 0, len(url), False
    if not is_hostname:
        if url.startswith("data:"):
            return None
        while start < len(url) and ord(url[start]) <= 32:
            start += 1
        while end > start + 1 and ord(url[end - 1]) <= 32:
            end -= 1
        if url.startswith("//", start):
            start += 2
        else:
            colon = url.find(":/", start)
            if colon != -1:
                if not _scheme_ok(url, start, colon):
                    return None
                start = colon + 2
                while start < len(url) and url[start] == "/":
                    start += 1
        at = bracket = colon = -1
        for i in range(start, end):
            c = url[i]
            if c in "#/?":
                end = i
                break
            if c == "@":
                at = i
            elif c == "]":
                bracket = i
            elif c == ":":
                colon = i
            elif "A" <= c <= "Z":
                upper = True
        if at != -1 and start < at < end:
            start = at + 1
        if start < len(url) and url[start] == "[":
            return _lower_units(url[start + 1 : bracket]) if bracket != -1 else None
        if colon != -1 and start < colon < end:
            end = colon
    while end > start + 1 and url[end - 1] == ".":
        end -= 1
    host = url[start:end]
    return _lower_units(host) if upper else host


def _is_ipv6(host: str) -> bool:
    if len(host) < 3:
        return False
    start = 1 if host.startswith("[") else 0
    end = len(host) - 1 if host.endswith("]") else len(host)
    if end - start > 39:
        return False
    colon = False
    for c in host[start:end]:
        if c == ":":
            colon = True
        elif not ("0" <= c <= "9" or "a" <= c <= "f" or "A" <= c <= "Z"):
            return False
    return colon


def _is_ipv4(host: str) -> bool:
    if not 7 <= len(host) <= 15:
        return False
    if any(c != "." and not "0" <= c <= "9" for c in host):
        return False
    return host.count(".") == 3 and host[0] != "." and host[-1] != "."


def _lookup(labels: list[str], trie: Trie) -> tuple[int, int] | None:
    """The deepest rule matching the labels: (index of its first label, flag)."""
    found: tuple[int, int] | None = None
    node: Trie | None = trie
    index = len(labels) - 1
    while node is not None:
        if node[0] & 3:
            found = (index + 1, node[0])
        if index == -1:
            break
        children = node[1]
        node = children.get(labels[index], children.get("*"))
        index -= 1
    return found


def _last_index_of(text: str, sub: str, before: int) -> int:
    if before < 0:
        return 0 if text.startswith(sub) else -1
    return text.rfind(sub, 0, before + len(sub))


def _domain(suffix: str, hostname: str, valid_hosts: tuple[str, ...] | None) -> str | None:
    for valid in valid_hosts or ():
        if hostname.endswith(valid) and (
            len(hostname) == len(valid) or hostname[len(hostname) - len(valid) - 1] == "."
        ):
            return valid
    dots = len(hostname) - len(hostname.lstrip(".")) if hostname.startswith(".") else 0
    if len(suffix) == len(hostname) - dots:
        return None
    cut = _last_index_of(hostname, ".", len(hostname) - len(suffix) - 2)
    return hostname if cut == -1 else hostname[cut + 1 :]


def inspect(url: str, *, detect_ip: bool, valid_hosts: tuple[str, ...] | None) -> Host:
    hostname = extract_hostname(url, is_valid_hostname(url))
    if hostname is None:
        return Host()
    if detect_ip and (_is_ipv6(hostname) or _is_ipv4(hostname)):
        return Host(hostname=hostname, is_ip=True)
    if not is_valid_hostname(hostname):
        return Host()
    labels = hostname.split(".")
    exceptions, rules = _tries()
    match = _lookup(labels, exceptions)
    if match is not None:
        suffix = ".".join(labels[match[0] + 1 :])
    else:
        match = _lookup(labels, rules)
        suffix = ".".join(labels[match[0] :]) if match is not None else labels[-1]
    flag = match[1] if match is not None else 0
    return Host(
        hostname=hostname,
        is_icann=flag == 1,
        is_private=flag == 2,
        domain=_domain(suffix, hostname, valid_hosts),
    )


def _can_parse(url: str) -> bool:
    """URL.canParse for the candidates the grammar produces (see the module notes)."""
    match = re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", url)
    if match is None:
        return False
    # A special scheme needs a valid host; every such candidate starts with "scheme://",
    # which auto_link accepts anyway.
    return match.group()[:-1].lower() not in _SPECIAL_SCHEMES or url.startswith("//", match.end())


def link_src(url: str) -> str:
    if _can_parse(url) or url.startswith("//") or _SCHEME.match(url):
        return url
    return "//" + url


def is_linkable_url(url: str, custom_domains: tuple[str, ...]) -> bool:
    valid_hosts = ("localhost", *custom_domains)
    host = inspect(url, detect_ip=True, valid_hosts=valid_hosts)
    return (
        host.is_icann
        or host.is_ip
        or host.is_private
        or (bool(host.domain) and host.domain in valid_hosts)
    )


def is_linkable_email(address: str) -> bool:
    host = inspect("mailto:" + address, detect_ip=False, valid_hosts=None)
    return host.is_icann or host.is_ip or host.is_private
