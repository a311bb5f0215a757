"""Issue 21's bare sync client: the floor a course sync is measured against.

It reads a course from an LTI 1.3 platform over HTTP the way any AGS/NRPS client must —
one client-credentials token (a signed JWT assertion), every NRPS page, every line item,
every results page of every line item following `Link: rel=next` — and stores each graded
result as one row of a plain SQLite table with `sqlite3.executemany`, one transaction per
page. No product logic: no people, memberships, evidence, cursor, idempotence checks,
events or address checks. It needs requests, sqlite3 and PyJWT (to sign the assertion).

The benchmark runs it in its own process (`python -m bench.bare_sync_client ...`) against
the same sandbox, same flavour and same page sizes the tool's sync gets, and it prints
one JSON line: wall seconds, HTTP requests, pages, results read, graded results stored,
peak RSS. It copes with the platforms' throttling (Canvas's 403 "Rate Limit Exceeded",
429 elsewhere) by waiting and asking again, as the tool does.

Its SQLite file uses the same durability settings as the tool's (WAL, synchronous=NORMAL),
so the difference measured is the tool's work, not the journal mode.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import sqlite3
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import jwt
import requests

NRPS_SCOPE = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"
AGS = "https://purl.imsglobal.org/spec/lti-ags/scope"
SCOPES = (f"{AGS}/lineitem", f"{AGS}/result.readonly", NRPS_SCOPE)
MEMBERSHIPS_TYPE = "application/vnd.ims.lti-nrps.v2.membershipcontainer+json"
CONTAINER_TYPE = "application/vnd.ims.lis.v2.lineitemcontainer+json"
RESULTS_TYPE = "application/vnd.ims.lis.v2.resultcontainer+json"
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
USER_AGENT = "bare-sync-client/1"
TIMEOUT = (5.0, 20.0)
RETRIES = 8

# `<url>; params` entries of a Link header. Entries are found by their `<`, so Canvas's
# bare-comma joins need no special case; `rel` values are compared after dropping every
# quote, typographic ones too (Moodle's “next” arrives as UTF-8 bytes read as ISO-8859-1).
_ENTRY = re.compile(r"<([^>]*)>([^<]*)")
_REL = re.compile(r";\s*rel\s*=\s*([^;]*)", re.IGNORECASE)
_NOT_TOKEN = re.compile(r"[^A-Za-z0-9.\-_ ]")


def next_link(header: str | None) -> str | None:
    """The URL of the first `rel=next` entry of a Link header (any case, any quotes), with
    Moodle's `&amp;` separators undone; None without one."""
    for url, params in _ENTRY.findall(header or ""):
        for rel in _REL.findall(params):
            if "next" in _NOT_TOKEN.sub(" ", rel).lower().split():
                return url.strip().replace("&amp;", "&")
    return None


def results_url(line_item_url: str) -> str:
    """The results endpoint of a line item: `/results` before any query (Moodle's ?type_id=)."""
    base, mark, query = line_item_url.partition("?")
    return f"{base.rstrip('/')}/results{mark}{query}"


def throttled(response: requests.Response) -> bool:
    """429, or Canvas's 403 with an empty rate-limit budget."""
    if response.status_code == 429:
        return True
    if response.status_code != 403:
        return False
    remaining = response.headers.get("X-Rate-Limit-Remaining", "")
    try:
        if remaining and float(remaining) <= 0:
            return True
    except ValueError:
        pass
    return "rate limit exceeded" in response.text.lower()


def pause(response: requests.Response, attempt: int) -> float:
    """Seconds to wait before asking again: Retry-After when given, else 0.1 s doubling."""
    try:
        return min(float(response.headers.get("Retry-After", "")), 60.0)
    except ValueError:
        return min(0.1 * 2 ** attempt, 5.0)


