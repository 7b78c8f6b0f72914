"""Movement forms, one module per area."""
