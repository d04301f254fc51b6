"""Demo milestones for Kalimantan Tengah: cohorts 2021–2025 walked through the real review workflow.

Called by ``manage.py seed_demo`` after the regions and the demo users exist. Each regency's story is
played through the services (save_draft → submit_update → approve_update / return_update), so the
history, the checks and the milestone statuses are the real ones; the services stamp the present
time, so every step is then dated to its day in the story (WIB). A regency whose cohort of that year
exists is skipped: running it again creates nothing.

The stories follow DOMAIN.md: Barito Selatan and Sukamara (2021 cohort) done; Barito Timur and
Murung Raya (2022) at M4 in June 2023, around Coaching Clinic 6; Gunung Mas and Barito Utara (2024)
at M4 in 2025; Kapuas and Seruyan (2025) at M1–M3. Decree numbers and evidence files say "DEMO".
"""

import datetime
import hashlib
import struct
import zlib
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from milestones import evidence
from milestones.models import Blob, Cohort, Evidence, HistoryEntry, Milestone, MilestoneUpdate
from milestones.services import milestones as services
from regencies.models import Regency, Role, UserRole

WIB = ZoneInfo("Asia/Jakarta")
REVIEWER = "pokja.kalteng"


# --- The story's vocabulary -------------------------------------------------------------------------


@dataclass(frozen=True)
class Report:
    """What the officer writes; ``files`` are evidence names, generated as PDF or PNG by extension."""

    progress: int
    narrative: str
    obstacles: str = ""
    next_steps: str = ""
    files: tuple[str, ...] = ()


@dataclass(frozen=True)
class Draft:
    """Start the milestone's open update, or revise it while it is a draft or returned."""

    at: str
    report: Report


@dataclass(frozen=True)
class Submit:
    at: str


@dataclass(frozen=True)
class Approve:
    at: str
    comment: str = ""


@dataclass(frozen=True)
class Return:
    at: str
    reason: str


def verified(report: Report, drafted: str, submitted: str, approved: str, comment: str = "") -> list:
    return [Draft(drafted, report), Submit(submitted), Approve(approved, comment)]


@dataclass(frozen=True)
class Story:
    code: str
    officer: str
    year: int
    decree_date: datetime.date
    milestones: dict[int, list]

    @property
    def decree_number(self) -> str:
        return f"DEMO/Kepmendagri/{self.year}"


# Officers of the regencies beyond the two demo log-ins: they author the stories but cannot sign in.
OTHER_OFFICERS = {
    "62.04": ("petugas.barsel", "Yulianti Rahayu (Pokja Barito Selatan)"),
    "62.08": ("petugas.sukamara", "Ahmad Fauzi (Pokja Sukamara)"),
    "62.03": ("petugas.kapuas", "Dewi Anggraini (Pokja Kapuas)"),
    "62.07": ("petugas.seruyan", "Fransiskus Ringkai (Pokja Seruyan)"),
    "62.10": ("petugas.gumas", "Natalia Simpei (Pokja Gunung Mas)"),
    "62.05": ("petugas.barut", "Rahmat Hidayat (Pokja Barito Utara)"),
}


# --- The stories ------------------------------------------------------------------------------------

