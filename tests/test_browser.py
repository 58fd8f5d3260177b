"""A visitor in a real browser: from the home page to the arrest, without JavaScript tricks."""

import json

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ARREST_PATH = "/incidents/amirova-arrest-aktau-airport-2012/"


def test_visitor_finds_and_reads_the_arrest(live_server, page, artifacts):
    call_command("load_demo", verbosity=0)
    page.goto(f"{live_server.url}/")
    assert page.locator("h1").inner_text() == "Verified human-rights incidents"
    page.get_by_role("link", name="Incidents", exact=True).click()
    page.wait_for_url("**/incidents/")
    page.screenshot(path=artifacts / "incident-list.png", full_page=True)
    page.get_by_role("link", name="Ajzhangul Amirova arrested at Aktau airport").click()
    page.wait_for_url(f"**{ARREST_PATH}")
    facts = page.locator("dl.facts").inner_text()
    assert "6 January 2012, 09:30" in facts and "Aktau International Airport" in facts
    assert "Law enforcement agencies of Kazakhstan" in page.content()
    page.screenshot(path=artifacts / "incident-detail.png", full_page=True)


def test_visitor_searches_a_cyrillic_name_and_narrows_by_region(live_server, page, artifacts):
    call_command("load_demo", verbosity=0)
    page.goto(f"{live_server.url}/")
    page.get_by_label("Search incidents, people and organisations").fill("Айжангуль")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/incidents/?q=*")
    assert page.get_by_label("Words or names").input_value() == "Айжангуль"
    assert page.locator("#results-heading").inner_text() == "5 verified incidents, newest first"

    facets = page.locator("aside.facets")
    facets.get_by_role("link", name="Kazakhstan", exact=True).click()
    page.wait_for_url("**region=kazakhstan*")
    page.locator("aside.facets").get_by_role("link", name="Mangghystaū oblysy").click()
    page.wait_for_url("**region=mangghystau-oblysy*")
    assert page.locator("#results-heading").inner_text() == "4 verified incidents, newest first"
    assert "Mangghystaū oblysy" in page.locator(".active-filters").inner_text()
    assert "Activists call for Timur Kulibayev" not in page.locator(".results").inner_text()
    page.screenshot(path=artifacts / "search-cyrillic-name-by-region.png", full_page=True)

    page.get_by_role("link", name="Ajzhangul Amirova arrested at Aktau airport").click()
    page.wait_for_url(f"**{ARREST_PATH}")
    assert page.locator("h1").inner_text() == "Ajzhangul Amirova arrested at Aktau airport"
    facts = page.locator("dl.facts").inner_text()
    assert "6 January 2012, 09:30" in facts
    assert "Aktau International Airport, Aktau, Mangghystaū oblysy, Kazakhstan" in facts
    assert "high confidence" in facts
    charges = page.locator("article").inner_text()
    assert "Article 164" in charges and "charged, 6 January 2012" in charges
    timeline = page.locator("ol.timeline").inner_text()
    assert timeline.index("8 October 2011, around 22:00") < timeline.index("(this incident)")
    page.screenshot(path=artifacts / "search-incident-detail.png", full_page=True)


def test_pages_fit_a_small_phone_screen(live_server, browser):
    call_command("load_demo", verbosity=0)
    context = browser.new_context(viewport={"width": 360, "height": 740})
    small = context.new_page()
    for path in (
        "/",
        "/incidents/",
        "/incidents/?q=amirova&region=atlantis",
        ARREST_PATH,
        "/people/ajzhangul-amirova/",
        "/organisations/halyk-maidan/",
        "/charges/kz-penal-code-2014-article-174/",
        "/regions/mangghystau-oblysy/",
        "/regions/",
        "/incidents/?region=aktau&region=zhanaozen&charge=kz-penal-code-1997-article-164",
        "/detained/?status=unknown",
        "/detained/?on=2012-01-07",
    ):
        small.goto(f"{live_server.url}{path}")
        wide = small.evaluate(
            "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 360)"
            ".map(e => e.tagName + '.' + e.className + ': ' + e.textContent.slice(0, 40))"
        )
        assert small.evaluate("document.documentElement.scrollWidth") <= 360, (path, wide)
    context.close()


