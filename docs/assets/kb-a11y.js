// Tables wider than a phone's screen scroll sideways inside their wrapper; a keyboard user must be
// able to reach and scroll them too (WCAG 2.1.1), so such wrappers become focusable regions named
// after their table (numbered when several tables share a heading: regions need distinct names).
// A line above such a table says that it scrolls (the last column of a wide table was off the
// screen without a hint); it is there only while the table is wider than its wrapper.
(function () {
  "use strict";
  var HINT = {
    zh: "表格较宽，可左右滑动查看全部内容。",
    en: "This table is wider than the screen: scroll sideways to see all of it."
  };
  function hint(wrapper, on) {
    var before = wrapper.previousElementSibling;
    var shown = before && before.classList.contains("kb-scroll-hint") ? before : null;
    if (on && !shown) {
      var p = document.createElement("p");
      p.className = "kb-scroll-hint";
      p.setAttribute("aria-hidden", "true");  // the region's name and the table itself say it
      p.textContent = HINT[document.documentElement.lang === "en" ? "en" : "zh"];
      wrapper.parentNode.insertBefore(p, wrapper);
    } else if (!on && shown) {
      shown.parentNode.removeChild(shown);
    }
  }
  function label(wrapper) {
    var caption = wrapper.querySelector("caption");
    if (caption) return caption.textContent.trim();
    var heading = wrapper.previousElementSibling;
    while (heading && !/^H[1-6]$/.test(heading.tagName)) heading = heading.previousElementSibling;
    return (heading ? heading.textContent.trim() + " – " : "") + (document.documentElement.lang === "zh" ? "表格" : "table");
  }
  function update() {
    var wrappers = document.querySelectorAll(".md-typeset__scrollwrap, .md-typeset__table, .kb-table-wrap");
    var used = {};
    Array.prototype.forEach.call(document.querySelectorAll('[role="region"][aria-label]'), function (el) {
      used[el.getAttribute("aria-label")] = true;
    });
    Array.prototype.forEach.call(wrappers, function (el) {
      // Material's Markdown tables: .md-typeset__scrollwrap scrolls, around .md-typeset__table
      if (!el.classList.contains("md-typeset__table")) hint(el, el.scrollWidth > el.clientWidth + 1);
      if (el.scrollWidth > el.clientWidth + 1) {
        el.setAttribute("tabindex", "0");
        el.setAttribute("role", "region");
        if (!el.hasAttribute("aria-label")) {
          var name = label(el);
          for (var n = 2; used[name]; n++) name = label(el) + " " + n;
          used[name] = true;
          el.setAttribute("aria-label", name);
        }
      } else if (el.getAttribute("tabindex") === "0") {
        el.removeAttribute("tabindex");
        el.removeAttribute("role");
        el.removeAttribute("aria-label");
      }
    });
  }
  function schedule() { window.requestAnimationFrame(update); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", schedule);
  else schedule();
  window.addEventListener("load", schedule);
  window.addEventListener("resize", schedule);
})();

// A button that opens the site's search box (the 404 page's "搜索本站"): Material's search is the
// header's toggle `__search`; checking it and telling Material (a change event) opens the box,
// whose input then takes the focus. The button is written hidden and shown here, so that a
// browser without JavaScript shows no button that does nothing.
(function () {
  "use strict";
  function open() {
    var toggle = document.getElementById("__search");
    if (!toggle) return;
    toggle.checked = true;
    toggle.dispatchEvent(new Event("change"));
    var input = document.querySelector("input.md-search__input");
    if (input) input.focus();
  }
  function init() {
    Array.prototype.forEach.call(document.querySelectorAll(".kb-open-search"), function (button) {
      button.hidden = false;
      button.addEventListener("click", open);
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
