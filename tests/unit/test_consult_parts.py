"""The consultation's pure parts: text cleaning, validation messages, formula neutralising, codes, links, passwords."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import openpyxl
import pandas as pd
import pytest

from lisdash.consult import auth, exporting, links
from lisdash.consult.cli import duration
from lisdash.consult.events import code_prefix
from lisdash.consult.responses import Choices, Refused, clean_text, parse_response
from lisdash.consult.tally import agreement_table, counts_by

CHOICES = Choices(respondent_types=frozenset({"business", "resident"}), org_sizes=frozenset({"micro"}),
                  sectors=frozenset({"C"}), places=frozenset({"E08000025"}), commitments=frozenset({"c4", "c7"}),
                  clusters=frozenset({"automotive"}), polls=frozenset({"poll-transport"}),
                  areas=frozenset({"E08000025", "TLG3"}), comment_chars=20)
VIEW = {"channel": "online", "respondent_type": "business", "commitments": ["c4"], "agreement": 4}


def test_typed_text_is_kept_but_controls_and_direction_overrides_are_dropped():
    assert clean_text("  Good\u202e news\x00 \n ok  ") == "Good news \n ok"
    assert clean_text("<img src=x onerror=alert(1)>") == "<img src=x onerror=alert(1)>"  # kept, shown as text


@pytest.mark.parametrize(("change", "named"), [
    ({"agreement": None}, "how far you agree"), ({"agreement": 6}, "how far you agree"),
    ({"respondent_type": "<script>"}, "the choices on this page"),
    ({"comment": "x" * 21}, "Your comment is 21 characters long: please shorten it to 20 or fewer"),
    ({"contact": {"name": "A", "email": "not-an-email", "consent": True}}, "your email address"),
    ({"contact": {"name": "A", "email": "a@b.co", "consent": False}}, "the consent box"),
    ({"event": "bham-7q"}, "the event code"), ({"context": {"area_code": "E09999999"}}, "the choices on this page"),
])
def test_a_bad_view_is_refused_in_plain_words_without_echoing_it(change, named):
    with pytest.raises(Refused) as refused:
        parse_response(VIEW | change, CHOICES)
    assert named in str(refused.value) and "<script>" not in str(refused.value)


def test_a_good_view_is_accepted_with_its_email_lower_cased():
    view = parse_response(VIEW | {"contact": {"name": " Ann ", "email": "Ann@Example.ORG", "consent": True}},
                          CHOICES)
    assert view.contact.email == "ann@example.org" and view.contact.name == "Ann" and view.agreement == 4


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-2", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("http://x")'])
def test_formula_like_cells_are_neutralised_in_csv_and_xlsx(cell):
    frame = pd.DataFrame({"comment": [cell], "agreement": [4]})
    csv = exporting.export_bytes(frame, "csv").decode("utf-8-sig").splitlines()
    assert csv[0] == "Comment,Agreement (1-5)"
    assert pd.read_csv(io.StringIO("\n".join(csv)), keep_default_na=False)["Comment"][0].startswith("'")
    sheet = openpyxl.load_workbook(io.BytesIO(exporting.export_bytes(frame, "xlsx"))).active
    # XLSX: the text as typed, in a text cell with the quote prefix (never a formula, no apostrophe shown)
    assert sheet["A2"].value == cell
    assert sheet["A2"].data_type == "s" and sheet["A2"].quotePrefix and sheet["B2"].value == 4


def test_plain_text_and_numbers_are_exported_as_they_are():
    assert exporting.neutralise("Good idea") == "Good idea" and exporting.neutralise(-3) == -3


def test_event_codes_start_with_the_first_word_of_the_name():
    assert code_prefix("Birmingham, 3 December") == "BIRM" and code_prefix("Ödön's café") == "ODON"
    assert code_prefix("3 December") == "DECE" and code_prefix("!!!") == "LIS"


def test_links_never_point_at_this_machine_only():
    assert links.is_local("localhost") and links.is_local("127.0.0.1") and links.is_local("[::1]")
    assert not links.is_local("192.168.1.20") and not links.is_local("lis.example.org")
    assert links.base_url(8501, env={"LISDASH_PUBLIC_URL": "https://lis.example.org/"}) == "https://lis.example.org"
    assert links.base_url(8501, "http://10.0.0.5:8501/present", env={}) == "http://10.0.0.5:8501"
    found = links.base_url(8501, "http://localhost:8501/present", env={})
    assert found is None or ("localhost" not in found and "127.0.0.1" not in found and found.endswith(":8501"))
    assert links.link("http://h:1", "/respond", event="BIRM-7Q", poll=None, slide=5) == \
        "http://h:1/respond?event=BIRM-7Q&slide=5"


def test_passwords_are_kept_as_scrypt_hashes_and_checked_in_constant_time():
    stored = auth.hash_password("correct horse battery")
    assert stored.startswith("scrypt$32768$8$1$") and "correct" not in stored
    assert auth.verify_password(stored, "correct horse battery")
    assert not auth.verify_password(stored, "correct horse batterY") and not auth.verify_password("scrypt$x", "y")
    with pytest.raises(ValueError):
        auth.hash_password("short")
    assert auth.configured_hash(None, None) is None and auth.configured_hash("", "  ") is None
    assert auth.configured_hash(stored, None) == stored and auth.configured_hash(None, stored) == stored
    for malformed, where in (("plain-text", "secrets.toml"), ("scrypt$32768$8$1$salt", "secrets.toml"),
                             ("scrypt$x$8$1$c2FsdA==$ZGlnZXN0", "secrets.toml")):
        with pytest.raises(auth.MalformedHash, match=f"The admin password hash in .*{where}.* is malformed"):
            auth.configured_hash(None, malformed)
    with pytest.raises(auth.MalformedHash, match="in LISDASH_ADMIN_PASSWORD_HASH is malformed"):
        auth.configured_hash("scrypt$", stored)


def test_admin_sessions_expire_after_thirty_minutes():
    now = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)
    assert auth.still_signed_in(now - timedelta(minutes=29), now)
    assert not auth.still_signed_in(now - timedelta(minutes=30), now) and not auth.still_signed_in(None, now)


def test_retention_periods_are_read_as_days_or_hours():
    assert duration("90d") == timedelta(days=90) and duration("12h") == timedelta(hours=12)
    assert duration("0d") == timedelta(0) == duration("0h")  # zero means now, not "not given"
    for bad in ("ninety", "-1d", "1.5d", "2w", "", "999999d"):
        with pytest.raises(Exception, match="use a whole number of days or hours: 90d, 12h, or 0d"):
            duration(bad)


def test_the_admin_page_labels_channels_and_draws_agreement_to_100_percent():
    from lisdash.figures.draw import agreement_bars
    from lisdash.views.admin import CHANNELS

    assert CHANNELS == {"event": "At an event", "online": "Online"}
    figure = agreement_bars(pd.DataFrame([[1, 0, 0, 3, 1]], index=["c4"], columns=[1, 2, 3, 4, 5]),
                            ["a", "b", "c", "d", "e"], "Agreement")
    assert list(figure.layout.xaxis.tickvals)[-1] == 1 and list(figure.layout.xaxis.range) == [0, 1]


def test_counts_and_agreement_tables_count_each_commitment_of_a_view():
    frame = pd.DataFrame({"commitments": [["c4", "c7"], ["c4"], []], "agreement": [5, 2, 3],
                          "channel": ["event", "online", "event"]})
    assert counts_by(frame, "commitments").set_index("commitments")["Views"].to_dict() == \
        {"c4": 2, "c7": 1, "(not given)": 1}
    table = agreement_table(frame, "commitments")
    assert table.loc["c4"].tolist() == [0, 1, 0, 0, 1] and table.loc["c7"].tolist() == [0, 0, 0, 0, 1]
