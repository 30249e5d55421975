"""The page every view is drawn in: one self-contained HTML file.

vis-network (the library pyvis drives) is inlined from pyvis's own copy, so a page opens
with no network at all; a Content-Security-Policy with ``default-src 'none'`` and a
per-page script nonce makes that a rule, and stops any injected markup from running.
The data travels as JSON in a ``<script type="application/json">`` block with ``<``,
``>`` and ``&`` escaped; the page script builds every tooltip, legend entry and detail
with ``textContent``, never ``innerHTML``: names are text, not markup.
"""

from __future__ import annotations

from importlib.resources import files

from jinja2 import Environment

#: The vis-network release shipped inside pyvis 0.3.2.
VIS_VERSION = "9.1.2"


def vis_assets() -> tuple[str, str]:
    """(CSS, JS) of vis-network from the installed pyvis package."""
    base = files("pyvis") / "lib" / f"vis-{VIS_VERSION}"
    css = (base / "vis-network.css").read_text(encoding="utf-8")
    js = (base / "vis-network.min.js").read_text(encoding="utf-8")
    # Inlined in <style>/<script>: a closing tag inside would end the element early.
    return css.replace("</style", "<\\/style"), js.replace("</script", "<\\/script")


PAGE_CSS = """
*{box-sizing:border-box}
html,body{margin:0;height:100%;font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:#1d2329;background:#fff}
body{display:grid;grid-template-rows:auto 1fr;grid-template-columns:310px 1fr;height:100vh}
header{grid-column:1/3;padding:8px 14px;border-bottom:1px solid #d9dee3;background:#f6f8fa}
header h1{font-size:18px;margin:0 0 2px}
header .sub{margin:0;color:#3d4750}
header .meta{margin:2px 0 0;color:#5b6670;font-size:12px}
.notices p{margin:6px 0 0;padding:6px 10px;background:#fff4ce;border:1px solid #e7c65b;border-radius:4px;font-size:13px}
aside{overflow:auto;padding:8px 12px;border-right:1px solid #d9dee3;font-size:13px}
aside h2{font-size:13px;text-transform:uppercase;letter-spacing:.04em;color:#5b6670;margin:12px 0 4px}
main{position:relative;min-width:0;min-height:0}
#graph{position:absolute;inset:0}
.legend{list-style:none;margin:0;padding:0}
.legend li{display:flex;align-items:center;gap:6px;padding:1px 0}
.legend label{display:flex;align-items:center;gap:6px;cursor:pointer;flex:1}
.legend .count{color:#5b6670;margin-left:auto}
.legend.scroll{max-height:9.5em;overflow:auto;padding-right:4px}
details.colour summary{cursor:pointer;font-size:13px;text-transform:uppercase;letter-spacing:.04em;color:#5b6670;margin:12px 0 4px}
.legend svg{flex:none}
.dates{display:grid;grid-template-columns:auto 1fr;gap:4px 6px;align-items:center}
.dates input[type=date]{font:inherit;font-size:12px}
.status{font-size:12px;color:#5b6670}
button{font:inherit;font-size:12px}
.notes li{margin-bottom:4px}
.tip{max-width:420px;font-size:12px;white-space:normal}
.tip-title{font-weight:600;font-size:13px}
.tip-sub{color:#5b6670}
.tip dl{display:grid;grid-template-columns:auto 1fr;gap:0 8px;margin:4px 0}
.tip dt{color:#5b6670}
.tip dd{margin:0;overflow-wrap:anywhere}
.tip-h{font-weight:600;margin-top:4px}
.tip ol{margin:2px 0 0;padding-left:18px}
.tip q{font-style:italic}
.cite-src{color:#3d4750}
.tip-none,.tip-more,.hint{color:#8a4b00}
div.vis-tooltip{max-width:440px;white-space:normal;background:#fff;border:1px solid #9aa4ad;border-radius:4px;box-shadow:0 2px 6px rgba(0,0,0,.2);padding:6px 8px;font-family:inherit}
#details .tip{max-width:none}
"""

