"""Raw sources: the manifest (data/sources.toml), locating and checking files, and readers."""
