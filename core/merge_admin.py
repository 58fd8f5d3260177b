"""The admin's merge pages for people and organisations (`core.merging`): a Verifier picks the
record entered twice, chooses field by field what the kept record says, and can undo the merge
from the kept record's page while nobody has changed it since."""

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _

from . import merging
from .models import Merge

# Who merges: the role that verifies what is published, as a merge changes published records.
MERGE_PERMISSION = "incidents.verify_incident"


class MergesAdmin:
    """For a ModelAdmin of people or organisations; its form's `find_duplicates` suggests whom to merge."""

    def get_urls(self):
        opts = self.model._meta
        own = [
            path(
                "<path:object_id>/merge/",
                self.admin_site.admin_view(self.merge_view),
                name=f"{opts.app_label}_{opts.model_name}_merge",
            ),
            path(
                "<path:object_id>/merge/<int:merge_id>/undo/",
                self.admin_site.admin_view(self.undo_merge_view),
                name=f"{opts.app_label}_{opts.model_name}_undo_merge",
            ),
        ]
        return own + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        merges = []
        if request.user.has_perm(MERGE_PERMISSION):
            content_type = ContentType.objects.get_for_model(self.model)
            for record in Merge.objects.filter(content_type=content_type, kept_id=object_id, undone_at__isnull=True):
                record.refusal = merging.undo_refusal(record)
                merges.append(record)
        context = {"merges": merges, "may_merge": request.user.has_perm(MERGE_PERMISSION), **(extra_context or {})}
        return super().change_view(request, object_id, form_url, context)

    def _merge_url(self, name: str, *args) -> str:
        opts = self.model._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_{name}", args=args)

    def merge_view(self, request, object_id):
        if not request.user.has_perm(MERGE_PERMISSION):
            raise PermissionDenied
        kept = get_object_or_404(self.model, pk=object_id)
        chosen = (request.POST.get("other") or request.GET.get("other") or request.GET.get("address", "")).strip()
        other = self.model.objects.exclude(pk=kept.pk).filter(slug=chosen).first() if chosen else None
        problem = ""
        if chosen and other is None:
            problem = _("No other record has the address “%(slug)s”.") % {"slug": chosen}
        if request.method == "POST" and other is not None:
            take = {name.removeprefix("take_") for name, value in request.POST.items() if value == "other"}
            try:
                record = merging.merge(kept, other, take=take, by=request.user)
            except merging.MergeError as error:
                problem = str(error)
            else:
                messages.success(
                    request,
                    _("“%(other)s” is merged into this record; its old address leads here. Undo it below if needed.")
                    % {"other": record.merged_name},
                )
                return redirect(self._merge_url("change", kept.pk))
        form = self.get_form(request, kept)(instance=kept)
        candidates = form.find_duplicates(kept.name) if other is None else []
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Merge another record into “%(record)s”") % {"record": kept},
            "kept": kept,
            "other": other,
            "candidates": candidates,
            "differences": merging.differences(kept, other) if other else [],
            "problem": problem,
        }
        return TemplateResponse(request, "admin/merge.html", context)

    def undo_merge_view(self, request, object_id, merge_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not request.user.has_perm(MERGE_PERMISSION):
            raise PermissionDenied
        content_type = ContentType.objects.get_for_model(self.model)
        record = get_object_or_404(Merge, pk=merge_id, content_type=content_type, kept_id=object_id)
        try:
            merging.undo(record, by=request.user)
        except merging.MergeError as error:
            messages.error(request, str(error))
            return redirect(self._merge_url("change", object_id))
        messages.success(
            request, _("The merge is undone: “%(other)s” is a record of its own again.") % {"other": record.merged_name}
        )
        return redirect(self._merge_url("change", record.merged_id))
