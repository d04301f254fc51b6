"""Uploads refused outright, with a message on the form: not an Excel workbook, too big, a sheet or a
header missing, another regency's workbook, too many rows."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

from milestones.tests.builders import PDF_BYTES
from milestones.tests.planning.workbooks import ACTIVITIES, counts, fill, template_workbook, upload, valid_workbook


def refused(client, upload_file):
    response = upload(client, upload_file)
    assert response.status_code == 200
    assert counts() == (0, 0, 0, 0)
    return response.context["form"].errors["file"]


def test_a_pdf_is_refused(client_as, bartim):
    errors = refused(client_as("officer_bartim"), SimpleUploadedFile("kegiatan.xlsx", PDF_BYTES))
    assert "kegiatan.xlsx" in errors[0]


def test_a_csv_and_an_old_xls_are_refused(client_as, bartim):
    client = client_as("officer_bartim")
    assert refused(client, SimpleUploadedFile("kegiatan.csv", b"Kode kegiatan;Subsektor\nAL-01;AIR_LIMBAH\n"))
    assert (
        ".xls" in refused(client, SimpleUploadedFile("lama.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64))[0]
    )


def test_a_word_document_is_refused(client_as, bartim):
    from milestones.tests.document_builders import docx

    assert refused(client_as("officer_bartim"), docx())


def test_a_zip_that_is_not_a_workbook_is_refused(client_as, bartim):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("xl/workbook.txt", "bukan buku kerja")
    errors = refused(client_as("officer_bartim"), SimpleUploadedFile("kegiatan.xlsx", buffer.getvalue()))
    assert errors == ["kegiatan.xlsx bukan buku kerja Excel (.xlsx). Unduh templatnya lalu isi."]


def test_a_workbook_that_unpacks_to_too_much_data_is_refused(client_as, bartim, settings):
    client = client_as("officer_bartim")
    workbook = valid_workbook(client)
    settings.SPREADSHEET_MAX_UNPACKED_BYTES = 1000
    [message] = refused(client, workbook)
    assert message.startswith("kegiatan-bartim.xlsx") and "1000\xa0bita" in message


def test_a_too_big_file_is_refused(client_as, bartim, settings):
    client = client_as("officer_bartim")
    workbook = valid_workbook(client)
    settings.SPREADSHEET_MAX_BYTES = 1000
    assert refused(client, workbook)


def test_a_workbook_without_a_sheet_is_refused_with_the_sheets_name(client_as, bartim):
    client = client_as("officer_bartim")
    workbook = valid_workbook(client)
    del workbook["APBD"]
    assert "APBD" in refused(client, workbook)[0]


def test_a_sheet_without_a_header_is_refused_with_the_columns_name(client_as, bartim):
    client = client_as("officer_bartim")
    workbook = valid_workbook(client)
    workbook["Anggaran"]["E1"] = "Alokasi"
    message = refused(client, workbook)[0]
    assert "Anggaran" in message and "Dialokasikan" in message


def test_another_regencys_workbook_is_refused(client_as, bartim, mura):
    client = client_as("pokja_kalteng")
    workbook = fill(template_workbook(client, "62.12"), Kegiatan=ACTIVITIES)
    message = refused(client, workbook)[0]
    assert "62.12" in message and "62.13" in message


def test_a_sheet_with_too_many_rows_is_refused(client_as, bartim, settings):
    client = client_as("officer_bartim")
    settings.SPREADSHEET_MAX_ROWS = 2
    assert any("Anggaran" in message for message in refused(client, valid_workbook(client)))
