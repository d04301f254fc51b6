from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from regencies import scoping, selectors


@login_required
def province_dashboard(request, code):
    province = scoping.get_province_or_404(request.user, code)
    return render(
        request,
        "regencies/province_detail.html",
        {
            "province": province,
            "regencies": selectors.regencies_of_province(request.user, province),
            "working_group": selectors.working_group_with_members(level="provincial", province=province),
            "balai_list": selectors.balai_of_province(province),
        },
    )


@login_required
def national_overview(request):
    raise NotImplementedError  # being built


@login_required
def province_chart_svg(request, code):
    raise NotImplementedError  # being built
