// Photos open in GLightbox (mkdocs-glightbox), whose dialog has no accessible name and which
// leaves the focus on the page when it closes. Name the dialog, and give the focus back to the
// photo that opened it (WCAG 4.1.2, 2.4.3). Only pages with photos load GLightbox.
(function () {
  "use strict";
  if (!document.querySelector("a.glightbox")) return;
  var opener = null;
  document.addEventListener(
    "click",
    function (event) {
      var link = event.target.closest && event.target.closest("a.glightbox");
      if (link) opener = link;
    },
    true
  );
  new MutationObserver(function () {
    var box = document.getElementById("glightbox-body");
    if (box && !box.hasAttribute("aria-label")) {
      box.setAttribute("aria-label", document.documentElement.lang === "zh" ? "查看照片" : "Photo viewer");
      box.setAttribute("aria-modal", "true");
    } else if (!box && opener) {
      var link = opener;
      opener = null;
      link.focus();
    }
  }).observe(document.body, { childList: true });
})();
