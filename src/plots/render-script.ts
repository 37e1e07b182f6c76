// The page's own script, as text the report inlines after uPlot: it draws each chart of the embedded
// sections (charts.ts) — line charts with uPlot on a canvas, grouped bars as SVG — and marks each
// container data-rendered once drawn, so a browser test can tell a chart that drew from one that did not.
export const RENDER_SCRIPT = String.raw`
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('p2psim-data').textContent);
  var COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf', '#393b79', '#637939'];
  var WIDTH = 560, HEIGHT = 300;
  var SVG = 'http://www.w3.org/2000/svg';
  function color(i) { return COLORS[i % COLORS.length]; }

  function lines(el, c) {
    var series = [{ label: c.xLabel }];
    c.series.forEach(function (s, i) {
      var o = { label: s.label, stroke: color(i), width: 1.5, spanGaps: false };
      if (s.points) { o.paths = function () { return null; }; o.points = { show: true, size: 5, fill: color(i), stroke: color(i) }; }
      else { o.points = { show: false }; if (s.step) o.paths = uPlot.paths.stepped({ align: 1 }); }
      series.push(o);
    });
    var opts = {
      width: WIDTH, height: HEIGHT, series: series,
      scales: { x: { time: false } },
      axes: [{ label: c.xLabel, size: 40 }, { label: c.yLabel, size: 60 }],
      legend: { show: true, live: true },
      cursor: { drag: { x: true, y: false } }
    };
    new uPlot(opts, [c.x].concat(c.series.map(function (s) { return s.y; })), el);
  }

  function niceMax(v) {
    if (!(v > 0)) return 1;
    var p = Math.pow(10, Math.floor(Math.log10(v)));
    var steps = [1, 2, 2.5, 5, 10];
    for (var i = 0; i < steps.length; i++) if (steps[i] * p >= v) return steps[i] * p;
    return 10 * p;
  }

  function node(name, attrs, parent) {
    var e = document.createElementNS(SVG, name);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(e);
    return e;
  }

  function label(v) {
    if (v === null) return '–';
    return Math.abs(v) >= 1000 ? Math.round(v).toLocaleString('en-US') : String(+v.toPrecision(4));
  }

  function bars(el, c) {
    var left = 64, right = 10, top = 10, bottom = 84;
    var w = WIDTH - left - right, h = HEIGHT - top - bottom;
    var max = 0;
    c.series.forEach(function (s) { s.values.forEach(function (v) { if (v !== null && v > max) max = v; }); });
    max = niceMax(max);
    var svg = node('svg', { width: WIDTH, height: HEIGHT, viewBox: '0 0 ' + WIDTH + ' ' + HEIGHT, role: 'img', style: 'overflow: visible' }, el);
    for (var t = 0; t <= 4; t++) {
      var y = top + h - (t / 4) * h;
      node('line', { x1: left, x2: left + w, y1: y, y2: y, stroke: '#ddd' }, svg);
      node('text', { x: left - 6, y: y + 4, 'text-anchor': 'end', 'font-size': 11 }, svg).textContent = label((t / 4) * max);
    }
    node('text', { x: 14, y: top + h / 2, transform: 'rotate(-90 14 ' + (top + h / 2) + ')', 'text-anchor': 'middle', 'font-size': 12 }, svg).textContent = c.yLabel;
    var n = c.categories.length, k = c.series.length;
    var group = w / Math.max(1, n), bw = (group * 0.8) / k;
    // Labels wider than their group (about 6.5 px a character) are turned, so they never overlap.
    var turn = c.categories.some(function (cat) { return cat.length * 6.5 > group; });
    c.categories.forEach(function (cat, i) {
      c.series.forEach(function (s, j) {
        var v = s.values[i];
        if (v === null || !(v >= 0)) return;
        var bh = (v / max) * h;
        var r = node('rect', { x: left + i * group + group * 0.1 + j * bw, y: top + h - bh, width: Math.max(1, bw - 1), height: bh, fill: color(j), 'class': 'bar' }, svg);
        node('title', {}, r).textContent = s.label + ', ' + cat + ': ' + label(v);
      });
      var tx = left + i * group + group / 2, ty = top + h + 14;
      var text = node('text', { x: tx, y: ty, 'font-size': 11, 'text-anchor': turn ? 'end' : 'middle' }, svg);
      if (turn) text.setAttribute('transform', 'rotate(-35 ' + tx + ' ' + ty + ')');
      text.textContent = cat;
    });
    node('line', { x1: left, x2: left + w, y1: top + h, y2: top + h, stroke: '#333' }, svg);
    var legend = document.createElement('div');
    legend.className = 'legend';
    c.series.forEach(function (s, j) {
      var item = document.createElement('span');
      var sw = document.createElement('i');
      sw.style.background = color(j);
      item.appendChild(sw);
      item.appendChild(document.createTextNode(s.label));
      legend.appendChild(item);
    });
    el.appendChild(legend);
  }

  var drawn = 0;
  data.sections.forEach(function (section) {
    section.charts.forEach(function (c) {
      var el = document.getElementById('chart-' + c.id);
      try {
        if (c.kind === 'lines') lines(el, c); else bars(el, c);
        el.setAttribute('data-rendered', '1');
        drawn++;
      } catch (err) {
        console.error('chart ' + c.id + ': ' + (err && err.message ? err.message : err));
      }
    });
  });
  document.body.setAttribute('data-charts-drawn', String(drawn));
})();
`;
