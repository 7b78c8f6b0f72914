"""Vaccination forms, one module per area (import the module: `from chongdich.vaccination.forms import stock`)."""
