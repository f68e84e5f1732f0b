"""What we heard: the consultation's views summarised with their uncertainty, pure functions on frames.

- counting: which views count (hidden left out, a repeated answer replaced by its latest)
- wilson: the Wilson score interval of a share
- agreement: agreement per commitment and poll, split by group, with suppression of small groups
- profile: who responded against who the region is, and agreement reweighted to the region's sector mix
- campaigns: near-identical comments grouped by the Jaccard similarity of their word shingles
- themes: themes proposed per commitment by TF-IDF and NMF with a fixed seed
- regionmix: who the region is (employment by SIC section, enterprises by district), from the store
- summary: all of the above for every commitment and poll, fit to publish
- charts, document, render: the summary's chart, its blocks, and those blocks as HTML, DOCX or PDF
"""
