"""Bounded outbound fetches: every URL sqbot fetches on someone else's word (a queue file's `link:`, a page's
`og:image`, a Substack host) goes through here.

The policy (pure, no network):

* http and https only; no user names or passwords in the URL;
* the host must be public: a literal address or every address its name resolves to is refused when it is
  loopback, private, link-local, multicast, unspecified, reserved, carrier-grade NAT (100.64.0.0/10), a cloud
  metadata address, or an IPv6 form that carries one of those (IPv4-mapped, NAT64, 6to4, Teredo); names such as
  `localhost`, `*.localhost`, `*.internal`, `*.local`, `metadata.google.internal` and one-label names are
  refused before anything is resolved (`check_public_url`, which `validate` can use without a network).

`fetch` (one httpx request loop):

* resolves the host with an injectable `resolve`, checks every address, then connects to the checked address
  itself (the URL's host is replaced by that address; `Host` and TLS SNI keep the name), so a second DNS answer
  cannot swap in another address (DNS rebinding); the address actually connected
  (`network_stream` `server_addr`) is checked again when the transport reports it;
* follows redirects by hand, at most `max_redirects`, each hop checked like the first;
* streams the body and stops at `max_bytes` (the result says it was cut; a compressed body is inflated within
  the same cap), and gives up after `timeout` seconds in total (checked at every hop and between body chunks;
  one silent read waits at most what was left when the hop started);
* ignores proxy environment variables (`trust_env=False`): the checked address is the one connected.

Loopback test servers are reachable only through an explicit `FetchPolicy(allow_hosts=...)` naming host names
whose addresses are not checked; there is no environment variable for it.
"""

from __future__ import annotations

import ipaddress
import socket
import time
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from bot.errors import PlatformError, TransientError, UnsafeURLError

if TYPE_CHECKING:
    import httpx

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Sequence[str]]

MAX_BYTES = 5 * 1024 * 1024
TIMEOUT = 10.0
MAX_REDIRECTS = 5

# cloud metadata services (AWS, GCP, Azure, OpenStack: 169.254.169.254; AWS IPv6; Alibaba; Oracle)
METADATA = frozenset(
    ipaddress.ip_address(a) for a in ("169.254.169.254", "fd00:ec2::254", "100.100.100.200", "192.0.0.192")
)
CGNAT = ipaddress.ip_network("100.64.0.0/10")
NAT64 = ipaddress.ip_network("64:ff9b::/96")
NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")
BLOCKED_NAMES = frozenset({"localhost", "metadata", "metadata.google.internal", "instance-data"})
BLOCKED_SUFFIXES = (".localhost", ".internal", ".local", ".localdomain", ".home.arpa", ".lan", ".intranet")


@dataclass(frozen=True)
class FetchPolicy:
    """How far one fetch may go. `allow_hosts` is for tests only: host names (as written in the URL) whose
    addresses are not checked, so a loopback test server can stand in for a public site."""

    max_bytes: int = MAX_BYTES
    timeout: float = TIMEOUT
    max_redirects: int = MAX_REDIRECTS
    allow_hosts: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Fetched:
    url: str  # the last URL (after redirects)
    status: int
    headers: dict[str, str]  # lower-case names
    content: bytes
    truncated: bool  # the body went past `max_bytes` and was cut there
    address: str  # the address connected to

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    def text(self) -> str:
        return self.content.decode("utf-8", "replace")


# ---------------------------------------------------------------------------------------------- the policy
def address_problem(ip: IPAddress) -> str | None:
    """Why sqbot must not connect to `ip`, or None for a public address."""
    if ip in METADATA:
        return "a cloud metadata address"
    if isinstance(ip, ipaddress.IPv6Address):
        inner: ipaddress.IPv4Address | None = ip.ipv4_mapped or ip.sixtofour
        if inner is None and ip.teredo is not None:
            inner = ip.teredo[1]
        if inner is None and (ip in NAT64 or ip in NAT64_LOCAL):
            inner = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if inner is not None:
            problem = address_problem(inner)
            return f"an IPv6 form of {inner} ({problem})" if problem else None
    checks = (
        (ip.is_loopback, "a loopback address"),
        (ip.is_unspecified, "the unspecified address"),
        (ip.is_link_local, "a link-local address"),
        (ip.is_multicast, "a multicast address"),
        (isinstance(ip, ipaddress.IPv4Address) and ip in CGNAT, "a carrier-grade NAT address"),
        (ip.is_private, "a private address"),
        (ip.is_reserved, "a reserved address"),
        (not ip.is_global, "not a public address"),
    )
    return next((why for bad, why in checks if bad), None)


