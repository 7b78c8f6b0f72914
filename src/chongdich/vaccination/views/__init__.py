"""Vaccination pages, one module per area; thin views (parse → one action or selector → render)."""
