"""Running a class from a laptop: the address the students' devices reach it at on the school
network, and a link as a QR code drawn in the terminal. No Flask here, and no network traffic:
finding the address sends nothing."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable, Iterator

import segno

# Where a UDP socket is "connected" to learn which address the system would send from: connect()
# on a datagram socket only picks a route, and sends nothing. First the wider world (TEST-NET-1,
# RFC 5737: routed like any internet address, used by nobody), then the private ranges, for a
# school network with no way out.
ROUTE_PROBES = ("192.0.2.1", "10.255.255.254", "172.31.255.254", "192.168.255.254")
PROBE_PORT = 9  # the discard port: nothing is sent to it anyway

# Colours that do not depend on the terminal's theme: a QR code needs dark modules on light.
DARK_ON_TOP, LIGHT_ON_TOP = "\033[30m", "\033[97m"
DARK_BELOW, LIGHT_BELOW = "\033[40m", "\033[107m"
RESET = "\033[0m"
UPPER_HALF = "\u2580"  # the top half of a character cell drawn in the foreground colour
# Without colours: (top dark?, bottom dark?) -> the character that inks those halves.
INK = {(0, 0): " ", (1, 0): UPPER_HALF, (0, 1): "\u2584", (1, 1): "\u2588"}


def usable(address: str) -> bool:
    """Whether other devices could reach this IPv4 address (not loopback, link-local or 0.0.0.0)."""
    try:
        ip = ipaddress.IPv4Address(address)
    except ValueError:
        return False
    return not (ip.is_loopback or ip.is_link_local or ip.is_unspecified or ip.is_multicast)


def lan_address(
    make_socket: Callable[[], socket.socket] | None = None,
    addresses_of_host: Callable[[], Iterable[str]] | None = None,
) -> str | None:
    """This computer's IPv4 address on its network, or None if it has none that others reach:
    the one the system sends from on its way out (or towards a private range), else any of the
    host name's addresses that is not loopback (Debian names its host 127.0.1.1)."""
    make_socket = make_socket or (lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM))
    for target in ROUTE_PROBES:
        probe = make_socket()
        try:
            probe.connect((target, PROBE_PORT))
            address = probe.getsockname()[0]
        except OSError:
            continue  # no route that way
        finally:
            probe.close()
        if usable(address):
            return address
    for address in (addresses_of_host or host_addresses)():
        if usable(address):
            return address
    return None


def host_addresses() -> list[str]:
    """The IPv4 addresses this computer's name resolves to, without asking any server beyond
    the system's own (the hosts file, mDNS)."""
    try:
        found = socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET, socket.SOCK_STREAM)
    except OSError:
        return []
    return [info[4][0] for info in found]


def qr_lines(text: str, colour: bool = True) -> Iterator[str]:
    """text as a QR code for the terminal, two rows of modules to a line of half blocks. In
    colour, in explicit black and white, so that it scans on a dark or a light terminal alike;
    without (for a file, or a terminal that strips colours), dark modules in blocks, as ink on
    a light page."""
    code = segno.make(text, error="m")
    rows = [list(row) for row in code.matrix_iter(scale=1, border=4)]
    if len(rows) % 2:
        rows.append([0] * len(rows[0]))  # a light row under the last (in the quiet zone)
    for top, below in zip(rows[::2], rows[1::2], strict=True):
        pairs = list(zip(top, below, strict=True))
        if colour:
            yield (
                "".join(
                    (DARK_ON_TOP if upper else LIGHT_ON_TOP)
                    + (DARK_BELOW if lower else LIGHT_BELOW)
                    + UPPER_HALF
                    for upper, lower in pairs
                )
                + RESET
            )
        else:
            yield "".join(INK[pair] for pair in pairs)
