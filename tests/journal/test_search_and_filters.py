"""Looking back: filter by mood, feeling and month, search one's own entries, load more."""
import datetime

import pytest

from tests.journal.conftest import make_entry

HX = {"HX-Request": "true"}


@pytest.fixture
def entries(personas):
    make_entry(personas.mentee_a, body="Walked along the river at dawn.", mood=5, feelings=["calm", "grateful"],
               entry_date=datetime.date(2026, 1, 10))
    make_entry(personas.mentee_a, body="Argued with my landlord.", mood=1, feelings=["angry"],
               entry_date=datetime.date(2026, 1, 20))
    make_entry(personas.mentee_a, body="Quiet evening in.", mood=3, feelings=["tired", "calm"],
               feelings_other="river of thoughts", entry_date=datetime.date(2026, 2, 3))
    make_entry(personas.mentee_b, body="Bea by the river too.", mood=5, feelings=["calm"],
               entry_date=datetime.date(2026, 1, 10))


ALL = ("Walked along the river", "Argued with my landlord", "Quiet evening in", "Bea by the river")


def shown(page):
    return {text for text in ALL if text in page}


FILTERS = [  # (query, entries shown)
    ({}, {"Walked along the river", "Argued with my landlord", "Quiet evening in"}),
    ({"mood": "5"}, {"Walked along the river"}),
    ({"mood": "1"}, {"Argued with my landlord"}),
    ({"feeling": "calm"}, {"Walked along the river", "Quiet evening in"}),
    ({"feeling": "angry"}, {"Argued with my landlord"}),
    ({"month": "2026-01"}, {"Walked along the river", "Argued with my landlord"}),
    ({"month": "2026-02"}, {"Quiet evening in"}),
    ({"q": "landlord"}, {"Argued with my landlord"}),
    ({"q": "RIVER"}, {"Walked along the river", "Quiet evening in"}),  # own words are searched too
    ({"q": "river", "month": "2026-01"}, {"Walked along the river"}),
    ({"mood": "5", "feeling": "angry"}, set()),
    ({"mood": "9", "feeling": "nonsense", "month": "2026-13"}, {"Walked along the river", "Argued with my landlord",
                                                                 "Quiet evening in"}),
]


def test_filters_and_search_find_only_matching_own_entries(login_as, personas, entries):
    client = login_as("mentee_a")
    for query, expected in FILTERS:
        response = client.get("/journal", query_string=query)
        assert response.status_code == 200
        assert shown(response.text) == expected, query


def test_a_search_with_no_match_says_so(login_as, personas, entries):
    page = login_as("mentee_a").get("/journal", query_string={"q": "volcano"}).text
    assert "No entries match. Try other filters." in page


def test_search_never_reaches_another_mentees_entries(login_as, personas, entries):
    page = login_as("mentee_b").get("/journal", query_string={"q": "river"}).text
    assert shown(page) == {"Bea by the river"}
    assert shown(login_as("mentee_b").get("/journal", query_string={"q": "landlord"}).text) == set()


def test_the_filter_form_keeps_what_was_chosen(login_as, personas, entries):
    page = login_as("mentee_a").get("/journal", query_string={"q": "river", "mood": "5", "month": "2026-01",
                                                              "feeling": "calm"}).text
    assert 'value="river"' in page
    assert '<option value="5" selected>' in page
    assert '<option value="calm" selected>' in page
    assert 'value="2026-01"' in page
    assert "Clear filters" in page


def test_load_more_pages_through_entries_and_htmx_gets_only_the_rows(login_as, personas):
    start = datetime.date(2025, 12, 31)
    for number in range(1, 26):
        make_entry(personas.mentee_a, body=f"Entry number {number:02d}.", mood=3,
                   entry_date=start + datetime.timedelta(days=number))
    client = login_as("mentee_a")
    first = client.get("/journal").text
    assert first.count('class="item entry-item"') == 20
    assert "Entry number 25." in first and "Entry number 06." in first and "Entry number 05." not in first
    assert 'href="/journal?page=2' in first
    assert 'hx-get="/journal?page=2' in first

    fragment = client.get("/journal?page=2", headers=HX)
    assert fragment.status_code == 200
    assert "<html" not in fragment.text
    assert "<h1" not in fragment.text
    assert fragment.text.count('class="item entry-item"') == 5
    assert "Entry number 05." in fragment.text and "Entry number 01." in fragment.text
    assert "Entry number 06." not in fragment.text
    assert "Load more" not in fragment.text
    assert "HX-Request" in fragment.headers["Vary"]

    without_js = client.get("/journal?page=2")
    assert "<html" in without_js.text
    assert without_js.text.count('class="item entry-item"') == 5


