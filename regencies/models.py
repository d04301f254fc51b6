"""Regions (Kemendagri codes), working groups (Pokja), Balai, agencies and user roles."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

province_code_validator = RegexValidator(
    r"^\d{2}$", _("A province code is two digits, for example 62."), code="invalid_province_code"
)
regency_code_validator = RegexValidator(
    r"^\d{2}\.\d{2}$",
    _("A regency code has the form PP.KK, for example 62.13."),
    code="invalid_regency_code",
)


class Province(models.Model):
    code = models.CharField(_("code"), max_length=2, primary_key=True, validators=[province_code_validator])
    name = models.CharField(_("name"), max_length=100)
    population = models.PositiveBigIntegerField(_("population"), null=True, blank=True)
    area_km2 = models.DecimalField(_("area (km²)"), max_digits=12, decimal_places=3, null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")
        constraints = [
            models.CheckConstraint(condition=Q(code__regex=r"^[0-9]{2}$"), name="province_code_format"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("province", args=[self.code])


class Regency(models.Model):
    class Kind(models.TextChoices):
        KABUPATEN = "kabupaten", _("Kabupaten")
        KOTA = "kota", _("Kota")

    code = models.CharField(_("code"), max_length=5, primary_key=True, validators=[regency_code_validator])
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="regencies", verbose_name=_("province")
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    population = models.PositiveBigIntegerField(_("population"), null=True, blank=True)
    area_km2 = models.DecimalField(_("area (km²)"), max_digits=12, decimal_places=3, null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("regency")
        verbose_name_plural = _("regencies")
        constraints = [
            models.CheckConstraint(condition=Q(code__regex=r"^[0-9]{2}\.[0-9]{2}$"), name="regency_code_format"),
            # The code's first two digits are the province's code.
            models.CheckConstraint(condition=Q(code__startswith=models.F("province")), name="regency_in_province"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("regency", args=[self.code])


class Kecamatan(models.Model):
    """A district of a regency: the unit a service's coverage is counted in. The provincial Pokja enters
    the names (regencies/kecamatan.py); a service record links to them, so a rename keeps its links."""

    regency = models.ForeignKey(Regency, on_delete=models.CASCADE, related_name="kecamatan", verbose_name=_("regency"))
    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(_("code"), max_length=20, blank=True)

    class Meta:
        ordering = ["regency", "name"]
        verbose_name = _("kecamatan")
        verbose_name_plural = _("kecamatan")
        constraints = [
            models.UniqueConstraint(fields=["regency", "name"], name="kecamatan_unique_name_in_regency"),
        ]

    def __str__(self):
        return self.name


class Balai(models.Model):
    """A Balai Prasarana Permukiman Wilayah (BPPW): the Ministry of Public Works' provincial unit."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    provinces = models.ManyToManyField(Province, related_name="balai_set", verbose_name=_("provinces covered"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("Balai (BPPW)")
        verbose_name_plural = _("Balai (BPPW)")

    def __str__(self):
        return self.name


class Agency(models.Model):
    """A government agency (OPD, ministry, Balai office). Names are data: agencies get reorganised."""

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    province = models.ForeignKey(
        Province,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agencies",
        verbose_name=_("province"),
    )
    regency = models.ForeignKey(
        Regency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agencies",
        verbose_name=_("regency"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        constraints = [
            models.UniqueConstraint(fields=["name", "province", "regency"], name="agency_unique_name_in_region"),
        ]

    def __str__(self):
        return self.short_name or self.name


class WorkingGroup(models.Model):
    """A Pokja at national, provincial or regency level."""

    class Level(models.TextChoices):
        NATIONAL = "national", _("National")
        PROVINCIAL = "provincial", _("Provincial")
        REGENCY = "regency", _("Regency")

    class Variant(models.TextChoices):
        PPAS = "PPAS", "PPAS"
        PKP = "PKP", "PKP"
        AMPL = "AMPL", "AMPL"
        SANITASI = "Sanitasi", "Sanitasi"

    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    variant = models.CharField(_("name variant"), max_length=10, choices=Variant.choices)
    name = models.CharField(_("name"), max_length=200)
    province = models.ForeignKey(
        Province,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="working_groups",
        verbose_name=_("province"),
    )
    regency = models.ForeignKey(
        Regency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="working_groups",
        verbose_name=_("regency"),
    )
    decree_number = models.CharField(_("decree number"), max_length=100, blank=True)
    decree_date = models.DateField(_("decree date"), null=True, blank=True)

    # Raised by every save through the services; an edit form carries it (milestones/services/edits.py).
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        ordering = ["level", "name"]
        verbose_name = _("Pokja")
        verbose_name_plural = _("Pokja")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(level="national", province__isnull=True, regency__isnull=True)
                    | Q(level="provincial", province__isnull=False, regency__isnull=True)
                    | Q(level="regency", province__isnull=True, regency__isnull=False)
                ),
                name="working_group_level_matches_region",
            ),
            models.UniqueConstraint(fields=["level"], condition=Q(level="national"), name="one_national_pokja"),
            models.UniqueConstraint(fields=["province"], name="one_pokja_per_province"),
            models.UniqueConstraint(fields=["regency"], name="one_pokja_per_regency"),
        ]

    def __str__(self):
        return self.name


