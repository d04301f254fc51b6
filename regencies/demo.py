"""Demo data for Kalimantan Tengah: regions, Pokja, Balai, agencies and one user per role.

Used by ``manage.py seed_demo``; safe to run again (it creates what is missing). A demo user's password is
set only when the seed creates that user: an existing account keeps its password (someone may have chosen
it, or the username may be a real person's).
"""

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.contrib.auth import get_user_model

from regencies.models import Agency, Balai, Province, Regency, Role, UserRole, WorkingGroup, WorkingGroupMember
from regencies.regions_csv import load_regions

KALTENG_FIXTURE = Path(__file__).parent / "fixtures" / "kalimantan_tengah.csv"
KALTENG = "62"
BARITO_TIMUR = "62.13"
MURUNG_RAYA = "62.12"
SERUYAN = "62.07"  # behind in the 2025 cohort: its officer has a returned report waiting (milestones/demo)

# Pokja names vary by region; the variant is data. These are the demo's choices.
REGENCY_VARIANTS = {"62.01": "AMPL", "62.06": "Sanitasi", "62.71": "Sanitasi"}


@dataclass
class DemoUser:
    username: str
    password: str
    full_name: str
    role: str
    region: dict


DEMO_USERS = [
    DemoUser("admin", "demo-admin-2026", "Administrator Sistem", Role.ADMINISTRATOR, {}),
    DemoUser("nasional", "demo-nasional-2026", "Rina Pratiwi (Pokja PPAS Nasional)", Role.NATIONAL, {}),
    DemoUser(
        "pokja.kalteng",
        "demo-pokja-2026",
        "Yohanes Dimas (Pokja Provinsi)",
        Role.PROVINCIAL_STAFF,
        {"province_id": KALTENG},
    ),
    DemoUser("balai.kalteng", "demo-balai-2026", "Sri Handayani (BPPW Kalteng)", Role.BALAI_STAFF, {"balai": None}),
    DemoUser(
        "koordinator.kalteng",
        "demo-koordinator-2026",
        "Agus Salim (Koordinator Provinsi)",
        Role.COORDINATOR,
        {"province_id": KALTENG},
    ),
    DemoUser(
        "petugas.bartim",
        "demo-bartim-2026",
        "Maria Ulfah (Pokja Barito Timur)",
        Role.REGENCY_OFFICER,
        {"regency_id": BARITO_TIMUR},
    ),
    DemoUser(
        "petugas.mura",
        "demo-mura-2026",
        "Hendra Kusuma (Pokja Murung Raya)",
        Role.REGENCY_OFFICER,
        {"regency_id": MURUNG_RAYA},
    ),
    DemoUser(
        "petugas.seruyan",
        "demo-seruyan-2026",
        "Fransiskus Ringkai (Pokja Seruyan)",
        Role.REGENCY_OFFICER,
        {"regency_id": SERUYAN},
    ),
]


