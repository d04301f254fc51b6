"""The API's writes (/api/v1/…): the officer's and the province's everyday acts.

Each write binds the same Django form as its page (the same checks, the same messages in the user's
language) and calls the same service (the same rule, history rows and notifications); nothing of a rule is
written twice. The order is the web's: the object through the scope (outside it 404), then the role (403),
then the input (400 "invalid", per field), then the service, whose refusal is 409 "refused".
"""

from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, generics, serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from milestones import proofs as proof_kinds
from milestones.forms.clinics import ActionStatusForm
from milestones.forms.indicators import ActualForm
from milestones.forms.milestones import ApproveForm, ReturnForm, UpdateForm
from milestones.models import FollowUpAction, MilestoneUpdate, RegencyIndicator
from milestones.selectors import clinics as clinic_selectors
from milestones.selectors import indicators as indicator_selectors
from milestones.selectors import milestones as milestone_selectors
from milestones.selectors.closings import parse_proof_value
from milestones.services import ActionRefused
from milestones.services import clinics as clinic_services
from milestones.services import indicators as indicator_services
from milestones.services import milestones as milestone_services
from regencies import scoping
from reports import services as report_services
from reports.forms import ReportRequestForm
from reports.models import Audience, Language
from ssk_tracker.api import serializers as api_serializers
from ssk_tracker.api import views as read_views


class Refused(exceptions.APIException):
    """The service refused the act as the object stands now (already decided, locked, not yet possible)."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "refused"
    default_detail = _("This cannot be done as things stand.")


PARSERS = [JSONParser, MultiPartParser, FormParser]


def form_data(request: Request) -> QueryDict:
    """The request's fields as a form reads them: a multipart or form body as it came, a JSON object
    with its lists as repeated values (true as "on"; false and null left out, as an unticked box)."""
    if isinstance(request.data, QueryDict):
        return request.data
    data = QueryDict(mutable=True)
    if not isinstance(request.data, dict):
        raise exceptions.ValidationError({"non_field_errors": [gettext("Send the fields as a JSON object.")]})
    for name, value in request.data.items():
        values = value if isinstance(value, list) else [value]
        data.setlist(name, ["on" if v is True else str(v) for v in values if v is not False and v is not None])
    return data


def flag(request: Request, name: str) -> bool:
    value = request.data.get(name)
    return value is True or str(value).lower() in ("1", "true", "on", "yes")


def valid[F: forms.BaseForm](form: F) -> F:
    """The bound form, or a 400 "invalid" with its messages per field (the form's own, as on the page)."""
    if form.is_valid():
        return form
    errors = {
        ("non_field_errors" if name == "__all__" else name): list(messages) for name, messages in form.errors.items()
    }
    raise exceptions.ValidationError(errors)


def refused(refusal: ActionRefused) -> Refused:
    return Refused(refusal.message)


# --- Updates: save (and submit), submit, approve, return ------------------------------------------------


class UpdateInput(serializers.Serializer):  # type: ignore[type-arg]
    """The fields of an update, as the update form has them (a test keeps the two the same)."""

    progress = serializers.IntegerField(
        min_value=0, max_value=100, help_text=_("How far the milestone has come, 0–100.")
    )
    narrative = serializers.CharField(help_text=_("What was achieved."))
    obstacles = serializers.CharField(required=False, help_text=_("Obstacles (kendala)."))
    next_steps = serializers.CharField(required=False, help_text=_("Next steps."))
    requirements_met = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        help_text=_("The ids of the required evidence this update provides (the milestone's requirements)."),
    )
    files = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        help_text=_("Evidence files (multipart/form-data): PDF, JPEG, PNG, DOCX or XLSX; several at once are fine."),
    )
    submit = serializers.BooleanField(
        required=False, help_text=_("true: submit the update to the provincial Pokja once it is saved.")
    )


def update_body(request: Request, update: MilestoneUpdate) -> dict[str, Any]:
    """The update as GET /api/v1/milestones/<pk>/updates/ lists it: with its history and files."""
    read_views.with_history_and_files([update])
    return dict(api_serializers.MilestoneUpdateSerializer(update, context={"request": request}).data)


