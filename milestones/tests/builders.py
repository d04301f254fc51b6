"""Builders for the province → regency → cohort → milestones → updates hierarchy (STYLE.md example 10)."""

import importlib

from django.core.files.uploadedfile import SimpleUploadedFile

from milestones import evidence
from milestones.models import Milestone
from milestones.services import milestones as services

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="bukti.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def ensure_definitions():
    """M1–M4 come from a data migration; conftest.py puts them back (with the rest of the shared data)
    when a transactional test's flush has emptied them."""
    from django.apps import apps

    from milestones.models import MilestoneDefinition

    if not MilestoneDefinition.objects.exists():
        migration = importlib.import_module("milestones.migrations.0002_milestone_definitions")
        migration.create(apps, None)
    # the outcome indicators (their own data migration)
    importlib.import_module("milestones.migrations.0016_indicator_definitions").create(apps, None)


def cohort(regency, year=2022, **kwargs):
    return services.create_cohort(regency=regency, year_m1_m3=year, **kwargs)


def milestone(regency, number=4, year=2022) -> Milestone:
    """The regency's milestone M<number> in the cohort of <year>, creating the cohort if needed."""
    existing = Milestone.objects.filter(regency=regency, definition__number=number, cohort__year_m1_m3=year).first()
    if existing:
        return existing
    return cohort(regency, year).milestones.get(definition__number=number)


def draft(milestone, author, progress=60, files=(), **fields):
    data = {"narrative": "Layanan lumpur tinja terjadwal berjalan di 5 kecamatan.", **fields}
    checked = [(f, evidence.identify(f)) for f in files]
    return services.save_draft(milestone=milestone, author=author, progress=progress, files=checked, **data)


def submitted(milestone, author, progress=60, **fields):
    return services.submit_update(update=draft(milestone, author, progress, **fields), actor=author)


def returned(milestone, author, reviewer, reason="Lampirkan SK UPTD.", **fields):
    update = submitted(milestone, author, **fields)
    return services.return_update(update=update, reviewer=reviewer, reason=reason)


def accept_all(update, reviewer):
    """The reviewer accepts every required item of the update (the officer must have claimed them); for M4 the
    province's full scale is set and the service reaches it, M4's last required item (service_records)."""
    if update.milestone.definition.number == 4:
        from milestones.tests.service_builders import full_scale_reached

        full_scale_reached(update.milestone.regency)
    for requirement in update.milestone.definition.requirements.all():
        services.judge_evidence(update=update, requirement=requirement, reviewer=reviewer, verdict="accepted")
    return update


def approved(milestone, author, reviewer, progress=60, **fields):
    """Approved by the reviewer; at 100 % the officer claims every required item and the reviewer accepts each,
    as the gate to verification wants (for M4 the province's full scale is set and reached too: accept_all)."""
    if progress == 100:
        fields.setdefault("requirements", list(milestone.definition.requirements.all()))
    update = submitted(milestone, author, progress, **fields)
    if progress == 100:
        accept_all(update, reviewer)
    return services.approve_update(update=update, reviewer=reviewer)
