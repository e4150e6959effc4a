"""Where a webhook may go, and the one HTTP client that goes there.

A webhook URL is typed by a user, so it must never become a way into the company's network
(server-side request forgery). The rules, checked when an endpoint is saved and again before
every delivery (DNS answers change):

- https only, no user name or password in the URL;
- the host name is resolved and EVERY address must be public: loopback, private, link-local,
  shared (CGNAT), multicast, reserved, unspecified and cloud-metadata addresses are refused,
  IPv4 and IPv6 alike (an IPv4 address inside IPv6 — mapped, 6to4, NAT64 — is judged as IPv4);
- the connection goes to an address that was checked (never resolved again), with the original
  host name for TLS SNI, certificate verification and the Host header;
- no redirect is followed, the whole exchange has a deadline and the answer a size cap.
"""

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.utils.translation import gettext_lazy as _

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Addresses that look public but answer for the cloud platform itself.
_METADATA_NETWORKS = tuple(
    ipaddress.ip_network(net)
    for net in (
        "169.254.0.0/16",  # AWS, GCP, Azure, OpenStack instance metadata (also link-local)
        "168.63.129.16/32",  # Azure wire server
        "100.100.100.200/32",  # Alibaba Cloud metadata (also CGNAT)
        "192.0.0.192/32",  # Oracle Cloud metadata
        "fd00:ec2::254/128",  # AWS metadata over IPv6
    )
)
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_CGNAT = ipaddress.ip_network("100.64.0.0/10")


class UnsafeTarget(Exception):  # noqa: N818 - reads as what it is: "unsafe target"
    """The URL may not be called; `message` says why, in words a user understands."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def is_public_address(ip: IPAddress) -> bool:
    """True only for an address on the public internet that is not a cloud metadata service."""
    if isinstance(ip, ipaddress.IPv6Address):
        ip = ipaddress.IPv6Address(ip.compressed.split("%")[0])  # drop a zone id
        embedded = _embedded_ipv4(ip)
        if embedded is not None:
            return is_public_address(embedded)
        if ip.is_site_local:
            return False
    if (
        ip.is_loopback
        or ip.is_private
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or not ip.is_global
    ):
        return False
    if isinstance(ip, ipaddress.IPv4Address) and ip in _CGNAT:
        return False
    return not any(ip in net for net in _METADATA_NETWORKS if net.version == ip.version)


def resolve(host: str, port: int) -> list[str]:
    """Every address `host` resolves to (tests replace this function)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [info[4][0] for info in infos]


@dataclass(frozen=True)
class Target:
    host: str
    port: int
    path: str
    addresses: tuple[str, ...]


def check_target(url: str) -> Target:
    """Parse `url`, resolve its host and check every address; raise UnsafeTarget if refused."""
    try:
        parts = urlsplit(url)
        port = parts.port or 443
    except ValueError:
        raise UnsafeTarget(_("Enter a valid URL.")) from None
    if parts.scheme != "https":
        raise UnsafeTarget(_("Use an https:// address."))
    if parts.username or parts.password:
        raise UnsafeTarget(_("Leave the user name and password out of the URL."))
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise UnsafeTarget(_("Enter a valid URL."))
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is not None:
        addresses = [str(literal)]
    else:
        try:
            addresses = resolve(host, port)
        except (OSError, UnicodeError):
            raise UnsafeTarget(_("This host name does not resolve.")) from None
    if not addresses:
        raise UnsafeTarget(_("This host name does not resolve."))
    for address in addresses:
        try:
            ip = ipaddress.ip_address(address.split("%")[0])
        except ValueError:
            raise UnsafeTarget(_("This host name does not resolve.")) from None
        if not is_public_address(ip):
            raise UnsafeTarget(
                _(
                    "This address leads into a private network (%(address)s); "
                    "only public internet addresses can receive webhooks."
                )
                % {"address": address}
            )
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return Target(host=host, port=port, path=path, addresses=tuple(addresses))


# --- The HTTP client ------------------------------------------------------------------------


class DeliveryError(Exception):
    """No HTTP answer: the target was refused, unreachable, too slow or not TLS-valid."""


@dataclass(frozen=True)
class Answer:
    status: int
    excerpt: str


class PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to a fixed, already checked address; `host` is still used for SNI, certificate
    verification and the Host header."""

    def __init__(self, host, port, *, address, timeout, context):
        super().__init__(host, port, timeout=timeout, context=context)
        self.address = address

    def connect(self):
        sock = socket.create_connection((self.address, self.port), self.timeout)
        try:
            self.sock = self._context.wrap_socket(sock, server_hostname=self.host)
        except BaseException:
            sock.close()
            raise


def exchange(connection, *, path, body, headers, timeout, max_bytes):
    """POST `body` over `connection` and read at most `max_bytes` of the answer within
    `timeout` seconds in all. A redirect is an answer like any other: it is not followed."""
    deadline = time.monotonic() + timeout
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        received = b""
        # Only an excerpt is kept: stop at the cap or the deadline, whichever comes first.
        while len(received) < max_bytes and time.monotonic() < deadline:
            chunk = response.read1(max_bytes - len(received))
            if not chunk:
                break
            received += chunk
        return Answer(status=response.status, excerpt=received.decode("utf-8", "replace"))
    except TimeoutError:
        raise DeliveryError(_("The receiver took too long to answer.")) from None
    except ssl.SSLError as error:
        raise DeliveryError(_("TLS failed: %(error)s") % {"error": error.reason or error}) from None
    except (OSError, ValueError, http.client.HTTPException) as error:
        raise DeliveryError(_("Connection failed: %(error)s") % {"error": error}) from None
    finally:
        connection.close()


def post(url, *, body, headers, timeout, max_bytes):
    """Deliver one webhook: check the target now, connect to a checked address, POST `body`.

    Returns an Answer (any status, redirects included); raises UnsafeTarget when the URL is
    refused and DeliveryError when there is no answer.
    """
    target = check_target(url)
    context = ssl.create_default_context()
    last_error = None
    for address in target.addresses:
        connection = PinnedHTTPSConnection(
            target.host, target.port, address=address, timeout=timeout, context=context
        )
        try:
            connection.connect()
        except ssl.SSLError as error:
            connection.close()
            raise DeliveryError(
                _("TLS failed: %(error)s") % {"error": error.reason or error}
            ) from None
        except OSError as error:
            connection.close()
            last_error = error
            continue
        return exchange(
            connection,
            path=target.path,
            body=body,
            headers=headers,
            timeout=timeout,
            max_bytes=max_bytes,
        )
    raise DeliveryError(_("Connection failed: %(error)s") % {"error": last_error})
