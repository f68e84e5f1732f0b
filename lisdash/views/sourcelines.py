"""Source lines and captions generated from a result's provenance (never typed by hand)."""

from __future__ import annotations

from lisdash.metrics.provenance import Provenance
from lisdash.sources.manifest import Source
from lisdash.vocabulary import level_name

OGL = "Open Government Licence v3.0"
OS_CREDIT = "Contains OS data © Crown copyright and database right"


def source_line(prov: Provenance, source: Source | None, maps: bool = True) -> str:
    """One line crediting the data behind a figure: publisher, dataset, year(s), geography, licence."""
    title = source.title if source else prov.source
    publisher = source.publisher if source else "Office for National Statistics"
    licence = source.licence if source else OGL
    year = prov.year or f"{prov.start}-{prov.end}"
    parts = [f"Source: {publisher}, {title}, {year}; {level_name(prov.level)}. {licence}."]
    if maps:
        parts.append(f"{OS_CREDIT}.")
    return " ".join(parts)


SHORT_NAMES = {"Office for National Statistics": "ONS", OGL: "OGL v3.0"}


def short_title(source: Source) -> str:
    """A dataset's name without its table and geography details: the title up to its first colon, or else its
    first comma ('Business Register and Employment Survey (open access)')."""
    title = source.title
    return title.split(":", 1)[0] if ":" in title else title.split(",", 1)[0]


def slide_source_line(prov: Provenance, source: Source | None, maps: bool = True) -> str:
    """A source line short enough for a slide (two lines at most at 1280 pixels): publisher, dataset and year(s),
    licence, and the boundaries' credit. The full line is on the Data and methods page and in the notes."""
    if source is None:
        return source_line(prov, source, maps)
    publisher = "; ".join(SHORT_NAMES.get(p.strip(), p.strip()) for p in source.publisher.split(";"))
    year = prov.year or f"{prov.start}-{prov.end}"
    line = f"Source: {publisher}, {short_title(source)}, {year}. {SHORT_NAMES.get(source.licence, source.licence)}."
    return f"{line} {OS_CREDIT}." if maps else line


def store_credit(sources: list[Source]) -> str:
    """The credit every view carries: each publisher with its licence, and the OS boundary credit."""
    pairs = dict.fromkeys((p.strip(), s.licence) for s in sources for p in s.publisher.split(";"))
    by_licence: dict[str, list[str]] = {}
    for publisher, licence in pairs:
        by_licence.setdefault(licence, []).append(publisher)
    parts = [f"{'; '.join(dict.fromkeys(p))} ({licence})" for licence, p in by_licence.items()]
    boundaries = " " + f"{OS_CREDIT}." if any(s.kind == "boundary" for s in sources) else ""
    return f"Data: {'; '.join(parts)}.{boundaries}"


def stand_in_line(prov: Provenance) -> str:
    """What a broader group standing in for a cluster really measures, with its purity."""
    if prov.exact or prov.proxy is None:
        return ""
    return (f"Not the cluster itself: {prov.subject} stands in for {prov.cluster_name.lower()}, which is "
            f"{prov.proxy.share:.0%} of the group's Great Britain employment (BRES {prov.proxy.year}) "
            f"and has {prov.proxy.coverage:.0%} of its own jobs inside it.")


def caveat_line(prov: Provenance, source: Source | None, excluded: list[str] | None = None) -> str:
    """The caveats a reader needs: stand-in group, approximation, totals basis, intervals, the source's own."""
    notes = [stand_in_line(prov)] if stand_in_line(prov) else []
    if prov.caveat:
        notes.append(prov.caveat)
    if excluded:
        notes.append(f"Totals leave out SIC {', '.join(excluded)} in every area and year, because it is unpublished "
                     "for some areas in some years: all years compare like with like.")
    if source and source.total_excludes:
        notes.append(f"LQ denominators leave out {', '.join(source.total_excludes)} (owner-occupiers' imputed "
                     "rental, output of homeowners rather than of any business or job).")
    if source and source.rounding and source.rounding != "exact":
        notes.append("Ranges in brackets are 95% ranges from the published rounding of the cells; areas marked as "
                     "uncertain have an LQ range that includes 1 or a count below the minimum.")
    if source and source.caveats:
        notes.append(source.caveats)
    return " ".join(notes)