def save_update(request: Request, update: MilestoneUpdate | None, milestone: Any) -> MilestoneUpdate:
    """The update form's save on the API: the draft saved (and submitted with ``submit``) by the services.
    A refused submit after the save keeps the draft, as on the page."""
    form = valid(UpdateForm(form_data(request), request.FILES or None, instance=update, milestone=milestone))
    try:
        saved = milestone_services.save_draft(
            milestone=milestone, author=request.user, update=update, **form.draft_fields()
        )
    except ActionRefused as refusal:
        raise refused(refusal) from None
    if flag(request, "submit"):
        try:
            milestone_services.submit_update(update=saved, actor=request.user)
        except ActionRefused as refusal:
            raise refused(refusal) from None
    return saved


@extend_schema(
    summary=_("Write an update"),
    description=_(
        "Create the milestone's open update as a draft, with evidence files (multipart/form-data), and submit it "
        "with submit=true. The regency's officer only. A milestone has one open update at a time: while one is "
        "open this is 409 (edit it with PATCH /api/v1/updates/<id>/)."
    ),
    request={"multipart/form-data": UpdateInput, "application/json": UpdateInput},
    responses={201: api_serializers.MilestoneUpdateSerializer},
)
class MilestoneUpdates(read_views.MilestoneUpdateList):
    """GET: the milestone's updates (views.MilestoneUpdateList); POST: a new one."""

    parser_classes = PARSERS

    def post(self, request: Request, pk: int) -> Response:
        milestone = milestone_selectors.milestone_for_user(request.user, pk)
        scoping.require(scoping.can_submit_updates(request.user, milestone.regency))
        if milestone.is_locked:
            raise Refused(gettext("This milestone is verified and locked. Ask the province to reopen it first."))
        open_update = milestone.updates.filter(status__in=MilestoneUpdate.OPEN_STATUSES).first()
        if open_update is not None:
            raise Refused(
                gettext("This milestone already has an update in progress (id %(id)s); edit that one.")
                % {"id": open_update.pk}
            )
        update = save_update(request, None, milestone)
        return Response(update_body(request, update), status=status.HTTP_201_CREATED)


class UpdateDetail(generics.GenericAPIView[MilestoneUpdate]):
    serializer_class = api_serializers.MilestoneUpdateSerializer
    parser_classes = PARSERS

    def get_queryset(self) -> Any:  # for the schema only; the update is read through the selector
        return MilestoneUpdate.objects.none()

    @extend_schema(summary=_("One update"), description=_("An update with its history and its files' metadata."))
    def get(self, request: Request, pk: int) -> Response:
        return Response(update_body(request, milestone_selectors.update_for_user(request.user, pk)))

    @extend_schema(
        summary=_("Edit an update"),
        description=_(
            "Change a draft or returned update (all its fields, as the form: progress and narrative are required); "
            "files are added to those it has. submit=true submits it. The regency's officer only."
        ),
        request={"multipart/form-data": UpdateInput, "application/json": UpdateInput},
    )
    def patch(self, request: Request, pk: int) -> Response:
        update = milestone_selectors.update_for_user(request.user, pk)
        scoping.require(scoping.can_submit_updates(request.user, update.milestone.regency))
        if not update.is_editable:
            raise Refused(gettext("This update has been submitted or decided and can no longer be edited."))
        saved = save_update(request, update, update.milestone)
        return Response(update_body(request, saved))


class CommentInput(serializers.Serializer):  # type: ignore[type-arg]
    comment = serializers.CharField(required=False, help_text=_("A comment for the officer (optional)."))


class ReasonInput(serializers.Serializer):  # type: ignore[type-arg]
    reason = serializers.CharField(help_text=_("Why the update is returned: the officer reads it and revises."))


class UpdateAct(APIView):
    """A POST that moves an update on (submit, approve, return): ``act`` does it."""

    parser_classes = PARSERS
    serializer_class = api_serializers.MilestoneUpdateSerializer

    def may(self, request: Request, update: MilestoneUpdate) -> bool:
        raise NotImplementedError

    def act(self, request: Request, update: MilestoneUpdate) -> None:
        raise NotImplementedError

    def post(self, request: Request, pk: int) -> Response:
        update = milestone_selectors.update_for_user(request.user, pk)
        scoping.require(self.may(request, update))
        try:
            self.act(request, update)
        except ActionRefused as refusal:
            raise refused(refusal) from None
        return Response(update_body(request, milestone_selectors.update_for_user(request.user, pk)))


