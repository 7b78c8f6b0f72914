"""Movement spreadsheet exports, one module per area."""