#: The page script: data -> vis DataSets, tooltips, legend filters, date range, stable layout.
PAGE_JS = r"""
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("repgraph-data").textContent);

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  function tipElement(tip) {
    var box = el("div", "tip");
    box.appendChild(el("div", "tip-title", tip.title));
    if (tip.subtitle) box.appendChild(el("div", "tip-sub", tip.subtitle));
    if (tip.rows.length) {
      var dl = el("dl");
      tip.rows.forEach(function (r) { dl.appendChild(el("dt", null, r[0])); dl.appendChild(el("dd", null, r[1])); });
      box.appendChild(dl);
    }
    if (tip.cites.length) {
      box.appendChild(el("div", "tip-h", "Sources"));
      var ol = el("ol");
      tip.cites.forEach(function (c) {
        var li = el("li");
        li.appendChild(el("q", null, c.quote));
        li.appendChild(el("span", "cite-src", " \u2014 " + c.source));
        ol.appendChild(li);
      });
      box.appendChild(ol);
      if (tip.more) box.appendChild(el("div", "tip-more", "+ " + tip.more + " more citations"));
    } else if (!tip.derived) {
      box.appendChild(el("div", "tip-none", "No citation on this element."));
    }
    return box;
  }

  function svgShape(shape, color) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("width", "16"); svg.setAttribute("height", "16"); svg.setAttribute("viewBox", "0 0 16 16");
    var s;
    var pts = {
      diamond: "8,1 15,8 8,15 1,8", triangle: "8,1 15,14 1,14", triangleDown: "1,2 15,2 8,15",
      star: "8,1 10,6 15,6 11,9.5 12.5,15 8,11.5 3.5,15 5,9.5 1,6 6,6", hexagon: "4,1.5 12,1.5 15.5,8 12,14.5 4,14.5 0.5,8"
    };
    if (shape === "square") { s = document.createElementNS(ns, "rect"); s.setAttribute("x", "2"); s.setAttribute("y", "2"); s.setAttribute("width", "12"); s.setAttribute("height", "12"); }
    else if (pts[shape]) { s = document.createElementNS(ns, "polygon"); s.setAttribute("points", pts[shape]); }
    else { s = document.createElementNS(ns, "circle"); s.setAttribute("cx", "8"); s.setAttribute("cy", "8"); s.setAttribute("r", "6"); }
    s.setAttribute("fill", color);
    svg.appendChild(s);
    return svg;
  }

  function svgLine(color, dashes, width) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("width", "24"); svg.setAttribute("height", "10"); svg.setAttribute("viewBox", "0 0 24 10");
    var l = document.createElementNS(ns, "line");
    l.setAttribute("x1", "1"); l.setAttribute("y1", "5"); l.setAttribute("x2", "23"); l.setAttribute("y2", "5");
    l.setAttribute("stroke", color); l.setAttribute("stroke-width", String(Math.max(1.5, width)));
    if (dashes) l.setAttribute("stroke-dasharray", "4 3");
    svg.appendChild(l);
    return svg;
  }

  var nodes = new vis.DataSet(data.nodes.map(function (n) {
    var o = Object.assign({}, n); o.title = tipElement(n.tip); return o;
  }));
  var edges = new vis.DataSet(data.edges.map(function (e) {
    var o = Object.assign({}, e); o.title = tipElement(e.tip); return o;
  }));

  var state = { labels: {}, types: {}, from: "", to: "", undated: true };
  data.legend.nodes.forEach(function (l) { state.labels[l.label] = true; });
  data.legend.edges.forEach(function (l) { state.types[l.type] = true; });

  function datesPass(d) {
    if (!d) return state.undated;
    var f = d[0] || "0000-01-01", t = d[1] || "9999-12-31";
    if (state.from && t < state.from) return false;
    if (state.to && f > state.to) return false;
    return true;
  }
  var nodeView = new vis.DataView(nodes, { filter: function (n) {
    return n.anchor || (state.labels[n.rlabel] !== false && datesPass(n.dates));
  } });
  var edgeView = new vis.DataView(edges, { filter: function (e) {
    return state.types[e.rtype] !== false && datesPass(e.dates) && nodeView.get(e.from) !== null && nodeView.get(e.to) !== null;
  } });

  var counts = document.getElementById("counts");
  function showCounts() {
    counts.textContent = "Showing " + nodeView.length + " of " + nodes.length + " nodes, " +
      edgeView.length + " of " + edges.length + " links.";
  }
  function applyFilters() { nodeView.refresh(); edgeView.refresh(); showCounts(); }

  // legend rows double as filters: unticking one hides that label or link type
  function legendRow(list, key, entry, swatch, text, count, description, store) {
    var li = el("li");
    var label = el("label");
    var box = el("input");
    box.type = "checkbox"; box.checked = true; box.dataset[key] = entry;
    box.addEventListener("change", function () { store[entry] = box.checked; applyFilters(); });
    label.appendChild(box); label.appendChild(swatch); label.appendChild(el("span", null, text));
    li.appendChild(label); li.appendChild(el("span", "count", count));
    li.title = description || "";
    list.appendChild(li);
  }
  var nodeLegend = document.getElementById("legend-nodes");
  data.legend.nodes.forEach(function (l) {
    legendRow(nodeLegend, "label", l.label, svgShape(l.shape, l.color), l.label, l.count, l.description, state.labels);
  });
  var edgeLegend = document.getElementById("legend-edges");
  data.legend.edges.forEach(function (l) {
    legendRow(edgeLegend, "type", l.type, svgLine(l.color, l.dashes, l.width), l.type + (l.derived ? " (drawn)" : ""),
              l.count, l.description, state.types);
  });
  var commLegend = document.getElementById("legend-communities");
  if (commLegend) {
    data.legend.communities.forEach(function (c) {
      var li = el("li"); li.appendChild(svgShape("dot", c.color)); li.appendChild(el("span", null, c.name));
      li.appendChild(el("span", "count", c.count)); commLegend.appendChild(li);
    });
  }
  ["date-from", "date-to"].forEach(function (id) {
    document.getElementById(id).addEventListener("change", function (ev) {
      state[id === "date-from" ? "from" : "to"] = ev.target.value; applyFilters();
    });
  });
  document.getElementById("undated").addEventListener("change", function (ev) { state.undated = ev.target.checked; applyFilters(); });
  document.getElementById("reset").addEventListener("click", function () {
    Object.keys(state.labels).forEach(function (k) { state.labels[k] = true; });
    Object.keys(state.types).forEach(function (k) { state.types[k] = true; });
    state.from = ""; state.to = ""; state.undated = true;
    document.querySelectorAll("aside input[type=checkbox]").forEach(function (b) { b.checked = true; });
    document.querySelectorAll("aside input[type=date]").forEach(function (b) { b.value = ""; });
    applyFilters();
  });

  var container = document.getElementById("graph");
  var network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, data.options);
  var status = document.getElementById("status");
  var api = { network: network, nodes: nodes, edges: edges, nodeView: nodeView, edgeView: edgeView,
              state: state, applyFilters: applyFilters, stable: false };
  window.repgraph = api;

  // labels below LABEL_MIN_PX on screen are not drawn (vis-network's drawThreshold): say so
  var zoomHint = document.getElementById("zoom-hint");
  var labelMin = data.options.nodes.scaling.label.drawThreshold;
  api.labelPx = function () { return data.options.nodes.font.size * network.getScale(); };
  function showZoomHint() {
    var hide = !(api.labelPx() < labelMin - 1);
    if (zoomHint.hidden !== hide) zoomHint.hidden = hide;
  }
  network.on("afterDrawing", showZoomHint);  // every redraw: wheel zoom, fit, moveTo

  function finish() {
    if (api.stable) return;
    network.setOptions({ physics: { enabled: false } });
    network.storePositions();
    network.fit();
    api.stable = true;
    document.body.setAttribute("data-stable", "true");
    status.textContent = "Layout stable (physics stopped). Drag nodes to rearrange; scroll to zoom.";
    showZoomHint();
  }
  network.on("stabilizationProgress", function (p) {
    status.textContent = "Arranging the layout\u2026 " + Math.round(100 * p.iterations / p.total) + "%";
  });
  network.once("stabilizationIterationsDone", finish);
  network.once("stabilized", finish);
  if (nodes.length === 0) finish();
  setTimeout(finish, 30000);

  var details = document.getElementById("details");
  network.on("click", function (p) {
    details.replaceChildren();
    if (p.nodes.length) details.appendChild(tipElement(nodes.get(p.nodes[0]).tip));
    else if (p.edges.length) details.appendChild(tipElement(edges.get(p.edges[0]).tip));
    else details.appendChild(el("p", "hint", "Click a node or a link to see its dates, confidence and sources."));
  });
  showCounts();
})();
"""

TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'nonce-{{ nonce }}'; style-src 'unsafe-inline'; img-src data:; font-src data:; base-uri 'none'; form-action 'none'">
<meta name="generator" content="repgraph {{ version }} (vis-network {{ vis_version }}, inlined)">
<link rel="icon" href="data:,">
<title>{{ title }}</title>
<style>{{ vis_css|safe }}</style>
<style>{{ page_css|safe }}</style>
</head>
<body data-kind="{{ kind }}" data-stable="false">
<header>
  <h1 id="title">{{ title }}</h1>
  {% if subtitle %}<p class="sub">{{ subtitle }}</p>{% endif %}
  <p class="meta" id="meta">{{ meta }}</p>
  <div class="notices" id="notices" role="status">{% for n in notices %}<p>{{ n }}</p>{% endfor %}</div>
</header>
<aside>
  <p class="status" id="status">Arranging the layout&hellip;</p>
  <p class="status" id="counts"></p>
  <p class="status hint" id="zoom-hint" hidden>Labels are too small to read at this zoom and are hidden: scroll to zoom in.</p>
  <h2>Nodes{% if color_by %} (shape){% endif %}</h2>
  <ul class="legend" id="legend-nodes"></ul>
  <h2>Links</h2>
  <ul class="legend" id="legend-edges"></ul>
  <h2>Dates</h2>
  <div class="dates">
    <label for="date-from">from</label><input type="date" id="date-from" value="">
    <label for="date-to">to</label><input type="date" id="date-to" value="">
  </div>
  <label><input type="checkbox" id="undated" checked> keep undated elements</label>
  <p><button type="button" id="reset">Show everything</button></p>
  {% if color_by %}<details class="colour" id="colour" open><summary>Colour: {{ color_by }}</summary>
  <ul class="legend scroll" id="legend-communities"></ul></details>{% endif %}
  {% if notes %}<h2>Notes</h2><ul class="notes">{% for n in notes %}<li>{{ n }}</li>{% endfor %}</ul>{% endif %}
  <h2>Details</h2>
  <div id="details"><p class="hint">Click a node or a link to see its dates, confidence and sources.</p></div>
</aside>
<main><div id="graph" role="img" aria-label="{{ title }}"></div></main>
<script id="repgraph-data" type="application/json">{{ data_json|safe }}</script>
<script nonce="{{ nonce }}">{{ vis_js|safe }}</script>
<script nonce="{{ nonce }}">{{ page_js|safe }}</script>
</body>
</html>
"""

_env = Environment(autoescape=True, keep_trailing_newline=True)
PAGE = _env.from_string(TEMPLATE)