BARITO_TIMUR = Story(
    code="62.13",
    officer="petugas.bartim",
    year=2022,
    decree_date=datetime.date(2022, 1, 24),
    milestones={
        1: verified(
            Report(
                100,
                "Surat pernyataan komitmen Bupati Barito Timur untuk percepatan pembangunan sanitasi permukiman "
                "ditandatangani pada 17 Februari 2022 dalam rapat koordinasi Pokja PKP, disaksikan Sekda dan "
                "kepala OPD anggota Pokja.",
                "Penandatanganan sempat mundur dua minggu karena agenda Bupati.",
                "Menyusun rancangan paket kebijakan bersama Bappeda, Dinas PUPR, Dinas Kesehatan dan DLH.",
                ("Surat pernyataan komitmen Bupati Barito Timur.pdf", "Dokumentasi penandatanganan komitmen.png"),
            ),
            "2022-02-21 09:30",
            "2022-03-04 14:10",
            "2022-03-15 10:00",
            "Sesuai hasil Coaching Clinic 1; komitmen kepala daerah lengkap.",
        ),
        2: verified(
            Report(
                100,
                "Paket kebijakan sanitasi disepakati Bupati pada 19 Mei 2022: (1) Perbup pengelolaan air limbah "
                "domestik, (2) pembentukan UPTD Pengelolaan Air Limbah Domestik (PALD) pada Dinas PUPR, "
                "(3) pemetaan pendanaan APBD, DAK dan Dana Desa, (4) sosialisasi dan promosi STBM.",
                "Pembahasan rancangan Perbup dengan Bagian Hukum memerlukan waktu lebih lama dari rencana.",
                "Menyiapkan uji coba layanan lumpur tinja terjadwal (LLTT) di Kecamatan Dusun Timur.",
                ("Paket kebijakan sanitasi Barito Timur.pdf", "Berita acara Coaching Clinic 2.pdf"),
            ),
            "2022-05-23 10:15",
            "2022-06-08 13:40",
            "2022-06-21 09:20",
            "Paket kebijakan telah dibahas pada Coaching Clinic 3 di Palangka Raya.",
        ),
        3: verified(
            Report(
                100,
                "Uji coba LLTT skala terbatas berjalan sejak Agustus 2022 di 3 desa/kelurahan Kecamatan Dusun Timur: "
                "240 rumah tangga terdaftar dan 112 tangki septik disedot dengan 1 truk tinja.",
                "Sebagian tangki septik tidak kedap sehingga perlu diperbaiki sebelum disedot; kesadaran membayar "
                "retribusi masih rendah.",
                "Memperluas layanan ke seluruh kecamatan pada 2023 dan menyiapkan operasional UPTD PALD.",
                ("Laporan uji coba LLTT Dusun Timur.pdf", "Dokumentasi penyedotan lumpur tinja.png"),
            ),
            "2022-10-10 08:45",
            "2022-11-08 15:05",
            "2022-11-22 10:30",
            "Hasil uji coba dievaluasi pada Coaching Clinic 5; layak diperluas ke skala penuh.",
        ),
        4: [
            *verified(
                Report(
                    60,
                    "Layanan lumpur tinja terjadwal (LLTT) berjalan di 6 dari 10 kecamatan. UPTD PALD beroperasi "
                    "sejak Januari 2023 dengan 2 truk tinja; 1.150 rumah tangga terdaftar sebagai pelanggan.",
                    "Anggaran operasional UPTD dalam APBD 2023 hanya cukup untuk 2 truk; perjalanan ke kecamatan "
                    "terjauh lebih dari 3 jam.",
                    "Mengusulkan tambahan truk tinja melalui DAK 2024 dan memperluas layanan ke 4 kecamatan lainnya.",
                    ("Laporan operasional UPTD PALD triwulan I 2023.pdf", "Dokumentasi layanan LLTT.png"),
                ),
                "2023-03-13 09:10",
                "2023-03-27 14:00",
                "2023-04-11 11:15",
                "Progres diterima; lengkapi data cakupan layanan pada laporan berikutnya.",
            ),
            Draft(
                "2023-06-05 10:20",
                Report(
                    75,
                    "LLTT berjalan di 8 dari 10 kecamatan; sampai Mei 2023 sebanyak 1.630 rumah tangga terlayani "
                    "dan 410 m³ lumpur tinja diolah di IPLT. Data layanan telah dimasukkan ke NAWASIS.",
                    "Dua kecamatan di hulu belum terjangkau truk tinja pada musim hujan.",
                    "Memaparkan capaian pada Coaching Clinic 6 (23 Juni 2023) dan menganggarkan operasional layanan "
                    "skala penuh dalam RKPD dan APBD 2024.",
                    ("Rekap cakupan layanan LLTT per kecamatan Mei 2023.pdf",),
                ),
            ),
            Submit("2023-06-16 15:30"),
        ],
    },
)