def test_load_more_keeps_the_filters(login_as, personas):
    for number in range(1, 24):
        make_entry(personas.mentee_a, body=f"Calm entry {number:02d}.", mood=4, feelings=["calm"],
                   entry_date=datetime.date(2026, 1, number))
    make_entry(personas.mentee_a, body="A tired entry.", mood=2, feelings=["tired"], entry_date=datetime.date(2026, 1, 24))
    client = login_as("mentee_a")
    first = client.get("/journal", query_string={"feeling": "calm"}).text
    load_more = first.split('class="load-more"')[1].split("</div>")[0]
    assert load_more.count('="/journal?page=2&amp;feeling=calm"') == 2  # the link and its htmx request
    unfiltered = client.get("/journal").text.split('class="load-more"')[1].split("</div>")[0]
    assert unfiltered.count('="/journal?page=2"') == 2  # no empty filters in the link
    fragment = client.get("/journal", query_string={"feeling": "calm", "page": "2"}, headers=HX).text
    assert fragment.count('class="item entry-item"') == 3
    assert "A tired entry." not in fragment


def test_a_history_restore_gets_the_full_page(login_as, personas, entries):
    response = login_as("mentee_a").get("/journal?page=1", headers={**HX, "HX-History-Restore-Request": "true"})
    assert "<html" in response.text


@pytest.mark.parametrize("typed, expected", [
    ("100%", {"Paid 100% of the rent"}),
    ("a_b", {"Found the a_b notes"}),
    ("back\\slash", {"A back\\slash day"}),
])
def test_search_takes_wildcards_literally(login_as, personas, typed, expected):
    texts = ("Paid 100% of the rent", "Paid 1000 to the bank", "Found the a_b notes", "Found the axb notes",
             "A back\\slash day")
    for number, text in enumerate(texts, start=1):
        make_entry(personas.mentee_a, body=text, entry_date=datetime.date(2026, 3, number))
    page = login_as("mentee_a").get("/journal", query_string={"q": typed}).text
    assert {text for text in texts if text in page} == expected


def test_the_list_shows_the_start_of_each_entry_cut_as_before(login_as, personas):
    """The list reads only the start of each text; what it shows is the same as cutting the whole text."""
    from jinja2.filters import do_truncate
    from markupsafe import escape

    words = "Slept well and walked to the river before work, then called my sister about Sunday. " * 6
    bodies = [words[:length].strip() for length in (40, 163, 165, 166, 167, 400)]
    for number, body in enumerate(bodies, start=1):
        make_entry(personas.mentee_a, body=body, entry_date=datetime.date(2026, 4, number))
    page = login_as("mentee_a").get("/journal").text
    for body in bodies:
        assert f'entry-item__excerpt">{escape(do_truncate(None, body, 160, leeway=5))}</span>' in page


def test_each_row_links_its_entry_and_says_whether_it_is_shared(login_as, personas):
    shared = make_entry(personas.mentee_a, body="Told my mentor", mood=4, feelings=("proud",),
                        shared_with=personas.mentor_a, entry_date=datetime.date(2026, 5, 2))
    private = make_entry(personas.mentee_a, body="Kept to myself", mood=None, entry_date=datetime.date(2026, 5, 1))
    rows = login_as("mentee_a").get("/journal").text.split('class="item entry-item"')[1:]
    assert len(rows) == 2
    assert f'href="/journal/entries/{shared.id}">Saturday, May 2, 2026</a>' in rows[0]
    assert 'mood-badge--4">Mood 4 of 5: Good<' in rows[0] and ">Shared<" in rows[0] and ">Proud<" in rows[0]
    assert f'href="/journal/entries/{private.id}">Friday, May 1, 2026</a>' in rows[1]
    assert "mood-badge" not in rows[1] and ">Private<" in rows[1] and "Kept to myself" in rows[1]
