"""Course sync: the stages, the runs, starting them."""
