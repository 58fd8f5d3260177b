import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()

# The objects made while loading (modules, URL patterns, models: about 75,000) live as long as
# the process. Frozen, they are left out of the garbage collector's full collections, which
# otherwise paused a request for 100 ms now and then; a full collection now takes 20 to 40 ms.
# Worker processes forked from a preloading parent also keep sharing these objects' memory.
gc.freeze()
