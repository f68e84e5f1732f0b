"""The data pipeline: raw files in the mirror -> the built store (build, lock, boundaries, precomputed values),
and where a server's store comes from (provision, the shipped release). Pages never load it."""
