from django.contrib import admin

from regencies.models import Agency, Balai, Province, Regency, UserRole, WorkingGroup, WorkingGroupMember


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


@admin.register(WorkingGroup)
class WorkingGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "variant", "province", "regency", "decree_number", "decree_date"]
    list_filter = ["level", "variant"]
    search_fields = ["name"]
    autocomplete_fields = ["province", "regency"]
    inlines = [WorkingGroupMemberInline]


@admin.register(UserRole)
class UserRoleAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "province", "regency", "balai"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__email"]
    autocomplete_fields = ["user", "province", "regency"]