def _literal_address(host: str) -> IPAddress | None:
    """`host` as an address when it is one, including the legacy IPv4 forms resolvers accept (`2130706433`,
    `0x7f.1`, `127.1`)."""
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        pass
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except (OSError, ValueError):
        return None


def host_problem(host: str) -> str | None:
    """Why a host name or literal address is not public, without resolving it; None when it may be."""
    name = host.strip().rstrip(".").lower()
    if not name:
        return "no host"
    ip = _literal_address(name)
    if ip is not None:
        problem = address_problem(ip)
        return f"{name} is {problem}" if problem else None
    if name in BLOCKED_NAMES or name.endswith(BLOCKED_SUFFIXES):
        return f"{name} names this machine or an internal network"
    if "." not in name:
        return f"{name} is not a public host name (no domain)"
    return None


def check_public_url(url: str) -> str | None:
    """What is wrong with fetching `url` that can be told without a network (scheme, credentials, a host that
    is an internal name or a non-public literal address), or None."""
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname or ""
        parts.port  # noqa: B018 (a port that is not a number raises here)
    except ValueError as e:
        return f"not a valid web address ({e})"
    if parts.scheme.lower() not in ("http", "https"):
        return f"only http and https addresses can be fetched, not {parts.scheme or 'no scheme'}:"
    if parts.username is not None or parts.password is not None:
        return "a web address with a user name or password in it"
    return host_problem(host)


