"""Outgoing webhooks: signing payloads and posting them to subscribers over HTTP."""
