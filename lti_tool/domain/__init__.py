"""The pure domain core of CareerPath LTI: see README.md in this folder for its rules."""
