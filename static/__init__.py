# The files served at /static; installed as the package `careerpath_static` (see setup.py).
