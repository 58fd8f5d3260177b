import os
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command

from exchange.changes import pending_marks

from .demo_database import DemoDatabase

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
IN_CI = os.environ.get("CI", "").lower() == "true"


def skip_or_fail(reason: str):
    """Outside CI a missing tool skips with what to install; in CI the tool must be there."""
    if IN_CI:
        pytest.fail(f"{reason} (CI must install it)", pytrace=False)
    pytest.skip(reason)


DEMO_DATABASE = DemoDatabase()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, migrated, with the demo case loaded once for the whole run.

    Each test runs in a transaction rolled back after it, as usual, so it starts from the demo
    case. A transactional test (live server, `transaction=True`) commits and the database is
    emptied after it: the next test that uses the database finds it put back as it was here.
    """
    with django_db_blocker.unblock():
        DEMO_DATABASE.load(lambda: call_command("load_demo", verbosity=0))
    DEMO_DATABASE.blocker = django_db_blocker
    yield


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    DEMO_DATABASE.put_back_before(item)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    yield
    DEMO_DATABASE.note_emptied_by(item)


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test starts with an empty cache: what a page kept (the search pickers) was made from
    another test's records."""
    cache.clear()


@pytest.fixture(autouse=True)
def no_pending_feed_marks():
    """Each test starts with no change waiting for the feed: another test's marks were made in a
    transaction that was rolled back (and their records are gone)."""
    pending_marks().clear()


@pytest.fixture
def demo(db):
    """The demo case: in the database from the start of the run (see django_db_setup)."""


@pytest.fixture
def without_demo(db):
    """The database as migrations leave it, for the few tests that count every record: the demo
    case's rows are removed inside the test's transaction, and come back when it is rolled back."""
    DEMO_DATABASE.remove_demo_rows()


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("editor", "editor@example.org", "a-long-test-password")
    client.force_login(user)
    return client


@pytest.fixture(scope="module")
def browser():
    """Headless system Chromium driven by Playwright; never a downloaded browser."""
    if not os.path.exists(CHROMIUM):
        skip_or_fail("Chromium is not installed: browser tests skipped. Install it with: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the ORM calls made by the
    # live server fixtures in the same thread are still synchronous and safe.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield chromium
        chromium.close()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


ROLES = ("Researcher", "Verifier", "Administrator")


@pytest.fixture
def signed_in(db):
    """A test client signed in as a new user of a role: signed_in("Verifier")."""
    from django.test import Client

    from .factories import make_user

    def sign_in(role: str | None):
        client = Client()
        if role is None:
            return client
        client.user = make_user(role)
        client.force_login(client.user)
        return client

    return sign_in