MURUNG_RAYA = Story(
    code="62.12",
    officer="petugas.mura",
    year=2022,
    decree_date=datetime.date(2022, 1, 24),
    milestones={
        1: verified(
            Report(
                100,
                "Bupati Murung Raya menandatangani surat pernyataan komitmen percepatan pembangunan sanitasi pada "
                "24 Februari 2022 di Puruk Cahu, dihadiri Sekda, Bappeda dan OPD anggota Pokja PKP.",
                "",
                "Pokja menginventarisasi regulasi sanitasi yang ada sebagai bahan paket kebijakan.",
                ("Surat pernyataan komitmen Bupati Murung Raya.pdf", "Dokumentasi rapat komitmen.png"),
            ),
            "2022-02-28 09:00",
            "2022-03-10 13:25",
            "2022-03-17 10:45",
        ),
        2: [
            Draft(
                "2022-05-30 11:00",
                Report(
                    100,
                    "Paket kebijakan sanitasi Murung Raya telah disusun Pokja dan diajukan kepada Bupati: Perbup "
                    "layanan lumpur tinja, pembentukan UPTD PALD, pemetaan pendanaan dan kampanye STBM.",
                    "Rancangan SK Bupati masih menunggu paraf koordinasi.",
                    "Menyampaikan SK yang telah ditandatangani setelah terbit.",
                    ("Rancangan paket kebijakan sanitasi Murung Raya.pdf",),
                ),
            ),
            Submit("2022-06-13 14:20"),
            Return(
                "2022-06-20 09:40",
                "Instrumen hukum belum ada: mohon unggah SK Bupati penetapan paket kebijakan yang sudah "
                "ditandatangani, bukan rancangannya.",
            ),
            Draft(
                "2022-07-04 10:05",
                Report(
                    100,
                    "Paket kebijakan sanitasi ditetapkan dengan SK Bupati Murung Raya tanggal 28 Juni 2022: Perbup "
                    "layanan lumpur tinja, pembentukan UPTD PALD, pemetaan pendanaan APBD/DAK/Dana Desa dan "
                    "kampanye STBM.",
                    "",
                    "Menyiapkan uji coba LLTT di Puruk Cahu.",
                    ("SK Bupati penetapan paket kebijakan sanitasi.pdf",),
                ),
            ),
            Submit("2022-07-05 08:50"),
            Approve("2022-07-14 13:15", "SK Bupati sudah dilampirkan; paket kebijakan lengkap."),
        ],
        3: verified(
            Report(
                100,
                "Uji coba LLTT di 2 kelurahan di Puruk Cahu (Kecamatan Murung) sejak September 2022: 180 rumah "
                "tangga terdaftar, 74 tangki septik disedot dengan truk tinja pinjaman Dinas Perkim.",
                "Belum ada IPLT sendiri; lumpur tinja diolah sementara di instalasi percontohan.",
                "Mengusulkan pembangunan IPLT melalui DAK dan membentuk UPTD PALD pada 2023.",
                ("Laporan uji coba LLTT Puruk Cahu.pdf", "Dokumentasi uji coba LLTT.png"),
            ),
            "2022-10-17 09:35",
            "2022-11-14 10:10",
            "2022-11-24 14:30",
            "Dievaluasi pada Coaching Clinic 5.",
        ),
        4: [
            *verified(
                Report(
                    65,
                    "Layanan lumpur tinja berjalan di 5 dari 10 kecamatan, dijalankan sementara oleh Dinas Perkim "
                    "dengan 1 truk tinja; 820 rumah tangga terdaftar sebagai pelanggan.",
                    "UPTD PALD masih dalam proses pembentukan; biaya operasional belum masuk APBD 2023.",
                    "Menyelesaikan pembentukan UPTD PALD dan memperluas layanan ke kecamatan lain.",
                    ("Laporan layanan lumpur tinja triwulan I 2023.pdf",),
                ),
                "2023-03-20 10:00",
                "2023-04-03 09:45",
                "2023-04-13 15:00",
            ),
            Draft(
                "2023-06-12 13:30",
                Report(
                    80,
                    "UPTD PALD telah dibentuk dan beroperasi sejak Mei 2023; layanan lumpur tinja terjadwal berjalan "
                    "di 7 dari 10 kecamatan.",
                    "Jalan ke kecamatan di hulu Barito rusak; sebagian permukiman hanya terjangkau lewat sungai.",
                    "Menambah armada dan menyiapkan laporan untuk Coaching Clinic 6.",
                    ("Dokumentasi layanan UPTD PALD.png",),
                ),
            ),
            Submit("2023-06-14 16:10"),
            Return(
                "2023-06-26 10:30",
                "Sesuai tindak lanjut Coaching Clinic 6 (23 Juni 2023): mohon lampirkan SK Bupati tentang "
                "pembentukan UPTD PALD dan data cakupan layanan per kecamatan (jumlah rumah tangga terlayani dan "
                "volume lumpur tinja yang diolah). Progres 80% belum dapat diverifikasi tanpa kedua dokumen itu.",
            ),
        ],
    },
)

