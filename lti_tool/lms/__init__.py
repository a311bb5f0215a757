"""Calls to the LMS: the one HTTP module, access tokens, and the AGS and NRPS clients."""
