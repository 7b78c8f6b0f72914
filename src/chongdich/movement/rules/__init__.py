"""Pure rules of movement: plates, the checkpoint decision (CV 5187), symptoms and exposures, alerts."""