@extend_schema(
    summary=_("Submit an update"),
    description=_("Send a draft or returned update to the provincial Pokja. The regency's officer only."),
    request=None,
)
class UpdateSubmit(UpdateAct):
    def may(self, request: Request, update: MilestoneUpdate) -> bool:
        return scoping.can_submit_updates(request.user, update.milestone.regency)

    def act(self, request: Request, update: MilestoneUpdate) -> None:
        milestone_services.submit_update(update=update, actor=request.user)


@extend_schema(
    summary=_("Approve an update"),
    description=_(
        "The milestone takes the update's progress, and is verified at 100 % when nothing is missing (else 409 "
        "with what is missing). The province's Pokja only."
    ),
    request=CommentInput,
)
class UpdateApprove(UpdateAct):
    def may(self, request: Request, update: MilestoneUpdate) -> bool:
        return scoping.can_review(request.user, update.milestone.regency)

    def act(self, request: Request, update: MilestoneUpdate) -> None:
        form = valid(ApproveForm(form_data(request)))
        milestone_services.approve_update(update=update, reviewer=request.user, comment=form.cleaned_data["comment"])


@extend_schema(
    summary=_("Return an update"),
    description=_("Return a submitted update to the regency with the reason. The province's Pokja only."),
    request=ReasonInput,
)
class UpdateReturn(UpdateAct):
    def may(self, request: Request, update: MilestoneUpdate) -> bool:
        return scoping.can_review(request.user, update.milestone.regency)

    def act(self, request: Request, update: MilestoneUpdate) -> None:
        form = valid(ReturnForm(form_data(request)))
        milestone_services.return_update(update=update, reviewer=request.user, reason=form.cleaned_data["reason"])


# --- Outcome indicators: a year's actual ----------------------------------------------------------------


class ActualInput(serializers.Serializer):  # type: ignore[type-arg]
    """A year's actual, as the actual form has it (a test keeps the two the same)."""

    year = serializers.IntegerField(help_text=_("The year, within the regency's SSK period."))
    value = serializers.DecimalField(max_digits=5, decimal_places=2, help_text=_("The value, in percent (0–100)."))
    source = serializers.CharField(help_text=_("The source of the value (for example Susenas 2024, EHRA, STBM)."))
    submit = serializers.BooleanField(required=False, help_text=_("true: send it to the province to verify."))


@extend_schema(
    summary=_("Record an indicator's actual"),
    description=_(
        "A year's actual of one outcome indicator (its code, e.g. akses_layak), as a draft or, with submit=true, "
        "sent to the province to verify. Needs the indicator's baseline and the regency's SSK period. The "
        "regency's officer or the province's Pokja."
    ),
    request=ActualInput,
    responses={201: api_serializers.IndicatorActualSerializer},
)
class IndicatorActualCreate(APIView):
    parser_classes = PARSERS
    serializer_class = api_serializers.IndicatorActualSerializer

    def post(self, request: Request, code: str, indicator: str) -> Response:
        regency = scoping.get_regency_or_404(request.user, code)
        scoping.require(scoping.can_act_for_regency(request.user, regency))
        definition = indicator_selectors.definition_or_404(indicator)
        try:
            period = indicator_services.period_or_refuse(regency)
        except ActionRefused as refusal:
            raise refused(refusal) from None
        existing = RegencyIndicator.objects.filter(regency=regency, definition=definition).first()
        if existing is None:
            raise Refused(gettext("Enter the indicator's baseline first; the actuals are compared with it."))
        form = valid(ActualForm(form_data(request), period=period, indicator=existing))
        try:
            actual = indicator_services.save_actual(
                indicator=existing, actor=request.user, submit=flag(request, "submit"), **form.cleaned_data
            )
        except ActionRefused as refusal:
            raise refused(refusal) from None
        body = api_serializers.IndicatorActualSerializer(actual).data
        return Response(body, status=status.HTTP_201_CREATED)


# --- Follow-up actions: closing with proof --------------------------------------------------------------


