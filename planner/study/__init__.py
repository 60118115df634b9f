"""Studies of many solves: compare scenarios, sweep what-ifs, search capacity, on local processes
or a Dask cluster."""
