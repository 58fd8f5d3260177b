"""Imports in the admin: upload a file, read what each row would do (nothing written), then
confirm; the list of imports, each with who, when, the file's SHA-256 and counts; undo.

Between the dry run and the confirmation the file waits in IMPORT_PENDING_ROOT under its SHA-256,
named in a signed token in the confirmation form, so the file confirmed is the file checked.
"""

import hashlib

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from incidents.workflow import WorkflowError

from . import importing, layout
from .models import ImportBatch, ImportedIncident
from .reading import BadFile, check_size, file_format, read_file

IMPORT_PERMISSION = "exchange.add_importbatch"
TOKEN_SALT = "exchange.import"
TEMPLATES = {
    "csv": ("text/csv; charset=utf-8", layout.csv_template),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", layout.xlsx_template),
    "json": ("application/json", layout.json_template),
}


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"), help_text=gettext_lazy("CSV (UTF-8), XLSX or JSON, in the layout described below.")
    )
    create_missing = forms.BooleanField(
        label=gettext_lazy("Create the people, organisations, places and sources that match no record"),
        required=False,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            check_size(upload.size)
            file_format(upload.name)
        except BadFile as error:
            raise forms.ValidationError(str(error)) from error
        return upload


class ImportedIncidentInline(admin.TabularInline):
    model = ImportedIncident
    fields = ["row_number", "incident", "action"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "file_name",
        "created_by",
        "created_count",
        "updated_count",
        "unchanged_count",
        "error_count",
        "undone_at",
    ]
    list_select_related = ["created_by"]
    readonly_fields = [
        "created_by",
        "created_at",
        "file_name",
        "file_sha256",
        "file_format",
        "create_missing",
        "created_count",
        "updated_count",
        "unchanged_count",
        "error_count",
        "undone_at",
        "undone_by",
    ]
    exclude = ["created_records"]
    inlines = [ImportedIncidentInline]
    change_form_template = "admin/exchange/importbatch/change_form.html"
    change_list_template = "admin/exchange/importbatch/change_list.html"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        own = [
            path("import/", self.admin_site.admin_view(self.import_view), name="exchange_importbatch_import"),
            path(
                "template.<str:extension>",
                self.admin_site.admin_view(self.template_view),
                name="exchange_importbatch_template",
            ),
            path("<int:batch_id>/undo/", self.admin_site.admin_view(self.undo_view), name="exchange_importbatch_undo"),
        ]
        return own + super().get_urls()

    def changelist_view(self, request, extra_context=None):
        context = {"may_import": request.user.has_perm(IMPORT_PERMISSION), **(extra_context or {})}
        return super().changelist_view(request, context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["undo_refusal"] = importing.undo_refusal(obj) if obj is not None else ""
        return super().render_change_form(request, context, add, change, form_url, obj)

    def template_view(self, request, extension: str):
        if extension not in TEMPLATES:
            raise Http404
        content_type, build = TEMPLATES[extension]
        response = HttpResponse(build(), content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="vigil-import-template.{extension}"'
        return response

    def import_view(self, request):
        if not request.user.has_perm(IMPORT_PERMISSION):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import records"),
            "columns": layout.COLUMNS,
            "derived_columns": layout.DERIVED_COLUMNS.items(),
            "max_megabytes": round(settings.IMPORT_MAX_BYTES / 2**20),
        }
        if request.method == "POST" and "token" in request.POST:
            return self.confirm(request, context)
        form = UploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            content = upload.read()
            try:
                imported = read_file(upload.name, content)
            except BadFile as error:
                form.add_error("file", f"{error} {_('Nothing was imported.')}")
            else:
                create_missing = form.cleaned_data["create_missing"]
                checked = importing.check(imported, create_missing=create_missing)
                token = keep_pending(content, upload.name, create_missing, request.user)
                context.update(checked=checked, summary=checked.summary(), token=token, file_name=upload.name)
                return TemplateResponse(request, "admin/exchange/import_preview.html", context)
        context["form"] = form
        return TemplateResponse(request, "admin/exchange/import.html", context)

    def confirm(self, request, context):
        """The confirmation of a dry run: the same file checked again (records may have changed
        since), written if it still has no errors or the user chose to import the valid rows."""
        try:
            pending = signing.loads(request.POST["token"], salt=TOKEN_SALT, max_age=24 * 3600)
        except signing.BadSignature:
            messages.error(request, _("This dry run is too old or was altered: upload the file again."))
            return redirect("admin:exchange_importbatch_import")
        path_of_file = settings.IMPORT_PENDING_ROOT / pending["sha256"]
        if pending["user"] != request.user.pk or not path_of_file.exists():
            messages.error(request, _("This dry run is no longer waiting: upload the file again."))
            return redirect("admin:exchange_importbatch_import")
        content = path_of_file.read_bytes()
        checked = importing.check(read_file(pending["name"], content), create_missing=pending["create_missing"])
        summary = checked.summary()
        if summary["error"] and not request.POST.get("valid_rows_only"):
            messages.error(
                request,
                _("Rows have errors: nothing was imported. Correct the file, or choose to import the valid rows."),
            )
            context.update(checked=checked, summary=summary, token=request.POST["token"], file_name=pending["name"])
            return TemplateResponse(request, "admin/exchange/import_preview.html", context)
        batch = importing.write(
            checked,
            user=request.user,
            file_name=pending["name"],
            file_sha256=pending["sha256"],
            file_format=file_format(pending["name"]),
            create_missing=pending["create_missing"],
        )
        path_of_file.unlink(missing_ok=True)
        messages.success(
            request,
            _(
                "Imported: %(created)s created, %(updated)s updated, %(unchanged)s unchanged. "
                "New incidents are drafts, for review."
            )
            % summary,
        )
        return redirect(reverse("admin:exchange_importbatch_change", args=[batch.pk]))

    def undo_view(self, request, batch_id: int):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not request.user.has_perm(IMPORT_PERMISSION):
            raise PermissionDenied
        batch = get_object_or_404(ImportBatch, pk=batch_id)
        try:
            importing.undo(batch, by=request.user)
        except WorkflowError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The import is undone: its incidents and the records it created are gone."))
        return redirect(reverse("admin:exchange_importbatch_change", args=[batch.pk]))


def keep_pending(content: bytes, name: str, create_missing: bool, user) -> str:
    """Keep the checked file until it is confirmed; the token names it, signed."""
    sha256 = hashlib.sha256(content).hexdigest()
    settings.IMPORT_PENDING_ROOT.mkdir(parents=True, exist_ok=True)
    (settings.IMPORT_PENDING_ROOT / sha256).write_bytes(content)
    return signing.dumps(
        {"sha256": sha256, "name": name, "create_missing": create_missing, "user": user.pk}, salt=TOKEN_SALT
    )
