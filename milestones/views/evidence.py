def evidence_download(request, pk): raise NotImplementedError
def evidence_remove(request, pk): raise NotImplementedError
