from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Criminal cases and custody")

    def ready(self):
        # Stages, sentences and custody periods are rows of the incident that documents them:
        # they pass its review, and a correction of the incident copies and applies them too.
        from incidents.workflow import register_child_rows

        from . import signals  # noqa: F401
        from .models import CaseStage, CustodyPeriod, Sentence

        register_child_rows(
            CaseStage,
            "incident",
            new=_("new stage of a case: %(row)s"),
            changed=_("changed stage of a case “%(row)s”: %(fields)s"),
            removed=_("removed stage of a case: %(row)s"),
        )
        register_child_rows(
            Sentence,
            "incident",
            new=_("new sentence: %(row)s"),
            changed=_("changed sentence “%(row)s”: %(fields)s"),
            removed=_("removed sentence: %(row)s"),
        )
        register_child_rows(
            CustodyPeriod,
            "incident",
            new=_("new custody period: %(row)s"),
            changed=_("changed custody period “%(row)s”: %(fields)s"),
            removed=_("removed custody period: %(row)s"),
        )
