"""The four implementation milestones of the programme, as data that administrators may edit later."""

from django.db import migrations

DEFINITIONS = [
    (1, "Mendapatkan komitmen kepala daerah", "Kepala daerah berkomitmen pada agenda sanitasi.", 1, [
        "Surat pernyataan komitmen kepala daerah yang ditandatangani",
        "Notulen atau berita acara pertemuan komitmen",
        "Dokumentasi kegiatan",
    ]),
    (2, "Penetapan kebijakan", "Paket kebijakan sanitasi ditetapkan.", 1, [
        "Paket kebijakan yang disepakati kepala daerah",
        "Instrumen hukum penetapan kebijakan (Perbup/Perwali atau SK)",
        "Berita acara coaching clinic",
    ]),
    (3, "Uji coba model layanan skala terbatas", "Model layanan diujicobakan di beberapa desa/kelurahan.", 1, [
        "Laporan uji coba model layanan",
        "Daftar desa/kelurahan lokasi uji coba",
        "Dokumentasi layanan yang berjalan",
    ]),
    (4, "Uji coba model layanan skala penuh", "Layanan berjalan di seluruh kabupaten/kota.", 2, [
        "Bukti layanan skala penuh di seluruh kabupaten/kota",
        "Laporan operasional unit layanan (misalnya UPTD)",
        "Anggaran layanan dalam APBD",
    ]),
]


def create(apps, schema_editor):
    Definition = apps.get_model("milestones", "MilestoneDefinition")
    Requirement = apps.get_model("milestones", "EvidenceRequirement")
    for number, name, description, year, requirements in DEFINITIONS:
        definition, created = Definition.objects.get_or_create(
            number=number, defaults={"name": name, "description": description, "year_of_cohort": year}
        )
        if created:
            for order, label in enumerate(requirements, start=1):
                Requirement.objects.create(definition=definition, label=label, order=order)


class Migration(migrations.Migration):
    dependencies = [("milestones", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
