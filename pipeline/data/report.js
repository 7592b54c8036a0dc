/* Review report: renders the embedded JSON with DOM APIs only.
 * Page content is untrusted: it is only ever assigned through textContent, title,
 * dataset or setAttribute on inert attributes, never parsed as HTML. */
(function () {
  'use strict';

  var PAGE_SIZE = 100;
  var DATA = JSON.parse(document.getElementById('data').textContent);
  var FIELDS = DATA.fields;
  var texts = null; // parsed on the first detail view: the overview never needs them
  var app = document.getElementById('app');
  var pageIndex = new Map();
  DATA.pages.forEach(function (page, i) { pageIndex.set(page.id, i); });

  function allTexts() {
    if (texts === null) {
      texts = JSON.parse(document.getElementById('texts').textContent);
    }
    return texts;
  }

  /* el('div', {class: 'x', href: '#'}, ['text', node]) -- strings become text nodes. */
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (key) {
        var value = attrs[key];
        if (value === null || value === undefined || value === false) return;
        if (key === 'class') node.className = value;
        else if (key === 'text') node.textContent = value;
        else node.setAttribute(key, String(value));
      });
    }
    (children || []).forEach(function (child) {
      if (child === null || child === undefined) return;
      node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    });
    return node;
  }

  function svg(tag, attrs, text) {
    var node = document.createElementNS('http://www.w3.org/2000/svg', tag);
    Object.keys(attrs).forEach(function (key) { node.setAttribute(key, String(attrs[key])); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function hashFor(params) {
    var q = new URLSearchParams();
    Object.keys(params).forEach(function (key) {
      if (params[key] !== '' && params[key] !== null && params[key] !== undefined) q.set(key, params[key]);
    });
    return '#' + q.toString();
  }

  function fieldBit(name) { return 1 << FIELDS.indexOf(name); }

  function pct(value) { return value === null || value === undefined ? '–' : (value * 100).toFixed(1) + '%'; }

  /* --- overview -------------------------------------------------------------- */

  function renderOverview() {
    var s = DATA.summary;
    var cards = el('div', {class: 'cards'}, [
      card('pages', s.pages, hashFor({list: '1'})),
      card('records', s.records, hashFor({list: '1', show: 'records'})),
      card('failures', s.failures, hashFor({list: '1', show: 'failures'})),
      card('without source text', s.withoutText, hashFor({list: '1', show: 'nosource'}))
    ]);
    DATA.pageKinds.forEach(function (kind) {
      cards.appendChild(card('page kind: ' + kind, s.pageKindCounts[kind], hashFor({list: '1', kind: kind})));
    });
    if (s.gold) {
      var mismatched = DATA.pages.filter(function (p) { return p.mismatches > 0; }).length;
      cards.appendChild(card('records with gold mismatches', mismatched, hashFor({list: '1', show: 'mismatch'})));
    }
    app.appendChild(el('section', {class: 'overview'}, [
      el('h2', {text: 'Overview'}), cards,
      el('h3', {text: 'Records having each field'}), coverageChart(),
      s.gold ? el('h3', {text: 'Against gold'}) : null,
      s.gold ? scoreTable() : null,
      s.gold && s.goldUnmatched.length ? el('p', {class: 'note', text: s.goldUnmatched.length +
        ' gold file(s) name a page with no record here and are not scored: ' + s.goldUnmatched.join(', ')}) : null
    ]));
  }

  function card(label, value, href) {
    return el('a', {class: 'card', href: href}, [
      el('span', {class: 'num', text: String(value)}), el('span', {class: 'label', text: label})
    ]);
  }

  function coverageChart() {
    var total = Math.max(DATA.summary.records, 1);
    var rowH = 22, labelW = 170, barW = 420, width = labelW + barW + 150;
    var chart = svg('svg', {
      class: 'chart', width: width, height: FIELDS.length * rowH + 4,
      viewBox: '0 0 ' + width + ' ' + (FIELDS.length * rowH + 4), role: 'img',
      'aria-label': 'records having each field'
    });
    FIELDS.forEach(function (name, i) {
      var have = DATA.summary.fieldCounts[name];
      var y = i * rowH + 2;
      var link = svg('a', {href: hashFor({list: '1', missing: name})});
      link.appendChild(svg('title', {}, name + ': ' + have + ' of ' + DATA.summary.records +
        ' records; click to list the ' + (DATA.summary.records - have) + ' missing it'));
      link.appendChild(svg('text', {x: labelW - 8, y: y + 15, 'text-anchor': 'end', class: 'lbl'}, name));
      link.appendChild(svg('rect', {x: labelW, y: y + 3, width: barW, height: rowH - 6, class: 'track'}));
      link.appendChild(svg('rect', {
        x: labelW, y: y + 3, width: (barW * have / total).toFixed(1), height: rowH - 6, class: 'bar c' + i
      }));
      link.appendChild(svg('text', {x: labelW + barW + 8, y: y + 15, class: 'val'},
        have + ' (' + pct(have / total) + ')'));
      chart.appendChild(link);
    });
    return chart;
  }

  function scoreTable() {
    var rows = (DATA.scores || []).map(function (row) {
      var low = row.f1 !== null && row.f1 < 0.8;
      return el('tr', {class: low ? 'low' : null}, [
        el('td', {text: row.field}), el('td', {class: 'n', text: String(row.tp)}),
        el('td', {class: 'n', text: String(row.fp)}), el('td', {class: 'n', text: String(row.fn)}),
        el('td', {class: 'n', text: pct(row.precision)}), el('td', {class: 'n', text: pct(row.recall)}),
        el('td', {class: 'n', text: pct(row.f1)})
      ]);
    });
    return el('table', {class: 'scores'}, [
      el('thead', {}, [el('tr', {}, ['field', 'TP', 'FP', 'FN', 'precision', 'recall', 'F1'].map(function (h) {
        return el('th', {text: h});
      }))]),
      el('tbody', {}, rows)
    ]);
  }

  /* --- page list ------------------------------------------------------------- */

  function listRows(q) {
    var show = q.get('show') || 'all';
    var missing = q.get('missing') || '';
    var kind = q.get('kind') || '';
    var needle = (q.get('q') || '').toLowerCase();
    var rows = [];
    if (show !== 'failures') {
      var bit = missing ? fieldBit(missing) : 0;
      DATA.pages.forEach(function (page) {
        if (bit && !(page.missing & bit)) return;
        if (kind && page.kind !== kind) return;
        if (show === 'mismatch' && !page.mismatches) return;
        if (show === 'nosource' && page.text !== null) return;
        if (needle && (page.path + ' ' + (page.title || '')).toLowerCase().indexOf(needle) < 0) return;
        rows.push({page: page});
      });
    }
    if ((show === 'all' || show === 'failures') && !missing && !kind) {
      DATA.failures.forEach(function (failure) {
        if (needle && (failure.path + ' ' + failure.message).toLowerCase().indexOf(needle) < 0) return;
        rows.push({failure: failure});
      });
    }
    return rows;
  }

  function renderList(q) {
    var rows = listRows(q);
    var pages = Math.max(1, Math.ceil(rows.length / PAGE_SIZE));
    var current = Math.min(Math.max(1, parseInt(q.get('p') || '1', 10) || 1), pages);
    var state = {list: '1', show: q.get('show') || '', missing: q.get('missing') || '',
      kind: q.get('kind') || '', q: q.get('q') || ''};

    function go(change) {
      var next = Object.assign({}, state, change);
      location.hash = hashFor(next);
    }

    var missingSelect = el('select', {id: 'filter-missing', 'aria-label': 'missing field'},
      [el('option', {value: '', text: 'any'})].concat(FIELDS.map(function (name) {
        return el('option', {value: name, text: name});
      })));
    missingSelect.value = state.missing;
    missingSelect.addEventListener('change', function () { go({missing: missingSelect.value, p: ''}); });

    var kindSelect = el('select', {id: 'filter-kind', 'aria-label': 'page kind'},
      [el('option', {value: '', text: 'any'})].concat(DATA.pageKinds.map(function (name) {
        return el('option', {value: name, text: name});
      })));
    kindSelect.value = state.kind;
    kindSelect.addEventListener('change', function () { go({kind: kindSelect.value, p: ''}); });

    var showSelect = el('select', {id: 'filter-show', 'aria-label': 'show'}, [
      ['', 'records and failures'], ['records', 'records only'], ['failures', 'failures only'],
      ['nosource', 'source changed or missing'], ['mismatch', 'gold mismatches']
    ].filter(function (o) { return o[0] !== 'mismatch' || DATA.summary.gold; }).map(function (o) {
      return el('option', {value: o[0], text: o[1]});
    }));
    showSelect.value = state.show;
    showSelect.addEventListener('change', function () { go({show: showSelect.value, p: ''}); });

    var search = el('input', {id: 'filter-q', type: 'search', placeholder: 'path or title, then Enter'});
    search.value = state.q;
    search.addEventListener('change', function () { go({q: search.value, p: ''}); });

    var controls = el('div', {class: 'controls'}, [
      el('label', {}, ['missing field ', missingSelect]),
      el('label', {}, ['page kind ', kindSelect]),
      el('label', {}, ['show ', showSelect]),
      el('label', {}, ['search ', search]),
      el('span', {class: 'count', text: rows.length + ' rows'})
    ]);

    var body = el('tbody');
    rows.slice((current - 1) * PAGE_SIZE, current * PAGE_SIZE).forEach(function (row, i) {
      var n = String((current - 1) * PAGE_SIZE + i + 1);
      if (row.failure) {
        var f = row.failure;
        body.appendChild(el('tr', {class: 'failure'}, [
          el('td', {class: 'n', text: n}), el('td', {class: 'path', text: f.path}),
          el('td', {colspan: '2', text: f.message}),
          el('td', {}, [el('span', {class: 'badge bad', text: 'failed: ' + f.reason})])
        ]));
        return;
      }
      var page = row.page;
      var missingNames = FIELDS.filter(function (name) { return page.missing & fieldBit(name); });
      var status = el('td');
      if (page.note) status.appendChild(el('span', {class: 'badge warn', text: 'no source text'}));
      if (page.mismatches) status.appendChild(el('span', {class: 'badge bad', text: page.mismatches + ' gold mismatch' + (page.mismatches > 1 ? 'es' : '')}));
      body.appendChild(el('tr', {}, [
        el('td', {class: 'n', text: n}),
        el('td', {class: 'path'}, [el('a', {href: hashFor({page: page.id}), text: page.path})]),
        el('td', {text: page.title || '—'}),
        el('td', {class: 'missing', title: missingNames.join(', '),
          text: missingNames.length ? missingNames.length + ' missing: ' + missingNames.join(', ') : 'all fields'}),
        status
      ]));
    });

    app.appendChild(el('section', {class: 'list'}, [
      el('h2', {text: 'Pages'}), controls,
      el('table', {class: 'pages'}, [
        el('thead', {}, [el('tr', {}, ['#', 'page', 'title', 'fields', 'status'].map(function (h) {
          return el('th', {text: h});
        }))]),
        body
      ]),
      pager(current, pages, function (p) { return hashFor(Object.assign({}, state, {p: p})); })
    ]));
  }

  function pager(current, pages, href) {
    var nav = el('nav', {class: 'pager'});
    if (current > 1) nav.appendChild(el('a', {href: href(current - 1), text: '‹ previous'}));
    nav.appendChild(el('span', {text: 'page ' + current + ' of ' + pages}));
    if (current < pages) nav.appendChild(el('a', {href: href(current + 1), text: 'next ›'}));
    return nav;
  }

  /* --- detail ---------------------------------------------------------------- */

  function spanKey(fieldIndex, spanIndex) { return 'hl-' + fieldIndex + '-' + spanIndex; }

  function renderDetail(id) {
    var index = pageIndex.get(id);
    if (index === undefined) {
      app.appendChild(el('p', {class: 'note', text: 'No record with id ' + id + '.'}));
      return;
    }
    var page = DATA.pages[index];
    var text = page.text === null ? null : allTexts()[page.text];
    var prev = index > 0 ? DATA.pages[index - 1] : null;
    var next = index + 1 < DATA.pages.length ? DATA.pages[index + 1] : null;
    var head = el('div', {class: 'detail-head'}, [
      el('nav', {class: 'pager'}, [
        prev ? el('a', {href: hashFor({page: prev.id}), text: '‹ previous'}) : null,
        el('span', {text: 'record ' + (index + 1) + ' of ' + DATA.pages.length}),
        next ? el('a', {href: hashFor({page: next.id}), text: 'next ›'}) : null
      ]),
      el('h2', {class: 'path', text: page.path}),
      el('p', {class: 'meta', text: [page.title ? 'title: ' + page.title : 'no title', page.format,
        page.encoding, 'record file ' + page.file, 'extractor ' + page.extractor].join(' · ')}),
      page.url ? el('p', {class: 'meta', text: 'url: ' + page.url}) : null,
      page.note ? el('p', {class: 'note', text: page.note + ': values are shown without their text.'}) : null
    ]);

    var spans = [];
    var fieldList = el('div', {class: 'fields'});
    page.fields.forEach(function (field) {
      var fi = FIELDS.indexOf(field.name);
      field.spans.forEach(function (span, si) {
        spans.push({f: field.name, ci: fi, s: span[0], e: span[1], key: spanKey(fi, si)});
      });
      fieldList.appendChild(fieldBox(field, fi, text !== null));
    });
    var missing = FIELDS.filter(function (name) { return page.missing & fieldBit(name); });
    if (missing.length) fieldList.appendChild(el('p', {class: 'missing', text: 'missing: ' + missing.join(', ')}));

    var textPane = el('div', {class: 'text-pane'});
    if (text === null) {
      textPane.appendChild(el('p', {class: 'note', text: page.note || 'no text'}));
    } else {
      var pre = el('pre', {class: 'text', id: 'text'});
      renderText(pre, text, spans);
      textPane.appendChild(pre);
    }
    app.appendChild(el('section', {class: 'detail'}, [head, el('div', {class: 'columns'}, [fieldList, textPane])]));
  }

  function fieldBox(field, fi, hasText) {
    var mismatch = field.gold && !field.gold.match;
    var name = el('button', {type: 'button', class: 'fname c' + fi + (mismatch ? ' mismatch' : ''),
      title: field.spans.length && hasText ? 'show in the text' : 'no highlight', text: field.name});
    if (field.spans.length && hasText) name.addEventListener('click', function () { reveal(spanKey(fi, 0)); });
    var box = el('div', {class: 'field' + (mismatch ? ' mismatch' : ''), id: 'field-' + field.name, 'data-field': field.name}, [
      el('div', {class: 'fhead'}, [name,
        field.method ? el('span', {class: 'method', title: 'how the value was found',
          text: field.method + (typeof field.confidence === 'number' ? ' · ' + field.confidence.toFixed(2) : '')}) : null])
    ]);
    if (field.missing) {
      box.appendChild(el('div', {class: 'value none', text: 'null (not extracted)'}));
    } else if (field.empty) {
      box.appendChild(el('div', {class: 'value none', text: '[] — the page says there are none'}));
    } else {
      var list = el('ul', {class: 'values'});
      field.items.forEach(function (item, ii) {
        var li = el('li', {class: 'value', text: item});
        var target = field.itemSpans ? ii : (field.items.length === 1 && field.spans.length ? 0 : -1);
        if (target >= 0 && hasText) {
          li.classList.add('linked');
          li.title = 'show in the text';
          li.addEventListener('click', function () { reveal(spanKey(fi, target)); });
        }
        list.appendChild(li);
      });
      box.appendChild(list);
    }
    if (field.detail) box.appendChild(el('div', {class: 'detail-line', text: field.detail}));
    if (!field.missing && !field.spans.length) box.appendChild(el('div', {class: 'problem', text: 'no evidence'}));
    if (field.problem) box.appendChild(el('div', {class: 'problem', text: field.problem}));
    if (!hasText && field.evidence) box.appendChild(el('div', {class: 'evidence', text: '“' + field.evidence + '”'}));
    if (field.gold) {
      box.appendChild(el('div', {class: 'gold ' + (field.gold.match ? 'ok' : 'bad')},
        [field.gold.match ? '✓ gold: ' : '✗ gold: ', el('span', {text: field.gold.value})]));
    }
    return box;
  }

  /* Split the text at every span boundary; each piece covered by spans becomes one
   * <mark> coloured by its innermost span and titled with all fields covering it. */
  function renderText(pre, text, spans) {
    var n = text.length;
    var valid = spans.map(function (sp) {
      return {f: sp.f, ci: sp.ci, key: sp.key, s: Math.max(0, Math.min(sp.s, n)), e: Math.max(0, Math.min(sp.e, n))};
    }).filter(function (sp) { return sp.s < sp.e; });
    var cuts = new Set([0, n]);
    valid.forEach(function (sp) { cuts.add(sp.s); cuts.add(sp.e); });
    var points = Array.from(cuts).sort(function (a, b) { return a - b; });
    var frag = document.createDocumentFragment();
    for (var i = 0; i + 1 < points.length; i++) {
      var a = points[i], b = points[i + 1];
      valid.forEach(function (sp) {
        if (sp.s === a) frag.appendChild(el('span', {class: 'anchor', id: sp.key}));
      });
      var chunk = text.slice(a, b);
      var active = valid.filter(function (sp) { return sp.s <= a && sp.e >= b; });
      if (!active.length) {
        frag.appendChild(document.createTextNode(chunk));
        continue;
      }
      active.sort(function (x, y) { return (x.e - x.s) - (y.e - y.s) || x.ci - y.ci; });
      var names = [];
      active.forEach(function (sp) { if (names.indexOf(sp.f) < 0) names.push(sp.f); });
      var mark = el('mark', {class: 'hl c' + active[0].ci + (names.length > 1 ? ' multi' : ''),
        title: names.join(', '), 'data-label': names.join(', '), 'data-fields': names.join(' '),
        'data-spans': active.map(function (sp) { return sp.key; }).join(' ')});
      mark.textContent = chunk;
      mark.addEventListener('click', showField);
      frag.appendChild(mark);
    }
    pre.appendChild(frag);
  }

  function showField(event) {
    var name = event.currentTarget.getAttribute('data-fields').split(' ')[0];
    var box = document.getElementById('field-' + name);
    if (!box) return;
    box.scrollIntoView({block: 'nearest'});
    flash([box]);
  }

  function reveal(key) {
    var anchor = document.getElementById(key);
    if (!anchor) return;
    anchor.scrollIntoView({block: 'center'});
    var marks = Array.prototype.filter.call(document.querySelectorAll('mark.hl'), function (m) {
      return m.getAttribute('data-spans').split(' ').indexOf(key) >= 0;
    });
    flash(marks);
  }

  function flash(nodes) {
    nodes.forEach(function (node) { node.classList.add('flash'); });
    setTimeout(function () { nodes.forEach(function (node) { node.classList.remove('flash'); }); }, 1600);
  }

  /* --- routing --------------------------------------------------------------- */

  function route() {
    var q = new URLSearchParams(location.hash.replace(/^#/, ''));
    while (app.firstChild) app.removeChild(app.firstChild);
    document.querySelectorAll('header nav a').forEach(function (a) { a.classList.remove('active'); });
    var active;
    if (q.has('page')) {
      renderDetail(q.get('page'));
    } else if (q.has('list')) {
      renderList(q);
      active = 'nav-list';
    } else {
      renderOverview();
      active = 'nav-overview';
    }
    if (active) document.getElementById(active).classList.add('active');
    window.scrollTo(0, 0);
  }

  window.addEventListener('hashchange', route);
  route();
})();
