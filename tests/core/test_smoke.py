from tests.conftest import login


def test_coordinator_reaches_people_page_after_signing_in(client, personas):
    response = login(client, personas.coordinator)
    assert response.status_code == 303
    page = client.get("/people")
    assert page.status_code == 200
    assert "Bea Mentee" in page.text


def test_mentee_is_refused_the_people_page(login_as):
    assert login_as("mentee_a").get("/people").status_code == 404
