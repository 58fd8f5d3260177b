import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()

# The objects made while loading (modules, URL patterns, models) live as long as the process.
# Frozen, they are left out of the garbage collector's full collections, which otherwise walked
# them all and paused a request now and then. Worker processes forked from a preloading parent
# also keep sharing these objects' memory.
gc.freeze()

# A list page allocates hundreds of thousands of objects (rows, model instances, template
# nodes). At the default threshold of 700 allocations the collector runs many times during one
# list request, and a full collection, walking the rows the request still holds, falls into
# many requests. At 10,000 it runs about once a request and full collections become rare
# (the benchmark's p95 in bench/results shows the difference).
gc.set_threshold(10_000, 10, 10)
