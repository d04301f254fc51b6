"""Who the simulated users are, what each clicks through, and what the officers' submissions stored.

The plan is read from the database before the run: officers of different regencies (those with the most
milestones that take a new update first), Pokja staff of the largest provinces, national users. Each
signs in once with a real login POST; then clicks through its role's key pages with a pause between
clicks; an officer, after opening a milestone that takes a new update, sends the update form as the
browser does (its CSRF and one-time token fields, a PDF as evidence, the "submit" button) with a unique
marker in the narrative, so that afterwards each submission's rows can be counted: exactly one each.
"""

import random
import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef
from django.urls import reverse

from milestones.loadtest.client import Browser, CapReached, PageFailed, Recorder, Sample, form_fields, page_assets
from milestones.models import CoachingClinic, Milestone, MilestoneUpdate
from regencies.models import Province, Role, UserRole

OFFICER, PROVINCE, NATIONAL = "officer", "province", "national"
# Of the simulated users: officers, then province staff; the rest national.
OFFICER_SHARE, PROVINCE_SHARE = 0.6, 0.3
_MESSAGE_SUCCESS = re.compile(r'class="alert alert-success alert-dismissible"')


@dataclass
class Persona:
    """One simulated user: the account, its role and the pages it clicks through, as (name, path)."""

    username: str
    role: str
    pages: list[tuple[str, str]]
    milestones: list[int] = field(default_factory=list)  # an officer's milestones that take a new update


@dataclass
class Submission:
    marker: str
    username: str
    milestone: int
    told_saved: bool = False  # the answer: a redirect to the milestone with the success message


def _open_update() -> Exists:
    return Exists(MilestoneUpdate.objects.filter(milestone=OuterRef("pk"), status__in=MilestoneUpdate.OPEN_STATUSES))


def _officers(count: int) -> list[Persona]:
    takes_update = (
        Milestone.objects.exclude(status=Milestone.Status.VERIFIED)
        .exclude(_open_update())
        .order_by("regency", "cohort", "definition__number")
        .values_list("regency", "pk")
    )
    open_ones: dict[str, list[int]] = {}  # by regency code
    for regency, pk in takes_update:
        open_ones.setdefault(regency, []).append(pk)
    officers = UserRole.objects.filter(role=Role.REGENCY_OFFICER, user__is_active=True, regency__isnull=False)
    roles = list(officers.values_list("regency", "user__username"))
    # The officers with the most milestones to report on first, one per regency.
    roles.sort(key=lambda role: (-len(open_ones.get(role[0], [])), role[0], role[1]))
    chosen: dict[str, str] = {}
    for regency, username in roles:
        if len(chosen) < count:
            chosen.setdefault(regency, username)
    if len(chosen) < count:
        raise ValueError(f"{count} officers of different regencies asked for, the database has {len(chosen)}")
    any_one = dict(Milestone.objects.filter(regency__in=list(chosen)).order_by("-pk").values_list("regency", "pk"))
    personas = []
    for code, username in chosen.items():
        milestones = open_ones.get(code, [])
        shown = milestones[0] if milestones else any_one.get(code)
        pages = [
            ("home", reverse("home")),
            ("regency", reverse("regency", args=[code])),
            *([("milestone", reverse("milestone", args=[shown]))] if shown else []),
            ("my_tasks", reverse("my_tasks")),
            ("activities", reverse("activities", args=[code])),
            ("nawasis", reverse("nawasis_regency", args=[code])),
        ]
        personas.append(Persona(username, OFFICER, pages, list(milestones)))
    return personas


def _cycle[T](items: Sequence[T], count: int, what: str) -> list[T]:
    """``count`` items, repeating the list when there are fewer (an account may have several sessions)."""
    if count and not items:
        raise ValueError(f"no {what} in the database")
    return [items[i % len(items)] for i in range(count)]


def _province_staff(count: int) -> list[Persona]:
    size = dict(Province.objects.annotate(n=Count("regencies")).values_list("code", "n"))
    staff = UserRole.objects.filter(role=Role.PROVINCIAL_STAFF, user__is_active=True, province__isnull=False)
    roles = sorted(staff.values_list("province", "user__username"), key=lambda r: (-size.get(r[0], 0), r[0], r[1]))
    # The largest provinces first, one account per province before any province's second account.
    rank: Counter[str] = Counter()
    ranked = []
    for province, username in roles:
        rank[province] += 1
        ranked.append((rank[province], -size.get(province, 0), province, username))
    ranked.sort()
    chosen = _cycle([(province, username) for _rank, _size, province, username in ranked], count, "Pokja staff")
    clinics = dict(
        CoachingClinic.objects.filter(province__in={province for province, _username in chosen})
        .order_by("-pk")
        .values_list("province", "pk")
    )
    personas = []
    for code, username in chosen:
        clinic = clinics.get(code)
        pages = [
            ("home", reverse("home")),
            ("province", reverse("province", args=[code])),
            ("review_queue", reverse("review_queue")),
            ("clinics", reverse("province_clinics", args=[code])),
            *([("clinic", reverse("clinic", args=[clinic]))] if clinic else []),
            ("my_tasks", reverse("my_tasks")),
            ("reports", reverse("reports")),
        ]
        personas.append(Persona(username, PROVINCE, pages))
    return personas


