/* search.js: the search of a guidepack pack (made by guidepack; no library, nothing fetched).
   It reads the pack's index (search-index.js, loaded before it: window.guidepackSearch) and
   puts a search form into the page's header. Without JavaScript the page has no search box.
   Every term must match (the last one as the start of a word, so results come while typing);
   a match in a section's heading or chapter title weighs more than one in its text. */
(function () {
  "use strict";
  /* The words, in the pack's language: the script element's data-* attributes (labels.search_*
     of base.html); English only for a project's own template made before they existed. */
  var me = document.currentScript;
  function word(name, fallback) {
    return (me && me.getAttribute("data-" + name)) || fallback;
  }
  var words = {
    region: word("region", "This pack"),
    label: word("label", "Search this pack"),
    button: word("button", "Search"),
    none: word("none", "No results for “{query}”"),
    one: word("one", "{count} result for “{query}”"),
    many: word("many", "{count} results for “{query}”"),
    manyShown: word("many-shown", "{count} results for “{query}”, the first {shown} shown"),
    chapterStart: word("chapter-start", "Start of chapter"),
    inChapter: word("in-chapter", "In chapter"),
  };
  /* A text with its {name} placeholders filled. */
  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (all, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : all;
    });
  }
  var data = window.guidepackSearch;
  var header = document.querySelector(".gp-header__inner");
  if (!data || !header) return;

  var SHOWN = 25;
  var nonWord = /[^\p{L}\p{N}]/gu;
  /* Lower case, every character that is not a letter or digit a space, a space either side:
     " term " finds a whole word, " term" the start of one, at the same place as in the text. */
  function norm(text) {
    return " " + text.toLowerCase().replace(nonWord, " ") + " ";
  }
  var sections = data.s.map(function (s, i) {
    var chapter = data.c[s[0]];
    return {
      order: i,
      number: chapter[0],
      chapter: chapter[1],
      heading: s[1],
      href: chapter[2] + (s[2] ? "#" + encodeURIComponent(s[2]) : ""),
      text: s[3],
      head: norm(s[1]),
      title: norm(chapter[1]),
      body: norm(s[3]),
    };
  });

  function el(name, className, text) {
    var node = document.createElement(name);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  /* The form, the results and the live region that says how many there are. */
  var form = el("form", "gp-search");
  form.setAttribute("role", "search");
  form.setAttribute("aria-label", words.region);
  var label = el("label", "gp-search__label", words.label);
  label.htmlFor = "gp-search-input";
  var bar = el("div", "gp-search__bar");
  var input = el("input", "gp-search__input");
  input.type = "search";
  input.id = "gp-search-input";
  input.name = "q";
  input.autocomplete = "off";
  input.spellcheck = false;
  input.setAttribute("aria-controls", "gp-search-results");
  var button = el("button", "gp-search__button", words.button);
  button.type = "submit";
  bar.appendChild(input);
  bar.appendChild(button);
  form.appendChild(label);
  form.appendChild(bar);
  var status = el("p", "gp-visually-hidden");
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  var results = el("div", "gp-search__results");
  results.id = "gp-search-results";
  results.hidden = true;
  header.appendChild(form);
  header.appendChild(status);
  header.appendChild(results);

  function terms(query) {
    return query.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  }

  /* Where term `t` first matches in normalised text `s` (-1: nowhere); the last term of the
     query matches the start of a word, the others whole words. */
  function find(s, t, prefix, from) {
    return s.indexOf(prefix ? " " + t : " " + t + " ", from || 0);
  }

  function count(s, t, prefix) {
    var n = 0;
    var at = find(s, t, prefix, 0);
    while (at >= 0 && n < 5) {
      n += 1;
      at = find(s, t, prefix, at + 1);
    }
    return n;
  }

  function search(query) {
    var ts = terms(query);
    if (ts.length === 0) return [];
    var found = [];
    for (var i = 0; i < sections.length; i++) {
      var s = sections[i];
      var score = 0;
      for (var j = 0; j < ts.length; j++) {
        var prefix = j === ts.length - 1;
        var inHead = find(s.head, ts[j], prefix) >= 0;
        var inTitle = find(s.title, ts[j], prefix) >= 0;
        var inBody = count(s.body, ts[j], prefix);
        if (!inHead && !inTitle && inBody === 0) {
          score = -1;
          break;
        }
        score += (inHead ? 10 : 0) + (inTitle ? 4 : 0) + inBody;
      }
      if (score >= 0) found.push({ section: s, score: score });
    }
    found.sort(function (a, b) {
      return b.score - a.score || a.section.order - b.section.order;
    });
    found.terms = ts;
    return found;
  }

  /* Text with each match of the terms in <mark>, as nodes added to `into`. */
  function marked(into, text, ts) {
    var s = norm(text);
    var spans = [];
    ts.forEach(function (t, j) {
      var prefix = j === ts.length - 1;
      var at = find(s, t, prefix, 0);
      while (at >= 0) {
        spans.push([at, at + t.length]);
        at = find(s, t, prefix, at + 1);
      }
    });
    spans.sort(function (a, b) {
      return a[0] - b[0];
    });
    var pos = 0;
    spans.forEach(function (span) {
      if (span[0] < pos) return;
      into.appendChild(document.createTextNode(text.slice(pos, span[0])));
      into.appendChild(el("mark", "gp-search__mark", text.slice(span[0], span[1])));
      pos = span[1];
    });
    into.appendChild(document.createTextNode(text.slice(pos)));
  }

  /* About 200 characters of a section's text, cut between words, around the place where the
     most of the terms match close together (the first such place). */
  function snippet(s, ts) {
    var places = [];
    ts.forEach(function (t, j) {
      var prefix = j === ts.length - 1;
      var at = find(s.body, t, prefix, 0);
      for (var n = 0; at >= 0 && n < 50; n++) {
        places.push([at, j]);
        at = find(s.body, t, prefix, at + 1);
      }
    });
    places.sort(function (a, b) {
      return a[0] - b[0];
    });
    var first = places.length ? places[0][0] : 0;
    var most = 0;
    for (var i = 0; i < places.length; i++) {
      var seen = {};
      var distinct = 0;
      for (var k = i; k < places.length && places[k][0] < places[i][0] + 120; k++) {
        if (!seen[places[k][1]]) {
          seen[places[k][1]] = true;
          distinct += 1;
        }
      }
      if (distinct > most) {
        most = distinct;
        first = places[i][0];
      }
    }
    var text = s.text;
    var start = Math.max(0, first - 60);
    if (start > 0) {
      var space = text.indexOf(" ", start);
      start = space >= 0 && space < first ? space + 1 : start;
    }
    var end = Math.min(text.length, start + 200);
    if (end < text.length) {
      var last = text.lastIndexOf(" ", end);
      end = last > first ? last : end;
    }
    return (start > 0 ? "… " : "") + text.slice(start, end) + (end < text.length ? " …" : "");
  }

  var announce = 0;
  function show(query) {
    var found = search(query);
    results.textContent = "";
    window.clearTimeout(announce);
    if (terms(query).length === 0) {
      results.hidden = true;
      status.textContent = "";
      return;
    }
    var n = found.length;
    var counted = { count: n, query: query.trim(), shown: SHOWN };
    var said = fill(
      n === 0 ? words.none : n === 1 ? words.one : n > SHOWN ? words.manyShown : words.many,
      counted,
    );
    results.appendChild(el("p", "gp-search__count", said));
    var list = el("ol", "gp-search__list");
    found.slice(0, SHOWN).forEach(function (f) {
      var s = f.section;
      var item = el("li", "gp-search__result");
      var link = el("a", "gp-search__link");
      link.href = s.href;
      marked(link, s.heading, found.terms);
      var heading = el("p", "gp-search__heading");
      heading.appendChild(link);
      item.appendChild(heading);
      var where = s.heading === s.chapter ? words.chapterStart : words.inChapter;
      item.appendChild(
        el("p", "gp-search__where", where + " " + (s.number ? s.number + ": " : "") + s.chapter),
      );
      if (s.text) {
        var text = el("p", "gp-search__snippet");
        marked(text, snippet(s, found.terms), found.terms);
        item.appendChild(text);
      }
      list.appendChild(item);
    });
    if (n > 0) results.appendChild(list);
    results.hidden = false;
    /* Said once typing pauses, not at every key. */
    announce = window.setTimeout(function () {
      status.textContent = said + ".";
    }, 400);
  }

  function clear() {
    input.value = "";
    show("");
    input.focus();
  }

  input.addEventListener("input", function () {
    show(input.value);
  });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    show(input.value);
    var first = results.querySelector("a");
    if (first) first.focus();
  });
  /* Escape clears; the arrow keys move between the box and the results. */
  function onKey(e) {
    var links = Array.prototype.slice.call(results.querySelectorAll("a"));
    var at = links.indexOf(document.activeElement);
    if (e.key === "Escape") {
      e.preventDefault();
      clear();
    } else if (e.key === "ArrowDown" && links.length > 0) {
      e.preventDefault();
      links[Math.min(at + 1, links.length - 1)].focus();
    } else if (e.key === "ArrowUp" && at >= 0) {
      e.preventDefault();
      if (at === 0) input.focus();
      else links[at - 1].focus();
    }
  }
  form.addEventListener("keydown", onKey);
  results.addEventListener("keydown", onKey);
})();
