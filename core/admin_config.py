from django.contrib.admin.apps import AdminConfig


class VigilAdminConfig(AdminConfig):
    """The admin, with Vigil's site: sign-in with a second factor for the roles that need one."""

    default_site = "core.sites.VigilAdminSite"
