/*
 * Search worker for the knowledge base. It speaks Material for MkDocs' search worker protocol
 * (SETUP 0 -> READY 1, QUERY 2 -> RESULT 3), so Material's search box, result list and keyboard
 * behaviour are unchanged; but instead of one index holding every page it reads the sharded
 * index written by scripts/kb/search.py and fetches only the shards and documents a query needs.
 *
 * Tokens: CJK character bigrams (every Chinese substring of two or more characters is findable
 * whatever the word segmentation), whole jieba words (ranked higher), single CJK characters of
 * titles, and lower-cased Latin words and numbers (matched as prefixes while typing).
 */
"use strict";

var SETUP = 0, READY = 1, QUERY = 2, RESULT = 3;
var MAX_GROUPS = 15;        // pages returned per query
var MAX_CANDIDATES = 20;    // documents fetched per query to build the result list
var K1 = 1.2;               // term-frequency saturation (BM25)

var params = new URLSearchParams(self.location.search);
var LANG = params.get("lang") || "zh";
var BASE = new URL("../../search/kb/" + LANG + "/", self.location.href);

var meta = null;
var queue = Promise.resolve();
var shards = new Map();
var chunks = new Map();

/* CRC-32 of UTF-8 bytes, as Python's zlib.crc32: the shard of a token. */
var CRC_TABLE = (function () {
  var table = new Uint32Array(256);
  for (var n = 0; n < 256; n++) {
    var c = n;
    for (var k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();
var encoder = new TextEncoder();
function crc32(text) {
  var bytes = encoder.encode(text), crc = 0xffffffff;
  for (var i = 0; i < bytes.length; i++) crc = CRC_TABLE[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
function shardOf(token) {
  return crc32(Array.from(token).slice(0, 2).join("")) % meta.shards;
}

function fetchJSON(url) {
  return fetch(url).then(function (response) {
    if (!response.ok) throw new Error(response.status + " " + url);
    return response.json();
  });
}
function pad(n, width) {
  var s = String(n);
  while (s.length < width) s = "0" + s;
  return s;
}
function shard(i) {
  if (!shards.has(i)) shards.set(i, fetchJSON(new URL("t" + pad(i, 3) + ".json", BASE)));
  return shards.get(i);
}
function chunk(i) {
  if (!chunks.has(i)) chunks.set(i, fetchJSON(new URL("d" + pad(i, 3) + ".json", BASE)));
  return chunks.get(i);
}
function doc(id) {
  return chunk(Math.floor(id / meta.chunk)).then(function (list) { return list[id % meta.chunk]; });
}

/* Postings are [gap, weight, gap, weight, ...]; returns Map(doc id -> weight). */
function decode(flat) {
  var out = new Map(), id = 0;
  for (var i = 0; i < flat.length; i += 2) {
    id += flat[i];
    out.set(id, flat[i + 1]);
  }
  return out;
}
function lookup(token, prefix) {
  return shard(shardOf(token)).then(function (table) {
    if (!prefix) return table[token] ? decode(table[token]) : new Map();
    var merged = new Map();
    Object.keys(table).forEach(function (key) {
      if (key.lastIndexOf(token, 0) !== 0) return;
      decode(table[key]).forEach(function (w, id) { merged.set(id, Math.max(merged.get(id) || 0, w)); });
    });
    return merged;
  });
}

var HAN = /[\u3400-\u9fff\uf900-\ufaff]+/g;
var WORD = /[0-9a-z\u00c0-\u024f]+/g;

/* A query becomes terms; each term has units that must all occur in a document. */
function parse(query) {
  var q = query.normalize("NFKC").toLowerCase();
  var terms = [];
  (q.match(HAN) || []).forEach(function (run) {
    var chars = Array.from(run);
    if (chars.length === 1) {
      terms.push({ label: run, units: [{ token: run, prefix: false }], whole: null });
      return;
    }
    var units = [];
    for (var i = 0; i < chars.length - 1; i++) units.push({ token: chars[i] + chars[i + 1], prefix: false });
    terms.push({ label: run, units: units, whole: chars.length > 2 ? run : null });
  });
  (q.replace(HAN, " ").match(WORD) || []).forEach(function (word) {
    if (word.length < 2 && !/^[0-9]$/.test(word)) return;
    terms.push({ label: word, units: [{ token: word, prefix: true }], whole: null });
  });
  return terms;
}

function idf(df) {
  return Math.log(1 + (meta.docs - df + 0.5) / (df + 0.5));
}
function saturate(w) {
  return (w * (K1 + 1)) / (w + K1);
}

/* Score of one term per document. A term's bigrams that occur nowhere are dropped (they straddle
 * two words the reader ran together: 长城辞典, 妇女节联谊); of the others a document must hold at
 * least half, and its score grows with the share it holds, so whole matches rank first. */
function scoreTerm(term) {
  var lists = term.units.map(function (u) { return lookup(u.token, u.prefix); });
  if (term.whole) lists.push(lookup(term.whole, false));
  return Promise.all(lists).then(function (maps) {
    var units = maps.slice(0, term.units.length).filter(function (m) { return m.size > 0; });
    var whole = term.whole ? maps[maps.length - 1] : null;
    var scores = new Map();
    if (!units.length) return scores;
    var need = Math.max(1, Math.ceil(units.length / 2));
    var sums = new Map(), counts = new Map();
    units.forEach(function (m) {
      var weight = idf(m.size);
      m.forEach(function (w, id) {
        sums.set(id, (sums.get(id) || 0) + weight * saturate(w));
        counts.set(id, (counts.get(id) || 0) + 1);
      });
    });
    sums.forEach(function (sum, id) {
      var n = counts.get(id);
      if (n < need) return;
      var total = sum * Math.pow(n / units.length, 2);
      if (whole && whole.has(id)) total += 1.5 * idf(whole.size) * saturate(whole.get(id));
      scores.set(id, total);
    });
    return scores;
  });
}

function escapeHTML(text) {
  return text.replace(/[&<>"']/g, function (c) {
    return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
  });
}
/* The text as tokens see it (NFKC, lower case: １０９ -> 109, Ａ -> a) and, for each folded UTF-16
 * unit, where its character starts and ends in the text as shown. Matches are found in the folded
 * text and marked in the text as shown, which keeps the source's own characters (full-width ：，)
 * and never matches inside the HTML that escaping makes (the query "lt" and "&lt;"). */
function fold(text) {
  var folded = "", from = [], to = [], at = 0;
  Array.from(text).forEach(function (ch) {
    var f = ch.normalize("NFKC").toLowerCase();
    for (var k = 0; k < f.length; k++) { from.push(at); to.push(at + ch.length); }
    folded += f;
    at += ch.length;
  });
  return { text: folded, from: from, to: to };
}
/* [start, end) spans of the shown text where a label occurs, in order, overlaps merged. */
function matches(text, labels) {
  var f = fold(text), spans = [];
  labels.forEach(function (label) {
    if (!label) return;
    for (var at = f.text.indexOf(label); at >= 0; at = f.text.indexOf(label, at + label.length)) {
      spans.push([f.from[at], f.to[at + label.length - 1]]);
    }
  });
  spans.sort(function (a, b) { return a[0] - b[0]; });
  var merged = [];
  spans.forEach(function (s) {
    var last = merged[merged.length - 1];
    // touching, overlapping, or apart by white space only: one mark
    if (last && (s[0] <= last[1] || !text.slice(last[1], s[0]).trim())) last[1] = Math.max(last[1], s[1]);
    else merged.push([s[0], s[1]]);
  });
  return merged;
}
function highlight(text, labels) {
  var html = "", at = 0;
  matches(text, labels).forEach(function (s) {
    html += escapeHTML(text.slice(at, s[0])) + "<mark>" + escapeHTML(text.slice(s[0], s[1])) + "</mark>";
    at = s[1];
  });
  return html + escapeHTML(text.slice(at));
}
/* Teaser: the stored excerpt, starting a little before the first match when there is one. */
function teaser(text, labels) {
  var spans = matches(text, labels);
  var first = spans.length ? spans[0][0] : -1;
  var start = first > 60 ? first - 30 : 0;
  if (start > 0 && /[\udc00-\udfff]/.test(text.charAt(start))) start++; // not inside a surrogate pair
  return (start > 0 ? "…" : "") + text.slice(start);
}

function item(d, score, terms, labels) {
  var out = { location: d.l, title: highlight(d.t, labels), text: highlight(teaser(d.x, labels), labels), score: score, terms: terms };
  if (d.g) out.tags = d.g;
  return out;
}

function pageOf(id) {
  // meta.pageIds is ascending: the page of a section is the nearest page id at or before it
  var lo = 0, hi = meta.pageIds.length - 1, best = 0;
  while (lo <= hi) {
    var mid = (lo + hi) >> 1;
    if (meta.pageIds[mid] <= id) { best = meta.pageIds[mid]; lo = mid + 1; } else hi = mid - 1;
  }
  return best;
}

function search(query) {
  var terms = parse(query);
  if (!terms.length) return Promise.resolve({ items: [] });
  var labels = terms.map(function (t) { return t.label; });
  return Promise.all(terms.map(scoreTerm)).then(function (perTerm) {
    var totals = new Map(), matched = new Map();
    perTerm.forEach(function (scores, t) {
      scores.forEach(function (s, id) {
        totals.set(id, (totals.get(id) || 0) + s);
        matched.set(id, (matched.get(id) || 0) + 1);
      });
    });
    // Only documents matching the most query terms are kept.
    var best = 0;
    matched.forEach(function (n) { best = Math.max(best, n); });
    var coverage = best / terms.length;
    var ranked = [];
    totals.forEach(function (s, id) {
      if (matched.get(id) !== best) return;
      var isPage = pageOf(id) === id ? 1 : 0;
      ranked.push({ id: id, score: s * (1 + Math.pow(isPage + coverage, 2)) });
    });
    // Fetch only the best candidates' documents: a broad query must not download the corpus.
    ranked.sort(function (a, b) { return b.score - a.score; });
    ranked = ranked.slice(0, MAX_CANDIDATES);
    var termMap = {};
    terms.forEach(function (t, i) { termMap[t.label] = perTerm[i].size > 0; });
    return Promise.all(ranked.map(function (r) { return doc(r.id); })).then(function (docs) {
      var byId = new Map();
      ranked.forEach(function (r, i) {
        var d = docs[i];
        // A query term standing whole in the title or the text ranks above scattered bigrams.
        var title = fold(d.t).text;
        labels.forEach(function (label) {
          if (label.length < 2) return;
          if (title.replace(/[《》“”"]/g, "") === label) r.score *= 4;       // the title is the query
          else if (title.indexOf(label) >= 0) r.score *= 2;
          else if (fold(d.x).text.indexOf(label) >= 0) r.score *= 1.2;
        });
        byId.set(r.id, d);
      });
      var groups = new Map();
      ranked.forEach(function (r) {
        var page = pageOf(r.id);
        if (!groups.has(page)) groups.set(page, { page: page, best: 0, members: [] });
        var g = groups.get(page);
        g.best = Math.max(g.best, r.score);
        g.members.push(r);
      });
      var top = Array.from(groups.values()).sort(function (a, b) { return b.best - a.best; }).slice(0, MAX_GROUPS);
      return Promise.all(top.map(function (g) {
        var needPage = !g.members.some(function (m) { return m.id === g.page; });
        return (needPage ? doc(g.page) : Promise.resolve(null)).then(function (pageDoc) {
          var list = g.members.sort(function (a, b) { return b.score - a.score; }).map(function (m) {
            return item(byId.get(m.id), m.score, termMap, labels);
          });
          if (pageDoc) list.push(item(pageDoc, 0, {}, labels));
          return list;
        });
      })).then(function (items) { return { items: items }; });
    });
  });
}

addEventListener("message", function (ev) {
  var message = ev.data;
  if (message.type === SETUP) {
    fetchJSON(new URL("meta.json", BASE)).then(function (data) {
      var id = 0;
      data.pageIds = data.pages.map(function (gap) { return (id += gap); });
      meta = data;
      postMessage({ type: READY });
    }, function (err) {
      console.warn("Search index could not be loaded", err);
    });
  } else if (message.type === QUERY) {
    // One query at a time, answered in the order asked: a slow early query must not overwrite
    // the results of the one the reader typed last.
    queue = queue.then(function () {
      return meta ? search(message.data) : { items: [] };
    }).then(function (result) {
      postMessage({ type: RESULT, data: result });
    }, function (err) {
      console.warn("Search failed", err);
      postMessage({ type: RESULT, data: { items: [] } });
    });
  }
});
