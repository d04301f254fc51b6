from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from regencies import scoping, selectors


@login_required
def home(request):
    scope = scoping.scope_for(request.user)
    context = {"scope": scope}
    if scope.regency_code:
        context["regency"] = scoping.get_regency_or_404(request.user, scope.regency_code)
    elif not scope.is_empty:
        context["provinces"] = selectors.provinces_for_home(request.user)
        if len(scope.province_codes) == 1:
            province = scoping.get_province_or_404(request.user, next(iter(scope.province_codes)))
            context["province"] = province
            context["regencies"] = selectors.regencies_of_province(request.user, province)
    return render(request, "regencies/home.html", context)
