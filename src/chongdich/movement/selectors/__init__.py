"""Movement reads, one module per area, scoped with ``for_user`` first."""
