def milestone_detail(request, pk): raise NotImplementedError
def update_create(request, pk): raise NotImplementedError
def update_edit(request, pk): raise NotImplementedError
def update_submit(request, pk): raise NotImplementedError
def update_approve(request, pk): raise NotImplementedError
def update_return(request, pk): raise NotImplementedError
def milestone_reopen(request, pk): raise NotImplementedError
def milestone_plan(request, pk): raise NotImplementedError
def review_queue(request): raise NotImplementedError