class WorkingGroupMember(models.Model):
    class Position(models.TextChoices):
        CHAIR = "chair", _("Chair")
        SECRETARY = "secretary", _("Secretary")
        MEMBER = "member", _("Member")

    working_group = models.ForeignKey(
        WorkingGroup, on_delete=models.CASCADE, related_name="members", verbose_name=_("Pokja")
    )
    name = models.CharField(_("name"), max_length=200)
    position = models.CharField(_("position"), max_length=10, choices=Position.choices, default=Position.MEMBER)
    # A member's title is their post (jabatan), not a document's title (judul).
    title = models.CharField(pgettext_lazy("a person's post", "title"), max_length=200, blank=True)
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pokja_members",
        verbose_name=_("agency"),
    )

    # Raised by every save through the services; an edit form carries it (milestones/services/edits.py).
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        ordering = ["working_group", "position", "name"]
        verbose_name = _("Pokja member")
        verbose_name_plural = _("Pokja members")

    def __str__(self):
        return self.name


class Role(models.TextChoices):
    REGENCY_OFFICER = "regency_officer", _("Regency officer")
    PROVINCIAL_STAFF = "provincial_staff", _("Provincial Pokja staff")
    BALAI_STAFF = "balai_staff", _("Balai staff")
    NATIONAL = "national", _("National Pokja PPAS")
    COORDINATOR = "coordinator", _("Coordinator")
    ADMINISTRATOR = "administrator", _("Administrator")


class UserRole(models.Model):
    """What a user may do (role) and where (scope). The scope is the one region field the role needs;
    a coordinator's scope is any one of them, or none for the whole nation."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ssk_role", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("province")
    )
    regency = models.ForeignKey(
        Regency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("regency"),
    )
    balai = models.ForeignKey(
        Balai, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("Balai")
    )

    class Meta:
        verbose_name = _("user role")
        verbose_name_plural = _("user roles")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(role="regency_officer", regency__isnull=False, province__isnull=True, balai__isnull=True)
                    | Q(role="provincial_staff", province__isnull=False, regency__isnull=True, balai__isnull=True)
                    | Q(role="balai_staff", balai__isnull=False, province__isnull=True, regency__isnull=True)
                    | Q(
                        role__in=["national", "administrator"],
                        province__isnull=True,
                        regency__isnull=True,
                        balai__isnull=True,
                    )
                    | Q(role="coordinator", province__isnull=True, regency__isnull=True, balai__isnull=True)
                    | Q(role="coordinator", province__isnull=False, regency__isnull=True, balai__isnull=True)
                    | Q(role="coordinator", province__isnull=True, regency__isnull=False, balai__isnull=True)
                    | Q(role="coordinator", province__isnull=True, regency__isnull=True, balai__isnull=False)
                ),
                name="user_role_scope_matches_role",
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()}"

    # Which region field each role needs; a coordinator may have one or none (nation).
    REQUIRED_FIELD = {
        Role.REGENCY_OFFICER: "regency",
        Role.PROVINCIAL_STAFF: "province",
        Role.BALAI_STAFF: "balai",
    }

    def clean(self):
        from django.core.exceptions import ValidationError

        set_fields = [f for f in ("province", "regency", "balai") if getattr(self, f"{f}_id")]
        required = self.REQUIRED_FIELD.get(self.role)
        if required:
            errors = {f: _("This role does not use this field.") for f in set_fields if f != required}
            if required not in set_fields:
                errors[required] = _("This role needs its working area.")
            if errors:
                raise ValidationError(errors)
        elif self.role == Role.COORDINATOR:
            if len(set_fields) > 1:
                raise ValidationError(
                    _(
                        "A coordinator has one scope only: a province, a regency or a Balai "
                        "(leave all empty for the whole nation)."
                    )
                )
        elif set_fields:
            raise ValidationError(_("This role covers all of Indonesia; leave province, regency and Balai empty."))


class RegionShape(models.Model):
    """A region's outline as SVG path data, projected and simplified once by ``load_boundaries``
    (``regencies.boundaries``): pages and reports draw maps from these rows, never from the GeoJSON.

    ``path`` is the region on the national map (a province, or a regency on the national report's map of
    all regencies); a regency's ``local_path`` is the same on its province's map. ``width`` × ``height`` is
    the frame a row is the map of: the nation's row (code ``ID``) the national map's, a province's its own.
    Codes are the regions' codes (``62``, ``62.13``); a shape may exist for a region not (yet) loaded."""

    NATION = "ID"

    class Level(models.TextChoices):
        NATION = "nation", _("Nation")
        PROVINCE = "province", _("Province")
        REGENCY = "regency", _("Regency")

    code = models.CharField(_("code"), max_length=5, primary_key=True)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    province_code = models.CharField(_("province code"), max_length=2, blank=True, db_index=True)
    name = models.CharField(_("name"), max_length=100, blank=True)
    path = models.TextField(_("path on the national map"), blank=True)
    label_x = models.FloatField(default=0)
    label_y = models.FloatField(default=0)
    local_path = models.TextField(_("path on the province's map"), blank=True)
    local_label_x = models.FloatField(default=0)
    local_label_y = models.FloatField(default=0)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    source_digest = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("region shape")
        verbose_name_plural = _("region shapes")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ApiToken(models.Model):
    """A user's key to the REST API (/api/v1/), reaching exactly what the user reaches on the web (the scope
    of their UserRole). Only the key's SHA-256 hash is stored; the key itself is shown once, when created
    (regencies.tokens.create_token). A revoked token stays as the record of when it was revoked."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("key prefix"), max_length=8)
    key_hash = models.CharField(_("key hash (SHA-256)"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
