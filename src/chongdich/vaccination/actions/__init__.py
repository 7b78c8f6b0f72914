"""Vaccination actions, one module per area (import the module: `from chongdich.vaccination.actions import stock`)."""