def test_a_visitor_asks_who_was_held_on_a_past_day(live_server, page, artifacts):
    call_command("load_demo", verbosity=0)
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Held today", exact=True).click()
    page.wait_for_url("**/detained/")
    assert page.locator("#results-heading").inner_text() == "0 people held, longest held first"
    page.get_by_role("link", name="And 1 person whose status is unknown: no news for over 12 months").click()
    page.wait_for_url("**status=unknown*")
    assert "Status unknown since 6 January 2012" in page.locator("li.detainee").inner_text()
    page.get_by_role("link", name="Back to the people held").click()
    page.get_by_label("On the day").fill("2012-01-07")
    page.get_by_label("Kind of custody").select_option("police")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**on=2012-01-07*")
    assert page.locator("h1").inner_text() == "Who was held on 7 January 2012"
    entry = page.locator("li.detainee").inner_text()
    assert "Ajzhangul Amirova" in entry and "2 days in custody, since 6 January 2012" in entry
    page.screenshot(path=artifacts / "detained-on-a-day.png", full_page=True)
    page.get_by_role("link", name="Prosecution of Ajzhangul Amirova for inciting social discord").click()
    page.wait_for_url("**/cases/ajzhangul-amirova-article-164/")


def test_a_visitor_without_javascript_chooses_two_regions_and_removes_one(live_server, browser):
    call_command("load_demo", verbosity=0)
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/incidents/")
    page.get_by_label("Regions").select_option(["astana", "mangghystau-oblysy"])
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**region=astana&region=mangghystau-oblysy*")
    assert page.locator("#results-heading").inner_text() == "8 verified incidents, newest first"
    chips = page.locator(".active-filters a.chip")
    texts = [" ".join(text.split()) for text in chips.all_inner_texts()]
    assert texts == ["Region: Astana × (Remove)", "Region: Mangghystaū oblysy × (Remove)"]
    chips.first.click()
    page.wait_for_url(lambda url: "region=astana" not in url)
    assert page.locator("#results-heading").inner_text() == "7 verified incidents, newest first"
    assert page.get_by_label("Regions").evaluate("select => [...select.selectedOptions].map(o => o.value)") == [
        "mangghystau-oblysy"
    ]
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


def test_the_admin_entry_pages_fit_the_window_at_1280_and_360_pixels(live_server, browser, django_user_model):
    """Wide inline tables scroll inside their own box: the page itself never scrolls sideways."""
    call_command("load_demo", verbosity=0)
    django_user_model.objects.create_superuser("wide-admin", "wide@example.org", "a-long-test-password")
    for width in (1280, 360):
        context = browser.new_context(viewport={"width": width, "height": 900})
        window = context.new_page()
        window.goto(f"{live_server.url}/admin/login/")
        window.fill("#id_username", "wide-admin")
        window.fill("#id_password", "a-long-test-password")
        window.click("input[type=submit]")
        window.wait_for_url("**/admin/")
        for path in ("incidents/incident/add/", "people/person/add/", "cases/case/add/", "incidents/incident/"):
            window.goto(f"{live_server.url}/admin/{path}")
            assert window.evaluate("document.documentElement.scrollWidth") <= width, (width, path)
        context.close()


def test_keyboard_focus_is_visible(live_server, page):
    call_command("load_demo", verbosity=0)
    page.goto(f"{live_server.url}/incidents/")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"


