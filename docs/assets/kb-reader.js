// Reader tools for older readers (适老化; issue 18): a 大字 / Large text switch and a 朗读 / Read
// aloud bar, together at the top of the article on every screen. (The switch was in the header: on
// a phone it cut the site's name to "政协门…", and on a desktop the header grew under the pointer
// that had just clicked it, opening the language menu there.) Loaded synchronously in <head>
// (overrides/partials/kb-reader-head.html): the first lines apply a saved large-text choice before
// anything is painted; the controls are made once the page is parsed, and again after each of
// Material's instant page loads if that feature is ever switched on. No inline script: the site's
// Content-Security-Policy allows only scripts from the site itself.
//
// The controls are made here rather than written into the templates, so that without JavaScript
// no dead button is shown, and the pages' text (search, fidelity checks) carries no button labels.
(function () {
  "use strict";
  var KEY = "kb-large-text";
  var CLASS = "kb-large";
  var root = document.documentElement;

  function stored() {
    try { return window.localStorage.getItem(KEY) === "1"; } catch (e) { return false; }
  }
  function store(on) {
    try {
      if (on) window.localStorage.setItem(KEY, "1");
      else window.localStorage.removeItem(KEY);
    } catch (e) { /* storage refused (private mode): the choice lasts for this page only */ }
  }
  if (stored()) root.classList.add(CLASS);

  var WORDS = {
    zh: { large: "大字", read: "朗读本页", pause: "暂停", resume: "继续", stop: "停止", bar: "朗读" },
    en: { large: "Large text", read: "Read aloud", pause: "Pause", resume: "Resume", stop: "Stop", bar: "Read aloud" }
  };
  function lang() { return root.lang === "en" ? "en" : "zh"; }
  function words() { return WORDS[lang()]; }

  // --- Large text ------------------------------------------------------------------------------
  function setLarge(on) {
    root.classList.toggle(CLASS, on);
    Array.prototype.forEach.call(document.querySelectorAll(".kb-large-toggle"), function (b) {
      b.setAttribute("aria-pressed", on ? "true" : "false");
    });
  }
  function largeButton(tools) {
    if (tools.querySelector(".kb-large-toggle")) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "md-button kb-large-toggle";
    button.textContent = words().large;
    button.setAttribute("aria-pressed", root.classList.contains(CLASS) ? "true" : "false");
    button.addEventListener("click", function () {
      var on = !root.classList.contains(CLASS);
      setLarge(on);
      store(on);
    });
    tools.insertBefore(button, tools.firstChild);
  }
  // The tools' row, first in the article. A page with nothing to read aloud (the 404 page) says so
  // with data-kb-no-speech on an element of its content; it still gets the large-text switch.
  function toolsRow(article) {
    var tools = article.querySelector(".kb-reader-tools");
    if (tools) return tools;
    tools = document.createElement("div");
    tools.className = "kb-reader-tools";
    article.insertBefore(tools, article.firstChild);
    return tools;
  }
  // Another tab changed the setting.
  window.addEventListener("storage", function (e) { if (e.key === KEY) setLarge(stored()); });

  // --- Read aloud ------------------------------------------------------------------------------
  var speech = { session: 0, paused: false };

  function canSpeak() {
    return typeof window.speechSynthesis === "object" && window.speechSynthesis !== null &&
      typeof window.SpeechSynthesisUtterance === "function";
  }
  function shown(el) {
    return !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
  }
  // The article's text in reading order, one piece per block, each with the language it is
  // written in (an English page shows untranslated Chinese text in a lang="zh" wrapper).
  function pieces(article) {
    var out = [];
    (function walk(el, language) {
      Array.prototype.forEach.call(el.children, function (child) {
        if (child.classList.contains("kb-reader-tools") || child.classList.contains("kb-scroll-hint") || !shown(child)) return;
        var own = child.getAttribute("lang") || language;
        if (child.tagName === "DIV" && child.hasAttribute("lang") && child.children.length) {
          walk(child, own);
          return;
        }
        var text = (child.innerText || "").trim();
        if (text) out.push({ text: text, lang: own });
      });
    })(article, lang());
    return out;
  }
  // Short utterances: engines stop or refuse long ones (Chromium cuts off after about 15 s).
  function sentences(text) {
    var parts = [];
    text.split(/\n+/).forEach(function (line) {
      line = line.trim();
      while (line.length > 160) {
        var cut = -1;
        var m;
        var re = /[。！？；.!?;]/g;
        while ((m = re.exec(line)) && m.index < 160) cut = m.index + 1;
        if (cut <= 0) cut = line.lastIndexOf(" ", 160) > 40 ? line.lastIndexOf(" ", 160) + 1 : 160;
        parts.push(line.slice(0, cut).trim());
        line = line.slice(cut).trim();
      }
      if (line) parts.push(line);
    });
    return parts;
  }
  function voiceFor(code) {
    var voices = window.speechSynthesis.getVoices ? window.speechSynthesis.getVoices() : [];
    var prefix = code.slice(0, 2).toLowerCase();
    var exact = null;
    var near = null;
    for (var i = 0; i < voices.length; i++) {
      var v = (voices[i].lang || "").replace("_", "-").toLowerCase();
      if (v === code.toLowerCase() && !exact) exact = voices[i];
      if (v.slice(0, 2) === prefix && !near) near = voices[i];
    }
    return exact || near;
  }
  function setState(bar, state) {
    var w = words();
    bar.setAttribute("data-state", state);
    bar.querySelector("[data-kb-speech=start]").hidden = state !== "idle";
    var pause = bar.querySelector("[data-kb-speech=pause]");
    pause.hidden = state === "idle";
    pause.textContent = state === "paused" ? w.resume : w.pause;
    bar.querySelector("[data-kb-speech=stop]").hidden = state === "idle";
  }
  function start(bar, article) {
    var synth = window.speechSynthesis;
    synth.cancel();
    var session = ++speech.session;
    var queue = [];
    pieces(article).forEach(function (piece) {
      sentences(piece.text).forEach(function (s) { queue.push({ text: s, lang: piece.lang }); });
    });
    if (!queue.length) return;
    setState(bar, "speaking");
    queue.forEach(function (item, i) {
      var u = new window.SpeechSynthesisUtterance(item.text);
      u.lang = item.lang === "en" ? "en" : "zh-CN";
      var voice = voiceFor(u.lang);
      if (voice) u.voice = voice;
      if (i === queue.length - 1) {
        u.onend = function () { if (session === speech.session) setState(bar, "idle"); };
      }
      u.onerror = function (e) {
        if (session === speech.session && e.error !== "interrupted" && e.error !== "canceled") stop(bar);
      };
      synth.speak(u);
    });
  }
  function stop(bar) {
    speech.session++;
    window.speechSynthesis.cancel();
    if (bar) setState(bar, "idle");
  }
  function speechBar(article, tools) {
    if (!canSpeak() || tools.querySelector(".kb-speech") || article.querySelector("[data-kb-no-speech]")) return;
    var w = words();
    var bar = document.createElement("div");
    bar.className = "kb-speech";
    bar.setAttribute("role", "group");
    bar.setAttribute("aria-label", w.bar);
    [["start", w.read], ["pause", w.pause], ["stop", w.stop]].forEach(function (b) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "md-button kb-speech__button";
      button.setAttribute("data-kb-speech", b[0]);
      button.textContent = b[1];
      bar.appendChild(button);
    });
    bar.addEventListener("click", function (e) {
      var action = e.target.closest && e.target.closest("[data-kb-speech]");
      if (!action) return;
      var synth = window.speechSynthesis;
      var what = action.getAttribute("data-kb-speech");
      if (what === "start") {
        start(bar, article);
        bar.querySelector("[data-kb-speech=pause]").focus();
      } else if (what === "pause" && bar.getAttribute("data-state") === "paused") {
        synth.resume();
        setState(bar, "speaking");
      } else if (what === "pause") {
        synth.pause();
        setState(bar, "paused");
      } else {
        stop(bar);
        bar.querySelector("[data-kb-speech=start]").focus();
      }
    });
    setState(bar, "idle");
    tools.appendChild(bar);
  }
  // Speech outlives the page in some browsers: stop it when the reader leaves.
  window.addEventListener("pagehide", function () {
    if (canSpeak() && speech.session) { speech.session++; window.speechSynthesis.cancel(); }
  });

  function init() {
    var article = document.querySelector("article.md-content__inner");
    if (!article) return;
    var tools = toolsRow(article);
    largeButton(tools);
    speechBar(article, tools);
  }
  function ready() {
    init();
    // Material's instant loading (navigation.instant) swaps the article without a page load and
    // announces each new page through its document$ observable.
    if (window.document$ && typeof window.document$.subscribe === "function") {
      window.document$.subscribe(function () {
        if (canSpeak() && speech.session) stop(null);
        init();
      });
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
