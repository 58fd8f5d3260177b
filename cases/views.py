from django.views.generic import DetailView

from core.views import PermanentAddressView

from .models import Case
from .pages import public_contents


class CaseDetailView(DetailView):
    template_name = "cases/case_detail.html"
    context_object_name = "case"

    def get_queryset(self):
        return Case.objects.public()

    def get_context_data(self, **kwargs):
        return super().get_context_data(**public_contents(self.object), **kwargs)


class CasePermanentAddressView(PermanentAddressView):
    def get_queryset(self):
        return Case.objects.public()
