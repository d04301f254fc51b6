"""My tasks: what needs the signed-in user's attention now (the home page's list, in full; the digest reminds of
what of it has gone stale).

A long list (more than ``LIST_LIMIT`` items for a user who sees several areas) opens on its summary: the
nation's by province, a province's by regency, a count per area and kind of task; ``?wilayah=<code>``
lists one area's items and ``&jenis=<rule>`` one kind of them, paged.
"""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from milestones.selectors import reminders as selectors
from ssk_tracker.lib.params import page_param


@login_required
def my_tasks(request):
    tasks = selectors.tasks(request.user, timezone.localdate(), mode=selectors.Mode.NOW)
    area = request.GET.get("wilayah") or None
    if area is not None and area not in tasks.area_codes():
        area = None  # not one of the user's areas with something pending: the whole list (or its summary)
    rule = selectors.Rule(request.GET["jenis"]) if request.GET.get("jenis") in selectors.Rule.values else None
    context = {"tasks": tasks, "count": tasks.total, "area": None, "rule": rule}
    if tasks.is_long and area is None and rule is None:
        context["areas"] = tasks.areas()
    else:
        if area is not None:
            context["area"] = next(row for row in tasks.areas() if row.code == area)
        page = Paginator(tasks.items(area=area, rule=rule), selectors.LIST_LIMIT).get_page(page_param(request))
        context.update(page_obj=page, groups=selectors.group(page.object_list))
    return render(request, "milestones/reminders/my_tasks.html", context)
