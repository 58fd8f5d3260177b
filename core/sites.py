"""The admin site: who may enter, and the two-factor sign-in that guards it."""

from base64 import b32encode

import segno
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from .forms import SignInForm, TwoFactorForm

ROLES_THAT_NEED_A_SECOND_FACTOR = ("Verifier", "Administrator")


def needs_second_factor(user) -> bool:
    """Verifiers and Administrators (and superusers) need a second factor when OTP_REQUIRED is on."""
    if not settings.OTP_REQUIRED or not user.is_authenticated:
        return False
    return user.is_superuser or user.groups.filter(name__in=ROLES_THAT_NEED_A_SECOND_FACTOR).exists()


class LabelledAutocompleteJsonView(AutocompleteJsonView):
    """Autocomplete results labelled by the searched model's admin (`autocomplete_label`) when it
    says how: three people called "…zhangul Amirova" are told apart in an incident's picker."""

    def serialize_result(self, obj, to_field_name):
        result = super().serialize_result(obj, to_field_name)
        label = getattr(self.model_admin, "autocomplete_label", None)
        if label is not None:
            result["text"] = label(obj)
        return result


class VigilAdminSite(admin.AdminSite):
    site_header = gettext_lazy("Vigil administration")
    site_title = "Vigil"
    index_title = gettext_lazy("Entry and verification")
    login_form = SignInForm
    login_template = "admin/vigil_login.html"

    def has_permission(self, request) -> bool:
        if not super().has_permission(request):
            return False
        return request.user.is_verified() or not needs_second_factor(request.user)

    def admin_view(self, view, cacheable=False):
        """Staff who must use a second factor and have not are sent to set it up, not to sign in again."""
        protected = super().admin_view(view, cacheable)

        def guarded(request, *args, **kwargs):
            user = request.user
            signing_out = request.resolver_match and request.resolver_match.url_name == "logout"
            if user.is_active and user.is_staff and not signing_out and not self.has_permission(request):
                return redirect("admin:two_factor")
            return protected(request, *args, **kwargs)

        guarded.__dict__.update(protected.__dict__)
        return guarded

    def autocomplete_view(self, request):
        return LabelledAutocompleteJsonView.as_view(admin_site=self)(request)

    def get_app_list(self, request, app_label=None):
        """The verifiers' queue says in the menu how many incidents wait for review."""
        app_list = super().get_app_list(request, app_label)
        for app in app_list:
            for model in app["models"]:
                if model["object_name"] == "SubmittedIncident":
                    waiting = model["model"].objects.review_queue().count()
                    model["name"] = f"{model['name']} ({waiting})"
        return app_list

    def get_urls(self):
        return [
            path(
                "two-factor/",
                never_cache(login_required(self.two_factor_view, login_url="admin:login")),
                name="two_factor",
            ),
            *super().get_urls(),
        ]

    def two_factor_view(self, request):
        """Enrol a TOTP device (shown as a key for an authenticator app), or confirm an enrolled one."""
        user = request.user
        if not user.is_staff:
            return redirect("admin:login")
        enrolled = user_has_device(user)
        device = (
            TOTPDevice.objects.filter(user=user, confirmed=True).first()
            if enrolled
            else TOTPDevice.objects.get_or_create(user=user, confirmed=False, defaults={"name": "Authenticator app"})[0]
        )
        form = TwoFactorForm(request.POST or None, device=device)
        if request.method == "POST" and form.is_valid():
            device.confirmed = True
            device.save()
            otp_login(request, device)
            messages.success(request, _("Two-factor sign-in is set up for this session."))
            return redirect("admin:index")
        context = {
            **self.each_context(request),
            "title": _("Two-factor sign-in"),
            "form": form,
            "enrolled": enrolled,
            "device": device,
            "key": grouped_key(device),
            "qr_code": None if enrolled else mark_safe(qr_code_svg(device.config_url)),
            "required": needs_second_factor(user),
        }
        return TemplateResponse(request, "admin/two_factor.html", context)


def grouped_key(device: TOTPDevice) -> str:
    """The key in groups of four letters, as authenticator apps show and accept it: 32 letters in
    a row are easy to mistype."""
    key = b32encode(device.bin_key).decode()
    return " ".join(key[start : start + 4] for start in range(0, len(key), 4))


def qr_code_svg(address: str) -> str:
    """The enrolment address as a QR code in SVG, drawn here: the key never leaves the server for
    a QR service, and the page needs no script."""
    return segno.make(address, error="m").svg_inline(scale=5, dark="#000", light="#fff", title=_("QR code"))
