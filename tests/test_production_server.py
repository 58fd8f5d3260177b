"""The deployment as the README describes it: `make serve`'s launcher, gunicorn, and deploy/nginx.conf.

nginx from Debian's package runs the project's own site file (its ports, paths and certificate
replaced by temporary ones) in front of gunicorn started by scripts/serve.py on a temporary SQLite
database with the demo case. Requests go to nginx over TLS, as a reader's would.
"""

import contextlib
import gzip
import http.client
import json
import os
import re
import secrets
import shutil
import socket
import sqlite3
import ssl
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from .conftest import skip_or_fail

pytestmark = pytest.mark.web_server

ROOT = Path(__file__).resolve().parent.parent
NGINX = "/usr/sbin/nginx"
HOST = "vigil.example.org"
ORIGINAL_TEXT = b"Statement of the witness, original copy: never public.\n"

# Run by `manage.py shell` in the served database: a staff member signed in, a photo and a text
# document on a public incident's evidence. Prints what the tests need to know, as JSON.
SETUP_RECORDS = """
import io, json
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.test import Client
from PIL import Image
from evidence_files.files import ACCEPTED_KINDS
from evidence_files.services import store_evidence_file
from incidents.models import Evidence, Incident

incident = Incident.objects.public().order_by("pk").first()
staff = get_user_model().objects.create_superuser("deployer", "deployer@example.org", "unused-password-53c1a")
evidence = Evidence.objects.create(incident=incident, kind="photo", description="A photo")
picture = io.BytesIO()
Image.new("RGB", (40, 30), "red").save(picture, "JPEG")
photo, _ = store_evidence_file(
    evidence=evidence, upload=ContentFile(picture.getvalue(), name="photo.jpg"),
    kind=ACCEPTED_KINDS["image/jpeg"], uploaded_by=staff,
)
document, _ = store_evidence_file(
    evidence=evidence, upload=ContentFile(ORIGINAL_TEXT, name="statement.txt"),
    kind=ACCEPTED_KINDS["text/plain"], uploaded_by=staff,
)
client = Client()
client.force_login(staff)
print(json.dumps({
    "photo_id": str(photo.public_id),
    "public_image": photo.stored_file.public_image.name,
    "document_id": str(document.public_id),
    "original": document.stored_file.original.name,
    "session": client.cookies["sessionid"].value,
}))
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, log: Path, seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the server stopped (status {process.returncode}):\n{log.read_text()[-4000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"nothing listened on 127.0.0.1:{port} after {seconds} s:\n{log.read_text()[-4000:]}")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def site_file(folder: Path, *, http_port: int, https_port: int, application_port: int) -> str:
    """deploy/nginx.conf with this run's ports, folders and certificate: every replaced text must be there."""
    text = (ROOT / "deploy" / "nginx.conf").read_text()
    replacements = {
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl http2;",
        "server 127.0.0.1:8000;": f"server 127.0.0.1:{application_port};",
        "/srv/vigil/staticfiles/": f"{folder}/static/",
        "/srv/vigil/media/evidence/": f"{folder}/media/evidence/",
        f"/etc/letsencrypt/live/{HOST}/fullchain.pem": f"{folder}/certificate.pem",
        f"/etc/letsencrypt/live/{HOST}/privkey.pem": f"{folder}/key.pem",
    }
    for old, new in replacements.items():
        assert old in text, f"deploy/nginx.conf no longer has {old!r}: update this test with it"
        text = text.replace(old, new)
    return text


