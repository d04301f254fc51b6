urlpatterns = []  # being built: SSK documents, QA, policy packages, monitoring
