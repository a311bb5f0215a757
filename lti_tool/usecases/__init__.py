"""Use cases: one module per capability, called by views, the CLI and jobs."""