def test_the_api_documentation_page_works_offline_under_the_policy(live_server, page):
    """Swagger UI loads from this site (no CDN) and lists the endpoints; the policy blocks no script."""
    console = []
    page.on("console", lambda message: console.append(message.text))
    external = []
    page.on("request", lambda request: external.append(request.url) if live_server.url not in request.url else None)
    page.goto(f"{live_server.url}/api/docs/")
    page.wait_for_selector(".opblock-summary-path", timeout=15000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/incidents/" in paths
    assert external == [] and not [text for text in console if "Content Security Policy" in text]


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_home_search_and_incident_in_each_language(live_server, browser, artifacts, language):
    """The browser's language chooses the interface; screenshots of each page at a desktop and a
    phone width land in test-artifacts/ for a reader of that language to check."""
    call_command("load_demo", verbosity=0)
    for width in (1280, 360):
        context = browser.new_context(locale=language, viewport={"width": width, "height": 900})
        page = context.new_page()
        for name, path in (("home", "/"), ("search", "/incidents/?q=Amirova"), ("incident", ARREST_PATH)):
            page.goto(f"{live_server.url}{path}")
            assert page.locator("html").get_attribute("lang") == language
            assert page.locator("#language-switcher-language").input_value() == language
            page.screenshot(path=artifacts / f"{language}-{name}-{width}.png", full_page=True)
        context.close()


def test_the_language_switcher_keeps_the_reader_on_the_same_page(live_server, page):
    call_command("load_demo", verbosity=0)
    page.goto(f"{live_server.url}{ARREST_PATH}")
    assert page.locator("h2").first.inner_text() == "Who was involved"
    page.get_by_label("Language").select_option("ru")
    page.get_by_role("button", name="Change").click()
    page.wait_for_load_state()
    assert page.url == f"{live_server.url}{ARREST_PATH}"
    assert page.locator("html").get_attribute("lang") == "ru"
    assert page.locator("h2").first.inner_text() != "Who was involved"
    page.goto(f"{live_server.url}/people/")
    assert page.locator("html").get_attribute("lang") == "ru"


def test_a_verifier_reviews_with_the_preview_in_front_of_them(live_server, page, django_user_model):
    """The preview loads in its frame under the policy, and the decision is recorded from the same page."""
    from incidents import workflow
    from incidents.models import Incident

    from .factories import PASSWORD, make_user

    call_command("load_demo", verbosity=0)
    researcher, verifier = make_user("Researcher"), make_user("Verifier")
    correction = workflow.propose_correction(
        incident=Incident.objects.get(slug=ARREST_PATH.split("/")[2]), by=researcher
    )
    correction.title = "Amirova detained at Aktau airport"
    correction.save()
    workflow.submit(incident=correction, by=researcher)
    console = []
    page.on("console", lambda message: console.append(message.text))
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", verifier.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")
    page.get_by_role("link", name="Review queue (1)").click()
    page.get_by_role("link", name="Review", exact=True).click()
    preview = page.frame_locator("iframe.review-preview")
    assert preview.locator("h1").inner_text() == "Amirova detained at Aktau airport"
    assert "Not published" in preview.locator(".preview-banner").inner_text()
    page.get_by_label("Verify: every fact checked against its sources").check()
    page.get_by_label("Note").fill("Checked the title against the announcement.")
    page.get_by_role("button", name="Record the decision").click()
    page.goto(f"{live_server.url}{ARREST_PATH}")
    assert page.locator("h1").inner_text() == "Amirova detained at Aktau airport"
    assert not [text for text in console if "Content Security Policy" in text or "Refused" in text]


ADMIN_PAGES_CHECKED = (
    "",
    "incidents/incident/add/",
    "incidents/incident/",
    "people/person/add/",
    "organisations/organisation/add/",
    "cases/case/add/",
    "places/place/add/",
)


def test_axe_core_finds_no_violation_on_the_admin_entry_pages(live_server, page, django_user_model):
    """The entry and review pages researchers and verifiers use all day, checked by axe-core."""
    from axe_playwright_python.sync_playwright import Axe

    from incidents import workflow
    from incidents.models import Incident

    from .factories import make_user

    call_command("load_demo", verbosity=0)
    django_user_model.objects.create_superuser("axe-admin", "axe@example.org", "a-long-test-password")
    arrest = Incident.objects.get(slug=ARREST_PATH.split("/")[2])
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "axe-admin")
    page.fill("#id_password", "a-long-test-password")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")
    researcher = make_user("Researcher")
    correction = workflow.propose_correction(incident=arrest, by=researcher)
    workflow.submit(incident=correction, by=researcher)
    person = correction.involvements.exclude(person=None).first().person
    own_pages = (
        f"incidents/incident/{arrest.pk}/change/",
        f"incidents/incident/{correction.pk}/review/",
        f"people/person/{person.pk}/change/",
        f"people/person/{person.pk}/merge/",
    )
    axe = Axe()
    found = {}
    for path in (*ADMIN_PAGES_CHECKED, *own_pages):
        page.goto(f"{live_server.url}/admin/{path}")
        violations = axe.run(page).response["violations"]
        if violations:
            found[path] = [(rule["id"], [node["target"] for node in rule["nodes"]][:3]) for rule in violations]
    assert found == {}, json.dumps(found, indent=1)


@pytest.mark.parametrize("width", [1280, 360])
def test_the_search_page_draws_its_map_and_charts_without_any_other_host(live_server, browser, artifacts, width):
    """The map and charts are in the page itself: no request leaves this site, with or without
    JavaScript, and a region of the map leads to the search in it."""
    call_command("load_demo", verbosity=0)
    for javascript in (True, False):
        context = browser.new_context(viewport={"width": width, "height": 900}, java_script_enabled=javascript)
        page = context.new_page()
        requests = []
        page.on("request", lambda request, seen=requests: seen.append(request.url))
        page.goto(f"{live_server.url}/incidents/")
        assert requests and all(url.startswith(live_server.url) for url in requests), requests
        region_map = page.locator("figure.region-map svg.map")
        assert region_map.is_visible()
        assert region_map.bounding_box()["width"] <= width
        if javascript:
            page.screenshot(path=artifacts / f"search-map-and-charts-{width}.png", full_page=True)
        page.locator("figure.region-map a").first.click()
        page.wait_for_url("**/incidents/?region=*")
        assert "region=" in page.url
        context.close()
