"""The demo organisation, its course and its people's evidence."""