BARITO_SELATAN = Story(
    code="62.04",
    officer="petugas.barsel",
    year=2021,
    decree_date=datetime.date(2021, 1, 25),
    milestones={
        1: verified(
            Report(
                100,
                "Surat pernyataan komitmen Bupati Barito Selatan ditandatangani pada 8 Maret 2021 di Buntok.",
                "Rapat komitmen dilaksanakan secara daring karena pembatasan COVID-19.",
                "Menyusun paket kebijakan persampahan dan air limbah domestik.",
                ("Surat pernyataan komitmen Bupati Barito Selatan.pdf",),
            ),
            "2021-03-10 09:15",
            "2021-03-22 10:40",
            "2021-03-30 14:00",
        ),
        2: verified(
            Report(
                100,
                "Paket kebijakan ditetapkan: Perbup pengelolaan sampah rumah tangga, penguatan UPT persampahan pada "
                "DLH, pemetaan pendanaan APBD dan DAK, serta gerakan pilah sampah dari rumah.",
                "",
                "Menyiapkan uji coba TPS3R dan pengangkutan sampah terjadwal.",
                ("Paket kebijakan sanitasi Barito Selatan.pdf", "Berita acara Coaching Clinic 3.pdf"),
            ),
            "2021-06-07 10:00",
            "2021-06-18 15:20",
            "2021-06-29 09:30",
        ),
        3: verified(
            Report(
                100,
                "Uji coba TPS3R dan pengangkutan sampah terjadwal di 3 kelurahan di Buntok: 1.200 rumah tangga "
                "terlayani, 35% sampah terpilah di sumber.",
                "Kapasitas TPS3R belum memadai pada musim buah.",
                "Memperluas layanan ke seluruh kecamatan pada 2022.",
                ("Laporan uji coba TPS3R Buntok.pdf", "Dokumentasi TPS3R.png"),
            ),
            "2021-10-25 08:30",
            "2021-11-09 13:00",
            "2021-11-19 10:15",
        ),
        4: [
            *verified(
                Report(
                    50,
                    "Pengangkutan sampah terjadwal berjalan di 3 dari 6 kecamatan; 2 TPS3R baru beroperasi.",
                    "Armada pengangkut terbatas.",
                    "Menambah armada melalui APBD Perubahan 2022.",
                    ("Laporan layanan persampahan semester I 2022.pdf",),
                ),
                "2022-05-09 09:00",
                "2022-05-20 11:30",
                "2022-06-02 10:00",
            ),
            *verified(
                Report(
                    100,
                    "Layanan persampahan berjalan di seluruh 6 kecamatan; retribusi diatur dalam Perbup dan biaya "
                    "operasional masuk APBD 2023. Hasil dipaparkan pada Coaching Clinic 6.",
                    "",
                    "Pemantauan tahunan oleh Pokja dan pelaporan ke NAWASIS.",
                    ("Laporan layanan persampahan skala penuh 2022.pdf", "Dokumentasi armada pengangkut sampah.png"),
                ),
                "2022-10-03 09:20",
                "2022-10-14 14:45",
                "2022-10-27 10:10",
                "Terverifikasi skala penuh; hasil Coaching Clinic 6 dan 7.",
            ),
        ],
    },
)

