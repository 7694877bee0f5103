"""?page= on the paged lists: a number picks the page; anything else (missing, empty, words, zero,
negative, repeated, huge) is read as the first page or the last allowed one, never an error."""
import pytest

from app.pagination import page_number
from tests.journal.conftest import make_entry


@pytest.mark.parametrize("query, number", [
    ("", 1), ("?page=", 1), ("?page=two", 1), ("?page=0", 1), ("?page=-3", 1), ("?page=2.5", 1),
    ("?page=3", 3), ("?page=%20%203%20", 3), ("?page=4&page=9", 4), ("?page=99999999999", 100000),
])
def test_the_page_number_is_read_leniently(app, query, number):
    with app.test_request_context("/journal" + query):
        assert page_number() == number


@pytest.mark.parametrize("persona, path", [
    ("mentee_a", "/journal"), ("mentee_a", "/meetings"), ("mentor_a", "/journal/shared"),
    ("coordinator", "/meetings/quiet"),
])
@pytest.mark.parametrize("odd", ["?page=", "?page=two", "?page=-1", "?page=%00"])
def test_paged_lists_answer_odd_page_numbers_with_the_first_page(login_as, personas, persona, path, odd):
    make_entry(personas.mentee_a, body="Shared with my mentor", shared_with=personas.mentor_a)
    client = login_as(persona)
    first = client.get(path)
    response = client.get(path + odd)
    assert response.status_code == first.status_code == 200
    assert response.text == first.text
