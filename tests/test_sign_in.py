"""Signing in to the admin: lockout after failures, two-factor codes, and the security headers."""

from base64 import b32encode

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.sites import qr_code_svg

from .factories import PASSWORD, make_user
from .test_setup import manage

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"


def sign_in(client, username: str, password: str = PASSWORD, code: str = "", address: str = "10.0.0.1"):
    data = {"username": username, "password": password, "otp_token": code, "next": "/admin/"}
    return client.post(LOGIN, data, REMOTE_ADDR=address)


def is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):0{device.digits}d}"


def test_a_correct_sign_in_works(client):
    make_user("Researcher", username="rahima")
    response = sign_in(client, "rahima")
    assert response.status_code == 302 and is_signed_in(client)


def test_a_user_is_locked_out_after_repeated_failures_even_with_the_right_password(client, settings):
    make_user("Researcher", username="rahima")
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        # From changing addresses: the lock is on the username.
        sign_in(client, "rahima", "wrong-password", address=f"10.0.1.{attempt}")
    response = sign_in(client, "rahima", address="10.0.2.1")
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.content.decode()
    assert not is_signed_in(client)


def test_an_address_is_locked_out_after_repeated_failures(client, settings):
    make_user("Researcher", username="bolat")
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        # Different usernames from one address: the lock is on the address.
        sign_in(client, f"guess-{attempt}", "wrong-password", address="10.0.3.3")
    response = sign_in(client, "bolat", address="10.0.3.3")
    assert response.status_code == 429 and not is_signed_in(client)
    assert sign_in(client, "bolat", address="10.0.3.4").status_code == 302


def enrol(client, user: User) -> TOTPDevice:
    client.get(reverse("admin:two_factor"))
    device = TOTPDevice.objects.get(user=user)
    response = client.post(reverse("admin:two_factor"), {"token": code_for(device)})
    assert response.status_code == 302 and response["Location"] == reverse("admin:index")
    device.refresh_from_db()
    assert device.confirmed
    return device


def test_with_the_setting_on_verifiers_must_set_up_two_factor_sign_in(client, settings):
    settings.OTP_REQUIRED = True
    verifier = make_user("Verifier", username="vera")
    assert sign_in(client, "vera").status_code == 302
    for page in ("/admin/", reverse("admin:incidents_incident_changelist")):
        response = client.get(page)
        assert response.status_code == 302 and response["Location"] == reverse("admin:two_factor")
    enrol(client, verifier)
    assert client.get("/admin/").status_code == 200
    assert client.get(reverse("admin:incidents_incident_changelist")).status_code == 200


def test_with_the_setting_on_researchers_may_still_choose(client, settings):
    settings.OTP_REQUIRED = True
    make_user("Researcher", username="rustam")
    sign_in(client, "rustam")
    assert client.get("/admin/").status_code == 200


def test_with_the_setting_off_nobody_is_forced(client, settings):
    settings.OTP_REQUIRED = False
    make_user("Administrator", username="adil")
    sign_in(client, "adil")
    assert client.get("/admin/").status_code == 200


def test_an_enrolled_user_needs_a_code_and_a_used_code_is_refused(client, settings):
    settings.OTP_REQUIRED = True
    verifier = make_user("Verifier", username="vera")
    sign_in(client, "vera")
    device = enrol(client, verifier)
    client.post(reverse("admin:logout"))

    response = sign_in(client, "vera")
    assert "Enter the one-time code" in response.content.decode() and not is_signed_in(client)

    # The code used to enrol was accepted once; used again it is refused.
    response = sign_in(client, "vera", code=code_for(device))
    assert "already been used" in response.content.decode() and not is_signed_in(client)

    device.last_t -= 1  # as if the enrolment was one time step ago: the current code is fresh
    device.save()
    fresh = code_for(device)
    assert sign_in(client, "vera", code=fresh).status_code == 302 and is_signed_in(client)
    assert client.get("/admin/").status_code == 200
    client.post(reverse("admin:logout"))
    response = sign_in(client, "vera", code=fresh)
    assert "already been used" in response.content.decode() and not is_signed_in(client)


def test_pages_carry_a_content_security_policy_without_inline_scripts(client, staff_client):
    for response in (client.get("/"), staff_client.get("/admin/"), client.get(LOGIN)):
        policy = response["Content-Security-Policy"]
        directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
        assert directives["script-src"] == "'self'"
        assert "unsafe-inline" not in directives.get("default-src", "")
        assert "frame-ancestors" in directives


def test_sessions_expire(settings):
    assert 0 < settings.SESSION_COOKIE_AGE <= 24 * 60 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_two_factor_is_required_by_default_in_production_and_not_with_debug():
    show = ["shell", "-c", "from django.conf import settings; print('required', settings.OTP_REQUIRED)"]
    production = manage(*show, SECRET_KEY="a-production-like-secret-key-with-enough-length-and-variety-8c1f3b9e77")
    local = manage(*show, DEBUG="1")
    assert "required True" in production.stdout, production.stderr
    assert "required False" in local.stdout, local.stderr


def test_enrolment_shows_the_key_as_a_qr_code_drawn_here_and_in_groups_of_four(client, settings):
    settings.OTP_REQUIRED = True
    make_user("Verifier", username="vera")
    sign_in(client, "vera")
    html = client.get(reverse("admin:two_factor")).content.decode()
    device = TOTPDevice.objects.get(user__username="vera")
    qr = html.split('<figure class="totp-qr">', 1)[1].split("</figure>", 1)[0]
    assert qr.strip() == qr_code_svg(device.config_url)
    assert qr.strip().startswith("<svg") and "style=" not in qr and "http" not in qr.replace(device.config_url, "")
    key = b32encode(device.bin_key).decode()
    assert " ".join(key[i : i + 4] for i in range(0, len(key), 4)) in html
