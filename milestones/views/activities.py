urlpatterns = []  # being built