# ---------------------------------------------------------------------------------------------- the fetch
def resolve_host(host: str, port: int) -> list[str]:
    """Every address `host` resolves to (the default resolver)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def fetch(
    url: str,
    *,
    policy: FetchPolicy | None = None,
    platform: str = "web",
    headers: dict[str, str] | None = None,
    transport: httpx.BaseTransport | None = None,
    resolve: Resolver = resolve_host,
) -> Fetched:
    """GET `url` within `policy` (see the module docstring). Raises `UnsafeURLError` for an address the policy
    refuses (first URL or any redirect), `TransientError` for a timeout or a connection failure, and
    `PlatformError` for too many redirects. Any HTTP status is returned, not raised."""
    import httpx

    policy = policy or FetchPolicy()
    deadline = time.monotonic() + policy.timeout
    client = httpx.Client(transport=transport, follow_redirects=False, trust_env=False)
    try:
        current = url
        for _hop in range(policy.max_redirects + 1):
            result = _one(client, current, policy, platform, headers or {}, deadline, resolve)
            if isinstance(result, Fetched):
                return result
            current = result  # a redirect: the next hop, checked like the first
        raise PlatformError(platform, f"{url}: more than {policy.max_redirects} redirects")
    finally:
        client.close()


def _one(
    client: httpx.Client,
    url: str,
    policy: FetchPolicy,
    platform: str,
    headers: dict[str, str],
    deadline: float,
    resolve: Resolver,
) -> Fetched | str:
    """One hop: the response, or the URL a redirect points to."""
    import httpx

    problem = check_public_url(url)
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").rstrip(".").lower()
    allowed = host in policy.allow_hosts
    if problem and not allowed:
        raise UnsafeURLError(url, problem)
    port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    address = _checked_address(url, host, port, allowed, resolve, platform)
    target = httpx.URL(url.strip()).copy_with(host=address)
    extensions: dict[str, object] = {}
    if parts.scheme.lower() == "https":
        extensions["sni_hostname"] = host
    netloc = host if parts.port is None else f"{host}:{parts.port}"
    if ":" in host:  # an IPv6 literal
        netloc = f"[{host}]" + ("" if parts.port is None else f":{parts.port}")
    request = client.build_request(
        "GET",
        target,
        headers={"Accept-Encoding": "identity", **headers, "Host": netloc},
        extensions=extensions,
        timeout=_remaining(deadline, url, platform),
    )
    try:
        response = client.send(request, stream=True)
    except httpx.TimeoutException:
        raise TransientError(platform, f"{url}: no answer within {policy.timeout:g} s") from None
    except httpx.HTTPError as e:
        raise TransientError(platform, f"{url}: {type(e).__name__}: {e}") from None
    try:
        connected = _connected_address(response)
        if connected is not None and not allowed:
            why = address_problem(ipaddress.ip_address(connected))
            if why or ipaddress.ip_address(connected) != ipaddress.ip_address(address):
                raise UnsafeURLError(url, f"connected to {connected}, not the checked {address}")
        if response.is_redirect:
            return str(urljoin(url, str(response.headers.get("location", ""))))
        content, truncated = _read_capped(response, policy, deadline, url, platform)
        return Fetched(
            url=url,
            status=response.status_code,
            headers={k.lower(): v for k, v in response.headers.items()},
            content=content,
            truncated=truncated,
            address=connected or address,
        )
    finally:
        response.close()


def _checked_address(url: str, host: str, port: int, allowed: bool, resolve: Resolver, platform: str) -> str:
    """The first address of `host`, after every one of them has passed the policy."""
    literal = _literal_address(host)
    if literal is not None:
        return str(literal)
    try:
        addresses = list(resolve(host, port))
    except OSError as e:
        raise TransientError(platform, f"{url}: cannot resolve {host} ({e})") from None
    if not addresses:
        raise TransientError(platform, f"{url}: {host} has no address")
    if not allowed:
        for a in addresses:
            try:
                why = address_problem(ipaddress.ip_address(a.split("%")[0]))
            except ValueError:
                why = f"an address that is not an IP address ({a!r})"
            if why:
                raise UnsafeURLError(url, f"{host} resolves to {a}, {why}")
    return addresses[0]


def _connected_address(response: httpx.Response) -> str | None:
    stream = response.extensions.get("network_stream")
    if stream is None:
        return None
    try:
        addr = stream.get_extra_info("server_addr")
    except Exception:  # a transport that does not say
        return None
    if not addr:
        return None
    return str(addr[0]).split("%")[0]


def _remaining(deadline: float, url: str, platform: str) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise TransientError(platform, f"{url}: took longer than the time allowed")
    return left


def _read_capped(
    response: httpx.Response, policy: FetchPolicy, deadline: float, url: str, platform: str
) -> tuple[bytes, bool]:
    """The body up to `max_bytes`; the total time is checked between chunks, so a server that trickles one
    byte at a time cannot hold the fetch past its deadline."""
    import httpx

    body = bytearray()
    try:
        encoding = response.headers.get("content-encoding", "identity").strip().lower()
        inflate = zlib.decompressobj(wbits=47) if encoding in ("gzip", "deflate") else None
        for raw in response.iter_raw():  # each network read as it comes (a chunk size would wait to fill it)
            _remaining(deadline, url, platform)
            room = policy.max_bytes - len(body)
            # a compressed body is inflated at most `room` bytes at a time (no zip bomb in memory)
            chunk = raw if inflate is None else inflate.decompress(raw, room + 1)
            if len(chunk) > room or (inflate is not None and inflate.unconsumed_tail):
                body += chunk[:room]
                return bytes(body), True
            body += chunk
    except httpx.TimeoutException:
        raise TransientError(
            platform, f"{url}: the answer did not finish within {policy.timeout:g} s"
        ) from None
    except (httpx.HTTPError, zlib.error) as e:
        raise TransientError(platform, f"{url}: {type(e).__name__}: {e}") from None
    return bytes(body), False