def main_configuration(folder: Path) -> str:
    """What /etc/nginx/nginx.conf gives a site file, with every path nginx writes in `folder`."""
    as_root = "user root;" if os.geteuid() == 0 else ""
    temporary_paths = "\n".join(
        f"    {kind}_temp_path {folder}/nginx-{kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return f"""
daemon off;
{as_root}
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/nginx-error.log;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    access_log {folder}/nginx-access.log;
{temporary_paths}
    include {folder}/vigil.conf;
}}
"""


class Site:
    def __init__(self, folder: Path, https_port: int, http_port: int, application_port: int, records: dict):
        self.folder = folder
        self.https_port = https_port
        self.http_port = http_port
        self.application_port = application_port
        self.records = records
        self.tls = ssl.create_default_context()
        self.tls.check_hostname = False
        self.tls.verify_mode = ssl.CERT_NONE

    def get(self, path: str, *, headers: dict | None = None, plain_http: bool = False, application: bool = False):
        """GET through nginx over TLS (or plain HTTP), or straight from gunicorn as nginx would ask."""
        if application:
            connection = http.client.HTTPConnection("127.0.0.1", self.application_port, timeout=30)
            headers = {"X-Forwarded-Proto": "https", **(headers or {})}
        elif plain_http:
            connection = http.client.HTTPConnection("127.0.0.1", self.http_port, timeout=30)
        else:
            connection = http.client.HTTPSConnection("127.0.0.1", self.https_port, timeout=30, context=self.tls)
        connection.request("GET", path, headers={"Host": HOST, **(headers or {})})
        response = connection.getresponse()
        body = response.read()
        connection.close()
        return response, body


def nginx_and_openssl_or_skip(test: str) -> None:
    for tool, package in ((NGINX, "nginx"), (shutil.which("openssl"), "openssl")):
        if not tool or not os.path.exists(tool):
            skip_or_fail(
                f"{package} is not installed: the {test} test is skipped. Install it with: apt-get install {package}"
            )


@contextlib.contextmanager
def served_site(folder: Path, prepare: Callable[[list[str], dict], dict], **settings: str) -> Iterator[Site]:
    """`make serve`'s gunicorn (scripts/serve.py) on a new SQLite database with the demo case, behind
    deploy/nginx.conf over TLS. `prepare(manage, environ)` adds what the tests need once the
    application answers, and returns the site's `records`; `settings` add to its environment."""
    application_port, https_port, http_port = free_port(), free_port(), free_port()
    environ = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "SECURE_SSL_REDIRECT", "SECRET_KEY_FILE", "DATABASE_URL"}
    }
    environ.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=HOST,
        DATABASE_URL=f"sqlite:///{folder}/vigil.sqlite3",
        STATIC_ROOT=str(folder / "static"),
        MEDIA_ROOT=str(folder / "media"),
        SECURE_PROXY_SSL_HEADER="1",
        HOST_PORT=f"127.0.0.1:{application_port}",
        LOG_LEVEL="WARNING",
        **settings,
    )
    certificate = ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    certificate += ["-days", "2", "-subj", f"/CN={HOST}"]
    certificate += ["-keyout", folder / "key.pem", "-out", folder / "certificate.pem"]
    subprocess.run(certificate, check=True, capture_output=True)
    application_log = folder / "serve.log"
    with application_log.open("w") as log:
        application = subprocess.Popen(
            [sys.executable, "scripts/serve.py"], cwd=ROOT, env=environ, stdout=log, stderr=subprocess.STDOUT
        )
    nginx = None
    try:
        wait_for_port(application_port, application, application_log)
        manage = [sys.executable, "manage.py"]
        subprocess.run([*manage, "load_demo", "-v0"], cwd=ROOT, env=environ, check=True, capture_output=True)
        records = prepare(manage, environ)
        (folder / "vigil.conf").write_text(
            site_file(folder, http_port=http_port, https_port=https_port, application_port=application_port)
        )
        (folder / "nginx.conf").write_text(main_configuration(folder))
        nginx_log = folder / "nginx-error.log"
        nginx_log.touch()
        nginx = subprocess.Popen(
            [NGINX, "-p", str(folder), "-c", str(folder / "nginx.conf"), "-e", str(nginx_log)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        wait_for_port(https_port, nginx, nginx_log, seconds=30)
        site = Site(folder, https_port, http_port, application_port, records)
        site.gunicorn = application  # scripts/serve.py becomes gunicorn's master process
        site.environ = environ
        yield site
    finally:
        if nginx is not None:
            stop(nginx)
        stop(application)


def add_staff_and_evidence(manage: list[str], environ: dict) -> dict:
    script = f"ORIGINAL_TEXT = {ORIGINAL_TEXT!r}\n{SETUP_RECORDS}"
    made = subprocess.run([*manage, "shell", "-c", script], cwd=ROOT, env=environ, capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    return json.loads(made.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    nginx_and_openssl_or_skip("production server")
    settings = {
        "EVIDENCE_X_ACCEL_REDIRECT": "/protected-evidence/",
        # The staff member of SETUP_RECORDS is signed in without a second factor.
        "OTP_REQUIRED": "0",
        "WEB_CONCURRENCY": "2",
    }
    with served_site(tmp_path_factory.mktemp("production"), add_staff_and_evidence, **settings) as site:
        yield site


SECURITY_HEADERS = ("Strict-Transport-Security", "X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy")


def test_a_public_page_answers_through_nginx_with_the_security_headers_once(site):
    response, body = site.get("/incidents/")
    assert response.status == 200, body[:500]
    assert response.getheader("Strict-Transport-Security").startswith("max-age=31536000")
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    assert response.getheader("X-Frame-Options") == "DENY"
    assert response.getheader("Referrer-Policy") == "same-origin"
    assert "frame-ancestors 'none'" in response.getheader("Content-Security-Policy")
    for name in (*SECURITY_HEADERS, "Content-Security-Policy"):
        assert len(response.msg.get_all(name)) == 1, name
    assert response.getheader("Server") == "nginx"  # no version, and not gunicorn's


def test_plain_http_is_sent_to_https(site):
    response, _ = site.get("/incidents/?q=x", plain_http=True)
    assert response.status == 301
    assert response.getheader("Location") == f"https://{HOST}/incidents/?q=x"


def test_static_files_are_hashed_compressed_and_cached_for_a_year(site):
    _, page = site.get("/")
    stylesheets = re.findall(r'href="(/static/[^"]+\.css)"', page.decode())
    assert stylesheets
    path = stylesheets[0]
    assert re.search(r"\.[0-9a-f]{12}\.css$", path), path
    response, body = site.get(path, headers={"Accept-Encoding": "gzip"})
    assert response.status == 200
    assert response.getheader("Cache-Control") == "public, max-age=31536000, immutable"
    assert response.getheader("Content-Encoding") == "gzip"
    assert response.getheader("Content-Type").startswith("text/css")
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    assert gzip.decompress(body) == (site.folder / path.removeprefix("/")).read_bytes()


def test_a_public_evidence_image_is_checked_by_django_and_sent_by_nginx(site):
    path = f"/evidence/{site.records['photo_id']}/image/"
    from_django, django_body = site.get(path, application=True)
    assert from_django.getheader("X-Accel-Redirect") == f"/protected-evidence/{site.records['public_image']}"
    assert django_body == b""

    response, body = site.get(path)
    assert response.status == 200
    assert body == (site.folder / "media" / "evidence" / site.records["public_image"]).read_bytes()
    assert response.getheader("Content-Type") == "image/jpeg"
    assert response.getheader("Content-Security-Policy") == "default-src 'none'; sandbox"
    for name in SECURITY_HEADERS:
        assert response.getheader(name), name
    assert response.getheader("X-Accel-Redirect") is None


def test_an_original_reaches_signed_in_staff_only_through_nginx(site):
    path = f"/evidence/{site.records['document_id']}/original/"
    response, body = site.get(path, headers={"Cookie": f"sessionid={site.records['session']}"})
    assert response.status == 200
    assert body == ORIGINAL_TEXT
    assert response.getheader("Content-Disposition") == 'attachment; filename="statement.txt"'
    assert response.getheader("Cache-Control") == "private, no-store"
    assert response.getheader("Content-Security-Policy") == "default-src 'none'; sandbox"

    anonymous, anonymous_body = site.get(path)
    assert anonymous.status == 404
    assert ORIGINAL_TEXT not in anonymous_body


def test_no_address_serves_an_original_directly(site):
    stored = site.records["original"]
    guesses = [
        f"/protected-evidence/{stored}",
        "/protected-evidence/",
        f"/media/evidence/{stored}",
        f"/media/{stored}",
        f"/media-not-served/evidence/{stored}",
        f"/evidence/{stored}",
        f"/{stored}",
        f"/static/../media/evidence/{stored}",
        f"/static/%2e%2e/media/evidence/{stored}",
        f"/static/..%2fmedia/evidence/{stored}",
        f"/protected-evidence/../media/evidence/{stored}",
    ]
    for guess in guesses:
        response, body = site.get(guess)
        assert response.status == 404, guess
        assert ORIGINAL_TEXT not in body, guess


def serve(**environ: str) -> subprocess.CompletedProcess:
    clean = {key: value for key, value in os.environ.items() if key not in {"SECRET_KEY", "ALLOWED_HOSTS", "DEBUG"}}
    return subprocess.run(
        [sys.executable, "scripts/serve.py"],
        cwd=ROOT,
        env={**clean, **environ},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    "given, missing",
    [
        ({"ALLOWED_HOSTS": HOST}, ["SECRET_KEY"]),
        ({"SECRET_KEY": secrets.token_urlsafe(50)}, ["ALLOWED_HOSTS"]),
        ({"SECRET_KEY": "", "ALLOWED_HOSTS": " "}, ["SECRET_KEY", "ALLOWED_HOSTS"]),
    ],
)
def test_make_serve_refuses_to_start_without_its_settings(given, missing):
    result = serve(**given)
    assert result.returncode == 2
    assert f"not started: set {' and '.join(missing)} in the environment" in result.stderr
    for name in missing:
        assert f"  {name}: " in result.stderr
    assert "manage.py" not in result.stdout  # stopped before touching the database


def test_make_serve_refuses_a_weak_key_before_migrating(tmp_path):
    result = serve(SECRET_KEY="too-short", ALLOWED_HOSTS=HOST, DATABASE_URL=f"sqlite:///{tmp_path}/never.sqlite3")
    assert result.returncode != 0
    assert "security.W009" in result.stderr + result.stdout
    assert "not started: manage.py check failed" in result.stderr
    with sqlite3.connect(tmp_path / "never.sqlite3") as database:
        assert database.execute("SELECT count(*) FROM sqlite_master").fetchone() == (0,)  # not migrated
