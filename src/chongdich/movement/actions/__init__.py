"""Movement actions, one module per area (import the module: `from chongdich.movement.actions import checkpoints`)."""
