"""A visitor in a real browser: from the home page to the arrest, without JavaScript tricks."""

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_visitor_finds_and_reads_the_arrest(live_server, page, artifacts):
    call_command("load_demo", verbosity=0)
    page.goto(f"{live_server.url}/")
    assert page.locator("h1").inner_text() == "Verified human-rights incidents"
    page.get_by_role("link", name="Incidents", exact=True).click()
    page.wait_for_url("**/incidents/")
    page.screenshot(path=artifacts / "incident-list.png", full_page=True)
    page.get_by_role("link", name="Ajzhangul Amirova arrested at Aktau airport").click()
    page.wait_for_url("**/incidents/amirova-arrest-aktau-airport-2012/")
    facts = page.locator("dl.facts").inner_text()
    assert "6 January 2012, 09:30" in facts and "Aktau International Airport" in facts
    assert "Law enforcement agencies of Kazakhstan" in page.content()
    page.screenshot(path=artifacts / "incident-detail.png", full_page=True)


def test_pages_fit_a_small_phone_screen(live_server, browser):
    call_command("load_demo", verbosity=0)
    context = browser.new_context(viewport={"width": 360, "height": 740})
    small = context.new_page()
    for path in ("/", "/incidents/", "/incidents/amirova-arrest-aktau-airport-2012/"):
        small.goto(f"{live_server.url}{path}")
        assert small.evaluate("document.documentElement.scrollWidth") <= 360, path
    context.close()


def test_the_admin_works_under_the_content_security_policy(live_server, page, django_user_model):
    """The admin's own scripts (inline rows, autocomplete) run; the browser reports no blocked script."""
    call_command("load_demo", verbosity=0)
    django_user_model.objects.create_superuser("browser-admin", "admin@example.org", "a-long-test-password")
    console = []
    page.on("console", lambda message: console.append(message.text))
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "browser-admin")
    page.fill("#id_password", "a-long-test-password")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")
    page.goto(f"{live_server.url}/admin/incidents/incident/add/")
    rows = page.locator("#involvements-group tr.form-row:not(.empty-form)")
    before = rows.count()
    page.get_by_role("button", name="Add another Involvement").click()
    assert rows.count() == before + 1
    assert not [text for text in console if "Content Security Policy" in text]
