"""Movement pages, one module per area (thin: parse, one action or selector, render)."""