SUKAMARA = Story(
    code="62.08",
    officer="petugas.sukamara",
    year=2021,
    decree_date=datetime.date(2021, 1, 25),
    milestones={
        1: verified(
            Report(
                100,
                "Bupati Sukamara menandatangani surat pernyataan komitmen sanitasi pada 15 Maret 2021.",
                "",
                "Membentuk tim perumus paket kebijakan.",
                ("Surat pernyataan komitmen Bupati Sukamara.pdf",),
            ),
            "2021-03-17 10:30",
            "2021-03-24 09:15",
            "2021-04-06 13:45",
        ),
        2: verified(
            Report(
                100,
                "Paket kebijakan ditetapkan dengan Perbup: layanan lumpur tinja terjadwal, UPTD PALD pada Dinas "
                "Perkim, pemetaan pendanaan dan promosi STBM.",
                "",
                "Menyiapkan uji coba LLTT di Kecamatan Sukamara.",
                ("Perbup paket kebijakan sanitasi Sukamara.pdf",),
            ),
            "2021-06-14 09:45",
            "2021-06-25 14:30",
            "2021-07-08 10:20",
        ),
        3: verified(
            Report(
                100,
                "Uji coba LLTT di 2 desa Kecamatan Sukamara: 150 rumah tangga terdaftar, 90 tangki septik disedot.",
                "Sebagian warga masih memakai cubluk.",
                "Mengajukan bantuan tangki septik individual melalui DAK.",
                ("Laporan uji coba LLTT Sukamara.pdf", "Dokumentasi uji coba LLTT Sukamara.png"),
            ),
            "2021-11-01 08:40",
            "2021-11-12 10:50",
            "2021-11-25 09:00",
        ),
        4: verified(
            Report(
                100,
                "LLTT berjalan di seluruh 5 kecamatan; UPTD PALD melayani 2.300 rumah tangga dan biaya operasional "
                "masuk APBD 2023.",
                "",
                "Pemantauan tahunan dan pelaporan ke NAWASIS.",
                ("Laporan layanan LLTT skala penuh Sukamara.pdf",),
            ),
            "2022-10-10 10:00",
            "2022-10-21 15:10",
            "2022-11-03 09:40",
            "Terverifikasi setelah Coaching Clinic 6.",
        ),
    },
)

GUNUNG_MAS = Story(
    code="62.10",
    officer="petugas.gumas",
    year=2024,
    decree_date=datetime.date(2024, 1, 22),
    milestones={
        1: verified(
            Report(
                100,
                "Surat pernyataan komitmen Bupati Gunung Mas ditandatangani pada 4 Maret 2024 di Kuala Kurun.",
                "",
                "Menyusun paket kebijakan sanitasi.",
                ("Surat pernyataan komitmen Bupati Gunung Mas.pdf",),
            ),
            "2024-03-06 09:30",
            "2024-03-15 11:00",
            "2024-03-26 10:15",
        ),
        2: verified(
            Report(
                100,
                "Paket kebijakan ditetapkan: Perbup pengelolaan air limbah domestik, UPTD PALD, pemetaan pendanaan "
                "APBD/DAK/Dana Desa dan promosi STBM.",
                "",
                "Menyiapkan uji coba LLTT di Kuala Kurun.",
                ("Paket kebijakan sanitasi Gunung Mas.pdf",),
            ),
            "2024-06-03 10:10",
            "2024-06-14 14:00",
            "2024-06-25 09:45",
        ),
        3: verified(
            Report(
                100,
                "Uji coba LLTT di 3 kelurahan di Kuala Kurun (Kecamatan Kurun): 210 rumah tangga terdaftar.",
                "Truk tinja hanya satu unit.",
                "Memperluas layanan pada 2025.",
                ("Laporan uji coba LLTT Kuala Kurun.pdf", "Dokumentasi uji coba LLTT Gunung Mas.png"),
            ),
            "2024-10-21 08:50",
            "2024-11-05 13:20",
            "2024-11-19 10:00",
        ),
        4: [
            *verified(
                Report(
                    50,
                    "LLTT berjalan di 6 dari 12 kecamatan; UPTD PALD beroperasi sejak Februari 2025.",
                    "Jarak antarkecamatan jauh dan sebagian hanya terjangkau lewat sungai.",
                    "Menambah 1 truk tinja melalui DAK 2025.",
                    ("Laporan operasional UPTD PALD Gunung Mas April 2025.pdf",),
                ),
                "2025-05-05 09:00",
                "2025-05-16 14:15",
                "2025-05-27 10:30",
            ),
            Draft(
                "2025-08-18 11:20",
                Report(
                    70,
                    "LLTT berjalan di 8 dari 12 kecamatan; truk tinja kedua tiba Juli 2025.",
                    "Data pelanggan dari dua kecamatan belum direkap.",
                    "Melengkapi rekap data pelanggan sebelum mengajukan laporan.",
                ),
            ),
        ],
    },
)

