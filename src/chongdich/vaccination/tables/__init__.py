"""Vaccination tables, one module per area (import the module: `from chongdich.vaccination.tables import stock`)."""
