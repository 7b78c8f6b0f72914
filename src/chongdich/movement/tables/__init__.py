"""Movement list tables, one module per area."""