BARITO_UTARA = Story(
    code="62.05",
    officer="petugas.barut",
    year=2024,
    decree_date=datetime.date(2024, 1, 22),
    milestones={
        1: verified(
            Report(
                100,
                "Bupati Barito Utara menandatangani surat pernyataan komitmen sanitasi pada 11 Maret 2024 di "
                "Muara Teweh.",
                "",
                "Menyusun paket kebijakan.",
                ("Surat pernyataan komitmen Bupati Barito Utara.pdf",),
            ),
            "2024-03-13 10:00",
            "2024-03-20 09:30",
            "2024-03-28 14:10",
        ),
        2: verified(
            Report(
                100,
                "Paket kebijakan ditetapkan: Perbup persampahan dan air limbah domestik, penguatan UPT pada DLH dan "
                "Dinas Perkim, serta pemetaan pendanaan.",
                "",
                "Menyiapkan uji coba layanan di Muara Teweh.",
                ("Paket kebijakan sanitasi Barito Utara.pdf",),
            ),
            "2024-06-10 09:20",
            "2024-06-19 15:00",
            "2024-07-02 10:40",
        ),
        3: verified(
            Report(
                100,
                "Uji coba LLTT dan bank sampah di 3 kelurahan di Muara Teweh (Kecamatan Teweh Tengah).",
                "",
                "Memperluas layanan pada 2025.",
                ("Laporan uji coba layanan Muara Teweh.pdf",),
            ),
            "2024-10-28 09:10",
            "2024-11-11 14:20",
            "2024-11-21 09:50",
        ),
        4: [
            *verified(
                Report(
                    40,
                    "LLTT berjalan di 3 dari 9 kecamatan; bank sampah aktif di 12 desa.",
                    "Biaya operasional UPTD belum masuk APBD 2025.",
                    "Mengusulkan biaya operasional dalam APBD Perubahan 2025.",
                    ("Laporan layanan sanitasi Barito Utara triwulan I 2025.pdf",),
                ),
                "2025-04-07 10:00",
                "2025-04-17 11:30",
                "2025-04-29 09:15",
            ),
            *verified(
                Report(
                    70,
                    "LLTT berjalan di 6 dari 9 kecamatan; biaya operasional masuk APBD Perubahan 2025.",
                    "Pelanggan di desa masih sedikit.",
                    "Sosialisasi layanan bersama Dinas Kesehatan dan pemerintah desa.",
                    ("Laporan layanan sanitasi Barito Utara Juli 2025.pdf", "Dokumentasi LLTT Barito Utara.png"),
                ),
                "2025-08-04 09:40",
                "2025-08-13 13:50",
                "2025-08-26 10:20",
            ),
        ],
    },
)

KAPUAS = Story(
    code="62.03",
    officer="petugas.kapuas",
    year=2025,
    decree_date=datetime.date(2025, 1, 20),
    milestones={
        1: verified(
            Report(
                100,
                "Surat pernyataan komitmen Bupati Kapuas ditandatangani pada 27 Februari 2025 di Kuala Kapuas.",
                "",
                "Menyusun paket kebijakan bersama OPD teknis.",
                ("Surat pernyataan komitmen Bupati Kapuas.pdf", "Dokumentasi penandatanganan komitmen Kapuas.png"),
            ),
            "2025-03-03 09:00",
            "2025-03-12 10:30",
            "2025-03-20 14:00",
            "Sesuai hasil Coaching Clinic 1.",
        ),
        2: [
            Draft(
                "2025-06-18 10:15",
                Report(
                    100,
                    "Paket kebijakan disepakati Bupati: Perbup layanan lumpur tinja, pembentukan UPTD PALD, pemetaan "
                    "pendanaan APBD/DAK/Dana Desa dan promosi STBM; ditetapkan dengan SK Bupati tanggal 16 Juni 2025.",
                    "",
                    "Menyiapkan uji coba LLTT di Kuala Kapuas.",
                    ("SK Bupati penetapan paket kebijakan sanitasi Kapuas.pdf", "Berita acara Coaching Clinic 2.pdf"),
                ),
            ),
            Submit("2025-06-24 15:40"),
        ],
        3: [
            Draft(
                "2025-08-18 09:25",
                Report(
                    30,
                    "Persiapan uji coba LLTT di 3 kelurahan di Kuala Kapuas (Kecamatan Selat): pendataan 400 rumah "
                    "tangga dan survei kondisi tangki septik.",
                    "Truk tinja masih dalam proses pengadaan.",
                    "Memulai penyedotan setelah truk tiba (rencana Oktober 2025).",
                ),
            ),
        ],
    },
)

