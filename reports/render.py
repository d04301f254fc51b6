"""Turn gathered data into a PDF with Typst: the template is a file, the data goes in as JSON."""

import hashlib
import json
import re
from pathlib import Path

import typst
from django.utils.translation import gettext as _

TEMPLATE = Path(__file__).parent / "typst" / "report.typ"
# The PDF's page objects: "/Type /Page" but not "/Type /Pages".
_PAGE = re.compile(rb"/Type\s*/Page(?![a-z])")


def labels() -> dict[str, str]:
    """Every fixed text of the template, in the active language."""
    return {
        "programme": _("SSK implementation progress · PPSP"),
        "map_source": _("Boundaries: “wilayah_boundaries” by Cahya DSN (MIT License), simplified."),
        "audience": _("Audience"),
        "scope": _("Scope"),
        "period": _("Reporting period"),
        "as_of": _("Data as of"),
        "version": _("SSK Tracker version"),
        "requested_by": _("Requested by"),
        "disclaimer": _(
            "Compiled by SSK Tracker from the data recorded at the time shown. "
            "This report is a snapshot and is not changed afterwards."
        ),
        "page": _("Page"),
        "of": _("of"),
        "summary": _("Summary"),
        "provinces": _("Provinces"),
        "code": _("Code"),
        "province": _("Province"),
        "regencies": _("Regencies"),
        "in_programme": _("In programme"),
        "late": _("Late"),
        "pending": _("Waiting for review (max. days)"),
        "follow_up": _("Follow-ups done / overdue"),
        "provinces_note": _(
            "M1–M4 ✓: regencies with the milestone verified. Late: milestones past their planned "
            "date and not verified. Follow-ups done: share of clinic follow-up actions done, "
            "dropped ones excluded. NAWASIS: average completeness of the latest entries."
        ),
        "by_province": _("Regencies by province"),
        "regency": _("Regency"),
        "cohort": _("Cohort"),
        "late_regencies": _("Late milestones"),
        "none_late": _("No milestone is late."),
        "milestone": _("Milestone"),
        "status": _("Status"),
        "planned": _("Planned date"),
        "achieved": _("Achieved"),
        "days_late": _("Days late"),
        "progress": _("Progress"),
        "latest_update": _("Latest update"),
        "regency_details": _("Milestones by regency"),
        "follow_ups": _("Open coaching-clinic follow-ups"),
        "no_follow_ups": _("No open follow-up actions."),
        "clinic": _("Clinic"),
        "action": _("Action"),
        "owner": _("Owner"),
        "due": _("Due"),
        "overdue": _("overdue"),
        "subsectors": _("Activities by subsector: APBN and DAK"),
        "subsector": _("Subsector"),
        "activities": _("Activities"),
        "allocated": _("allocated"),
        "realised": _("realised"),
        "pilots": _("Service pilots (M3 limited scale, M4 full scale)"),
        "no_pilots": _("No pilots recorded."),
        "budget": _("Budget by funding source"),
        "source": _("Source"),
        "indicative": _("Indicative (SSK)"),
        "realisation": _("Realised / allocated"),
        "allocated_total": _("Allocated"),
        "realised_total": _("Realised"),
        "integration": _("SSK activities in planning documents"),
        "document": _("Document"),
        "included": _("Included"),
        "share": _("Share"),
        "no_nawasis": _("No NAWASIS submissions recorded."),
        "dak": _("DAK: allocated, realised and verified by the Balai"),
        "dak_lines": _("DAK lines"),
        "region": _("Province / regency"),
        "dak_verified": _("Verified"),
        "dak_waiting": _("Waiting"),
        "roadmaps": _("Provincial roadmaps and policy packages"),
        "roadmap": _("Roadmap Sanitasi Provinsi"),
        "roadmap_state": _("National review"),
        "decided": _("Decided"),
        "roadmap_period": _("Period"),
        "policy_type": _("Type"),
        "instrument_number": _("Number and date"),
        "policy_documents": _("Policy documents"),
        "no_policy_documents": _("No policy documents recorded yet."),
        "returned_because": _("Returned:"),
        "services": _("Services behind M3 and M4"),
        "no_services": _("No service recorded yet."),
        "indicators": _("Outcome indicators"),
        "no_indicators": _("No indicator actual verified yet."),
        "indicator": _("Indicator"),
        "regencies_reporting": _("Regencies reporting"),
        "indicator_mean": _("Mean of latest verified actuals"),
        "service": _("Service"),
        "with_service": _("Regencies with the service"),
        "kecamatan_covered": _("Kecamatan covered"),
        "households_served": _("Households served"),
        "volume_per_year": _("Volume per year"),
        "module": _("Module"),
        "date": _("Date"),
        "completeness": _("Completeness"),
        "verified": _("Verified by the province"),
        "verification_code": _("Verification code"),
        "verify_at": _("verify at"),
        "verify_page": _("Verification page"),
        "verification": _("Verifying this report"),
        "content_sha256": _("Content SHA-256"),
        "verification_note": _(
            "Enter the verification code printed at the foot of every page, or upload this PDF file, at the "
            "address below: SSK Tracker says whether it issued this report and whether the file is unchanged. "
            "The content SHA-256 is the fingerprint of the data this report was typeset from; the file itself "
            "is checked by its own SHA-256, which the verification page shows."
        ),
    }


def stamp_content_sha256(payload: dict) -> str:
    """The SHA-256 of the data the report is typeset from (canonical JSON), put into the payload for the
    title page, and returned for the job. A PDF cannot print its own file's hash; this one says which
    data it shows, and the file's hash (job.sha256) is what the verification page checks an upload by."""
    payload["meta"].pop("content_sha256", None)
    canonical = json.dumps(payload, default=str, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    digest = hashlib.sha256(canonical.encode()).hexdigest()
    payload["meta"]["content_sha256"] = digest
    return digest


def render_pdf(payload: dict) -> tuple[bytes, int]:
    """Compile the report; returns the PDF bytes and its page count."""
    pdf = typst.compile(str(TEMPLATE), sys_inputs={"data": json.dumps(payload, default=str)})
    return pdf, len(_PAGE.findall(pdf))
