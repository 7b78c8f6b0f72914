"""Pages of the testing app, one module per area: samples, results, labs, campaigns, work lists."""
