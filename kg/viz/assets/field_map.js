// The kg map page: builds a graphology graph from the JSON island, draws it with sigma (WebGL), paints the
// topic discs on a canvas under the edges and their names as buttons above the nodes. Every string from the
// data goes on screen through textContent (or a canvas), never as HTML. Positions are precomputed: no layout here.
(function () {
  "use strict";
  performance.mark("kg-map-start");
  var data = JSON.parse(document.getElementById("kg-map-data").textContent);
  var cols = data.nodes, topics = data.topics, kinds = data.kinds;
  var count = cols.id.length;
  var LABEL_CHARS = 48;
  var DIM_NODE = "#dcdcd8", FOCUS_EDGE;
  var container = document.getElementById("kg-map");

  function shortLabel(text) {
    return text.length <= LABEL_CHARS ? text : text.slice(0, LABEL_CHARS - 1).trimEnd() + "\u2026";
  }
  function mix(hex, white) {  // a colour moved `white` of the way towards white
    var n = parseInt(hex.slice(1), 16), out = [16, 8, 0].map(function (s) {
      var c = (n >> s) & 255;
      return Math.round(c + (255 - c) * white);
    });
    return "rgb(" + out.join(",") + ")";
  }
  // sigma blends with (ONE, ONE_MINUS_SRC_ALPHA): its translucent colours must come premultiplied
  function premultipliedColour(hex, alpha) {
    var n = parseInt(hex.slice(1), 16);
    return "rgba(" + [16, 8, 0].map(function (s) { return Math.round(((n >> s) & 255) * alpha); }).join(",") + "," + alpha + ")";
  }
  function rgba(hex, alpha) {
    var n = parseInt(hex.slice(1), 16);
    return "rgba(" + ((n >> 16) & 255) + "," + ((n >> 8) & 255) + "," + (n & 255) + "," + alpha + ")";
  }

  // -- the graph ------------------------------------------------------------------------------------
  var graph = new graphology.Graph({ type: "undirected", multi: false, allowSelfLoops: false });
  var paperColour = topics.map(function (t) { return mix(t.colour, 0.45); });
  var members = topics.map(function () { return []; });
  var sizeScale = Math.min(1.8, Math.max(1, Math.sqrt(5000 / Math.max(count, 1))));  // small maps: bigger dots
  for (var i = 0; i < count; i++) {
    var t = cols.topic[i], isPaper = cols.kind[i] === 0;
    members[t].push(cols.id[i]);
    graph.addNode(cols.id[i], {
      x: cols.x[i], y: cols.y[i], size: cols.size[i] * sizeScale, label: shortLabel(cols.name[i]),
      color: isPaper ? paperColour[t] : topics[t].colour, i: i, topic: t, zIndex: isPaper ? 0 : 1,
    });
  }
  var pairs = data.edges;
  var edgeAlpha = pairs.length > 40000 ? 0.06 : 0.18;
  var edgeColour = topics.map(function (t) { return premultipliedColour(t.colour, edgeAlpha); });
  for (var k = 0; k < pairs.length; k += 2) {
    var a = pairs[k], b = pairs[k + 1], ta = cols.topic[a];
    // a link inside a topic wears the topic's colour; links between topics show only when focused
    graph.mergeEdge(cols.id[a], cols.id[b], ta === cols.topic[b] ? { color: edgeColour[ta] } : { across: true });
  }

  // -- focus: a node and its neighbours, or a topic; everything else dimmed ---------------------------
  var focus = null;  // {nodes: Set, node: id | null, topic: index | null, home: topic index of what is focused}
  function nodeReducer(node, attrs) {
    if (!focus) return attrs;
    if (focus.nodes.has(node)) {
      var out = Object.assign({}, attrs, { zIndex: 2 });
      if (node === focus.node || (focus.node !== null && focus.nodes.size <= 60)) out.forceLabel = true;
      if (node === focus.node) out.highlighted = true;
      return out;
    }
    return Object.assign({}, attrs, { color: DIM_NODE, label: "", zIndex: 0 });
  }
  function edgeReducer(edge, attrs) {
    var ends = graph.extremities(edge);
    if (!focus) return attrs.across ? Object.assign({}, attrs, { hidden: true }) : attrs;
    var keep = focus.node !== null ? (ends[0] === focus.node || ends[1] === focus.node)
      : (focus.nodes.has(ends[0]) && focus.nodes.has(ends[1]));
    return keep ? Object.assign({}, attrs, { color: focus.node !== null ? FOCUS_EDGE : attrs.color, zIndex: 1 })
      : Object.assign({}, attrs, { hidden: true });
  }

  var EDGE = premultipliedColour("#5a5a5a", edgeAlpha);
  FOCUS_EDGE = premultipliedColour("#282828", 0.6);

  // the discs must fit on screen too, not only the nodes
  var bbox = { x: [Infinity, -Infinity], y: [Infinity, -Infinity] };
  topics.forEach(function (t) {
    bbox.x = [Math.min(bbox.x[0], t.x - t.r), Math.max(bbox.x[1], t.x + t.r)];
    bbox.y = [Math.min(bbox.y[0], t.y - t.r), Math.max(bbox.y[1], t.y + t.r)];
  });

  var renderer;
  try {  // built on an empty graph, so the graph is processed once, after the bounding box is set
    renderer = new Sigma(new graphology.Graph(), container, {
      nodeReducer: nodeReducer, edgeReducer: edgeReducer, zIndex: true, defaultEdgeColor: EDGE,
      edgeProgramClasses: { line: Sigma.rendering.EdgeLineProgram },
      hideEdgesOnMove: pairs.length > 20000, labelRenderedSizeThreshold: count > 1000 ? 4.5 : 2.5 * sizeScale + 0.5, labelDensity: 0.6,
      labelGridCellSize: 120, labelFont: "system-ui, sans-serif", labelSize: 12, labelWeight: "500",
      minCameraRatio: 0.01, maxCameraRatio: 4, stagePadding: 24, allowInvalidContainer: true,
    });
  } catch (err) {
    var problem = document.getElementById("kg-error");
    problem.style.display = "block";
    problem.textContent = "This browser cannot draw the map (WebGL is off or missing): " + err.message;
    throw err;
  }
  if (topics.length) renderer.setCustomBBox(bbox);

  // -- topic discs, under the edges --------------------------------------------------------------------
  var discs = renderer.createCanvas("kgRegions", { beforeLayer: "edges" });
  var discContext = discs.getContext("2d");
  function screenDisc(t) {
    var c = renderer.graphToViewport({ x: t.x, y: t.y });
    var e = renderer.graphToViewport({ x: t.x + t.r, y: t.y });
    return { x: c.x, y: c.y, r: Math.hypot(e.x - c.x, e.y - c.y) };
  }
  function drawDiscs() {
    var ratio = window.devicePixelRatio || 1, w = container.offsetWidth, h = container.offsetHeight;
    if (discs.width !== Math.round(w * ratio) || discs.height !== Math.round(h * ratio)) {
      discs.width = Math.round(w * ratio);
      discs.height = Math.round(h * ratio);
    }
    discContext.setTransform(ratio, 0, 0, ratio, 0, 0);
    discContext.clearRect(0, 0, w, h);
    topics.forEach(function (t, index) {
      var d = screenDisc(t), dim = focus && focus.topic !== null && focus.topic !== index;
      discContext.beginPath();
      discContext.arc(d.x, d.y, d.r, 0, 2 * Math.PI);
      discContext.fillStyle = rgba(t.colour, dim ? 0.04 : (focus && focus.topic === index ? 0.2 : 0.11));
      discContext.fill();
      discContext.lineWidth = focus && focus.topic === index ? 2.5 : 1.2;
      discContext.strokeStyle = rgba(t.colour, dim ? 0.15 : 0.55);
      discContext.stroke();
    });
  }

  // -- topic names, above the nodes (buttons: a click focuses the topic) ------------------------------
  var labelLayer = document.getElementById("kg-labels");
  var topicLabels = topics.map(function (t, index) {
    var el = document.createElement("div");
    el.className = "kg-topic-label";
    el.textContent = t.name;
    el.title = t.name + " \u2014 " + t.papers + " papers";
    el.style.borderColor = t.colour;
    el.style.color = t.colour;
    el.addEventListener("click", function (event) { event.stopPropagation(); focusTopic(index); });
    labelLayer.appendChild(el);
    return el;
  });
  function placeLabels() {
    var shown = [];
    var order = topics.map(function (t, i) { return i; }).sort(function (a, b) { return topics[b].nodes - topics[a].nodes; });
    order.forEach(function (index) {
      var t = topics[index], el = topicLabels[index], d = screenDisc(t);
      var size = Math.max(11, Math.min(20, d.r / 7));
      var focused = focus && focus.topic === index;
      var visible = (d.r >= 28 || focused) && d.x + d.r > 0 && d.y + d.r > 0 &&
        d.x - d.r < container.offsetWidth && d.y - d.r < container.offsetHeight;
      if (visible) {  // bigger topics first; a smaller one whose name would cover theirs waits for zooming in
        var width = Math.min(Math.max(2.1 * d.r, 90), 320), top = Math.max(d.y - d.r + 4, 2);
        var rect = { x1: d.x - width / 2, x2: d.x + width / 2, y1: top, y2: top + size * 1.5 };
        visible = focused || !shown.some(function (o) {
          return rect.x1 < o.x2 && rect.x2 > o.x1 && rect.y1 < o.y2 && rect.y2 > o.y1;
        });
        if (visible) {
          shown.push(rect);
          el.style.left = d.x + "px";
          el.style.top = top + "px";
          el.style.fontSize = size + "px";
          el.style.maxWidth = width + "px";
          el.style.opacity = focus && !focused && focus.home !== index ? "0.3" : "1";
        }
      }
      el.style.display = visible ? "block" : "none";
    });
  }

  // -- hover details ------------------------------------------------------------------------------------
  var tip = document.getElementById("kg-tip");
  function line(parent, cls, key, value) {
    var row = document.createElement("div");
    row.className = cls;
    if (key) {
      var k = document.createElement("span");
      k.className = "key";
      k.textContent = key + ": ";
      row.appendChild(k);
    }
    row.appendChild(document.createTextNode(value));
    parent.appendChild(row);
  }
  function showTip(node, x, y) {
    var i = graph.getNodeAttribute(node, "i"), kind = kinds[cols.kind[i]], topic = topics[cols.topic[i]];
    tip.replaceChildren();
    line(tip, "head", "", (kind === "Paper" ? "" : kind + ": ") + cols.name[i]);
    if (kind === "Paper") {
      line(tip, "row", "authors", cols.authors[i] || "\u2014");
      if (cols.date[i]) line(tip, "row", "date", cols.date[i]);
    } else {
      line(tip, "row", "papers", String(cols.papers[i]));
    }
    line(tip, "row", "topic", topic.name);
    line(tip, "row", "links on the map", String(graph.degree(node)));
    if (cols.evidence[i]) line(tip, "evidence", "", "\u201c" + cols.evidence[i] + "\u201d");
    tip.style.display = "block";
    var w = container.offsetWidth, h = container.offsetHeight;
    tip.style.left = Math.min(x + 14, w - tip.offsetWidth - 4) + "px";
    tip.style.top = Math.min(y + 14, h - tip.offsetHeight - 4) + "px";
  }
  renderer.on("enterNode", function (e) { showTip(e.node, e.event.x, e.event.y); container.style.cursor = "pointer"; });
  renderer.on("leaveNode", function () { tip.style.display = "none"; container.style.cursor = ""; });

  // -- focus and camera ---------------------------------------------------------------------------------
  var legendButtons = [];
  function setFocus(next) {
    focus = next;
    legendButtons.forEach(function (b, index) { b.classList.toggle("active", !!next && next.topic === index); });
    renderer.refresh({ skipIndexation: true });
  }
  function focusNode(node) {
    if (!graph.hasNode(node)) return false;
    var nodes = new Set(graph.neighbors(node));
    nodes.add(node);
    setFocus({ nodes: nodes, node: node, topic: null, home: graph.getNodeAttribute(node, "topic") });
    // frame the node and its neighbours (display data are in sigma's framed coordinates, 0..1 at ratio 1)
    var d = renderer.getNodeDisplayData(node), spread = 0;
    nodes.forEach(function (n) {
      var o = renderer.getNodeDisplayData(n);
      spread = Math.max(spread, Math.abs(o.x - d.x), Math.abs(o.y - d.y));
    });
    renderer.getCamera().animate({ x: d.x, y: d.y, ratio: Math.min(1, Math.max(0.03, 2.3 * spread)) }, { duration: 400 });
    return true;
  }
  function focusTopic(index) {
    var t = topics[index];
    setFocus({ nodes: new Set(members[index]), node: null, topic: index, home: index });
    var c = renderer.viewportToFramedGraph(renderer.graphToViewport({ x: t.x, y: t.y }));
    var e = renderer.viewportToFramedGraph(renderer.graphToViewport({ x: t.x + t.r, y: t.y }));
    var r = Math.hypot(e.x - c.x, e.y - c.y);
    renderer.getCamera().animate({ x: c.x, y: c.y, ratio: Math.max(2.4 * r, 0.02) }, { duration: 400 });
  }
  function reset() {
    setFocus(null);
    search.value = "";
    results.style.display = "none";
    tip.style.display = "none";
    renderer.getCamera().animatedReset({ duration: 300 });
  }
  renderer.on("clickNode", function (e) { focusNode(e.node); });
  renderer.on("clickStage", function (e) {
    var p = renderer.viewportToGraph({ x: e.event.x, y: e.event.y });
    for (var index = 0; index < topics.length; index++) {
      var t = topics[index];
      if (Math.hypot(p.x - t.x, p.y - t.y) <= t.r) { focusTopic(index); return; }
    }
    if (focus) reset();
  });
  document.addEventListener("keydown", function (e) { if (e.key === "Escape") reset(); });

  // -- legend -------------------------------------------------------------------------------------------
  var legend = document.getElementById("kg-topics");
  topics.forEach(function (t, index) {
    var item = document.createElement("li"), button = document.createElement("button");
    var swatch = document.createElement("span"), name = document.createElement("span"), n = document.createElement("span");
    swatch.className = "swatch";
    swatch.style.background = t.colour;
    name.className = "name";
    name.textContent = t.name;
    n.className = "count";
    n.textContent = t.papers + " papers";
    button.append(swatch, name, n);
    button.addEventListener("click", function () { focusTopic(index); });
    item.appendChild(button);
    legend.appendChild(item);
    legendButtons.push(button);
  });

  // -- search -------------------------------------------------------------------------------------------
  var search = document.getElementById("kg-search"), results = document.getElementById("kg-results");
  var folded = null, entityOrder = null;
  function matches(query) {
    if (!folded) {  // built on first use, not before the first paint
      folded = cols.name.map(function (s) { return s.toLowerCase(); });
      entityOrder = [];
      for (var i = 0; i < count; i++) entityOrder.push(i);
      entityOrder.sort(function (a, b) {  // entities first, most papers first; then papers
        return (cols.kind[a] === 0) - (cols.kind[b] === 0) || cols.papers[b] - cols.papers[a] || a - b;
      });
    }
    var q = query.trim().toLowerCase(), out = [];
    if (!q) return out;
    for (var j = 0; j < entityOrder.length && out.length < 15; j++) {
      if (folded[entityOrder[j]].indexOf(q) !== -1) out.push(entityOrder[j]);
    }
    return out;
  }
  function pick(i) {
    results.style.display = "none";
    search.value = cols.name[i];
    focusNode(cols.id[i]);
  }
  search.addEventListener("input", function () {
    var found = matches(search.value);
    results.replaceChildren();
    found.forEach(function (i, n) {
      var b = document.createElement("button"), kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = kinds[cols.kind[i]];
      b.append(kind, document.createTextNode(cols.name[i]));
      if (n === 0) b.className = "active";
      b.addEventListener("click", function () { pick(i); });
      results.appendChild(b);
    });
    results.style.display = found.length ? "block" : "none";
  });
  search.addEventListener("keydown", function (e) {
    if (e.key === "Enter") {
      var found = matches(search.value);
      if (found.length) pick(found[0]);
    } else if (e.key === "Escape") {
      search.blur();
    }
  });

  // -- first paint ------------------------------------------------------------------------------------
  var painted = false;
  renderer.on("afterRender", function () {
    drawDiscs();
    placeLabels();
    if (!painted && renderer.getGraph() === graph) {
      painted = true;
      performance.mark("kg-map-painted");
      window.kgFirstPaint = performance.now();
      window.kgReady = true;
    }
  });
  renderer.setGraph(graph);

  window.kgMap = { graph: graph, renderer: renderer, data: data, focusNode: focusNode, focusTopic: focusTopic,
                   reset: reset, focused: function () { return focus ? focus.nodes.size : 0; } };
  window.kgDrawnNodeCount = function () { return graph.order; };
})();