class ApiClosingForm(ActionStatusForm):
    """The closing of the page's status form, with any proof a client names ("kind:id"): the page offers the
    latest records of each kind; the service checks every one against the user's scope and the action."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["proofs"]
        assert isinstance(field, forms.MultipleChoiceField)
        named = self.data.getlist("proofs") if isinstance(self.data, QueryDict) else []
        field.choices = [(value, value) for value in named if parse_proof_value(value) is not None]
        field.error_messages["invalid_choice"] = gettext(
            "%(value)s is not a proof: name it as kind:id, for example update:12."
        )


class ClosingInput(serializers.Serializer):  # type: ignore[type-arg]
    closing_note = serializers.CharField(help_text=_("What was done, and where the result can be seen."))
    proofs = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text=lazy(
            lambda: (
                gettext("Records of the tracker that show the action done, each as kind:id (kinds: %(kinds)s).")
                % {"kinds": ", ".join(proof_kinds.KINDS)}
            ),
            str,
        )(),
    )
    files = serializers.ListField(
        child=serializers.FileField(), required=False, help_text=_("Evidence files (multipart/form-data).")
    )


class ClosingBody(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField(help_text=_("The follow-up action's id."))
    status = serializers.ChoiceField(choices=FollowUpAction.Status.choices, help_text=_("The action's status."))
    closing_note = serializers.CharField(help_text=_("The closing note sent to the province."))


@extend_schema(
    summary=_("Close a follow-up action"),
    description=_(
        "Send the action's closing to the province with a note and at least one proof (records of the tracker "
        "and/or files); the province accepts or returns it. The action's owner or the province's Pokja."
    ),
    request={"multipart/form-data": ClosingInput, "application/json": ClosingInput},
    responses={200: ClosingBody},
)
class FollowUpClose(APIView):
    parser_classes = PARSERS
    serializer_class = ClosingBody

    def post(self, request: Request, pk: int) -> Response:
        action = clinic_selectors.action_for_user(request.user, pk)
        scoping.require(clinic_selectors.may_update_action(request.user, action))
        if action.status not in FollowUpAction.ACTIVE_STATUSES:
            raise Refused(gettext("This action is already %(status)s.") % {"status": action.get_status_display()})
        data = form_data(request).copy()
        data["status"] = FollowUpAction.Status.DONE
        form = valid(ApiClosingForm(data, request.FILES or None, action=action))
        try:
            clinic_services.close_action(
                action=action,
                actor=request.user,
                closing_note=form.cleaned_data["closing_note"],
                proofs=form.proof_refs(),
                files=form.cleaned_data["files"],
            )
        except ActionRefused as refusal:
            raise refused(refusal) from None
        action.refresh_from_db(fields=["status", "closing_note"])
        return Response(ClosingBody(action).data)


# --- Reports: a request -------------------------------------------------------------------------------


class ReportInput(serializers.Serializer):  # type: ignore[type-arg]
    """A report request, as the Laporan page's form has it (a test keeps the two the same)."""

    audience = serializers.ChoiceField(
        choices=Audience.choices,
        help_text=_("Who the report is for: national, provincial, balai or regency (within your working area)."),
    )
    province = serializers.CharField(required=False, help_text=_("The province's code (provincial reports)."))
    balai = serializers.IntegerField(required=False, help_text=_("The Balai's id (Balai reports)."))
    regency = serializers.CharField(required=False, help_text=_("The regency's code (regency reports)."))
    period_start = serializers.DateField(help_text=_("The period's first day (YYYY-MM-DD)."))
    period_end = serializers.DateField(help_text=_("The period's last day (YYYY-MM-DD)."))
    language = serializers.ChoiceField(
        choices=Language.choices,
        required=False,
        help_text=_("The report's language: id (default) or en."),
    )


@extend_schema_view(
    post=extend_schema(
        summary=_("Request a report"),
        description=_(
            "Queue a PDF report for a scope within your working area; the workers compile it (202). Its state and "
            "its file are then read from the report jobs."
        ),
        request=ReportInput,
        responses={
            202: api_serializers.ReportJobSerializer,
            403: OpenApiResponse(description=_("Your role requests no reports.")),
        },
    )
)
class ReportRequest(read_views.ReportList):
    """GET: the report jobs the user may see (views.ReportList); POST: request one."""

    parser_classes = PARSERS

    def post(self, request: Request) -> Response:
        if not scoping.report_audiences(request.user):
            raise exceptions.PermissionDenied()
        data = form_data(request).copy()
        data.setdefault("language", "id")
        form = valid(ReportRequestForm(data, user=request.user))
        try:
            job = report_services.request_report(requested_by=request.user, **form.request_fields())
        except ActionRefused as refusal:
            raise refused(refusal) from None
        body = api_serializers.ReportJobSerializer(job, context={"request": request}).data
        return Response(body, status=status.HTTP_202_ACCEPTED)
