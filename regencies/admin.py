from django import forms
from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

# The admin's Pokja page uses the tracker's one edit-conflict mechanism (the forms' side lives in milestones).
from milestones.forms.edits import LOADED_FIELD, VERSION_FIELD, loaded_version, show_conflict, track_version
from milestones.services.edits import EditConflict, bump_versions
from regencies.models import Agency, ApiToken, Balai, Province, Regency, UserRole, WorkingGroup, WorkingGroupMember


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "population", "area_km2"]
    search_fields = ["code", "name"]


@admin.register(Regency)
class RegencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "province", "population", "area_km2"]
    list_filter = ["kind", "province"]
    search_fields = ["code", "name"]
    list_select_related = ["province"]


@admin.register(Balai)
class BalaiAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name"]
    filter_horizontal = ["provinces"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "province", "regency"]
    search_fields = ["name", "short_name"]
    autocomplete_fields = ["province", "regency"]


class WorkingGroupMemberInline(admin.TabularInline):
    model = WorkingGroupMember
    extra = 1
    autocomplete_fields = ["agency"]


class WorkingGroupForm(forms.ModelForm):
    """A Pokja with its members, saved at the version it was loaded at: two administrators editing the
    same Pokja do not overwrite each other (the second sees what changed, field by field)."""

    # Declared here so that the admin renders them (hidden); filled by ``track_version``.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    loaded_values = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = WorkingGroup
        fields = ["level", "variant", "name", "province", "regency", "decree_number", "decree_date"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.locked_version: int | None = None
        if self.instance.pk:
            track_version(self, self.instance, children=["members"])

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            # The admin validates and saves in one transaction: the row stays locked until the save.
            current = WorkingGroup.objects.select_for_update().filter(pk=self.instance.pk).first()
            if current is None or current.version != loaded_version(self):
                show_conflict(self, EditConflict(current))
            else:
                self.locked_version = current.version
        for name in (VERSION_FIELD, LOADED_FIELD):
            cleaned.pop(name, None)
        return cleaned


@admin.register(WorkingGroup)
class WorkingGroupAdmin(admin.ModelAdmin):
    form = WorkingGroupForm
    list_display = ["name", "level", "variant", "province", "regency", "decree_number", "decree_date"]
    list_filter = ["level", "variant"]
    search_fields = ["name"]
    autocomplete_fields = ["province", "regency"]
    inlines = [WorkingGroupMemberInline]

    def get_form(self, request, obj=None, change=False, **kwargs):
        # The hidden fields are the form's own, not the model's: the page shows them, the model form skips them.
        if "fields" not in kwargs:
            kwargs["fields"] = flatten_fieldsets(self.get_fieldsets(request, obj))
        if kwargs["fields"] is not None:  # (None: the admin itself asking which fields there are)
            kwargs["fields"] = [name for name in kwargs["fields"] if name not in (VERSION_FIELD, LOADED_FIELD)]
        return super().get_form(request, obj, change, **kwargs)

    def save_model(self, request, obj, form, change):
        if change and form.locked_version is not None:
            obj.version = form.locked_version + 1  # every save of the page: members are guarded by it too
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        bump_versions(WorkingGroupMember.objects.filter(pk__in=[member.pk for member, _ in formset.changed_objects]))


@admin.register(UserRole)
class UserRoleAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "province", "regency", "balai"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__email"]
    autocomplete_fields = ["user", "province", "regency"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Users' API tokens, for revoking a leaked one: a user makes their own on /akun/token/ (the key is never
    stored, so there is nothing to add or read here)."""

    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["user__username", "name", "prefix"]
    readonly_fields = ["user", "name", "prefix", "created_at", "last_used_at", "revoked_at"]
    exclude = ["key_hash"]
    actions = ["revoke"]

    def has_add_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        revoked = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        self.message_user(request, ngettext("%d token revoked.", "%d tokens revoked.", revoked) % revoked)
