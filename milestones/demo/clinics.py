"""Demo coaching clinics, follow-up actions, SSK programme activities and NAWASIS records for Kalteng.

Call ``seed_clinics()`` after the regions, the demo users, the milestones and the documents exist
(regencies.demo, milestones.demo, milestones.demo_documents). It is safe to run again: a clinic is
skipped when the province already has a clinic of that number on that date, and activities, planning
integrations, budget lines, APBD totals and NAWASIS records are looked up by their natural keys.

The story follows DOMAIN.md for Barito Timur (62.13) and Murung Raya (62.12), the 2022 cohort:

- CC1–CC5 in 2022 (CC1 → M1; CC2 at each regency and CC3 at the province → M2; CC4 prepares and CC5
  evaluates the M3 pilot). Most of their follow-ups are done; two are still open and carry over:
  Murung Raya's UPTD PALD (CC3) and Barito Timur's retribution campaign (CC5).
- CC6 on Friday 23 June 2023 reviewed M4 and asked for the four follow-ups, each with concrete
  actions: some done, some in progress, one dropped and a few still open and overdue.
- The SSK 2022–2026 programme activities of both regencies, whether they reached RPJMD, RKPD,
  Renstra-PD and Renja-PD (2022–2024), their money per funding source and the total APBD.
- What both regencies (and Barito Selatan and Sukamara, the 2021 cohort) entered in NAWASIS.

The direct ORM is used (not the services), so the models' constraints are kept here: one owner per
action and a reason for every dropped action. Instrument numbers start with DEMO.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from milestones import evidence
from milestones.demo.milestones import demo_pdf
from milestones.models import (
    ActionEvidence,
    BudgetLine,
    ClinicParticipant,
    CoachingClinic,
    FollowUpAction,
    FundingSource,
    MilestoneDefinition,
    NawasisSubmission,
    PlanningDocument,
    PlanningIntegration,
    ProgrammeActivity,
    Recommendation,
    RegionalBudget,
    Subsector,
)
from regencies.models import Agency, Province, Regency, Role, UserRole, WorkingGroup

WIB = ZoneInfo("Asia/Jakarta")
KALTENG, BARITO_TIMUR, MURUNG_RAYA = "62", "62.13", "62.12"
BARITO_SELATAN, SUKAMARA = "62.04", "62.08"
REVIEWER = "pokja.kalteng"

Status = FollowUpAction.Status
Mode = CoachingClinic.Mode
Source = FundingSource
Module = NawasisSubmission.Module

BUDGET_YEARS = (2022, 2023, 2024)
PLANNING_DOCUMENTS = (
    PlanningDocument.RPJMD,
    PlanningDocument.RKPD,
    PlanningDocument.RENSTRA_PD,
    PlanningDocument.RENJA_PD,
)


# --- The vocabulary ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    """A follow-up step. ``owner`` is "province" (the provincial Pokja), "pokja" (the regency's Pokja),
    "regency", or "agency:<agency name>" (an OPD of the regency, looked up; the regency if missing).
    ``closed`` ("YYYY-MM-DD HH:MM", WIB) and ``note`` (closing note, or the reason when dropped) are for
    done and dropped actions; ``by`` overrides who closed it; ``evidence`` names a generated PDF."""

    description: str
    owner: str
    regency: str | None
    due: str
    status: str = Status.OPEN
    closed: str = ""
    note: str = ""
    by: str = ""
    evidence: str = ""


@dataclass(frozen=True)
class Rec:
    text: str
    actions: tuple[Action, ...]


@dataclass(frozen=True)
class Person:
    """A participant; ``agency`` is (region code, agency short name) of an existing Agency to link."""

    name: str
    agency_name: str
    role: str = ""
    online: bool = False
    agency: tuple[str, str] | None = None


@dataclass(frozen=True)
class Clinic:
    number: int
    title: str
    date: datetime.date
    regencies: tuple[str, ...]
    milestone: int | None
    venue: str
    mode: str
    opened_by: str
    summary: str
    participants: tuple[Person, ...]
    recommendations: tuple[Rec, ...]
    minutes: tuple[str, ...] = ()  # the berita acara's lines; its file name is the first line


# --- Participants -----------------------------------------------------------------------------------

BPPW = "Balai Prasarana Permukiman Wilayah Kalimantan Tengah"
POKJA_PROVINSI = "Pokja PKP Provinsi Kalimantan Tengah"


def national_team(online=True) -> tuple[Person, ...]:
    return (
        Person(
            "Perwakilan Direktorat Perumahan dan Kawasan Permukiman",
            "Kementerian PPN/Bappenas (Pokja PPAS Nasional)",
            "Narasumber",
            online,
            ("", "Bappenas"),
        ),
        Person(
            "Perwakilan Ditjen Bina Pembangunan Daerah",
            "Kementerian Dalam Negeri (Pokja PPAS Nasional)",
            "Narasumber",
            online,
            ("", "Kemendagri"),
        ),
        Person("Tim PMU PPAS Nasional", "Pokja PPAS Nasional", "Pendamping teknis", online),
    )


def province_side(bppw_online=False) -> tuple[Person, ...]:
    return (
        Person("Sri Handayani", BPPW, "Narasumber, verifikasi kesiapan DAK", bppw_online),
        Person("Rudi Hartono", "Fasilitator Provinsi PPAS Kalimantan Tengah", "Fasilitator provinsi"),
        Person(
            "Yohanes Dimas",
            "Bappedalitbang Provinsi Kalimantan Tengah",
            f"Sekretaris {POKJA_PROVINSI}",
            agency=(KALTENG, "Bappedalitbang"),
        ),
        Person(
            "Lestari Widodo",
            "Disperkimtan Provinsi Kalimantan Tengah",
            f"Anggota {POKJA_PROVINSI}",
            agency=(KALTENG, "Disperkimtan"),
        ),
    )


def regency_side(code: str, officer: str) -> tuple[Person, ...]:
    name = {BARITO_TIMUR: "Kabupaten Barito Timur", MURUNG_RAYA: "Kabupaten Murung Raya"}[code]
    return (
        Person(f"Sekretaris Daerah {name}", f"Sekretariat Daerah {name}", "Ketua Pokja PKP kabupaten"),
        Person(f"Kepala Bappeda {name}", f"Bappeda {name}", "Sekretaris Pokja PKP kabupaten", agency=(code, "Bappeda")),
        Person(f"Kepala Dinas PUPR {name}", f"Dinas PUPR {name}", "Anggota Pokja", agency=(code, "Dinas PUPR")),
        Person(f"Kepala Dinas Perkim {name}", f"Dinas Perkim {name}", "Anggota Pokja"),
        Person(f"Kepala DLH {name}", f"Dinas Lingkungan Hidup {name}", "Anggota Pokja"),
        Person(f"Kepala Dinas Kesehatan {name}", f"Dinas Kesehatan {name}", "Anggota Pokja"),
        Person(officer, f"Pokja PKP {name}", "Operator SSK Tracker dan NAWASIS"),
    )


BARTIM_PEOPLE = regency_side(BARITO_TIMUR, "Maria Ulfah")
MURA_PEOPLE = regency_side(MURUNG_RAYA, "Hendra Kusuma")


# --- The clinics ------------------------------------------------------------------------------------

PUPR_NAME = "Dinas Pekerjaan Umum dan Penataan Ruang"
BOTH = (BARITO_TIMUR, MURUNG_RAYA)
TITLE_BOTH = "Implementasi SSK Kabupaten Barito Timur dan Kabupaten Murung Raya"
AULA_PROVINSI = "Aula Bappedalitbang Provinsi Kalimantan Tengah"

CC1 = Clinic(
    number=1,
    title=f"Coaching Clinic 1 {TITLE_BOTH}",
    date=datetime.date(2022, 3, 8),
    regencies=BOTH,
    milestone=1,
    venue="Daring (Zoom), dikoordinasikan dari Bappedalitbang Provinsi Kalimantan Tengah",
    mode=Mode.ONLINE,
    opened_by="Sekretaris Bappedalitbang Provinsi Kalimantan Tengah",
    summary=(
        "Pengenalan tahapan implementasi SSK 2022–2023 dan empat milestone bagi kohort 2022. Pokja kedua "
        "kabupaten memaparkan bukti komitmen kepala daerah (Milestone 1): Barito Timur telah menandatangani "
        "surat pernyataan komitmen pada 17 Februari 2022 dan Murung Raya pada 24 Februari 2022."
    ),
    participants=(*national_team(), *province_side(bppw_online=True), *BARTIM_PEOPLE[:3], *MURA_PEOPLE[:3]),
    recommendations=(
        Rec(
            "Melengkapi bukti komitmen kepala daerah (surat pernyataan komitmen bupati beserta dokumentasi "
            "penandatanganan) sebagai capaian Milestone 1.",
            (
                Action(
                    "Mengunggah surat pernyataan komitmen Bupati Barito Timur dan dokumentasi penandatanganan ke "
                    "SSK Tracker.",
                    "regency",
                    BARITO_TIMUR,
                    "2022-03-11",
                    Status.DONE,
                    "2022-03-09 10:15",
                    "Surat komitmen dan dokumentasi diunggah bersama laporan Milestone 1 untuk diverifikasi "
                    "Pokja provinsi.",
                ),
                Action(
                    "Mengunggah surat pernyataan komitmen Bupati Murung Raya dan dokumentasi rapat komitmen ke "
                    "SSK Tracker.",
                    "regency",
                    MURUNG_RAYA,
                    "2022-03-11",
                    Status.DONE,
                    "2022-03-10 13:30",
                    "Bukti komitmen diunggah bersama laporan Milestone 1.",
                ),
            ),
        ),
        Rec(
            "Memperbarui SK Pokja PKP kabupaten agar memuat seluruh OPD yang menangani air limbah domestik, "
            "persampahan, drainase dan kesehatan lingkungan.",
            (
                Action(
                    "Menerbitkan SK Bupati tentang pembaruan keanggotaan Pokja PKP Kabupaten Barito Timur.",
                    "pokja",
                    BARITO_TIMUR,
                    "2022-04-30",
                    Status.DONE,
                    "2022-04-20 09:00",
                    "SK Bupati DEMO/SK-POKJA/2022 terbit; DLH dan Dinas Kesehatan masuk keanggotaan.",
                ),
                Action(
                    "Menerbitkan SK Bupati tentang pembaruan keanggotaan Pokja PKP Kabupaten Murung Raya.",
                    "pokja",
                    MURUNG_RAYA,
                    "2022-04-30",
                    Status.DONE,
                    "2022-05-10 14:00",
                    "SK Bupati terbit 9 Mei 2022, terlambat karena menunggu paraf koordinasi Bagian Hukum.",
                ),
            ),
        ),
    ),
)

CC2_BARTIM = Clinic(
    number=2,
    title="Coaching Clinic 2 Implementasi SSK Kabupaten Barito Timur",
    date=datetime.date(2022, 5, 17),
    regencies=(BARITO_TIMUR,),
    milestone=2,
    venue="Aula Bappeda Kabupaten Barito Timur, Tamiang Layang",
    mode=Mode.IN_PERSON,
    opened_by="Sekretaris Daerah Kabupaten Barito Timur",
    summary=(
        "Pembahasan rancangan paket kebijakan sanitasi Barito Timur yang disusun dari rekomendasi Laporan Status "
        "Sanitasi (LSS): Perbup pengelolaan air limbah domestik, UPTD PALD pada Dinas PUPR, pemetaan pendanaan "
        "APBD, DAK dan Dana Desa, serta sosialisasi dan promosi STBM."
    ),
    participants=(*province_side(), *BARTIM_PEOPLE),
    recommendations=(
        Rec(
            "Menyepakati paket kebijakan sanitasi bersama Bupati: regulasi operasional, kelembagaan layanan, "
            "pemetaan pendanaan serta sosialisasi dan promosi.",
            (
                Action(
                    "Menyampaikan paket kebijakan sanitasi kepada Bupati Barito Timur untuk disepakati.",
                    "regency",
                    BARITO_TIMUR,
                    "2022-05-31",
                    Status.DONE,
                    "2022-05-19 15:00",
                    "Paket kebijakan disepakati Bupati pada 19 Mei 2022.",
                ),
            ),
        ),
    ),
    minutes=(
        "Berita acara Coaching Clinic 2 Barito Timur",
        "",
        "Coaching Clinic 2 Implementasi SSK Kabupaten Barito Timur",
        "Tamiang Layang, 17 Mei 2022",
        "",
        "Paket kebijakan sanitasi dibahas dan akan disampaikan kepada Bupati.",
    ),
)

CC2_MURA = Clinic(
    number=2,
    title="Coaching Clinic 2 Implementasi SSK Kabupaten Murung Raya",
    date=datetime.date(2022, 5, 24),
    regencies=(MURUNG_RAYA,),
    milestone=2,
    venue="Aula Bappeda Kabupaten Murung Raya, Puruk Cahu",
    mode=Mode.IN_PERSON,
    opened_by="Sekretaris Daerah Kabupaten Murung Raya",
    summary=(
        "Pembahasan rancangan paket kebijakan sanitasi Murung Raya: Perbup layanan lumpur tinja, pembentukan "
        "UPTD PALD, pemetaan pendanaan APBD/DAK/Dana Desa dan kampanye STBM. Pokja provinsi mengingatkan bahwa "
        "paket kebijakan harus ditetapkan dengan instrumen hukum, bukan hanya rancangan."
    ),
    participants=(*province_side(), *MURA_PEOPLE),
    recommendations=(
        Rec(
            "Menetapkan paket kebijakan sanitasi dengan instrumen hukum (SK Bupati) sebelum Coaching Clinic 3.",
            (
                Action(
                    "Menetapkan paket kebijakan sanitasi Murung Raya dengan SK Bupati.",
                    "regency",
                    MURUNG_RAYA,
                    "2022-06-30",
                    Status.DONE,
                    "2022-06-28 16:00",
                    "SK Bupati penetapan paket kebijakan sanitasi terbit 28 Juni 2022.",
                ),
            ),
        ),
    ),
)

CC3 = Clinic(
    number=3,
    title=f"Coaching Clinic 3 {TITLE_BOTH}",
    date=datetime.date(2022, 6, 14),
    regencies=BOTH,
    milestone=2,
    venue=f"{AULA_PROVINSI}, Palangka Raya",
    mode=Mode.HYBRID,
    opened_by="Kepala Bappedalitbang Provinsi Kalimantan Tengah",
    summary=(
        "Paket kebijakan sanitasi kedua kabupaten dibahas bersama Tim PPAS Nasional (daring) dan BPPW "
        "Kalimantan Tengah; Bupati Barito Timur dan Bupati Murung Raya menyatakan komitmen atas paket "
        "kebijakan. Tindak lanjut: regulasi operasional, kelembagaan UPTD PALD dan pendanaan uji coba layanan."
    ),
    participants=(*national_team(), *province_side(), *BARTIM_PEOPLE, *MURA_PEOPLE),
    recommendations=(
        Rec(
            "Menindaklanjuti paket kebijakan dengan menetapkan Perbup pengelolaan air limbah domestik dan "
            "membentuk UPTD Pengelolaan Air Limbah Domestik (PALD).",
            (
                Action(
                    "Menetapkan Perbup pengelolaan air limbah domestik dan Perbup pembentukan UPTD PALD Barito Timur.",
                    "regency",
                    BARITO_TIMUR,
                    "2022-10-31",
                    Status.DONE,
                    "2022-10-12 11:00",
                    "Perbup DEMO/Perbup/21/2022 dan DEMO/Perbup/22/2022 ditetapkan; UPTD PALD beroperasi Januari 2023.",
                ),
                Action(
                    "Membentuk UPTD PALD Murung Raya dengan Perbup dan menetapkan kepala UPTD.",
                    "regency",
                    MURUNG_RAYA,
                    "2022-12-31",
                    Status.IN_PROGRESS,
                ),
            ),
        ),
        Rec(
            "Menganggarkan biaya uji coba layanan skala terbatas (Milestone 3) dalam APBD Perubahan 2022.",
            (
                Action(
                    "Mengusulkan biaya uji coba LLTT di Kecamatan Dusun Timur dalam APBD Perubahan 2022.",
                    f"agency:{PUPR_NAME}",
                    BARITO_TIMUR,
                    "2022-08-31",
                    Status.DONE,
                    "2022-08-30 10:00",
                    "Biaya operasional uji coba LLTT masuk APBD Perubahan 2022 Dinas PUPR.",
                ),
                Action(
                    "Mengusulkan biaya uji coba LLTT di Puruk Cahu dalam APBD Perubahan 2022.",
                    "regency",
                    MURUNG_RAYA,
                    "2022-08-31",
                    Status.DONE,
                    "2022-09-06 09:30",
                    "Biaya uji coba masuk APBD Perubahan 2022 Dinas Perkim; truk tinja dipinjam dari Dinas Perkim.",
                ),
            ),
        ),
    ),
    minutes=(
        "Berita acara Coaching Clinic 3 Barito Timur dan Murung Raya",
        "",
        f"Coaching Clinic 3 {TITLE_BOTH}",
        "Palangka Raya, 14 Juni 2022",
        "",
        "Bupati kedua kabupaten menyatakan komitmen atas paket kebijakan sanitasi.",
    ),
)

CC4 = Clinic(
    number=4,
    title=f"Coaching Clinic 4 {TITLE_BOTH}",
    date=datetime.date(2022, 8, 3),
    regencies=BOTH,
    milestone=3,
    venue="Daring (Zoom), dikoordinasikan dari Bappedalitbang Provinsi Kalimantan Tengah",
    mode=Mode.ONLINE,
    opened_by="Sekretaris Bappedalitbang Provinsi Kalimantan Tengah",
    summary=(
        "Persiapan uji coba model layanan skala terbatas (Milestone 3): Barito Timur menyiapkan layanan lumpur "
        "tinja terjadwal (LLTT) di 3 desa/kelurahan Kecamatan Dusun Timur, Murung Raya di 2 kelurahan di Puruk "
        "Cahu. Dibahas lokasi, data rumah tangga sasaran, armada, SOP layanan dan skema retribusi."
    ),
    participants=(*national_team(), *province_side(bppw_online=True), *BARTIM_PEOPLE[1:3], *MURA_PEOPLE[1:3]),
    recommendations=(
        Rec(
            "Menyiapkan uji coba model layanan skala terbatas: lokasi dan data rumah tangga sasaran, armada, SOP "
            "layanan dan skema retribusi.",
            (
                Action(
                    "Menetapkan 3 desa/kelurahan lokasi uji coba LLTT di Kecamatan Dusun Timur dan mendata rumah "
                    "tangga sasaran.",
                    "regency",
                    BARITO_TIMUR,
                    "2022-08-19",
                    Status.DONE,
                    "2022-08-15 14:20",
                    "Lokasi ditetapkan dengan SK Kepala Dinas PUPR; 240 rumah tangga terdaftar.",
                ),
                Action(
                    "Menyiapkan truk tinja pinjaman Dinas Perkim dan SOP penyedotan untuk uji coba LLTT di Puruk Cahu.",
                    "regency",
                    MURUNG_RAYA,
                    "2022-08-31",
                    Status.DONE,
                    "2022-09-02 10:40",
                    "SOP penyedotan disahkan Kepala Dinas Perkim; uji coba dimulai September 2022.",
                ),
            ),
        ),
    ),
)

CC5 = Clinic(
    number=5,
    title=f"Coaching Clinic 5 {TITLE_BOTH}",
    date=datetime.date(2022, 11, 17),
    regencies=BOTH,
    milestone=3,
    venue=f"{AULA_PROVINSI}, Palangka Raya",
    mode=Mode.HYBRID,
    opened_by="Kepala Bappedalitbang Provinsi Kalimantan Tengah",
    summary=(
        "Evaluasi uji coba layanan skala terbatas: Barito Timur melayani 240 rumah tangga dan menyedot 112 "
        "tangki septik; Murung Raya 180 rumah tangga dan 74 tangki septik. Kendala: tangki septik tidak kedap, "
        "kesadaran membayar retribusi rendah dan belum ada IPLT di Murung Raya. Kedua uji coba dinilai layak "
        "diperluas ke skala penuh pada 2023."
    ),
    participants=(*national_team(), *province_side(), *BARTIM_PEOPLE, *MURA_PEOPLE),
    recommendations=(
        Rec(
            "Memperluas layanan hasil uji coba ke skala penuh pada 2023 dan menganggarkan biaya operasional "
            "layanan dalam APBD 2023.",
            (
                Action(
                    "Menganggarkan operasional UPTD PALD dan 2 truk tinja dalam APBD 2023.",
                    "regency",
                    BARITO_TIMUR,
                    "2022-12-15",
                    Status.DONE,
                    "2022-12-09 09:45",
                    "APBD 2023 memuat biaya operasional UPTD PALD dan 2 truk tinja.",
                ),
                Action(
                    "Mengusulkan pembangunan IPLT Puruk Cahu melalui DAK 2024.",
                    f"agency:{PUPR_NAME}",
                    MURUNG_RAYA,
                    "2023-03-31",
                    Status.DONE,
                    "2023-03-20 13:10",
                    "Usulan DAK 2024 untuk IPLT diunggah ke aplikasi KRISNA dan diverifikasi BPPW Kalimantan Tengah.",
                ),
            ),
        ),
        Rec(
            "Meningkatkan kepatuhan membayar retribusi layanan lumpur tinja melalui sosialisasi bersama Dinas "
            "Kesehatan dan pemerintah desa.",
            (
                Action(
                    "Melaksanakan sosialisasi retribusi LLTT di 3 desa/kelurahan lokasi uji coba.",
                    "regency",
                    BARITO_TIMUR,
                    "2022-12-31",
                    Status.OPEN,
                ),
            ),
        ),
    ),
)

CC6_SUMMARY = (
    "Coaching Clinic 6 meninjau capaian Milestone 4 (uji coba model layanan skala penuh) Kabupaten Barito Timur "
    "dan Kabupaten Murung Raya. Barito Timur memaparkan layanan lumpur tinja terjadwal (LLTT) yang telah "
    "berjalan di 8 dari 10 kecamatan oleh UPTD PALD dengan 2 truk tinja, 1.630 rumah tangga terlayani dan "
    "410 m³ lumpur tinja diolah di IPLT. Murung Raya memaparkan UPTD PALD yang beroperasi sejak Mei 2023 dan "
    "layanan di 7 dari 10 kecamatan, dengan kendala akses ke kecamatan di hulu Barito. Tim PPAS Nasional "
    "(daring) dan BPPW Kalimantan Tengah menekankan integrasi program SSK ke dokumen perencanaan dan "
    "penganggaran daerah serta pelaporan melalui NAWASIS. Pertemuan menyepakati empat tindak lanjut."
)

CC6 = Clinic(
    number=6,
    title=f"Coaching Clinic 6 {TITLE_BOTH}",
    date=datetime.date(2023, 6, 23),
    regencies=BOTH,
    milestone=4,
    venue=AULA_PROVINSI,
    mode=Mode.HYBRID,
    opened_by="Asisten Perekonomian dan Pembangunan, mewakili Sekretaris Daerah Provinsi Kalimantan Tengah",
    summary=CC6_SUMMARY,
    participants=(
        *national_team(online=True),
        Person(
            "Asisten Perekonomian dan Pembangunan",
            "Sekretariat Daerah Provinsi Kalimantan Tengah",
            "Membuka acara mewakili Sekretaris Daerah Provinsi",
        ),
        *province_side(),
        *BARTIM_PEOPLE,
        *MURA_PEOPLE,
    ),
    recommendations=(
        Rec(
            f"{POKJA_PROVINSI} memantau penjaminan kualitas (quality assurance) dokumen SSK, mengawal program SSK "
            "agar masuk ke dalam dokumen perencanaan dan penganggaran daerah, serta memantau pelaksanaannya.",
            (
                Action(
                    "Melakukan penjaminan kualitas (QA) atas pemutakhiran dokumen SSK Barito Timur dan Murung Raya "
                    "sesuai hasil Milestone 4.",
                    "province",
                    None,
                    "2023-07-31",
                    Status.DONE,
                    "2023-07-27 15:00",
                    "Lembar QA kedua kabupaten selesai; catatan perbaikan disampaikan dengan surat Bappedalitbang.",
                ),
                Action(
                    "Mengawal usulan program SSK kedua kabupaten dalam forum perangkat daerah dan Musrenbang RKPD "
                    "Provinsi 2024.",
                    "province",
                    None,
                    "2023-09-29",
                    Status.IN_PROGRESS,
                ),
                Action(
                    "Melakukan kunjungan pemantauan layanan lumpur tinja skala penuh di Kabupaten Barito Timur.",
                    "province",
                    BARITO_TIMUR,
                    "2023-10-31",
                    Status.DONE,
                    "2023-10-19 16:30",
                    "Kunjungan lapangan 17–18 Oktober 2023 ke UPTD PALD dan IPLT; laporan pemantauan disampaikan "
                    "kepada Pokja PPAS Nasional dan BPPW Kalimantan Tengah.",
                    evidence="Laporan pemantauan layanan LLTT Barito Timur Oktober 2023.pdf",
                ),
                Action(
                    "Melakukan kunjungan pemantauan layanan lumpur tinja skala penuh di Kabupaten Murung Raya.",
                    "province",
                    MURUNG_RAYA,
                    "2023-11-30",
                    Status.OPEN,
                ),
            ),
        ),
        Rec(
            "Program dan kegiatan SSK wajib masuk ke dalam dokumen perencanaan RPJMD, RKPD, Renstra-PD dan "
            "Renja-PD serta dianggarkan oleh perangkat daerah penanggung jawab; pendanaannya tercantum dalam APBD "
            "provinsi dan APBD kabupaten, bersama sumber APBN, DAK, Dana Desa serta swasta/masyarakat/CSR.",
            (
                Action(
                    "Memasukkan kegiatan SSK (LLTT, pengadaan truk tinja, TPS3R, pemicuan STBM) ke dalam RKPD 2024 "
                    "dan Renja-PD 2024 Dinas PUPR, Dinas Perkim, DLH dan Dinas Kesehatan.",
                    "regency",
                    BARITO_TIMUR,
                    "2023-08-31",
                    Status.DONE,
                    "2023-08-24 10:00",
                    "Seluruh kegiatan SSK prioritas tercantum dalam RKPD 2024 (Perbup DEMO/RKPD/2023) dan Renja-PD "
                    "keempat OPD.",
                    evidence="Rekap kegiatan SSK dalam RKPD 2024 Barito Timur.pdf",
                ),
                Action(
                    "Menyelaraskan nomenklatur program SSK dalam Renstra-PD Dinas PUPR dan DLH melalui reviu Renstra.",
                    "regency",
                    BARITO_TIMUR,
                    "2023-10-31",
                    Status.IN_PROGRESS,
                ),
                Action(
                    "Menyusun pemetaan pendanaan kegiatan SSK 2024 dari APBD, APBN, DAK, Dana Desa dan CSR.",
                    "regency",
                    BARITO_TIMUR,
                    "2023-09-30",
                    Status.DONE,
                    "2023-10-06 14:00",
                    "Pemetaan pendanaan disepakati Pokja; DAK 2024 diusulkan untuk truk tinja dan tangki septik "
                    "individual, CSR untuk TPS3R.",
                ),
                Action(
                    "Memasukkan kegiatan SSK (LLTT, truk tinja, tangki septik individual, TPS3R, pemicuan STBM) ke "
                    "dalam RKPD 2024 dan Renja-PD 2024 Dinas Perkim, Dinas PUPR, DLH dan Dinas Kesehatan.",
                    "regency",
                    MURUNG_RAYA,
                    "2023-08-31",
                    Status.DONE,
                    "2023-09-05 09:20",
                    "Kegiatan SSK tercantum dalam RKPD 2024; Renja-PD DLH masih memuat TPS3R tanpa pagu.",
                ),
                Action(
                    "Mengusulkan perubahan RPJMD agar memuat program layanan lumpur tinja.",
                    "regency",
                    MURUNG_RAYA,
                    "2023-10-31",
                    Status.DROPPED,
                    "2023-09-20 11:00",
                    "RPJMD Murung Raya berakhir pada 2023; program SSK dimuat dalam Rencana Pembangunan Daerah (RPD) "
                    "2024–2026 yang sedang disusun, sehingga perubahan RPJMD tidak diperlukan.",
                ),
                Action(
                    "Memetakan pendanaan kegiatan SSK 2024 dari APBN, DAK, Dana Desa dan CSR perusahaan tambang "
                    "dan perkebunan.",
                    "regency",
                    MURUNG_RAYA,
                    "2023-09-30",
                    Status.OPEN,
                ),
            ),
        ),
        Rec(
            "Pemerintah Kabupaten Barito Timur dan Kabupaten Murung Raya meningkatkan anggaran APBD untuk urusan "
            "perumahan, kawasan permukiman, air minum dan sanitasi.",
            (
                Action(
                    "Menaikkan pagu urusan perumahan, kawasan permukiman, air minum dan sanitasi dalam KUA-PPAS dan "
                    "APBD 2024, termasuk biaya operasional UPTD PALD.",
                    "regency",
                    BARITO_TIMUR,
                    "2023-11-30",
                    Status.DONE,
                    "2023-12-04 10:30",
                    "APBD 2024 ditetapkan; pagu kegiatan sanitasi naik dibanding APBD 2023, termasuk operasional "
                    "UPTD PALD dan 1 truk tinja tambahan (DAK).",
                ),
                Action(
                    "Mengusulkan biaya operasional UPTD PALD dan tambahan armada truk tinja dalam APBD Perubahan "
                    "2023 dan APBD 2024.",
                    "regency",
                    MURUNG_RAYA,
                    "2023-09-30",
                    Status.IN_PROGRESS,
                ),
            ),
        ),
        Rec(
            "Pokja kabupaten melaporkan hasil pelaksanaan kepada Pokja PPAS Nasional, Pokja Provinsi Kalimantan "
            "Tengah dan Balai Prasarana Permukiman Wilayah Kalimantan Tengah, serta menginput hasilnya ke dalam "
            "NAWASIS.",
            (
                Action(
                    "Menyampaikan laporan hasil pelaksanaan Milestone 4 kepada Pokja PPAS Nasional, Pokja Provinsi "
                    "Kalimantan Tengah dan BPPW Kalimantan Tengah.",
                    "pokja",
                    BARITO_TIMUR,
                    "2023-07-31",
                    Status.DONE,
                    "2023-07-21 15:45",
                    "Laporan disampaikan dengan surat Sekda Barito Timur kepada ketiga penerima.",
                    evidence="Laporan pelaksanaan SSK Barito Timur semester I 2023.pdf",
                ),
                Action(
                    "Menginput data layanan LLTT dan bukti layanan skala penuh ke dalam NAWASIS.",
                    "pokja",
                    BARITO_TIMUR,
                    "2023-07-14",
                    Status.DONE,
                    "2023-07-11 09:30",
                    "Modul bukti layanan skala penuh terisi; kelengkapan NAWASIS 86,25%.",
                ),
                Action(
                    "Menyampaikan laporan hasil pelaksanaan Milestone 4, termasuk SK Bupati pembentukan UPTD PALD, "
                    "kepada Pokja PPAS Nasional, Pokja Provinsi Kalimantan Tengah dan BPPW Kalimantan Tengah.",
                    "pokja",
                    MURUNG_RAYA,
                    "2023-07-31",
                    Status.OPEN,
                ),
                Action(
                    "Melengkapi input NAWASIS: modul investasi dan bukti layanan skala penuh.",
                    "pokja",
                    MURUNG_RAYA,
                    "2023-08-31",
                    Status.IN_PROGRESS,
                ),
            ),
        ),
    ),
    minutes=(
        "Berita acara Coaching Clinic 6 Barito Timur dan Murung Raya",
        "",
        f"Coaching Clinic 6 {TITLE_BOTH}",
        f"{AULA_PROVINSI}, Jumat 23 Juni 2023",
        "",
        "Milestone 4: uji coba model layanan skala penuh.",
        "Empat tindak lanjut disepakati: (1) pemantauan QA dan pengawalan oleh Pokja provinsi,",
        "(2) integrasi ke RPJMD, RKPD, Renstra-PD dan Renja-PD, (3) kenaikan APBD sanitasi,",
        "(4) pelaporan ke Pokja PPAS Nasional, Pokja provinsi dan BPPW serta input NAWASIS.",
    ),
)

CLINICS = [CC1, CC2_BARTIM, CC2_MURA, CC3, CC4, CC5, CC6]


# --- Programme activities ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Activity:
    """An SSK activity. ``funding``: indicative millions of rupiah a year per source (2022 level, rising 8% a
    year). ``gaps``: where it did not reach a planning document, "rpjmd" (every year) or "rkpd:2022"."""

    code: str
    subsector: str
    name: str
    agency: str
    location: str
    years: tuple[int, int]
    funding: dict
    gaps: tuple[str, ...] = ()


W, S, D, H = Subsector.WASTEWATER, Subsector.SOLID_WASTE, Subsector.DRAINAGE, Subsector.HYGIENE

ACTIVITIES = {
    BARITO_TIMUR: [
        Activity(
            "AL-01",
            W,
            "Pembangunan IPLT Tamiang Layang",
            "Dinas PUPR",
            "Kecamatan Dusun Timur",
            (2022, 2023),
            {Source.APBN: 6500, Source.APBD_REGENCY: 850},
        ),
        Activity(
            "AL-02",
            W,
            "Layanan lumpur tinja terjadwal (LLTT) dan operasional UPTD PALD",
            "Dinas PUPR (UPTD PALD)",
            "Seluruh kecamatan",
            (2022, 2026),
            {Source.APBD_REGENCY: 1250, Source.COMMUNITY: 180},
            ("rkpd:2022", "renja_pd:2022"),
        ),
        Activity(
            "AL-03",
            W,
            "Pengadaan truk tinja",
            "Dinas PUPR",
            "UPTD PALD Tamiang Layang",
            (2023, 2024),
            {Source.DAK: 1100, Source.APBD_REGENCY: 150},
            ("rpjmd",),
        ),
        Activity(
            "AL-04",
            W,
            "Pembangunan tangki septik individual (SPALD-S) bagi rumah tangga berpenghasilan rendah",
            "Dinas Perkim",
            "Kecamatan Dusun Timur, Awang dan Pematang Karau",
            (2022, 2026),
            {Source.DAK: 2400, Source.DANA_DESA: 600, Source.COMMUNITY: 250},
            ("renja_pd:2022",),
        ),
        Activity(
            "PS-01",
            S,
            "Pembangunan TPS3R",
            "DLH",
            "Kelurahan Tamiang Layang dan Desa Jaar",
            (2022, 2025),
            {Source.APBN: 1200, Source.APBD_REGENCY: 400, Source.PRIVATE: 300},
        ),
        Activity(
            "PS-02",
            S,
            "Pengadaan armada pengangkut sampah (arm roll dan motor sampah)",
            "DLH",
            "Kecamatan Dusun Timur",
            (2023, 2025),
            {Source.APBD_REGENCY: 1800, Source.APBD_PROVINCE: 900},
            ("rpjmd", "renstra_pd:2023"),
        ),
        Activity(
            "PS-03",
            S,
            "Rehabilitasi TPA Tamiang Layang menjadi lahan urug terkendali",
            "DLH",
            "TPA Tamiang Layang",
            (2024, 2026),
            {Source.DAK: 3500, Source.APBD_REGENCY: 500},
            ("renja_pd:2024",),
        ),
        Activity(
            "DR-01",
            D,
            "Normalisasi dan rehabilitasi saluran drainase lingkungan",
            "Dinas PUPR",
            "Kota Tamiang Layang",
            (2022, 2024),
            {Source.APBD_REGENCY: 2100},
            ("renja_pd:2022",),
        ),
        Activity(
            "HG-01",
            H,
            "Pemicuan STBM di desa prioritas",
            "Dinas Kesehatan",
            "30 desa prioritas",
            (2022, 2026),
            {Source.APBD_REGENCY: 320, Source.DANA_DESA: 450},
        ),
        Activity(
            "HG-02",
            H,
            "Kampanye cuci tangan pakai sabun dan PHBS di sekolah",
            "Dinas Kesehatan",
            "Sekolah dasar se-Kabupaten Barito Timur",
            (2023, 2026),
            {Source.APBD_REGENCY: 180, Source.PRIVATE: 75},
            ("rpjmd", "renstra_pd"),
        ),
    ],
    MURUNG_RAYA: [
        Activity(
            "AL-01",
            W,
            "Pembangunan IPLT Puruk Cahu",
            "Dinas PUPR",
            "Kecamatan Murung",
            (2024, 2025),
            {Source.DAK: 4800, Source.APBD_REGENCY: 600},
            ("rpjmd",),
        ),
        Activity(
            "AL-02",
            W,
            "Layanan lumpur tinja terjadwal (LLTT) dan operasional UPTD PALD",
            "Dinas Perkim (UPTD PALD)",
            "Kecamatan Murung dan Laung Tuhup",
            (2022, 2026),
            {Source.APBD_REGENCY: 900, Source.COMMUNITY: 120},
            ("rpjmd:2022", "rkpd:2022", "renja_pd:2022"),
        ),
        Activity(
            "AL-03",
            W,
            "Pengadaan truk tinja dan perahu penyedot lumpur tinja",
            "Dinas Perkim",
            "UPTD PALD Puruk Cahu",
            (2023, 2024),
            {Source.DAK: 950, Source.APBD_REGENCY: 200},
            ("rpjmd", "renstra_pd"),
        ),
        Activity(
            "AL-04",
            W,
            "Bantuan tangki septik individual",
            "Dinas Perkim",
            "Kecamatan Murung, Tanah Siang dan Laung Tuhup",
            (2022, 2026),
            {Source.DAK: 1800, Source.DANA_DESA: 500, Source.PRIVATE: 400},
            ("renja_pd:2022",),
        ),
        Activity(
            "PS-01",
            S,
            "Pembangunan TPS3R",
            "DLH",
            "Kelurahan Puruk Cahu",
            (2022, 2024),
            {Source.APBN: 1100, Source.APBD_REGENCY: 350},
        ),
        Activity(
            "PS-02",
            S,
            "Pengembangan bank sampah",
            "DLH",
            "Kecamatan Murung",
            (2022, 2024),
            {Source.APBD_REGENCY: 150, Source.PRIVATE: 250},
            ("rpjmd",),
        ),
        Activity(
            "PS-03",
            S,
            "Pengadaan armada pengangkut sampah",
            "DLH",
            "Kecamatan Murung dan Sumber Barito",
            (2023, 2025),
            {Source.APBD_REGENCY: 1400, Source.APBD_PROVINCE: 700},
            ("rpjmd", "renja_pd:2023"),
        ),
        Activity(
            "DR-01",
            D,
            "Pembangunan drainase lingkungan permukiman tepian sungai",
            "Dinas PUPR",
            "Puruk Cahu",
            (2022, 2023),
            {Source.APBD_REGENCY: 1600, Source.APBD_PROVINCE: 800},
        ),
        Activity(
            "HG-01",
            H,
            "Pemicuan STBM di desa prioritas",
            "Dinas Kesehatan",
            "25 desa prioritas",
            (2022, 2026),
            {Source.APBD_REGENCY: 280, Source.DANA_DESA: 520},
            ("renja_pd:2022",),
        ),
        Activity(
            "HG-02",
            H,
            "Sosialisasi penyedotan tangki septik berkala",
            "Dinas Kesehatan",
            "Seluruh kecamatan",
            (2023, 2026),
            {Source.APBD_REGENCY: 120},
            ("rpjmd", "renstra_pd:2023"),
        ),
    ],
}

# The sub-activity names (nomenklatur) used in the planning documents, by subsector.
NOMENCLATURE = {
    W: "Pengelolaan dan Pengembangan Sistem Air Limbah Domestik dalam Daerah Kabupaten/Kota",
    S: "Pengelolaan Sampah",
    D: "Pengelolaan dan Pengembangan Sistem Drainase yang Terhubung Langsung dengan Sungai dalam Daerah Kabupaten/Kota",
    H: "Penyelenggaraan Promosi Kesehatan dan Gerakan Hidup Bersih dan Sehat",
}

# Share of the indicative amount allocated, by source and year (%): the regency's APBD rises after CC6;
# DAK 2024 was granted above the SSK's indication.
ALLOCATED_PCT = {
    Source.APBD_REGENCY: {2022: 85, 2023: 90, 2024: 96},
    Source.APBD_PROVINCE: {2022: 70, 2023: 80, 2024: 85},
    Source.APBN: {2022: 100, 2023: 100, 2024: 95},
    Source.DAK: {2022: 90, 2023: 100, 2024: 110},
    Source.DANA_DESA: {2022: 60, 2023: 70, 2024: 80},
    Source.PRIVATE: {2022: 40, 2023: 60, 2024: 70},
    Source.COMMUNITY: {2022: 50, 2023: 60, 2024: 75},
}
REALISED_PCT = {2022: 93, 2023: 90, 2024: 84}

# The regencies' total APBD (rupiah).
TOTAL_APBD = {
    BARITO_TIMUR: {2022: 1_187_452_316_000, 2023: 1_296_781_540_000, 2024: 1_412_305_870_000},
    MURUNG_RAYA: {2022: 1_538_924_105_000, 2023: 1_702_158_660_000, 2024: 1_865_402_930_000},
}


# --- NAWASIS ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Submission:
    module: str
    on: str
    completeness: str
    notes: str = ""
    verified: str = ""  # "YYYY-MM-DD HH:MM" WIB, by the provincial Pokja


NAWASIS = {
    BARITO_TIMUR: [
        Submission(
            Module.REGIONAL_PROFILE,
            "2022-03-28",
            "35.00",
            "Profil daerah dan data kependudukan 2021.",
            "2022-04-04 10:00",
        ),
        Submission(
            Module.SSK, "2022-09-12", "48.50", "Dokumen SSK 2022–2026 (Perbup DEMO/Perbup/12/2022).", "2022-09-19 14:00"
        ),
        Submission(Module.EHRA, "2022-10-03", "55.00", "Laporan studi EHRA 2022, 20 desa/kelurahan sampel."),
        Submission(
            Module.WASTEWATER,
            "2022-12-05",
            "63.75",
            "Data layanan uji coba LLTT Kecamatan Dusun Timur.",
            "2022-12-12 09:30",
        ),
        Submission(Module.SOLID_WASTE, "2023-02-20", "70.00", "Data timbulan sampah dan TPS3R 2022."),
        Submission(
            Module.INVESTMENT,
            "2023-05-29",
            "78.50",
            "Realisasi investasi sanitasi 2022 per sumber dana.",
            "2023-06-06 11:00",
        ),
        Submission(
            Module.FULL_SCALE,
            "2023-07-10",
            "86.25",
            "Bukti layanan skala penuh: LLTT di 8 dari 10 kecamatan, 1.630 rumah tangga terlayani.",
            "2023-07-18 13:30",
        ),
        Submission(Module.WASTEWATER, "2023-11-27", "91.00", "Pemutakhiran data layanan LLTT Oktober 2023."),
    ],
    MURUNG_RAYA: [
        Submission(
            Module.REGIONAL_PROFILE,
            "2022-04-11",
            "30.00",
            "Profil daerah dan data kependudukan 2021.",
            "2022-04-20 10:30",
        ),
        Submission(
            Module.SSK, "2022-10-10", "38.75", "Dokumen SSK 2022–2026 (Perbup DEMO/Perbup/7/2022).", "2022-10-18 09:00"
        ),
        Submission(Module.EHRA, "2022-11-21", "47.50", "Laporan studi EHRA 2022."),
        Submission(
            Module.WASTEWATER, "2023-01-30", "55.00", "Data layanan uji coba LLTT Puruk Cahu.", "2023-02-08 14:15"
        ),
        Submission(Module.SOLID_WASTE, "2023-05-15", "61.25", "Data bank sampah dan TPS3R 2022."),
        Submission(
            Module.INVESTMENT,
            "2023-08-28",
            "68.00",
            "Data investasi sanitasi 2022–2023; bukti layanan skala penuh belum diunggah.",
        ),
    ],
    BARITO_SELATAN: [
        Submission(
            Module.FULL_SCALE,
            "2022-11-14",
            "88.00",
            "Bukti layanan persampahan skala penuh di 6 kecamatan.",
            "2022-11-22 10:00",
        ),
        Submission(Module.INVESTMENT, "2023-03-13", "92.50", "Realisasi investasi sanitasi 2022.", "2023-03-21 15:00"),
    ],
    SUKAMARA: [
        Submission(
            Module.FULL_SCALE,
            "2022-11-28",
            "81.25",
            "Bukti layanan LLTT skala penuh di 5 kecamatan.",
            "2022-12-06 09:45",
        ),
        Submission(Module.SSK, "2023-04-17", "85.00", "Pemutakhiran dokumen SSK dan data layanan 2022."),
    ],
}


# --- Seeding ----------------------------------------------------------------------------------------


def seed_clinics() -> list[CoachingClinic]:
    """Create the demo clinics, activities and NAWASIS records; returns the clinics created this time."""
    with transaction.atomic():
        province = Province.objects.get(code=KALTENG)
        reviewer = _reviewer()
        created = [clinic for spec in CLINICS if (clinic := _seed_clinic(spec, province, reviewer)) is not None]
        for code, activities in ACTIVITIES.items():
            regency = Regency.objects.get(code=code)
            for activity in activities:
                _seed_activity(regency, activity)
            for year, total in TOTAL_APBD[code].items():
                RegionalBudget.objects.get_or_create(
                    regency=regency, year=year, defaults={"total_apbd": Decimal(total)}
                )
        for code, submissions in NAWASIS.items():
            _seed_nawasis(Regency.objects.get(code=code), submissions, reviewer)
    return created


def _reviewer():
    roles = UserRole.objects.select_related("user").filter(role=Role.PROVINCIAL_STAFF, province_id=KALTENG)
    role = roles.filter(user__username=REVIEWER).first() or roles.order_by("user__username").first()
    if role is None:
        raise RuntimeError("seed_clinics() needs Kalimantan Tengah's demo Pokja user: run the user seed first.")
    return role.user


def _officer(code: str, fallback):
    role = (
        UserRole.objects.select_related("user")
        .filter(role=Role.REGENCY_OFFICER, regency_id=code)
        .order_by("user__username")
        .first()
    )
    return role.user if role else fallback


def _wib(moment: str) -> datetime.datetime:
    return datetime.datetime.strptime(moment, "%Y-%m-%d %H:%M").replace(tzinfo=WIB)


def _at(day: datetime.date, days_later: int, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(day + datetime.timedelta(days=days_later), datetime.time(hour), tzinfo=WIB)


def _pdf(name: str, lines) -> tuple[str, object]:
    disclaimer = "DOKUMEN CONTOH untuk demo SSK Tracker - bukan dokumen resmi."
    upload = SimpleUploadedFile(name, demo_pdf([*lines, "", disclaimer]))
    return upload.name, evidence.store(upload, evidence.identify(upload))


def _seed_clinic(spec: Clinic, province: Province, reviewer) -> CoachingClinic | None:
    if CoachingClinic.objects.filter(province=province, number=spec.number, date=spec.date).exists():
        return None
    regencies = Regency.objects.in_bulk(list(spec.regencies))
    minutes, minutes_name = None, ""
    if spec.minutes:
        minutes_name, minutes = _pdf(f"{spec.minutes[0]}.pdf", spec.minutes)
    clinic = CoachingClinic.objects.create(
        province=province,
        number=spec.number,
        title=spec.title,
        date=spec.date,
        venue=spec.venue,
        mode=spec.mode,
        opened_by=spec.opened_by,
        organiser=WorkingGroup.objects.filter(level=WorkingGroup.Level.PROVINCIAL, province=province).first(),
        milestone=MilestoneDefinition.objects.filter(number=spec.milestone).first() if spec.milestone else None,
        summary=spec.summary,
        minutes=minutes,
        minutes_name=minutes_name,
        created_by=reviewer,
    )
    clinic.regencies.set(regencies.values())
    recorded = _at(spec.date, 3)
    CoachingClinic.objects.filter(pk=clinic.pk).update(created_at=recorded)
    ClinicParticipant.objects.bulk_create(
        ClinicParticipant(
            clinic=clinic,
            name=person.name,
            agency=_agency(*person.agency) if person.agency else None,
            agency_name=person.agency_name,
            role=person.role,
            online=person.online,
        )
        for person in spec.participants
    )
    for order, rec in enumerate(spec.recommendations, start=1):
        recommendation = Recommendation.objects.create(clinic=clinic, order=order, text=rec.text)
        for action in rec.actions:
            _seed_action(recommendation, action, province, regencies, reviewer, recorded)
    return clinic


def _agency(code: str, short_name: str) -> Agency | None:
    agencies = Agency.objects.filter(short_name=short_name)
    if not code:
        return agencies.filter(province=None, regency=None).first()
    if "." in code:
        return agencies.filter(regency_id=code).first()
    return agencies.filter(province_id=code, regency=None).first()


def _owner(action: Action, province: Province, regency: Regency | None) -> dict:
    kind, _, name = action.owner.partition(":")
    if kind == "province":
        pokja = WorkingGroup.objects.get(level=WorkingGroup.Level.PROVINCIAL, province=province)
        return {"assigned_working_group": pokja}
    if kind == "pokja":
        return {"assigned_working_group": WorkingGroup.objects.get(level=WorkingGroup.Level.REGENCY, regency=regency)}
    if kind == "agency":
        agency = Agency.objects.filter(name=name, regency=regency).first()
        if agency:
            return {"assigned_agency": agency}
    return {"assigned_regency": regency}


def _seed_action(recommendation, action: Action, province, regencies, reviewer, recorded) -> None:
    regency = regencies.get(action.regency) if action.regency else None
    closing = {}
    if action.status in (Status.DONE, Status.DROPPED):
        closer = reviewer
        if action.owner != "province" and regency is not None:
            closer = _officer(regency.code, reviewer)
        if action.by:
            closer = get_user_model().objects.get(username=action.by)
        closing = {
            "closed_at": _wib(action.closed),
            "closed_by": closer,
            ("drop_reason" if action.status == Status.DROPPED else "closing_note"): action.note,
        }
    follow_up = FollowUpAction.objects.create(
        recommendation=recommendation,
        province=province,
        regency=regency,
        description=action.description,
        due_date=datetime.date.fromisoformat(action.due),
        status=action.status,
        **_owner(action, province, regency),
        **closing,
    )
    updated = closing.get("closed_at") or recorded
    if action.status == Status.IN_PROGRESS:
        updated = recorded + datetime.timedelta(days=21)
    FollowUpAction.objects.filter(pk=follow_up.pk).update(updated_at=updated)
    if action.evidence:
        name, blob = _pdf(
            action.evidence,
            [action.evidence.rsplit(".", 1)[0], "", regency.name if regency else province.name, action.note],
        )
        attached = ActionEvidence.objects.create(
            action=follow_up, blob=blob, original_name=name, uploaded_by=closing["closed_by"]
        )
        ActionEvidence.objects.filter(pk=attached.pk).update(uploaded_at=closing["closed_at"])


def _budget_years(activity: Activity) -> list[int]:
    start, end = activity.years
    return [year for year in BUDGET_YEARS if start <= year <= end]


def _thousands(amount: int) -> Decimal:
    return Decimal(amount // 1000 * 1000)


def _seed_activity(regency: Regency, spec: Activity) -> None:
    activity, _ = ProgrammeActivity.objects.get_or_create(
        regency=regency,
        code=spec.code,
        defaults={
            "subsector": spec.subsector,
            "name": spec.name,
            "agency": spec.agency,
            "location": spec.location,
            "year_start": spec.years[0],
            "year_end": spec.years[1],
        },
    )
    index = int(spec.code[-2:])
    for year in _budget_years(spec):
        regional = {"indicative": Decimal(0), "allocated": Decimal(0)}
        for source, millions in spec.funding.items():
            indicative = millions * 1_000_000 * (100 + 8 * (year - 2022)) // 100
            allocated = indicative * (ALLOCATED_PCT[source][year] - 3 * (index % 3)) // 100
            realised = allocated * (REALISED_PCT[year] - 2 * (index % 4)) // 100
            amounts = {
                "indicative": _thousands(indicative),
                "allocated": _thousands(allocated),
                "realised": _thousands(realised),
            }
            BudgetLine.objects.get_or_create(activity=activity, year=year, source=source, defaults=amounts)
            if source in (Source.APBD_REGENCY, Source.DAK):
                regional["indicative"] += amounts["indicative"]
                regional["allocated"] += amounts["allocated"]
        for document in PLANNING_DOCUMENTS:
            included = document not in spec.gaps and f"{document}:{year}" not in spec.gaps
            # The 5-year documents carry the SSK's indication; the annual ones the year's allocation.
            five_year = document in (PlanningDocument.RPJMD, PlanningDocument.RENSTRA_PD)
            amount = regional["indicative"] if five_year else regional["allocated"]
            PlanningIntegration.objects.get_or_create(
                activity=activity,
                document=document,
                year=year,
                defaults={
                    "included": included,
                    "nomenclature": NOMENCLATURE[spec.subsector] if included else "",
                    "amount": amount if included and amount else None,
                },
            )


def _seed_nawasis(regency: Regency, submissions: list[Submission], reviewer) -> None:
    officer = _officer(regency.code, reviewer)
    for item in submissions:
        verified = {"verified_at": _wib(item.verified), "verified_by": reviewer} if item.verified else {}
        NawasisSubmission.objects.get_or_create(
            regency=regency,
            module=item.module,
            submitted_on=datetime.date.fromisoformat(item.on),
            defaults={
                "completeness": Decimal(item.completeness),
                "notes": item.notes,
                "recorded_by": officer,
                **verified,
            },
        )
