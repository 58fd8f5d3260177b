"""The test run's environment: production settings with a throwaway key and no HTTPS redirect.

Tests run with DEBUG off, as production does; the test client speaks plain HTTP.
"""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-key-" + "x" * 50)
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
# Two-factor sign-in is off for the tests that sign in with force_login; tests/test_sign_in.py
# switches it on to test it.
os.environ.setdefault("OTP_REQUIRED", "0")
os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="vigil-test-media-"))
# Pages name static files as they are, with no `collectstatic` run (STATIC_MANIFEST off); WhiteNoise,
# with DEBUG off, reads STATIC_ROOT as it starts: an empty folder rather than a missing one.
os.environ.setdefault("STATIC_ROOT", tempfile.mkdtemp(prefix="vigil-test-static-"))

from config.settings import *  # noqa: E402,F403

# A fast hash: the tests create many accounts; the production hasher is the default one.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
