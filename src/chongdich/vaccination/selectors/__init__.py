"""Vaccination selectors, one module per area (import the module: `from chongdich.vaccination.selectors import stock`)."""