SERUYAN = Story(
    code="62.07",
    officer="petugas.seruyan",
    year=2025,
    decree_date=datetime.date(2025, 1, 20),
    milestones={
        1: verified(
            Report(
                100,
                "Surat pernyataan komitmen Bupati Seruyan ditandatangani pada 5 Mei 2025 di Kuala Pembuang, "
                "terlambat dari rencana akhir Maret.",
                "Pelantikan kepala daerah baru menunda penjadwalan penandatanganan.",
                "Mengejar ketertinggalan: paket kebijakan ditargetkan selesai Juli 2025.",
                ("Surat pernyataan komitmen Bupati Seruyan.pdf",),
            ),
            "2025-05-06 10:00",
            "2025-05-07 14:30",
            "2025-05-14 09:45",
        ),
        2: [
            Draft(
                "2025-07-07 09:50",
                Report(
                    90,
                    "Rancangan paket kebijakan disusun Pokja: Perbup persampahan, penguatan UPT persampahan DLH dan "
                    "promosi pilah sampah.",
                    "Pemetaan pendanaan belum selesai karena menunggu KUA-PPAS 2026.",
                    "Mengajukan paket kebijakan kepada Bupati.",
                    ("Rancangan paket kebijakan sanitasi Seruyan.pdf",),
                ),
            ),
            Submit("2025-07-21 16:00"),
            Return(
                "2025-08-04 10:40",
                "Paket kebijakan belum memuat pemetaan pendanaan (APBD, DAK, Dana Desa, CSR) dan belum disepakati "
                "Bupati. Mohon lengkapi dan lampirkan bukti kesepakatan sebelum Coaching Clinic 3.",
            ),
        ],
    },
)

STORIES = [BARITO_SELATAN, SUKAMARA, BARITO_TIMUR, MURUNG_RAYA, GUNUNG_MAS, BARITO_UTARA, KAPUAS, SERUYAN]


# --- Playing the stories ----------------------------------------------------------------------------


def seed_milestones() -> list[Cohort]:
    """Create the demo cohorts with their milestone histories; returns the cohorts created this time."""
    reviewer = get_user_model().objects.get(username=REVIEWER)
    created = []
    with transaction.atomic():
        _seed_other_officers()
        for story in STORIES:
            regency = Regency.objects.get(code=story.code)
            if Cohort.objects.filter(regency=regency, year_m1_m3=story.year).exists():
                continue
            officer = get_user_model().objects.get(username=story.officer)
            created.append(_play(story, regency, officer, reviewer))
    return created


def _seed_other_officers() -> None:
    User = get_user_model()
    for code, (username, full_name) in OTHER_OFFICERS.items():
        first, _, last = full_name.partition(" ")
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "email": f"{username}@demo.ssk.local"},
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        UserRole.objects.get_or_create(user=user, defaults={"role": Role.REGENCY_OFFICER, "regency_id": code})


def _play(story: Story, regency: Regency, officer, reviewer) -> Cohort:
    cohort = services.create_cohort(
        regency=regency, year_m1_m3=story.year, decree_number=story.decree_number, decree_date=story.decree_date
    )
    for number, steps in story.milestones.items():
        milestone = cohort.milestones.select_related("definition").get(definition__number=number)
        _play_milestone(milestone, regency, officer, reviewer, steps)
    return cohort


