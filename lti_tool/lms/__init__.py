"""Calls to the LMS: the one HTTP module, and (later) the AGS and NRPS clients."""
