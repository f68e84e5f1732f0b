"""lisdash: the West Midlands Local Industrial Strategy cluster dashboard."""
