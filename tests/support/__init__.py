"""Test support: live servers on loopback and a requests-based browser."""
