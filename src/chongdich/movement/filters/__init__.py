"""Movement list filters, one module per area."""
