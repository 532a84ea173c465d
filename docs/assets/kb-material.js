// Loaded before Material's bundle (overrides/main.html). Two corrections to Material 9.8's
// behaviour, documented with the markup fixes in scripts/kb/html_fixes.py.
(function () {
  "use strict";
  // 1. On DOMContentLoaded Material reads every <link rel="alternate"> and fetches "sitemap.xml"
  //    beside its href, to map pages between language versions. Here those links are the Atom
  //    feed (which made every page view fetch /sitemap.xml) and the per-page language versions
  //    from mkdocs-static-i18n (which made it fetch <page>/sitemap.xml: a 404 on every page). The
  //    language menu already links each page's own translation, so Material is not to see them:
  //    this listener runs before Material's (it is registered first), hides the links for the
  //    moment Material looks, and puts them back once the event is over. The HTML that crawlers
  //    and feed readers read keeps them as they are.
  document.addEventListener("DOMContentLoaded", function () {
    var links = Array.prototype.slice.call(document.querySelectorAll('link[rel="alternate"]'));
    links.forEach(function (link) { link.setAttribute("rel", "kb-alternate"); });
    window.setTimeout(function () {
      links.forEach(function (link) { link.setAttribute("rel", "alternate"); });
    }, 0);
  });
  // 2. Material marks its drawer and search toggles autocomplete="off" so that Firefox does not
  //    bring them back open on Back/Forward; that attribute is invalid on checkboxes and is
  //    removed at build time, so both are closed here when a page is shown again.
  window.addEventListener("pageshow", function () {
    ["__drawer", "__search"].forEach(function (id) {
      var toggle = document.getElementById(id);
      if (toggle && toggle.checked) {
        toggle.checked = false;
        toggle.dispatchEvent(new Event("change"));
      }
    });
  });
})();
