#!/usr/bin/python3
"""HTTP clients for the confluent-deployd tests (standard library only).

  deployd_clients.py load HOST PORT MANIFEST [--timeout S]
      One client per MANIFEST line "MAC LOCATION FILE": all connections are opened first
      and held open together, then every client asks
      GET /confluent-api/boot/by-mac/MAC/img, expects a 302 to LOCATION, fetches LOCATION
      (on the same connection when the server keeps it alive, else on a new one) and
      compares the body with FILE's bytes. Exit status 0 when every client succeeded.

  deployd_clients.py malformed HOST PORT PUBLIC_PATH SIZE [--timeout S]
      Sends malformed and hostile requests, one connection each, and checks each gets an
      allowed answer: a 4xx (a few cases name another status HTTP requires) or, where HTTP
      allows it, a clean close with no answer. PUBLIC_PATH is a public file of SIZE bytes.
"""
import argparse
import asyncio
import resource
import sys
import time


class HttpError(Exception):
    pass


async def read_response(reader, method="GET"):
    """(status, headers {lower-case name: value}, body, keep_alive) of one response."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/1."):
        raise HttpError(f"bad status line {lines[0]!r}")
    status = int(parts[1])
    headers = {}
    for line in lines[1:]:
        if line:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
    if "chunked" in headers.get("transfer-encoding", "").lower():
        raise HttpError("unexpected chunked response")
    length = int(headers.get("content-length", "0"))
    body = b"" if method == "HEAD" else await reader.readexactly(length)
    keep_alive = parts[0] == "HTTP/1.1" and "close" not in headers.get("connection", "").lower()
    return status, headers, body, keep_alive


def request(method, path, host, extra=""):
    return f"{method} {path} HTTP/1.1\r\nHost: {host}\r\n{extra}\r\n".encode()


def close(writer):
    try:
        writer.close()
    except OSError:
        pass


# ---------------------------------------------------------------- load


async def one_client(i, conn, host, port, mac, location, expected, start_event, stats):
    reader, writer = conn
    await start_event.wait()
    try:
        writer.write(request("GET", f"/confluent-api/boot/by-mac/{mac}/img", host))
        await writer.drain()
        status, headers, _, keep = await read_response(reader)
        got = headers.get("location", "")
        # A relative Location, or an absolute one on this server.
        if status != 302 or got not in (location, f"http://{host}:{port}{location}"):
            raise HttpError(f"by-mac {mac}: {status} Location {got!r}, expected 302 {location}")
        if keep:
            stats["reused"] += 1
        else:
            close(writer)
            reader, writer = await asyncio.open_connection(host, port)
        writer.write(request("GET", location, host, "Connection: close\r\n"))
        await writer.drain()
        status, _, body, _ = await read_response(reader)
        if status != 200 or body != expected:
            raise HttpError(f"{location}: {status}, {len(body)} bytes, expected 200 and {len(expected)} "
                            f"bytes{' (contents differ)' if len(body) == len(expected) else ''}")
        stats["ok"] += 1
        stats["bytes"] += len(body)
    except (HttpError, OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError) as e:
        stats["failures"].append(f"client {i}: {type(e).__name__}: {e}")
    finally:
        close(writer)


async def load(args):
    entries = []
    contents = {}
    with open(args.manifest) as f:
        for line in f:
            if line.strip():
                mac, location, path = line.split()
                if path not in contents:
                    with open(path, "rb") as data:
                        contents[path] = data.read()
                entries.append((mac, location, contents[path]))
    # One descriptor per connection, plus a few: raise the soft limit to the hard one.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    t0 = time.monotonic()
    results = await asyncio.gather(*(asyncio.open_connection(args.host, args.port) for _ in entries),
                                   return_exceptions=True)
    failed = [r for r in results if isinstance(r, BaseException)]
    t_connected = time.monotonic()
    if failed:
        for r in results:
            if not isinstance(r, BaseException):
                close(r[1])
        print(f"load: {len(failed)} of {len(entries)} connections failed, first: {failed[0]!r}", file=sys.stderr)
        return 1
    # Every connection is open (and held) before the first request goes out.
    stats = {"ok": 0, "bytes": 0, "reused": 0, "failures": []}
    start = asyncio.Event()
    tasks = [asyncio.ensure_future(one_client(i, results[i], args.host, args.port, mac, loc, data, start, stats))
             for i, (mac, loc, data) in enumerate(entries)]
    start.set()
    done, pending = await asyncio.wait(tasks, timeout=args.timeout)
    for t in pending:
        t.cancel()
    t_end = time.monotonic()
    n = len(entries)
    print(f"load: {n} connections open in {t_connected - t0:.2f}s; {stats['ok']} of {n} clients served "
          f"(302 + {stats['bytes'] // max(stats['ok'], 1)} bytes each) in {t_end - t_connected:.2f}s; "
          f"{stats['reused']} file fetches reused the by-mac connection")
    if pending:
        print(f"load: {len(pending)} clients unfinished after {args.timeout}s", file=sys.stderr)
    for failure in stats["failures"][:10]:
        print(f"load: {failure}", file=sys.stderr)
    if len(stats["failures"]) > 10:
        print(f"load: ... {len(stats['failures']) - 10} more failures", file=sys.stderr)
    return 0 if stats["ok"] == n else 1


# ---------------------------------------------------------------- malformed

# A TLS 1.2 ClientHello's first bytes: a client speaking HTTPS to the plain HTTP port.
TLS_HELLO = bytes.fromhex("16030100a5010000a10303") + bytes(32) + bytes.fromhex("000004c02fc030010000740000")


async def exchange(host, port, data, half_close, timeout, body=b""):
    """Sends `data` on a new connection, then `body` unless an answer came within a second
    (a server may answer as soon as it has the headers, 413 for instance, and close: a
    client still sending then gets a reset and may lose that answer). Returns
    ("response", status, headers, body) for a complete answer, ("close", raw) when the
    server closed first (raw: what it sent), ("reset",) when it reset the connection."""
    reader, writer = await asyncio.open_connection(host, port)
    try:
        try:
            writer.write(data)
            await writer.drain()
            if body:
                try:
                    status, headers, got, _ = await asyncio.wait_for(read_response(reader), 1)
                    return ("response", status, headers, got)
                except asyncio.TimeoutError:
                    writer.write(body)
                    await writer.drain()
            if half_close:
                # A client that gives up does so some time after it last sent. (Data and FIN
                # in one go: libmicrohttpd 0.9.75 misses the FIN now and then and holds the
                # connection until its idle timeout.)
                await asyncio.sleep(0.05)
                writer.write_eof()
            status, headers, got, _ = await asyncio.wait_for(read_response(reader), timeout)
            return ("response", status, headers, got)
        except asyncio.IncompleteReadError as e:
            return ("close", e.partial)
        except (ConnectionResetError, BrokenPipeError):
            return ("reset",)
    finally:
        close(writer)


def malformed_cases(path, size):
    host = "Host: deployd.test\r\n"
    get_file = f"GET {path} HTTP/1.1\r\n{host}".encode()
    big_head = (f"POST /confluent-api/self/registerapikey HTTP/1.1\r\n{host}CONFLUENT_NODENAME: n1\r\n"
                f"Content-Length: {1 << 20}\r\n\r\n").encode()
    # (name, bytes to send, half-close after sending, allowed statuses, close allowed, check)
    # "close allowed": True for a clean close (no answer), "reset" for a reset as well.
    return [
        ("garbage request line", b"GARBAGE\r\n\r\n", False, {400}, True, None),
        ("three-word garbage request line", b"hello there world\r\n\r\n", False, {400}, True, None),
        # It has no line end: the server may wait for one (libmicrohttpd does, until its idle
        # timeout) or refuse at once (nginx); once the client gives up, the server closes.
        ("TLS ClientHello on the HTTP port, then the client gives up", TLS_HELLO, True, {400}, True, None),
        ("huge header (100 kB)", get_file + b"X-Big: " + b"a" * 100_000 + b"\r\n\r\n", False,
         {400, 413, 431}, False, None),
        ("5000 headers", get_file + b"X-A: b\r\n" * 5000 + b"\r\n", False, {400, 413, 431}, False, None),
        ("70 kB URL", b"GET /confluent-public/" + b"a" * 70_000 + b" HTTP/1.1\r\n" + host.encode() + b"\r\n", False,
         {400, 414, 431}, False, None),
        # Unsatisfiable: 416 naming the size. Syntactically invalid: RFC 9110 14.2 lets the
        # server ignore it, which this service does (the whole file, 200).
        ("unsatisfiable Range", get_file + f"Range: bytes={size + 10}-\r\n\r\n".encode(), False, {416}, False,
         lambda h, b: h.get("content-range") == f"bytes */{size}"),
        ("invalid Range (ignored: the whole file)", get_file + b"Range: bytes=abc-def\r\n\r\n", False, {200}, False,
         lambda h, b: len(b) == size),
        ("reversed Range (ignored: the whole file)", get_file + b"Range: bytes=9-3\r\n\r\n", False, {200}, False,
         lambda h, b: len(b) == size),
        ("traversal %2e%2e to the attribute store",
         f"GET /confluent-public/%2e%2e/%2e%2e/%2e%2e/etc/confluent/cfg/attributes.sqlite HTTP/1.1\r\n{host}\r\n"
         .encode(), False, {400, 403, 404}, False, lambda h, b: b"SQLite format" not in b),
        ("traversal ..%2f to the attribute store",
         f"GET /confluent-public/os/..%2f..%2f..%2f..%2fetc/confluent/cfg/attributes.sqlite HTTP/1.1\r\n{host}\r\n"
         .encode(), False, {400, 403, 404}, False, lambda h, b: b"SQLite format" not in b),
        ("traversal %2E%2E%5C (backslash)",
         f"GET /confluent-public/%2E%2E%5C%2E%2E%5Cetc%5Cpasswd HTTP/1.1\r\n{host}\r\n".encode(), False,
         {400, 403, 404}, False, lambda h, b: b"root:" not in b),
        ("traversal in a boot URL file name",
         f"GET /confluent-api/boot/by-node/n1/%2e%2e HTTP/1.1\r\n{host}\r\n".encode(), False, {400, 403, 404},
         False, None),
        # The length is known from the headers: 413 before the body (as with Expect:
        # 100-continue), the body then sent or not.
        ("POST 1 MB to the self API", (big_head, b"x" * (1 << 20)), False, {413}, False, None),
        ("POST 1 MB to the self API, Expect: 100-continue",
         big_head.replace(b"\r\n\r\n", b"\r\nExpect: 100-continue\r\n\r\n"), False, {413}, False, None),
        # Past 64 KiB of a chunked body the service answers 413 or drops the connection
        # (libmicrohttpd cannot answer in the middle of an upload); the client, still
        # sending, may then see a reset.
        ("POST 1 MB chunked to the self API",
         (f"POST /confluent-api/self/updatestatus HTTP/1.1\r\n{host}Transfer-Encoding: chunked\r\n\r\n".encode(),
          f"{1 << 20:x}\r\n".encode() + b"x" * (1 << 20) + b"\r\n0\r\n\r\n"), False, {413}, "reset", None),
        ("negative Content-Length", f"POST /confluent-api/self/updatestatus HTTP/1.1\r\n{host}"
         "Content-Length: -5\r\n\r\n".encode(), False, {400}, False, None),
        ("unknown method on a public file", f"BREW {path} HTTP/1.1\r\n{host}\r\n".encode(), False, {400, 405, 501},
         False, None),
        # HTTP requires 505 for a major version it does not support (RFC 9110 15.6.6).
        ("HTTP/9.9", f"GET {path} HTTP/9.9\r\n{host}\r\n".encode(), False, {400, 505}, True, None),
        ("truncated request, then close", get_file, True, {400}, True, None),
        ("truncated body, then close", f"POST /confluent-api/self/updatestatus HTTP/1.1\r\n{host}"
         "Content-Length: 100\r\n\r\nstatus: ".encode(), True, {400}, True, None),
    ]


async def malformed(args):
    bad = 0
    for name, data, half_close, statuses, close_ok, check in malformed_cases(args.path, args.size):
        data, body = data if isinstance(data, tuple) else (data, b"")
        try:
            outcome = await asyncio.wait_for(exchange(args.host, args.port, data, half_close, args.timeout, body),
                                             args.timeout + 2)
        except asyncio.TimeoutError:
            outcome = ("timeout",)
        except OSError as e:
            outcome = ("error", e)
        if outcome[0] == "response":
            _, status, headers, body = outcome
            ok = status in statuses and (check is None or check(headers, body))
            said = f"{status} ({len(body)} bytes)"
        elif outcome[0] == "close":
            ok = bool(close_ok) and outcome[1] == b""
            said = "closed" + (f" after {outcome[1][:60]!r}" if outcome[1] else " without an answer")
        elif outcome[0] == "reset":
            ok = close_ok == "reset"
            said = "connection reset"
        else:
            ok = False
            said = "no answer and no close within the timeout" if outcome[0] == "timeout" else repr(outcome[1])
        allowed = "/".join(str(s) for s in sorted(statuses)) + \
            {True: " or a clean close", "reset": " or a close or reset"}.get(close_ok, "")
        print(f"malformed: {'ok  ' if ok else 'FAIL'} {name}: {said}" + ("" if ok else f", expected {allowed}"))
        bad += not ok
    return 1 if bad else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="mode", required=True)
    p = sub.add_parser("load")
    p.add_argument("host")
    p.add_argument("port", type=int)
    p.add_argument("manifest")
    p.add_argument("--timeout", type=float, default=40)
    p = sub.add_parser("malformed")
    p.add_argument("host")
    p.add_argument("port", type=int)
    p.add_argument("path")
    p.add_argument("size", type=int)
    p.add_argument("--timeout", type=float, default=5)
    args = parser.parse_args()
    return asyncio.run(load(args) if args.mode == "load" else malformed(args))


if __name__ == "__main__":
    sys.exit(main())
