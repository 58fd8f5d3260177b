// Autocomplete fields (select2) draw a box of their own in place of the field, and that box has
// no name for screen readers: give each part of it the name of the field it stands for, from the
// field's label (or, in a table of rows, its column's name), again whenever select2 redraws it.
(function () {
  "use strict";

  function nameOf(select) {
    var label = select.id ? document.querySelector('label[for="' + select.id + '"]') : null;
    var text = label ? label.textContent.replace(/:\s*$/, "").trim() : "";
    return text || select.getAttribute("aria-label") || "";
  }

  function labelAutocompletes() {
    document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var name = nameOf(select);
      var box = select.nextElementSibling;
      if (!name || !box || !box.classList.contains("select2")) {
        return;
      }
      box.querySelectorAll(".select2-selection, .select2-selection__rendered, .select2-search__field").forEach(
        function (part) {
          if (part.getAttribute("aria-label") !== name) {
            part.setAttribute("aria-label", name);
          }
        }
      );
    });
  }

  window.addEventListener("load", function () {
    labelAutocompletes();
    new MutationObserver(labelAutocompletes).observe(document.body, { childList: true, subtree: true });
  });
})();
