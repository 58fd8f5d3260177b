from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import match_token, user_has_device


class SignInForm(AdminAuthenticationForm):
    """Admin sign-in: password, then the one-time code of anyone who has enrolled a device.

    A code is accepted once: the TOTP device remembers the last time step it accepted, so a code
    read over someone's shoulder cannot be replayed.
    """

    otp_token = forms.CharField(
        label=gettext_lazy("One-time code"),
        required=False,
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        help_text=gettext_lazy("From your authenticator app, if you have set up two-factor sign-in."),
    )

    def clean(self):
        cleaned_data = super().clean()
        user = self.get_user()
        if user is not None and user_has_device(user):
            token = (cleaned_data.get("otp_token") or "").strip()
            if not token:
                raise forms.ValidationError(
                    _("Enter the one-time code from your authenticator app."), code="otp_required"
                )
            device = match_token(user, token)
            if device is None:
                raise forms.ValidationError(
                    _("That one-time code is wrong or has already been used. Wait for the next code and try again."),
                    code="otp_invalid",
                )
            user.otp_device = device
        return cleaned_data


class TwoFactorForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("One-time code"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, *args, device, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].strip()
        if not self.device.verify_token(token):
            raise forms.ValidationError(
                _("That one-time code is wrong or has already been used. Wait for the next code and try again."),
                code="otp_invalid",
            )
        return token
