"""Development tooling kept out of the runtime package: benchmarks, the load client, browser helpers."""
