"""The reader's language, chosen without a language prefix in the address.

Addresses are the same in every language so that links, the CSV and the API never break. The
language therefore comes from the cookie that the language switcher sets, else from the browser's
Accept-Language; a cache must key a page on both.
"""

from django.middleware.locale import LocaleMiddleware
from django.utils.cache import patch_vary_headers


class ReaderLanguageMiddleware(LocaleMiddleware):
    def process_response(self, request, response):
        response = super().process_response(request, response)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response
