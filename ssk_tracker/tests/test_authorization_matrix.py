"""Every URL pattern × every persona × an object inside and outside the persona's scope: the answer each gets.

HOW TO ADD A ROW (a view added without one fails ``test_every_url_pattern_has_a_row``): one line in TABLE,

    "url_name": Row(get="<rule>", obj="<kind>", post="<rule>", ok=200, post_ok=302),

- ``get``: the rule for a GET (see RULES below); ``"post_only"`` for a view that answers GET with 405.
- ``obj``: the kind of object whose URL arguments the pattern takes (a key of matrix_objects.build: "regency",
  "province", "milestone", "clinic", …); leave it out for a URL without arguments. With an object the row is
  tried twice per persona: place A (Barito Timur, Kalimantan Tengah) and place B (Tanah Laut, Kalimantan
  Selatan), so every persona meets an object inside and one outside its scope.
- ``post``: the rule for a POST with a valid CSRF token (empty form data unless ``data`` is given); leave it
  out for a view nobody posts to. Each POST runs in a savepoint that is rolled back.
- ``ok`` / ``post_ok``: the status where the rule allows (a form re-shown with errors: 200 or 400; done: 302).
- ``login=False``: the page is for anonymous users too (otherwise anonymous gets 302 to the login page).

A rule names who is allowed and what everyone else gets: "read:regency" → 200 for whoever sees the object's
regency, 404 for everyone else; "officer:regency" → 404 outside the scope, 403 inside it for anyone but the
regency's own officer. Rules are written from the personas' facts below, not from regencies/scoping.py, so a
change there that widens or narrows a scope shows up here as a failure naming persona, place and URL.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from conftest import make_user
from milestones.tests.shared_rows import building, rolled_back, users
from regencies.models import Role
from ssk_tracker.tests import matrix_objects
from ssk_tracker.tests.matrix_objects import NOWHERE, A, B, Place

OK = "ok"  # the rule allows: the row's ``ok`` (or ``post_ok``) is the expected status


# --- The personas, as conftest.py builds them (plus anonymous) ---------------------------------------------


@dataclass(frozen=True)
class Persona:
    role: str | None  # officer, pokja, balai, coordinator, national, admin; None: no role
    provinces: frozenset[str] = frozenset()
    regency: str | None = None
    nation: bool = False  # sees every province
    signed_in: bool = True

    @property
    def has_scope(self) -> bool:
        return self.nation or bool(self.provinces) or self.regency is not None

    @property
    def whole_provinces(self) -> bool:
        return self.nation or bool(self.provinces)

    def sees_regency(self, place: Place) -> bool:
        return self.nation or place.province in self.provinces or place.regency == self.regency

    def sees_province(self, place: Place) -> bool:
        return self.nation or place.province in self.provinces

    def sees_province_or_own(self, place: Place) -> bool:
        """A province seen in full, or the officer's own regency's province (the clinics list)."""
        return self.sees_province(place) or (self.regency is not None and self.regency[:2] == place.province)

    def officer_of(self, place: Place) -> bool:
        return self.role == "officer" and self.regency == place.regency

    def pokja_of(self, place: Place) -> bool:
        return self.role == "pokja" and place.province in self.provinces


PERSONAS = {
    "anonymous": Persona(None, signed_in=False),
    "nobody": Persona(None),
    "officer_bartim": Persona("officer", regency="62.13"),
    "officer_mura": Persona("officer", regency="62.12"),
    "pokja_kalteng": Persona("pokja", frozenset({"62"})),
    "pokja_kalsel": Persona("pokja", frozenset({"63"})),
    "balai_kalteng": Persona("balai", frozenset({"62"})),
    "coordinator_kalteng": Persona("coordinator", frozenset({"62"})),
    "coordinator_nation": Persona("coordinator", nation=True),  # made by this module (see ``people``)
    "national": Persona("national", nation=True),
    "administrator": Persona("admin", nation=True),
}


# --- The rules ---------------------------------------------------------------------------------------------

Rule = Callable[[Persona, Place], object]


def seen(sees: Callable[[Persona, Place], bool], may: Callable[[Persona, Place], bool]) -> Rule:
    """404 outside what the persona sees, 403 where it sees but may not act, else allowed."""
    return lambda p, w: OK if sees(p, w) and may(p, w) else 403 if sees(p, w) else 404


def only(allowed: Callable[[Persona, Place], bool], refused: int) -> Rule:
    return lambda p, w: OK if allowed(p, w) else refused


def _report_seen(p: Persona, w: Place) -> bool:
    return p.sees_regency(w)  # a regency's report: whoever sees the regency


def _delivery_recipient(p: Persona, w: Place) -> bool:
    # A's delivery: Barito Timur's report to the Kalteng Pokja; B's: the Kalsel Pokja's report to the nation.
    return p.pokja_of(w) if w is A else p.role == "national"


def _schedule_manager(p: Persona, w: Place = NOWHERE) -> bool:
    return p.role in ("coordinator", "pokja") and p.has_scope


RULES: dict[str, Rule] = {
    "open": lambda p, w: OK,
    "signed_in": lambda p, w: OK,
    "post_only": lambda p, w: 405,
    "anonymous_only": lambda p, w: OK if not p.signed_in else 302,
    "has_scope": only(lambda p, w: p.has_scope, 403),
    # one province: straight to its clinics; several: the list of provinces.
    "clinics_index": lambda p, w: OK if p.nation else 302 if p.provinces else 404,
    "whole_provinces": only(lambda p, w: p.whole_provinces, 404),
    "review_queue": only(lambda p, w: p.role in ("pokja", "national", "admin"), 403),
    "read:regency": only(lambda p, w: p.sees_regency(w), 404),
    "read:province": only(lambda p, w: p.sees_province(w), 404),
    "read:province_or_own": only(lambda p, w: p.sees_province_or_own(w), 404),
    "officer:regency": seen(Persona.sees_regency, Persona.officer_of),
    "pokja:regency": seen(Persona.sees_regency, Persona.pokja_of),
    "actor:regency": seen(Persona.sees_regency, lambda p, w: p.officer_of(w) or p.pokja_of(w)),
    "pokja:province_or_own": seen(Persona.sees_province_or_own, Persona.pokja_of),
    # The staff of a Balai covering the regency's province (balai_kalteng: Kalimantan Tengah only).
    "balai:regency": seen(Persona.sees_regency, lambda p, w: p.role == "balai"),
    "report:regency": only(_report_seen, 404),
    "report:send_regency": seen(_report_seen, Persona.officer_of),
    "delivery:recipient": only(_delivery_recipient, 404),
    "schedules": only(_schedule_manager, 403),
    "audit": only(lambda p, w: p.role in ("national", "admin"), 403),
    # A notice is its recipient's alone (A's: pokja_kalteng's, B's: pokja_kalsel's): 404 for everyone else.
    "notice:own": only(Persona.pokja_of, 404),
    # 403 for who manages no schedules at all, 404 for a schedule outside the manager's scope.
    # The province's own documents: its Pokja prepares them, the national Pokja (or a nation's coordinator) reviews.
    "pokja:province": seen(Persona.sees_province, Persona.pokja_of),
    "national:province": seen(Persona.sees_province, lambda p, w: p.nation and p.role in ("national", "coordinator")),
    "schedule": lambda p, w: 403 if not _schedule_manager(p) else OK if p.sees_province(w) else 404,
}


# The REST API (ssk_tracker/api/): JSON, so no one is sent to the login page; without a session (or a token,
# tested in test_api.py) the answer is 401, otherwise the web's rule. Rows with login=False.
def _api(rule: str) -> Rule:
    return lambda p, w: 401 if not p.signed_in else RULES[rule](p, w)


API_RULES: tuple[str, ...] = ("signed_in", "read:regency", "read:province_or_own", "post_only", "has_scope")
API_RULES += ("report:regency",)  # a report job: whoever sees its regency, as the web's download
API_RULES += ("officer:regency", "pokja:regency", "actor:regency")  # the writes: the web's rules
RULES.update({f"api:{rule}": _api(rule) for rule in API_RULES})
# Its views are DRF's, exempt from the CSRF middleware (a token client sends no cookie): DRF's session
# authentication checks the token itself and answers 403 {"code": "forbidden"} (the CSRF test below: rows whose
# rule starts with "api:").


@dataclass(frozen=True)
class Row:
    get: str
    obj: str | None = None
    post: str | None = None
    ok: int = 200
    post_ok: int = 302
    login: bool = True
    data: dict[str, str] = field(default_factory=dict)


# fmt: off
TABLE: dict[str, Row] = {
    # accounts and languages
    "login": Row("anonymous_only", post="anonymous_only", post_ok=200, login=False),
    "logout": Row("post_only", post="open", login=False),
    "password_change": Row("signed_in", post="signed_in", post_ok=200),
    "password_change_done": Row("signed_in"),
    "password_reset": Row("open", post="open", post_ok=200, login=False),
    "password_reset_done": Row("open", login=False),
    "password_reset_confirm": Row("open", login=False),  # a made-up link: the "link is not valid" page
    "password_reset_complete": Row("open", login=False),
    # operations: the load balancer's probe
    "health": Row("open", login=False),
    "favicon": Row("open", ok=302, login=False),
    # the open-data summary (ssk_tracker/open_data.py): public, GET only
    "open_data": Row("open", login=False),
    "open_data_kabkota_csv": Row("open", login=False),
    "open_data_kabkota_json": Row("open", login=False),
    "open_data_provinsi_csv": Row("open", login=False),
    "open_data_provinsi_json": Row("open", login=False),
    # the audit trail: administrators and the national Pokja
    "audit_trail": Row("audit"),
    "set_language": Row("open", post="open", ok=302, login=False, data={"language": "en", "next": "/"}),
    "home": Row("signed_in"),
    # dashboards
    "national_overview": Row("whole_provinces"),
    "national_outcomes": Row("whole_provinces"),
    "province": Row("read:province", "province"),
    "province_chart": Row("read:province", "province"),
    "province_outcomes": Row("read:province", "province"),
    "regency": Row("read:regency", "regency"),
    # milestones
    "milestone": Row("read:regency", "milestone"),
    "update_create": Row("officer:regency", "milestone_without_update", post="officer:regency", post_ok=200),
    "milestone_reopen": Row("post_only", "milestone", post="pokja:regency", post_ok=400),
    "milestone_plan": Row("post_only", "milestone", post="pokja:regency"),
    "update_edit": Row("officer:regency", "update_draft", post="officer:regency", post_ok=200),
    "update_submit": Row("post_only", "update_draft", post="officer:regency"),
    "update_approve": Row("post_only", "update_submitted", post="pokja:regency"),
    "update_return": Row("post_only", "update_submitted", post="pokja:regency", post_ok=400),
    "update_judge": Row("post_only", "update_submitted", post="pokja:regency"),
    "review_queue": Row("review_queue"),
    "evidence_download": Row("read:regency", "evidence"),
    "evidence_remove": Row("post_only", "evidence", post="officer:regency"),
    # documents
    "document_create": Row("officer:regency", "regency", post="officer:regency", post_ok=200),
    "document": Row("read:regency", "document_draft"),
    "document_edit": Row("officer:regency", "document_draft", post="officer:regency", post_ok=200),
    "document_submit": Row("post_only", "document_draft", post="officer:regency"),
    "document_review": Row("pokja:regency", "document_in_qa", post="pokja:regency", post_ok=200),
    "document_enact": Row("actor:regency", "document_final", post="actor:regency", post_ok=200),
    "document_download": Row("read:regency", "document_draft"),
    "policy_create": Row("officer:regency", "regency", post="officer:regency", post_ok=200),
    "policy_package": Row("read:regency", "policy_package"),
    "policy_edit": Row("officer:regency", "policy_package", post="officer:regency", post_ok=200),
    "monitoring_create": Row("pokja:regency", "regency", post="pokja:regency", post_ok=200),
    "monitoring_edit": Row("pokja:regency", "monitoring", post="pokja:regency", post_ok=200),
    # clinics
    "clinics": Row("clinics_index"),
    "province_clinics": Row("read:province_or_own", "province"),
    "clinic_create": Row("pokja:province_or_own", "province", post="pokja:province_or_own", post_ok=200),
    # A pasted list of participants previewed (an htmx fragment; nothing saved).
    "clinic_participants_preview": Row(
        "post_only", "province", post="pokja:province_or_own", post_ok=200, data={"paste": "Sekda, Bappeda, Kepala"}
    ),
    "clinic": Row("read:regency", "clinic"),
    "clinic_edit": Row("pokja:regency", "clinic", post="pokja:regency", post_ok=200),
    "clinic_minutes": Row("read:regency", "clinic"),
    "recommendation_create": Row("pokja:regency", "clinic", post="pokja:regency", post_ok=200),
    "recommendation_edit": Row("pokja:regency", "recommendation", post="pokja:regency", post_ok=200),
    "recommendation_delete": Row("post_only", "recommendation", post="pokja:regency"),
    "follow_up": Row("read:regency", "action"),
    "follow_up_status": Row("post_only", "action", post="actor:regency", post_ok=400),
    "follow_up_reopen": Row("post_only", "action", post="pokja:regency"),
    "follow_up_decide": Row("post_only", "action", post="pokja:regency", post_ok=400),
    "follow_up_evidence": Row("read:regency", "action_evidence"),
    # the Balai's DAK verification
    "dak_overview": Row("whole_provinces"),
    "dak_line": Row("read:regency", "dak_line", post="officer:regency", post_ok=400),
    "dak_submit": Row("post_only", "dak_line", post="officer:regency"),
    "dak_decide": Row("post_only", "dak_line", post="balai:regency", post_ok=400),
    "dak_file": Row("read:regency", "dak_file"),
    # planning
    "activities": Row("read:regency", "regency"),
    "activity_create": Row("actor:regency", "regency", post="actor:regency", post_ok=200),
    "activity_edit": Row("actor:regency", "activity", post="actor:regency", post_ok=200),
    "activity_delete": Row("post_only", "activity", post="actor:regency"),
    "regional_budgets": Row("actor:regency", "regency", post="actor:regency", post_ok=200),
    "activities_template": Row("actor:regency", "regency"),
    "activities_export_xlsx": Row("read:regency", "regency"),
    "activities_export_csv": Row("read:regency", "regency"),
    "activities_upload": Row("actor:regency", "regency", post="actor:regency", post_ok=200),
    "activities_upload_preview": Row("actor:regency", "regency", ok=302),
    "activities_upload_confirm": Row("post_only", "regency", post="actor:regency"),
    # NAWASIS
    "nawasis_regency": Row("read:regency", "regency"),
    "nawasis_create": Row("actor:regency", "regency", post="actor:regency", post_ok=200),
    "nawasis_regency_export": Row("read:regency", "nawasis_regency_export"),
    "nawasis_verify": Row("post_only", "nawasis", post="pokja:regency"),
    "nawasis_province": Row("read:province", "province"),
    # the province's own documents: its roadmap (reviewed nationally) and its policy package
    "province_documents": Row("read:province", "province"),
    "roadmap_save": Row("post_only", "province", post="pokja:province", post_ok=400),
    "roadmap_submit": Row("post_only", "roadmap_draft", post="pokja:province"),
    "roadmap_review": Row("post_only", "roadmap_submitted", post="national:province", post_ok=400),
    "roadmap_reopen": Row("post_only", "roadmap_verified", post="national:province"),
    "roadmap_download": Row("read:province", "roadmap_draft"),
    "province_policy_add": Row("post_only", "province", post="pokja:province", post_ok=400),
    "province_policy_download": Row("read:province", "province_policy"),
    "nawasis_province_export": Row("read:province", "nawasis_province_export"),
    # service records behind M3/M4: kecamatan and the full scale are the province's; a monitoring year's too
    "regency_services": Row("read:regency", "regency"),
    "service_create": Row("actor:regency", "regency", post="actor:regency", post_ok=200),
    "service_edit": Row("actor:regency", "service", post="actor:regency", post_ok=200),
    "kecamatan_edit": Row("pokja:regency", "regency", post="pokja:regency", post_ok=200),
    "threshold_edit": Row("pokja:regency", "threshold", post="pokja:regency", post_ok=200),
    "year_figures_create": Row("pokja:regency", "regency", post="pokja:regency", post_ok=200),
    "year_figures_edit": Row("pokja:regency", "year_figures", post="pokja:regency", post_ok=200),
    # outcome indicators: entered by the officer or the Pokja, decided by the Pokja
    "regency_indicators": Row("read:regency", "regency"),
    "indicator_edit": Row("actor:regency", "regency_indicator", post="actor:regency", post_ok=200),
    "actual_create": Row("actor:regency", "regency_indicator", post="actor:regency", post_ok=200),
    "waiting_actuals": Row("review_queue"),
    "actual_detail": Row("read:regency", "actual_submitted"),
    "actual_edit": Row("actor:regency", "actual_draft", post="actor:regency", post_ok=200),
    "actual_submit": Row("post_only", "actual_draft", post="actor:regency"),
    "actual_decide": Row("post_only", "actual_submitted", post="pokja:regency", post_ok=400),
    # reminders
    "my_tasks": Row("signed_in"),
    # in-app notices: the list and "mark all read" are each user's own; opening marks read and redirects
    "notices": Row("signed_in"),
    "notice_open": Row("notice:own", "notice", ok=302),
    "notice_read_all": Row("post_only", post="signed_in"),
    # the REST API and its tokens (ssk_tracker/api/, regencies/token_views.py); an empty POST: the form re-shown
    "api_tokens": Row("signed_in", post="signed_in", post_ok=400),
    "api_docs": Row("signed_in"),
    "api_schema": Row("api:signed_in", login=False),
    "api_provinces": Row("api:signed_in", login=False),
    "api_province": Row("api:read:province_or_own", "province", login=False),
    "api_regencies": Row("api:signed_in", login=False),
    "api_regency": Row("api:read:regency", "regency", login=False),
    "api_regency_milestones": Row("api:read:regency", "regency", login=False),
    "api_regency_indicators": Row("api:read:regency", "regency", login=False),
    "api_regency_services": Row("api:read:regency", "regency", login=False),
    "api_regency_activities": Row("api:read:regency", "regency", login=False),
    "api_regency_nawasis": Row("api:read:regency", "regency", login=False),
    "api_milestone": Row("api:read:regency", "milestone", login=False),
    # POST: a new update; the matrix's milestone has one open already, so the officer gets 409 "refused"
    "api_milestone_updates": Row("api:read:regency", "milestone", post="api:officer:regency", post_ok=409, login=False),
    "api_regency_cohorts": Row("api:read:regency", "regency", login=False),
    "api_regency_documents": Row("api:read:regency", "regency", login=False),
    "api_clinics": Row("api:signed_in", login=False),
    "api_clinic": Row("api:read:regency", "clinic", login=False),
    "api_follow_ups": Row("api:signed_in", login=False),
    "api_report": Row("api:report:regency", "report_regency", login=False),
    "api_update": Row("api:read:regency", "update_draft", login=False),
    "api_update_submit": Row("api:post_only", "update_draft", post="api:officer:regency", post_ok=200, login=False),
    "api_update_approve": Row("api:post_only", "update_submitted", post="api:pokja:regency", post_ok=200, login=False),
    "api_update_return": Row("api:post_only", "update_submitted", post="api:pokja:regency", post_ok=400, login=False),
    "api_indicator_actuals": Row(
        "api:post_only", "regency_indicator", post="api:actor:regency", post_ok=400, login=False
    ),
    "api_follow_up_close": Row("api:post_only", "action", post="api:actor:regency", post_ok=400, login=False),
    # GET: the report jobs the user may see (403 without a working area); POST: an empty request, 400 per field
    "api_reports": Row("api:has_scope", post="api:has_scope", post_ok=400, login=False),
    # reports
    "reports": Row("has_scope", post="has_scope", post_ok=200),
    "report_status": Row("has_scope"),
    "report_verify": Row("signed_in", post="signed_in", post_ok=200),
    "report_download": Row("report:regency", "report_regency"),
    "report_delivery": Row("report:regency", "report_regency", post="report:send_regency", post_ok=400),
    "report_deliveries": Row("whole_provinces"),
    "report_acknowledge": Row("post_only", "delivery", post="delivery:recipient"),
    "report_export": Row("has_scope"),
    "schedule_create": Row("schedules", post="schedules", post_ok=200),
    "schedule_pause": Row("post_only", "schedule", post="schedule"),
    "schedule_resume": Row("post_only", "schedule", post="schedule"),
    "schedule_delete": Row("schedule", "schedule", post="schedule"),
}
# fmt: on

# URL arguments that are not an object of a place.
FIXED_ARGUMENTS = {"report_export": ["milestones", "csv"], "password_reset_confirm": ["MQ", "set-password"]}


# --- The URL patterns ------------------------------------------------------------------------------------

EXCLUDED_PREFIXES = ("admin/", "static/", "media/", "__debug__/")


def url_patterns(patterns=None, prefix: str = "") -> Iterator[tuple[str, str]]:
    """(route, name) of every URL pattern of the project but the Django admin's and static files'."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if route.startswith(EXCLUDED_PREFIXES):
            continue
        if isinstance(pattern, URLResolver):
            yield from url_patterns(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route, pattern.name or route


def test_every_url_pattern_has_a_row():
    routes = dict((name, route) for route, name in url_patterns())
    missing = [f"add a row for {name!r} (/{routes[name]}) to TABLE" for name in sorted(set(routes) - set(TABLE))]
    stale = [f"remove the row {name!r} from TABLE: no such URL" for name in sorted(set(TABLE) - set(routes))]
    assert not missing + stale, "\n".join(missing + stale)
    unknown = {name: rule for name, row in TABLE.items() for rule in (row.get, row.post) if rule and rule not in RULES}
    assert not unknown, f"rules not in RULES: {unknown}"


# --- The walk --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def objects(module_db, django_db_blocker) -> Iterator[dict[str, dict[str, list[object]]]]:
    with rolled_back(django_db_blocker):
        with building(django_db_blocker, matrix_objects.NOW):
            built = {place.name: matrix_objects.build(place) for place in (A, B)}
        yield built


@pytest.fixture(scope="module")
def people(module_db, django_db_blocker) -> dict[str, object]:
    """The personas' users, and a coordinator without a region (nation-wide), which conftest.py does not make."""
    with django_db_blocker.unblock():
        make_user("coordinator_nation", Role.COORDINATOR)
        return users(*[name for name in PERSONAS if name != "anonymous"])


@pytest.fixture(scope="module")
def sessions(people, django_db_blocker) -> dict[str, dict[str, object]]:
    """What each persona's session holds right after a sign-in, signed in once for the module: a sign-in's
    signals write rows (last login, django-axes), which every test would otherwise repeat ten times."""
    signed_in = {}
    with django_db_blocker.unblock():
        for name in PERSONAS:
            if name != "anonymous":
                client = Client()
                client.force_login(people[name])
                signed_in[name] = dict(client.session.items())
    return signed_in


def signed_in(client: Client, name: str, sessions: dict[str, dict[str, object]]) -> Client:
    """``client`` with a session of its own (a new key) holding what ``name``'s sign-in left in one: the same
    state a fresh ``force_login`` gives, so a logout or a password change in one test ends only that session."""
    session = client.session  # a new, saved session, its key in the client's cookie
    session.update(sessions[name])
    session.save()
    return client


@pytest.fixture
def clients(sessions, db) -> dict[str, Client]:
    """A client per persona, signed in for this test (a logout or a password change ends its session)."""
    return {name: Client() if name == "anonymous" else signed_in(Client(), name, sessions) for name in PERSONAS}


def expected(row: Row, rule: str, persona: Persona, place: Place, ok: int) -> int:
    if row.login and not persona.signed_in:
        return 302
    answer = RULES[rule](persona, place)
    return ok if answer == OK else int(answer)  # type: ignore[call-overload]


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    """The rate limits are tested on their own; here the eleventh persona's POST is judged on its scope, not
    on ten earlier ones from the same test address."""
    settings.RATELIMIT_ENABLE = False


def answer(client: Client, method: str, url: str, data: dict[str, str]) -> int:
    if method == "GET":
        response = client.get(url)
    else:
        with transaction.atomic():  # whatever the POST changes is gone before the next request
            response = client.post(url, data)
            transaction.set_rollback(True)
    if response.status_code == 302 and "/masuk/" in response.get("Location", "") and "login" not in url:
        return 302
    return response.status_code


@pytest.mark.parametrize("name", sorted(TABLE))
def test_each_persona_gets_the_answer_its_scope_gives(name, objects, clients, db):
    row = TABLE[name]
    places: tuple[Place, ...] = (A, B) if row.obj else (NOWHERE,)
    wrong = []
    for place in places:
        if name in FIXED_ARGUMENTS:
            args = FIXED_ARGUMENTS[name]
        else:
            args = objects[place.name][row.obj] if row.obj else []
        url = reverse(name, args=args)
        for persona_name, persona in PERSONAS.items():
            checks = [("GET", row.get, row.ok)] + ([("POST", row.post, row.post_ok)] if row.post else [])
            for method, rule, ok in checks:
                want = expected(row, rule, persona, place, ok)
                got = answer(clients[persona_name], method, url, row.data)
                if got != want:
                    where = f" @ {place.name}" if row.obj else ""
                    wrong.append(f"{persona_name}{where}: {method} {url} → {got}, the table says {want}")
    assert not wrong, f"{name} ({row}):\n" + "\n".join(wrong)


# --- CSRF: every POST without a token is refused, and nothing changes ----------------------------------------

CSRF_REFUSALS: list[str] = []


def csrf_failure(request, reason=""):
    """settings.CSRF_FAILURE_VIEW for these tests: records that the CSRF check (not a scope check) refused."""
    from django.http import HttpResponseForbidden

    CSRF_REFUSALS.append(request.path)
    return HttpResponseForbidden(reason)


def allowed_poster(row: Row) -> tuple[str, Place]:
    """A persona (and place) whose POST the row allows, signed-in personas first; for a row nobody posts to,
    one who may GET it (every URL answers a POST: the CSRF check comes before the view)."""
    rule, ok = (row.post, row.post_ok) if row.post else (row.get, row.ok)
    places: tuple[Place, ...] = (A, B) if row.obj else (NOWHERE,)
    order = [name for name in PERSONAS if name != "anonymous"] + ["anonymous"]
    for name in order:
        for place in places:
            if expected(row, rule, PERSONAS[name], place, ok) == ok and not (row.login and name == "anonymous"):
                return name, place
    raise AssertionError(f"no persona may POST to this row: {row}")


def row_counts() -> dict[str, int]:
    """Every model's ``_default_manager.count()``, in one query (a round trip per model made these tests
    slow): each count is of the default manager's own query, as ``count()`` does."""
    from django.apps import apps
    from django.db import connection

    models = apps.get_models()
    selects: list[str] = []
    params: list[Any] = []
    for model in models:
        sql, model_params = model._default_manager.order_by().values("pk").query.sql_with_params()
        selects.append(f"(SELECT COUNT(*) FROM ({sql}) AS counted)")
        params.extend(model_params)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(selects), params)
        counts = cursor.fetchone()
    return {model._meta.label: count for model, count in zip(models, counts, strict=True)}


@pytest.mark.parametrize("name", sorted(TABLE))
def test_a_post_without_a_csrf_token_is_refused_and_changes_nothing(name, objects, sessions, db, settings):
    settings.CSRF_FAILURE_VIEW = f"{__name__}.csrf_failure"
    row = TABLE[name]
    persona, place = allowed_poster(row)
    args = FIXED_ARGUMENTS.get(name) or (objects[place.name][row.obj] if row.obj else [])
    url = reverse(name, args=args)
    client = Client(enforce_csrf_checks=True)
    if persona != "anonymous":
        signed_in(client, persona, sessions)
    before = row_counts()
    CSRF_REFUSALS.clear()
    response = client.post(url, row.data)
    if row.get.startswith("api:"):  # DRF's own CSRF check (see _api)
        assert (response.status_code, response.json()["code"]) == (403, "forbidden"), f"{persona} POST {url}"
    else:
        assert (response.status_code, CSRF_REFUSALS) == (403, [url]), f"{persona} POST {url} without a CSRF token"
    assert row_counts() == before
