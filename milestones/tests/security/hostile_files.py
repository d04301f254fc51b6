"""Files an attacker would upload (no tests here). Each is small to send and cheap to build; the ZIP
bombs are real: their parts inflate to what they declare."""

import functools
import io
import struct
import zipfile
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile

from milestones.tests.builders import PDF_BYTES

MB = 1024 * 1024
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 56 + b"/lib64/ld-linux-x86-64.so.2\x00"
PE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 52 + b"\x40\x00\x00\x00" + b"PE\x00\x00\x64\x86"
SCRIPT = b"<script>alert(document.cookie)</script>"
PDF_THEN_HTML = PDF_BYTES + b"<html><body>" + SCRIPT + b"</body></html>"
HTML_THEN_PDF = b"<html><body>" + SCRIPT + b"</body></html>\n" + PDF_BYTES
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
SST_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"


def named(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _deflated_zeros(size: int) -> tuple[bytes, int]:
    """A raw deflate stream of ``size`` zero bytes and its CRC-32, built fast: after a full flush the
    compressor's output for the same input repeats, so one megabyte is compressed and its output copied."""
    chunk = b"\x00" * MB
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    again = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(size // MB):
        crc = zlib.crc32(chunk, crc)
    return first + again * (size // MB - 1) + compressor.flush(), crc


def _package(parts: list[tuple[str, bytes, int, int]]) -> bytes:
    """A ZIP of (name, raw deflate data, CRC-32, unpacked size) parts, written field by field."""
    body, directory = b"", b""
    for name, data, crc, size in parts:
        encoded = name.encode()
        fields = struct.pack("<HHHHHIII", 20, 0, 8, 0, 0, crc, len(data), size)
        directory += (
            b"PK\x01\x02"
            + struct.pack("<H", 20)
            + fields
            + struct.pack("<HHHHHII", len(encoded), 0, 0, 0, 0, 0, len(body))
            + encoded
        )
        body += b"PK\x03\x04" + fields + struct.pack("<HH", len(encoded), 0) + encoded + data
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(parts), len(parts), len(directory), len(body), 0)
    return body + directory + end


def _small(name: str, text: str) -> tuple[str, bytes, int, int]:
    data = text.encode()
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return name, compressor.compress(data) + compressor.flush(), zlib.crc32(data), len(data)


@functools.cache
def _bomb(kind: str, size: int) -> bytes:
    zeros, crc = _deflated_zeros(size)
    if kind == "docx":
        parts = [_small("word/document.xml", "<w:document/>"), ("word/media/image1.png", zeros, crc, size)]
    else:
        parts = [_small("xl/workbook.xml", "<workbook/>"), ("xl/worksheets/sheet1.xml", zeros, crc, size)]
    return _package([_small("[Content_Types].xml", "<Types/>"), *parts])


def zip_bomb(kind: str, size: int = 120 * MB) -> SimpleUploadedFile:
    """A DOCX or XLSX of a few hundred KB whose one big part inflates to ``size`` bytes of zeros."""
    return SimpleUploadedFile(f"laporan.{kind}", _bomb(kind, size))


def replace_parts(content: bytes, parts: dict[str, bytes | None]) -> bytes:
    """The package with some parts replaced (None removes one, a new name adds one)."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for info in source.infolist():
            if info.filename in parts:
                continue
            target.writestr(info.filename, source.read(info.filename))
        for name, data in parts.items():
            if data is not None:
                target.writestr(name, data)
    return out.getvalue()


def with_shared_strings(content: bytes, count: int, distinct: bool = False) -> bytes:
    """The workbook with a shared-strings table of ``count`` tiny entries that no cell uses (openpyxl
    writes inline strings, so the table and its content-type entry are added). Repeated entries compress
    about 400:1 (3 million in 131 KB); distinct ones about 8:1, like honest XML."""
    if distinct:
        table = "".join(f"<si><t>{n}</t></si>" for n in range(count))
    else:
        table = "<si><t>x</t></si>" * count
    xml = f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{table}</sst>'
    types = zipfile.ZipFile(io.BytesIO(content)).read("[Content_Types].xml")
    override = f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SST_TYPE}"/>'.encode()
    return replace_parts(
        content,
        {
            "[Content_Types].xml": types.replace(b"</Types>", override + b"</Types>"),
            "xl/sharedStrings.xml": xml.encode(),
        },
    )
