// Offline search over labs and concepts. The index comes from search-index.js (a plain
// script, so this works from file:// too); results are built with DOM methods and
// textContent only, so nothing from the index is ever parsed as HTML.
(function () {
  'use strict';
  var data = window.KUBELAB_SEARCH || { docs: [] };
  var input = document.getElementById('search-q');
  var status = document.getElementById('search-status');
  var list = document.getElementById('search-results');
  var form = document.getElementById('site-search');
  if (!input || !status || !list) return;

  function norm(s) {
    return String(s).normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  }
  function tokens(s) {
    return norm(s).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  }

  var docs = data.docs.map(function (d) {
    return {
      doc: d,
      title: tokens(d.title),
      tags: tokens(d.tags.join(' ')),
      summary: tokens(d.summary),
      words: tokens(d.words),
    };
  });

  // Best weight of a term in one field: whole-word matches beat prefixes.
  function fieldScore(list, term, weight) {
    var best = 0;
    for (var i = 0; i < list.length; i++) {
      if (list[i] === term) return weight * 2;
      if (list[i].indexOf(term) === 0) best = weight;
    }
    return best;
  }

  function search(query) {
    var terms = tokens(query);
    if (!terms.length) return [];
    var out = [];
    docs.forEach(function (e) {
      var total = 0;
      for (var i = 0; i < terms.length; i++) {
        var t = terms[i];
        var s = Math.max(fieldScore(e.title, t, 8), fieldScore(e.tags, t, 6), fieldScore(e.summary, t, 3), fieldScore(e.words, t, 1));
        if (!s) return; // every term must match somewhere
        total += s;
      }
      out.push({ doc: e.doc, score: total });
    });
    out.sort(function (a, b) {
      return b.score - a.score || (a.doc.type === b.doc.type ? 0 : a.doc.type === 'lab' ? -1 : 1) || (a.doc.title < b.doc.title ? -1 : 1);
    });
    return out;
  }

  function render(query) {
    while (list.firstChild) list.removeChild(list.firstChild);
    var q = query.trim();
    if (!q) {
      status.textContent = 'Type a word to search ' + data.docs.length + ' labs and concepts.';
      return;
    }
    var results = search(q);
    status.textContent = results.length ? results.length + (results.length === 1 ? ' result' : ' results') + ' for \u201c' + q + '\u201d' : 'No labs or concepts match \u201c' + q + '\u201d.';
    results.forEach(function (r) {
      var li = document.createElement('li');
      li.className = 'card result result-' + r.doc.type;
      var h = document.createElement('h2');
      var a = document.createElement('a');
      a.href = r.doc.url;
      a.textContent = r.doc.title;
      h.appendChild(a);
      var meta = document.createElement('p');
      meta.className = 'muted';
      meta.textContent = r.doc.meta;
      var p = document.createElement('p');
      p.textContent = r.doc.summary;
      li.appendChild(h);
      li.appendChild(meta);
      li.appendChild(p);
      list.appendChild(li);
    });
  }

  var initial = new URLSearchParams(window.location.search).get('q') || '';
  input.value = initial;
  render(initial);
  input.addEventListener('input', function () {
    render(input.value);
    try {
      window.history.replaceState(null, '', input.value ? '?q=' + encodeURIComponent(input.value) : window.location.pathname);
    } catch (e) {
      /* some file:// setups refuse history changes; the results still update */
    }
  });
  if (form) {
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      render(input.value);
    });
  }
})();