class BareClient:
    """One keep-alive session, one access token, GET with retries on throttling."""

    def __init__(self, token_url: str, client_id: str, private_pem: bytes, kid: str) -> None:
        self.http = requests.Session()
        self.http.headers["User-Agent"] = USER_AGENT
        self.requests = 0
        self.token = self._token(token_url, client_id, private_pem, kid)

    def _token(self, token_url: str, client_id: str, private_pem: bytes, kid: str) -> str:
        now = int(time.time())
        assertion = jwt.encode({"iss": client_id, "sub": client_id, "aud": token_url,
                                "iat": now, "exp": now + 300, "jti": uuid.uuid4().hex},
                               private_pem, algorithm="RS256", headers={"kid": kid})
        self.requests += 1
        response = self.http.post(token_url, timeout=TIMEOUT, data={
            "grant_type": "client_credentials", "client_assertion_type": ASSERTION_TYPE,
            "client_assertion": assertion, "scope": " ".join(SCOPES)})
        response.raise_for_status()
        return str(response.json()["access_token"])

    def get(self, url: str, accept: str, params: dict[str, Any] | None = None
            ) -> tuple[Any, str | None]:
        """The decoded JSON body of a GET and its next page's URL."""
        headers = {"Accept": accept, "Authorization": f"Bearer {self.token}"}
        for attempt in range(RETRIES + 1):
            self.requests += 1
            response = self.http.get(url, headers=headers, params=params, timeout=TIMEOUT)
            if response.status_code == 200:
                return response.json(), next_link(response.headers.get("Link"))
            if attempt == RETRIES or not throttled(response):
                response.raise_for_status()
                raise RuntimeError(f"HTTP {response.status_code} from {url}")
            time.sleep(pause(response, attempt))
        raise AssertionError("unreachable")


def open_store(path: str) -> sqlite3.Connection:
    """The results table: one row per graded result, keyed by (line item, user)."""
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("CREATE TABLE IF NOT EXISTS graded_results (line_item TEXT NOT NULL, "
               "user_id TEXT NOT NULL, score REAL NOT NULL, maximum REAL, timestamp TEXT, "
               "PRIMARY KEY (line_item, user_id))")
    return db


def store_page(db: sqlite3.Connection, line_item: str, results: list[dict[str, Any]]) -> int:
    """The page's graded results (those with a resultScore), in one transaction."""
    rows = [(line_item, str(r["userId"]), r["resultScore"], r.get("resultMaximum"),
             r.get("timestamp")) for r in results if r.get("resultScore") is not None]
    db.execute("BEGIN")
    db.executemany("INSERT OR REPLACE INTO graded_results VALUES (?, ?, ?, ?, ?)", rows)
    db.execute("COMMIT")
    return len(rows)


def sync(client: BareClient, db: sqlite3.Connection, memberships_url: str,
         lineitems_url: str, roster_limit: int, results_limit: int) -> dict[str, int]:
    """Read the course (members, line items, results) and store every graded result."""
    counts = {"members": 0, "line_items": 0, "results": 0, "stored": 0, "pages": 0}
    url: str | None = memberships_url
    params: dict[str, Any] | None = {"limit": roster_limit}
    while url:
        body, url = client.get(url, MEMBERSHIPS_TYPE, params)
        params = None
        counts["members"] += len(body["members"])
        counts["pages"] += 1
    items: list[str] = []
    url = lineitems_url
    while url:
        body, url = client.get(url, CONTAINER_TYPE)
        items.extend(str(item["id"]) for item in body)
        counts["pages"] += 1
    counts["line_items"] = len(items)
    for item in items:
        url, params = results_url(item), {"limit": results_limit}
        while url:
            body, url = client.get(url, RESULTS_TYPE, params)
            params = None
            counts["results"] += len(body)
            counts["stored"] += store_page(db, item, body)
            counts["pages"] += 1
    return counts


def peak_rss_mb() -> float:
    """This process's peak resident set (VmHWM). Not `ru_maxrss`: Linux keeps that across
    execve, so a child of a large parent would report the parent's peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def command_line(**values: object) -> list[str]:
    """`--name=value` for each value: a value may start with "-" (a key id often does), which
    argparse would take for an option if it came as a separate word."""
    return [f"--{name.replace('_', '-')}={value}" for name, value in values.items()]


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--token-url", required=True)
    parser.add_argument("--client-id", required=True)
    parser.add_argument("--key", required=True, help="PEM file of the tool's private key")
    parser.add_argument("--kid", required=True)
    parser.add_argument("--memberships-url", required=True)
    parser.add_argument("--lineitems-url", required=True)
    parser.add_argument("--database", required=True, help="SQLite file to write")
    parser.add_argument("--roster-limit", type=int, default=500)
    parser.add_argument("--results-limit", type=int, default=1000)
    return parser


def main(argv: list[str] | None = None) -> None:
    args = parser().parse_args(argv)
    started, cpu_started = time.perf_counter(), time.process_time()
    client = BareClient(args.token_url, args.client_id, Path(args.key).read_bytes(), args.kid)
    db = open_store(args.database)
    counts = sync(client, db, args.memberships_url, args.lineitems_url, args.roster_limit,
                  args.results_limit)
    db.close()
    took = time.perf_counter() - started
    print(json.dumps({"seconds": took, "cpu_seconds": time.process_time() - cpu_started,
                      "requests": client.requests, **counts, "peak_rss_mb": peak_rss_mb()}))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