def _play_milestone(milestone: Milestone, regency: Regency, officer, reviewer, steps: list) -> None:
    update = None
    for step in steps:
        when = _wib(step.at)
        history_mark = _last_pk(HistoryEntry)
        match step:
            case Draft(report=report):
                evidence_mark, blob_mark = _last_pk(Evidence), _last_pk(Blob)
                revising = update is not None and update.is_editable
                update = services.save_draft(
                    milestone=milestone,
                    author=officer,
                    update=update if revising else None,
                    progress=report.progress,
                    narrative=report.narrative,
                    obstacles=report.obstacles,
                    next_steps=report.next_steps,
                    requirements=_requirements_met(milestone, report.progress),
                    files=[_evidence_file(name, regency, milestone, when) for name in report.files],
                )
                stamps = {"updated_at": when} if revising else {"created_at": when, "updated_at": when}
                MilestoneUpdate.objects.filter(pk=update.pk).update(**stamps)
                Evidence.objects.filter(pk__gt=evidence_mark).update(uploaded_at=when)
                Blob.objects.filter(pk__gt=blob_mark).update(created_at=when)
            case Submit():
                services.submit_update(update=update, actor=officer, notify=False)
                MilestoneUpdate.objects.filter(pk=update.pk).update(submitted_at=when, updated_at=when)
            case Approve(comment=comment):
                services.approve_update(update=update, reviewer=reviewer, comment=comment, notify=False)
                MilestoneUpdate.objects.filter(pk=update.pk).update(decided_at=when, updated_at=when)
                if milestone.is_locked:
                    milestone.actual_date = when.date()
                    Milestone.objects.filter(pk=milestone.pk).update(actual_date=milestone.actual_date)
            case Return(reason=reason):
                services.return_update(update=update, reviewer=reviewer, reason=reason, notify=False)
                MilestoneUpdate.objects.filter(pk=update.pk).update(decided_at=when, updated_at=when)
        HistoryEntry.objects.filter(pk__gt=history_mark).update(at=when)
        Milestone.objects.filter(pk=milestone.pk).update(updated_at=when)


def _wib(moment: str) -> datetime.datetime:
    return datetime.datetime.strptime(moment, "%Y-%m-%d %H:%M").replace(tzinfo=WIB)


def _last_pk(model) -> int:
    return model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _requirements_met(milestone: Milestone, progress: int) -> list:
    requirements = list(milestone.definition.requirements.all())
    return requirements[: len(requirements) * progress // 100]


# --- Generated evidence files -----------------------------------------------------------------------


def _evidence_file(name: str, regency: Regency, milestone: Milestone, when: datetime.datetime):
    if name.endswith(".png"):
        content = demo_png(seed=f"{regency.code} {name}")
    else:
        content = demo_pdf(
            [
                name.rsplit(".", 1)[0],
                "",
                f"{regency.name}, {milestone.definition.code}: {milestone.definition.name}",
                f"Tanggal: {when:%d-%m-%Y}",
                "",
                "DOKUMEN CONTOH untuk demo SSK Tracker - bukan dokumen resmi.",
            ]
        )
    uploaded = SimpleUploadedFile(name, content)
    return uploaded, evidence.identify(uploaded)


def demo_pdf(lines: list[str]) -> bytes:
    """A valid one-page A4 PDF showing ``lines`` in Helvetica (text outside WinAnsi becomes '?')."""

    def literal(text: str) -> bytes:
        raw = text.encode("cp1252", errors="replace")
        return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"

    content = b"BT /F1 12 Tf 16 TL 72 770 Td\n" + b"".join(literal(line) + b" Tj T*\n" for line in lines) + b"ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
    ]
    pdf = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(pdf)


def demo_png(seed: str, width: int = 160, height: int = 120) -> bytes:
    """A valid RGB PNG placeholder photo (sky, ground and a truck-coloured block placed by ``seed``)."""
    digest = hashlib.sha256(seed.encode()).digest()
    left = 20 + digest[0] % (width - 70)
    block = (digest[1] | 0x80, digest[2] // 2, digest[3] // 2)
    rows = bytearray()
    for y in range(height):
        ground = y >= height // 2
        colour = bytes((60, 140 - (y - height // 2), 60) if ground else (120 + y, 170 + y // 2, 235))
        rows.append(0)  # filter type: none
        if 60 <= y < 95:
            rows += colour * left + bytes(block) * 50 + colour * (width - left - 50)
        else:
            rows += colour * width

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    image = zlib.compress(bytes(rows))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", image) + chunk(b"IEND", b"")