def seed_organisations() -> Balai:
    load_regions(KALTENG_FIXTURE, update_existing=False)
    province = Province.objects.get(code=KALTENG)

    national_pokja, _ = WorkingGroup.objects.get_or_create(
        level=WorkingGroup.Level.NATIONAL, defaults={"variant": "PPAS", "name": "Pokja PPAS Nasional"}
    )
    for name, short in [
        ("Kementerian PPN/Bappenas", "Bappenas"),
        ("Kementerian Dalam Negeri", "Kemendagri"),
        ("Kementerian Pekerjaan Umum", "Kementerian PU"),
        ("Kementerian Kesehatan", "Kemenkes"),
    ]:
        agency, _ = Agency.objects.get_or_create(name=name, province=None, regency=None, defaults={"short_name": short})
        WorkingGroupMember.objects.get_or_create(
            working_group=national_pokja, agency=agency, defaults={"name": f"Perwakilan {short}"}
        )

    provincial_pokja, _ = WorkingGroup.objects.get_or_create(
        level=WorkingGroup.Level.PROVINCIAL,
        province=province,
        defaults={
            "variant": "PKP",
            "name": "Pokja PKP Provinsi Kalimantan Tengah",
            "decree_number": "DEMO/SK-POKJA-PKP/2023",
            "decree_date": date(2023, 1, 16),
        },
    )
    provincial_agencies = [
        (
            "Badan Perencanaan Pembangunan Daerah, Penelitian dan Pengembangan",
            "Bappedalitbang",
            "Yohanes Dimas",
            WorkingGroupMember.Position.SECRETARY,
        ),
        (
            "Dinas Perumahan Rakyat, Kawasan Permukiman dan Pertanahan",
            "Disperkimtan",
            "Lestari Widodo",
            WorkingGroupMember.Position.MEMBER,
        ),
        ("Dinas Kesehatan", "Dinkes", "dr. Nurul Aini", WorkingGroupMember.Position.MEMBER),
        ("Dinas Lingkungan Hidup", "DLH", "Bambang Sutrisno", WorkingGroupMember.Position.MEMBER),
    ]
    for name, short, person, position in provincial_agencies:
        agency, _ = Agency.objects.get_or_create(
            name=name, province=province, regency=None, defaults={"short_name": short}
        )
        WorkingGroupMember.objects.get_or_create(
            working_group=provincial_pokja, name=person, defaults={"agency": agency, "position": position}
        )
    WorkingGroupMember.objects.get_or_create(
        working_group=provincial_pokja,
        name="Asisten Perekonomian dan Pembangunan",
        defaults={"position": WorkingGroupMember.Position.CHAIR, "title": "Asisten II Setda Provinsi"},
    )

    for regency in Regency.objects.filter(province=province):
        variant = REGENCY_VARIANTS.get(regency.code, "PKP")
        pokja, created = WorkingGroup.objects.get_or_create(
            level=WorkingGroup.Level.REGENCY,
            regency=regency,
            defaults={"variant": variant, "name": f"Pokja {variant} {regency.name}"},
        )
        if created:
            bappeda, _ = Agency.objects.get_or_create(
                name="Bappeda", province=None, regency=regency, defaults={"short_name": "Bappeda"}
            )
            pupr, _ = Agency.objects.get_or_create(
                name="Dinas Pekerjaan Umum dan Penataan Ruang",
                province=None,
                regency=regency,
                defaults={"short_name": "Dinas PUPR"},
            )
            WorkingGroupMember.objects.create(
                working_group=pokja, name="Sekretaris Daerah", title="Sekda", position=WorkingGroupMember.Position.CHAIR
            )
            WorkingGroupMember.objects.create(
                working_group=pokja,
                name="Kepala Bappeda",
                agency=bappeda,
                position=WorkingGroupMember.Position.SECRETARY,
            )
            WorkingGroupMember.objects.create(working_group=pokja, name="Kepala Dinas PUPR", agency=pupr)

    balai, _ = Balai.objects.get_or_create(
        name="Balai Prasarana Permukiman Wilayah Kalimantan Tengah", defaults={"short_name": "BPPW Kalteng"}
    )
    balai.provinces.add(province)
    return balai


def seed_users(balai: Balai) -> list[tuple[DemoUser, bool]]:
    """The demo users, each with whether this run created it (and so set its printed password)."""
    User = get_user_model()
    seeded = []
    for demo in DEMO_USERS:
        first, _, last = demo.full_name.partition(" ")
        user, created = User.objects.get_or_create(username=demo.username)
        user.first_name, user.last_name = first, last
        user.email = f"{demo.username}@demo.ssk.local"
        user.is_staff = user.is_superuser = demo.role == Role.ADMINISTRATOR
        if created:
            user.set_password(demo.password)
        user.save()
        region = {key: (balai if key == "balai" else value) for key, value in demo.region.items()}
        UserRole.objects.update_or_create(
            user=user, defaults={"role": demo.role, "province": None, "regency": None, "balai": None, **region}
        )
        seeded.append((demo, created))
    return seeded
