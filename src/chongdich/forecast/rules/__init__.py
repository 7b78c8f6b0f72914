"""Pure numerics of the forecasts (numpy/scipy, no Django): filled by the rules' modules."""
