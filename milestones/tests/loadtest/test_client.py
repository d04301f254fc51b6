"""The load test's browser: the forms as a browser sends them, the files a page links to, multipart."""

import io

from django.core.files.uploadhandler import MemoryFileUploadHandler
from django.http import QueryDict
from django.http.multipartparser import MultiPartParser

from milestones.loadtest.client import css_assets, form_fields, multipart, page_assets

PAGE = """
<form method="post" action="/keluar/"><input type="hidden" name="csrfmiddlewaretoken" value="t1"></form>
<form method="post" enctype="multipart/form-data">
  <input type="hidden" name="csrfmiddlewaretoken" value="t2">
  <input type="hidden" name="form_token" value="once">
  <input type="number" name="progress" value="40">
  <textarea name="narrative">
Sudah berjalan</textarea>
  <input type="checkbox" name="requirements_met" value="3" checked>
  <input type="checkbox" name="requirements_met" value="4">
  <select name="year"><option value="2025">2025</option><option value="2026" selected>2026</option></select>
  <input type="file" name="files">
  <button type="submit" name="submit">Ajukan</button>
</form>
"""


def test_the_form_is_read_as_a_browser_sends_it():
    assert form_fields(PAGE, "form_token") == {
        "csrfmiddlewaretoken": ["t2"],
        "form_token": ["once"],
        "progress": ["40"],
        "narrative": ["Sudah berjalan"],
        "requirements_met": ["3"],
        "year": ["2026"],
    }


def test_the_files_a_page_and_its_style_sheet_fetch():
    html = """<link rel="stylesheet" href="/static/css/app.abc.css"><link href="/static/i.png" rel="icon">
    <script src="/static/js/app.def.js" defer></script><img src="data:image/png;base64,AA" alt="">
    <a href="/not-fetched/">x</a>"""
    assert page_assets(html) == ["/static/css/app.abc.css", "/static/js/app.def.js", "/static/i.png"]
    css = """a{background:url("data:image/svg+xml,%3csvg")} @font-face{src:url(../fonts/x.woff2)}"""
    assert css_assets(css, "/static/css/app.abc.css") == ["/static/fonts/x.woff2"]


def test_multipart_is_what_django_parses():
    body, content_type = multipart(
        {"narrative": ["Uji beban"], "submit": [""]}, [("files", "bukti.pdf", b"%PDF-1.4 x", "application/pdf")]
    )
    meta = {"CONTENT_TYPE": content_type, "CONTENT_LENGTH": str(len(body))}
    post, files = MultiPartParser(meta, io.BytesIO(body), [MemoryFileUploadHandler()]).parse()
    assert isinstance(post, QueryDict) and post.dict() == {"narrative": "Uji beban", "submit": ""}
    upload = files["files"]
    assert (upload.name, upload.content_type, upload.read()) == ("bukti.pdf", "application/pdf", b"%PDF-1.4 x")