def _national(count: int) -> list[Persona]:
    users = list(
        UserRole.objects.filter(user__is_active=True, role=Role.NATIONAL)  # the national Pokja PPAS reviews
        .order_by("user__username")
        .values_list("user__username", flat=True)
    )
    pages = [
        ("home", reverse("home")),
        ("national", reverse("national_overview")),
        ("review_queue", reverse("review_queue")),
        ("my_tasks", reverse("my_tasks")),
        ("reports", reverse("reports")),
    ]
    return [Persona(name, NATIONAL, list(pages)) for name in _cycle(users, count, "national users")]


def build_plan(users: int) -> list[Persona]:
    """The simulated users: 60 % officers, 30 % provincial staff, the rest national, interleaved so that
    every role is on from the first seconds."""
    officers = round(users * OFFICER_SHARE)
    province = round(users * PROVINCE_SHARE)
    groups = [_officers(officers), _province_staff(province), _national(users - officers - province)]
    mixed: list[Persona] = []
    while any(groups):
        for group in groups:
            if group:
                mixed.append(group.pop(0))
    return mixed


def evidence_pdf(marker: str) -> bytes:
    """A small PDF (what the evidence check reads is the content), unique per submission."""
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
        + f"% {marker}\n".encode()
        + b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )


@dataclass
class Journey:
    """One simulated user's run: sign in, then click through the pages for ``seconds``."""

    persona: Persona
    browser: Browser
    password: str
    think: Callable[[], float]
    seconds: float
    run_id: str
    index: int
    submissions: list[Submission]
    lock: threading.Lock
    clock: Callable[[], float]
    sent: int = 0
    deadline: float = float("inf")  # on the recorder's clock (seconds since the run started)

    def pause(self) -> bool:
        """Think before the next click; False when the run is over."""
        stop = self.browser.recorder.stop
        if stop.wait(self.think()):
            return False
        return self.clock() < self.deadline

    def sign_in(self) -> None:
        login = reverse("login")
        page = self.browser.get("sign_in_page", login)
        for url in page_assets(page.text):  # a first visit: the browser fetches the page's files once
            self.browser.get("static", url, follow=False)
        fields = form_fields(page.text, "username")
        fields.update(username=[self.persona.username], password=[self.password])
        if not self.pause():
            raise CapReached
        answer = self.browser.post_form("sign_in", login, fields, expect=(302,))
        self.browser.login_path = login  # from now on, a redirect to it is an error (the session was lost)
        self.browser.get("home", self.browser.local(answer.location), capped=False)

    def submit_update(self, milestone: int) -> None:
        form_path = reverse("update_create", args=[milestone])
        page = self.browser.get("update_form", form_path, follow=False)
        if page.status != 200:
            return  # the milestone no longer takes a new update (nothing was sent)
        fields = form_fields(page.text, "form_token")
        self.sent += 1
        marker = f"uji-beban-{self.run_id}-{self.index}-{self.sent}"
        fields["narrative"] = [f"Laporan uji beban ({marker})."]
        fields["submit"] = [""]  # the button "Save and submit for review"
        if not self.pause():
            return
        submission = Submission(marker, self.persona.username, milestone)
        evidence = ("files", f"bukti-{marker}.pdf", evidence_pdf(marker), "application/pdf")
        try:
            answer = self.browser.post_form("update_submit", form_path, fields, files=[evidence], expect=(302,))
        finally:
            if self.browser.sent_last:  # an answer or not, it went out: count what it stored
                with self.lock:
                    self.submissions.append(submission)
        shown = self.browser.get("milestone", self.browser.local(answer.location), capped=False)
        submission.told_saved = bool(_MESSAGE_SUCCESS.search(shown.text))

    def run(self) -> None:
        self.deadline = self.clock() + self.seconds
        try:
            self.sign_in()
        except (PageFailed, CapReached):
            return  # recorded; a user who cannot sign in does nothing else
        pages = self.persona.pages[1:] + self.persona.pages[:1]  # home was just shown
        position = 0
        while self.pause():
            name, path = pages[position % len(pages)]
            position += 1
            try:
                self.browser.get(name, path)
                if name == "milestone" and self.persona.milestones and self.pause():
                    self.submit_update(self.persona.milestones.pop(0))
            except PageFailed:
                continue
            except CapReached:
                return


