"""Strategy content: the authored YAML loads, links up, and bad edits fail with file and line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lisdash.config import CONTENT_DIR
from lisdash.content import ContentError, area_codes_of, load_content
from lisdash.metrics import cluster_codes

STABLE_CLUSTERS = ["automotive", "aerospace", "life-sciences", "creative", "games", "future-mobility",
                   "advanced-manufacturing", "low-carbon", "business-services", "logistics"]


def test_commitments_quoted_in_order(content):
    assert [c.id for c in content.commitments] == [f"c{i}" for i in range(1, 9)]
    assert content.commitment("c1").text == "A focus on a high quality and responsive regional skills system."
    assert content.commitment("c8").text == "A focus on sustainable energy generation and 'clean' growth."
    assert any("50 miles" in e for e in content.commitment("c4").evidence)


def test_clusters_places_and_links(content, store):
    assert [c.id for c in content.clusters] == STABLE_CLUSTERS
    assert {p.id for p in content.places} == {"wm-region", "wmca", "black-country", "gbslep", "bclep",
                                                 "cwlep", "south-birmingham"}
    assert content.cluster("aerospace").places == ["black-country"]
    assert content.cluster("life-sciences").places == ["south-birmingham"]
    assert content.cluster("games").parent == "creative"
    creative, _ = cluster_codes(content.cluster("creative"), "class", store.industries)
    assert len(creative) == 31  # the DCMS list
    assert len(content.place("wmca").areas["lad"]) == 7
    assert content.place("black-country").areas["lad"] == ["E08000027", "E08000028", "E08000030", "E08000031"]
    for cluster in content.clusters:
        assert cluster.commitments and cluster.source


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "lis_data"
    shutil.copytree(CONTENT_DIR, target)
    return target


def _line_of(path: Path, needle: str) -> int:
    """Line of the last occurrence of `needle` (the edited one, for a duplicated id)."""
    return max(i for i, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


@pytest.mark.parametrize("edit, expected", [
    (("clusters.yaml", '"29.10", "29.20"', '"29.10", "99.99"'), "unknown SIC/industry codes ['99.99']"),
    (("clusters.yaml", 'codes: ["CK-CL"]', 'codes: ["ZZ"]'), "gva_industry:ZZ"),
    (("clusters.yaml", "commitments: [c4, c7]", "commitments: [c4, c99]"), "unknown commitment ids ['c99']"),
    (("clusters.yaml", "places: [black-country]", "places: [narnia]"), "unknown place ids ['narnia']"),
    (("clusters.yaml", "- id: aerospace", "- id: automotive"), "duplicate id 'automotive'"),
    (("places.yaml", "E08000027, E08000028, E08000030, E08000031]\n      itl3",
      "E08000027, E09999999, E08000030, E08000031]\n      itl3"), "unknown lad codes ['E09999999']"),
    (("commitments.yaml", "title: Exporting", "titel: Exporting"), "invalid commitment"),
    (("claims.yaml", "{measure: gva, level: itl3, year: 2022}\n\n  - id: aerospace",
      "{measure: gvaa, level: itl3, year: 2022}\n\n  - id: aerospace"), "unknown or invalid measure 'gvaa'"),
    (("claims.yaml", "place: black-country\n    test: concentration", "place: narnia\n    test: concentration"),
     "unknown place ids ['narnia']"),
    (("claims.yaml", "test: fastest_growth", "test: loudest"), "invalid claim"),
])
def test_bad_content_names_file_and_line(tmp_path, store, edit, expected):
    directory = _copy(tmp_path)
    name, old, new = edit
    path = directory / name
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(ContentError) as err:
        load_content(directory, store.industries, area_codes_of(store.areas))
    message = str(err.value)
    assert expected in message
    assert f"{path}:" in message
    line = int(message.split(f"{path}:")[1].split(":")[0])
    first_new = new.splitlines()[0]
    item_line = max(i for i, text_line in enumerate(path.read_text().splitlines(), 1)
                    if text_line.lstrip().startswith("- id:") and i <= _line_of(path, first_new))
    assert line == item_line


def test_uk_subclass_typo_is_an_error_not_a_silent_zero(store, content):
    """A UK subclass that does not exist (62.01/9) fails loudly, even with content loaded without the store."""
    from lisdash.metrics import MetricError, cluster_subclasses

    typo = content.cluster("games").model_copy(update={"sic": ["58.21", "62.01/9"]})
    with pytest.raises(MetricError, match="62.01/9 matches no subclass"):
        cluster_subclasses(typo, store.industries)
    assert cluster_subclasses(content.cluster("games"), store.industries) == ["58210", "62011"]
