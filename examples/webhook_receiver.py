"""A webhook receiver: checks CareerPath-Signature and applies each event id only once.

    CAREERPATH_WEBHOOK_SECRET=whsec_... python examples/webhook_receiver.py [port]

Subscribe it with `client.webhooks.create("http://127.0.0.1:8765/", [...])` (plain http is
accepted only on loopback). Answer 2xx quickly; any other answer is retried with backoff
(1 min, 5 min, 30 min, 2 h, ...), so the same event id can arrive more than once.
"""

from __future__ import annotations

import json
import os
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from careerpath_sdk.webhooks import SignatureVerificationError, verify_signature

SEEN: set[str] = set()  # use a table with a unique key on the event id in production


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        try:
            event = verify_signature(os.environ["CAREERPATH_WEBHOOK_SECRET"],
                                     dict(self.headers.items()), body)
        except SignatureVerificationError as exc:
            self.send_response(400)
            self.end_headers()
            self.wfile.write(str(exc).encode())
            return
        if event["id"] not in SEEN:
            SEEN.add(event["id"])
            print(f"{event['type']} for tenant {event['tenant']['slug']}: "
                  f"{json.dumps(event['data'])}", flush=True)
        self.send_response(204)
        self.end_headers()


def main() -> None:
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 8765
    print(f"listening on http://127.0.0.1:{port}/", flush=True)
    ThreadingHTTPServer(("127.0.0.1", port), Receiver).serve_forever()


if __name__ == "__main__":
    main()