def exactly_once(
    submissions: Sequence[Submission], stored: dict[str, int], incomplete: Sequence[str]
) -> dict[str, Any]:
    """Each submission the user was told was saved is stored exactly once, complete; none the user was told
    failed is stored. ``stored``: the rows per marker found in the database; ``incomplete``: markers of rows
    that are not a submitted update with its one evidence file."""
    saved = [s for s in submissions if s.told_saved]
    refused = [s for s in submissions if not s.told_saved]
    result = {
        "sent": len(submissions),
        "told_saved": len(saved),
        "stored_once": sum(stored.get(s.marker, 0) == 1 and s.marker not in incomplete for s in saved),
        "duplicated": sorted(s.marker for s in submissions if stored.get(s.marker, 0) > 1),
        "lost": sorted(s.marker for s in saved if stored.get(s.marker, 0) == 0),
        "incomplete": sorted(set(incomplete)),
        "stored_though_refused": sorted(s.marker for s in refused if stored.get(s.marker, 0) > 0),
        "unknown_markers": sorted(set(stored) - {s.marker for s in submissions}),
    }
    result["ok"] = result["stored_once"] == len(saved) and not any(
        result[key] for key in ("duplicated", "lost", "incomplete", "stored_though_refused", "unknown_markers")
    )
    return result


def stored_markers(run_id: str) -> tuple[dict[str, int], list[str]]:
    """This run's rows per marker, and the markers of rows that are not a submitted update with exactly one
    evidence file (half stored)."""
    pattern = re.compile(rf"uji-beban-{re.escape(run_id)}-\d+-\d+")
    rows = (
        MilestoneUpdate.objects.filter(narrative__contains=f"uji-beban-{run_id}-")
        .annotate(files=Count("evidence"))
        .values_list("narrative", "status", "files")
    )
    counts: Counter[str] = Counter()
    incomplete = []
    for narrative, status, files in rows:
        found = pattern.search(narrative)
        if found:
            counts[found.group(0)] += 1
            if status != MilestoneUpdate.Status.SUBMITTED or files != 1:
                incomplete.append(found.group(0))
    return dict(counts), incomplete


def count_updates() -> int:
    return MilestoneUpdate.objects.count()


def usernames_exist(personas: Sequence[Persona]) -> None:
    missing = {p.username for p in personas} - set(
        get_user_model().objects.filter(username__in={p.username for p in personas}).values_list("username", flat=True)
    )
    if missing:
        raise ValueError(f"no such users: {sorted(missing)}")


def think_time(seconds: float, seed: int) -> Callable[[], float]:
    """Pauses of ``seconds`` ± 25 %, the same for the same seed."""
    rng = random.Random(seed)
    return lambda: rng.uniform(seconds * 0.75, seconds * 1.25)


@dataclass
class Run:
    samples: list[Sample]
    submissions: list[Submission]
    elapsed: float


def run_users(
    personas: Sequence[Persona],
    *,
    host: str,
    port: int,
    password: str,
    seconds: float,
    think: float,
    ramp_up: float,
    max_requests: int,
    seed: int,
    run_id: str,
) -> Run:
    """Every persona in a thread of its own, arriving one after another over ``ramp_up`` seconds, each
    clicking for ``seconds`` after it arrived (or until ``max_requests`` requests were sent, in all)."""
    recorder = Recorder(max_requests)
    submissions: list[Submission] = []
    lock = threading.Lock()

    def clock() -> float:
        return time.monotonic() - recorder.started

    def start(index: int, journey: Journey) -> None:
        if not recorder.stop.wait(ramp_up * index / max(len(personas), 1)):
            journey.run()

    threads = []
    for index, persona in enumerate(personas):
        journey = Journey(
            persona=persona,
            browser=Browser(host, port, recorder),
            password=password,
            think=think_time(think, seed * 100_003 + index),
            seconds=seconds,
            run_id=run_id,
            index=index,
            submissions=submissions,
            lock=lock,
            clock=clock,
        )
        thread = threading.Thread(target=start, args=(index, journey), name=f"user-{index}", daemon=True)
        threads.append(thread)
        thread.start()
    for thread in threads:
        thread.join(timeout=max(ramp_up + seconds - clock(), 0) + 60)
    recorder.stop.set()  # anyone still waiting on a request stops after it
    for thread in threads:
        thread.join(timeout=35)
    return Run(list(recorder.samples), submissions, clock())


def warm_up(personas: Sequence[Persona], *, host: str, port: int, password: str, rounds: int = 2) -> list[Sample]:
    """One user of each role signs in and opens each of its pages ``rounds`` times, unrecorded, so the
    workers have loaded their templates and translations as a server running for a while has. Returns the
    failed requests (a wrong password, a page that errs: the run would only repeat them)."""
    recorder = Recorder(max_requests=1000)
    seen: set[str] = set()
    for persona in personas:
        if persona.role in seen:
            continue
        seen.add(persona.role)
        browser = Browser(host, port, recorder)
        journey = Journey(
            persona=Persona(persona.username, persona.role, persona.pages),  # no submissions
            browser=browser,
            password=password,
            think=lambda: 0.0,
            seconds=float("inf"),
            run_id="warm-up",
            index=0,
            submissions=[],
            lock=threading.Lock(),
            clock=lambda: 0.0,
        )
        try:
            journey.sign_in()
            for _round in range(rounds):
                for name, path in persona.pages:
                    browser.get(name, path)
        except PageFailed:
            pass
    return [sample for sample in recorder.samples if sample.failed]
