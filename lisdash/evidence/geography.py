"""Which areas a check covers, and whether they are the claim's own place.

Containment rule: a place declared at a coarser level (the West Midlands region as ITL1 TLG) is
made up, at a finer level, of exactly the areas whose parent code in the ONS lookups is one of
its areas (the region's three ITL2 or fourteen ITL3 areas). A check on those areas measures the
place; a check on any other set of areas (a wider one, say) does not.
"""

from __future__ import annotations

from dataclasses import dataclass

from lisdash import vocabulary
from lisdash.content import Check, Claim, Content, Place
from lisdash.pipeline.geography import PARENTS
from lisdash.store import Store


@dataclass(frozen=True)
class CheckAreas:
    """The areas of one check, how to name them, and whether they are the claim's place."""

    codes: list[str]
    where: str
    own: bool
    reason: str
    short: str = ""  # the areas in a few words, for a slide's card: 'Black Country', 'WMCA area', '3 ITL2 areas'


def place_codes(store: Store, place: Place, level: str) -> list[str]:
    """The place's areas at a level: as declared, or those whose parent is one of its coarser areas."""
    if level in place.areas:
        return list(place.areas[level])
    layer = store.layer(level)
    for parent in PARENTS:
        if parent in place.areas and parent in layer:
            members = layer[layer[parent].isin(place.areas[parent])]["code"]
            if not members.empty:
                return sorted(set(members))
    return []


def describe(store: Store, content: Content, codes: list[str], level: str) -> str:
    """Areas named for a sentence: one area by its unambiguous name and code, several by count."""
    levels = vocabulary.vocabulary().levels()
    names = store.areas[store.areas["level"] == level].drop_duplicates("code").set_index("code")["name"]
    if len(codes) == 1:
        code = codes[0]
        return f"{content.label(code, names.get(code))} ({levels[level].singular} {code})"
    shown = ", ".join(content.label(c, names.get(c)) for c in codes[:4])
    more = f" and {len(codes) - 4} more" if len(codes) > 4 else ""
    return f"{len(codes)} {levels[level].name}: {shown}{more}"


def own_place(store: Store, place: Place, codes: list[str], level: str) -> str:
    """The claim's place named with the areas that make it up: 'Black Country (4 ITL3 areas)'."""
    levels = vocabulary.vocabulary().levels()
    if len(codes) == 1:
        return f"{place.name}, {levels[level].singular} {codes[0]}"
    return f"{place.name}, {len(codes)} {levels[level].name}"


def check_areas(store: Store, content: Content, claim: Claim, check: Check) -> CheckAreas:
    """The check's areas and whether they measure the claim's place (see the containment rule)."""
    place = content.place(claim.place)
    own = place_codes(store, place, check.level)
    level_name = vocabulary.level_name(check.level)
    if check.areas is None:
        if not own:
            return CheckAreas([], f"{place.name}, no {level_name}", False,
                              f"no {level_name} make up {place.name}", place.short)
        return CheckAreas(own, own_place(store, place, own, check.level), True, "", place.short)
    where = describe(store, content, list(check.areas), check.level)
    if own and sorted(check.areas) == sorted(own):
        return CheckAreas(list(check.areas), own_place(store, place, own, check.level), True, "", place.short)
    short = (content.label(check.areas[0], check.areas[0]) if len(check.areas) == 1
             else f"{len(check.areas)} {level_name}")
    return CheckAreas(list(check.areas), where, False,
                      f"it covers {where}, not {place.name}: a different area from the claim's", short)
