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

# A list page allocates hundreds of thousands of objects (rows, model instances, template
# nodes). At the default threshold of 700 allocations the collector ran 14 times during one
# /incidents/ request and a full collection (10 to 17 ms, walking the rows the request still
# holds) fell into one request in ten. At 10,000 it runs about once a request and full
# collections become rare: at a million incidents, /incidents/ p95 58 -> 50 ms, the busiest
# person's page 42 -> 36 ms.
gc.set_threshold(10_000, 10, 10)
