"""Vaccination filters, one module per area (import the module: `from chongdich.vaccination.filters import stock`)."""
