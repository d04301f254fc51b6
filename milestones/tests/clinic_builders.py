"""Builders for coaching clinics, recommendations and follow-up actions (no tests here).

They go through clinic_services, so a built clinic has been where a real one has. The default clinic is
the seed example: Coaching Clinic 6 for Barito Timur and Murung Raya, Friday 23 June 2023.
"""

import datetime

from milestones import evidence
from milestones.models import CoachingClinic, FollowUpAction
from milestones.services import clinics as services
from regencies.models import Regency, WorkingGroup

CC6_DATE = datetime.date(2023, 6, 23)


def clinic(province, author, *, regencies, number=6, date=CC6_DATE, title=None, **fields) -> CoachingClinic:
    regencies = list(regencies)
    title = (title or f"Coaching Clinic {number}, Implementasi SSK " + " dan ".join(r.name for r in regencies))[:300]
    return services.save_clinic(
        province=province,
        actor=author,
        number=number,
        title=title,
        date=date,
        regencies=regencies,
        venue=fields.pop("venue", "Aula Bappedalitbang Provinsi Kalimantan Tengah"),
        **fields,
    )


def recommendation(clinic, author, text="Pokja provinsi memantau penjaminan kualitas dokumen SSK.", actions=()):
    return services.save_recommendation(clinic=clinic, actor=author, text=text, actions=actions)


def action(
    clinic,
    author,
    *,
    owner,
    due_date=datetime.date(2023, 12, 31),
    regency=None,
    description="Masukkan program SSK ke RKPD 2024.",
) -> FollowUpAction:
    """A recommendation with this one follow-up action; returns the action."""
    entry = services.ActionInput(description=description, owner=owner, due_date=due_date, regency=regency)
    made = recommendation(clinic, author, actions=[entry])
    return made.actions.get()


def provincial_pokja(province) -> WorkingGroup:
    return WorkingGroup.objects.get_or_create(
        level=WorkingGroup.Level.PROVINCIAL,
        province=province,
        defaults={"variant": "PKP", "name": f"Pokja PKP {province.name}"},
    )[0]


def regency_pokja(regency: Regency) -> WorkingGroup:
    return WorkingGroup.objects.get_or_create(
        level=WorkingGroup.Level.REGENCY,
        regency=regency,
        defaults={"variant": "PKP", "name": f"Pokja PKP {regency.name}"},
    )[0]


def closed(action, actor, note="Program masuk RKPD 2024.", files=(), *, proofs=(), accept=True):
    """Close the action (with a PDF as proof unless files or proofs are given) and, with ``accept``, have
    the province's Pokja staff accept the closing, so that the action is done; returns the action."""
    from milestones.tests.builders import pdf

    if not files and not proofs:
        files = [pdf("bukti penutupan.pdf")]
    checked = [(f, evidence.identify(f)) for f in files]
    services.close_action(action=action, actor=actor, closing_note=note, files=checked, proofs=proofs)
    if accept:
        services.accept_closing(action=action, reviewer=province_staff(action.province_id, fallback=actor))
    return action


def province_staff(province_code: str, *, fallback):
    """A provincial Pokja user of the province (the organiser who accepts closings), else ``fallback``."""
    from django.contrib.auth import get_user_model

    from regencies.models import Role

    staff = get_user_model().objects.filter(
        is_active=True, ssk_role__role=Role.PROVINCIAL_STAFF, ssk_role__province=province_code
    )
    return staff.order_by("pk").first() or fallback


def dropped(action, actor, reason="Digantikan oleh rekomendasi CC7."):
    return services.drop_action(action=action, actor=actor, reason=reason)
