"""Flask views that are neither LTI, API nor widgets: health and error pages."""
