/* The link chart: draw a neighbourhood, expand nodes, filter edges by type and time,
   highlight leading members and cells, find shortest paths, export PNG and GraphML. */
"use strict";
(function () {
  const U = window.Unweave;
  const app = document.getElementById("chart-app");
  if (!app) return;
  const caseRef = app.dataset.case || "";
  const status = document.getElementById("status");
  const details = document.getElementById("details");
  const IDENTIFIERS = ["phone", "email", "address", "account", "vehicle", "ad"];
  const PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
    "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];
  const hiddenTypes = new Set();

  const cy = cytoscape({
    container: document.getElementById("cy"),
    wheelSensitivity: 0.3,
    style: [
      { selector: "node", style: { label: "data(label)", "font-size": 9, width: 18, height: 18,
        "background-color": "#5b7083", "text-valign": "bottom", "text-margin-y": 2 } },
      { selector: "node[kind = 'Person']", style: { "background-color": "#2b6cb0" } },
      { selector: "node[kind = 'Organization'], node[kind = 'Company']", style: { shape: "round-rectangle", "background-color": "#805ad5" } },
      { selector: "node[kind = 'phone']", style: { shape: "diamond", "background-color": "#dd6b20", width: 12, height: 12 } },
      { selector: "node[kind = 'account']", style: { shape: "hexagon", "background-color": "#38a169", width: 12, height: 12 } },
      { selector: "node[kind = 'address'], node[kind = 'email'], node[kind = 'vehicle'], node[kind = 'ad']", style: { shape: "triangle", width: 12, height: 12 } },
      { selector: "edge", style: { width: 1.5, "line-color": "#a0aec0", "curve-style": "bezier",
        "target-arrow-shape": "triangle", "target-arrow-color": "#a0aec0", "arrow-scale": 0.6 } },
      { selector: "edge[type = 'call']", style: { "line-color": "#dd6b20", "target-arrow-color": "#dd6b20" } },
      { selector: "edge[type = 'payment']", style: { "line-color": "#38a169", "target-arrow-color": "#38a169" } },
      { selector: "edge.hidden-type", style: { display: "none" } },
      { selector: ".cells", style: { "background-color": "data(cellColour)" } },
      { selector: "node.leader", style: { "border-width": 4, "border-color": "#1a202c", width: 30, height: 30, "font-weight": "bold" } },
      { selector: ".on-path", style: { "line-color": "#e53e3e", "target-arrow-color": "#e53e3e", width: 4, "border-width": 3, "border-color": "#e53e3e" } },
      { selector: ":selected", style: { "overlay-color": "#3182ce", "overlay-opacity": 0.25 } },
    ],
  });
  window.unweaveChart = cy;

  function query(extra) {
    const params = new URLSearchParams(extra);
    const start = document.getElementById("start").value;
    const end = document.getElementById("end").value;
    if (start) params.set("start", start);
    if (end) params.set("end", end);
    if (caseRef) params.set("case", caseRef);
    return params.toString();
  }

  function elements(data) {
    const out = [];
    data.nodes.forEach((n) => {
      if (cy.getElementById(n.id).nonempty()) return;
      const colour = n.cell === null || n.cell === undefined ? "#cbd5e0" : PALETTE[n.cell % PALETTE.length];
      out.push({ group: "nodes", data: Object.assign({}, n, { cellColour: colour }) });
    });
    data.edges.forEach((e) => {
      const id = e.source + "|" + e.target + "|" + e.type + "|" + (e.first || "");
      if (cy.getElementById(id).nonempty()) return;
      out.push({ group: "edges", data: Object.assign({}, e, { id: id }) });
    });
    return out;
  }

  function typeBoxes() {
    const box = document.getElementById("types");
    const types = new Set();
    cy.edges().forEach((e) => types.add(e.data("type")));
    box.textContent = "";
    Array.from(types).sort().forEach((t) => {
      const label = U.el("label", null, { class: "type" });
      const input = U.el("input", null, { type: "checkbox", value: t, "data-type": t });
      input.checked = !hiddenTypes.has(t);
      input.addEventListener("change", () => {
        if (input.checked) hiddenTypes.delete(t); else hiddenTypes.add(t);
        applyTypes();
      });
      label.appendChild(input);
      label.appendChild(document.createTextNode(" " + t));
      box.appendChild(label);
    });
  }

  function applyTypes() {
    cy.edges().forEach((e) => e.toggleClass("hidden-type", hiddenTypes.has(e.data("type"))));
  }

  function applyHighlight() {
    const on = document.getElementById("highlight").checked;
    cy.nodes().forEach((n) => {
      n.toggleClass("cells", on && n.data("cell") !== null && n.data("cell") !== undefined);
      n.toggleClass("leader", on && n.data("leader") === true);
    });
  }

  function relayout() {
    cy.layout({ name: "cose", animate: false, nodeRepulsion: 6000, idealEdgeLength: 60 }).run();
  }

  async function draw(node, depth, add) {
    status.textContent = "loading…";
    delete app.dataset.loaded;
    try {
      const data = await U.getJSON("/api/graph/neighbourhood?" + query({ node: node, depth: depth }));
      if (!add) cy.elements().remove();
      cy.add(elements(data));
      typeBoxes();
      applyTypes();
      applyHighlight();
      relayout();
      status.textContent = cy.nodes().length + " nodes, " + cy.edges().length + " edges";
      app.dataset.loaded = String(cy.nodes().length);
    } catch (err) {
      status.textContent = err.message;
    }
  }

  function showDetails(target) {
    details.textContent = "";
    const d = target.data();
    if (target.isNode()) {
      details.appendChild(U.el("h3", d.label));
      details.appendChild(U.el("p", d.kind + (d.country ? " · " + d.country : "")));
      if (d.cell !== null && d.cell !== undefined) details.appendChild(U.el("p", "cell " + d.cell + (d.leader ? " · leading member" : "")));
      if (IDENTIFIERS.indexOf(d.kind) < 0) {
        const link = U.el("a", "Open the profile", { href: "/entities/" + encodeURIComponent(d.id) + (caseRef ? "?case=" + encodeURIComponent(caseRef) : "") });
        details.appendChild(link);
      }
    } else {
      details.appendChild(U.el("h3", d.type));
      details.appendChild(U.el("p", (d.first || "") + (d.last && d.last !== d.first ? " to " + d.last : "")));
      if (d.count) details.appendChild(U.el("p", d.count + " times"));
      if (d.currency) details.appendChild(U.el("p", d.weight + " " + d.currency));
    }
  }

  cy.on("tap", "node, edge", (evt) => showDetails(evt.target));
  cy.on("select unselect", "node", () => {
    document.getElementById("expand").disabled = cy.nodes(":selected").length === 0;
  });

  document.getElementById("chart-controls").addEventListener("submit", (evt) => {
    evt.preventDefault();
    const node = document.getElementById("node").value.trim();
    if (node) draw(node, document.getElementById("depth").value, false);
  });
  document.getElementById("expand").addEventListener("click", () => {
    cy.nodes(":selected").forEach((n) => draw(n.id(), 1, true));
  });
  document.getElementById("highlight").addEventListener("change", applyHighlight);

  document.getElementById("path").addEventListener("click", async () => {
    const selected = cy.nodes(":selected");
    const source = selected.length ? selected[0].id() : document.getElementById("node").value.trim();
    const target = document.getElementById("path-target").value.trim();
    if (!source || !target) { status.textContent = "choose a node and a target"; return; }
    try {
      const data = await U.getJSON("/api/graph/paths?" + query({ source: source, target: target }));
      cy.elements().removeClass("on-path");
      if (!data.paths.length) { status.textContent = "no path"; return; }
      const path = data.paths[0];
      cy.add(elements({ nodes: path.nodes, edges: [] }));
      details.textContent = "";
      details.appendChild(U.el("h3", "Shortest path: " + path.steps.length + " steps"));
      const list = U.el("ol");
      path.steps.forEach((s) => {
        const id = "path|" + s.source + "|" + s.target;
        if (cy.getElementById(id).empty()) cy.add({ group: "edges", data: { id: id, source: s.source, target: s.target, type: s.types.join("+") } });
        cy.getElementById(id).addClass("on-path");
        const item = U.el("li", s.types.join(", ") + ": " + s.source + " → " + s.target);
        const proof = U.el("ul");
        s.evidence.slice(0, 5).forEach((f) => proof.appendChild(U.el("li", f.prop + " = " + f.value + " (" + f.dataset + ", " + f.handling + ")")));
        item.appendChild(proof);
        list.appendChild(item);
      });
      path.nodes.forEach((n) => cy.getElementById(n.id).addClass("on-path"));
      details.appendChild(list);
      typeBoxes();
      relayout();
      status.textContent = "path of " + path.steps.length + " steps";
    } catch (err) {
      status.textContent = err.message;
    }
  });

  document.getElementById("png").addEventListener("click", () => {
    const blob = cy.png({ full: true, output: "blob", bg: "#ffffff", scale: 2 });
    U.download(URL.createObjectURL(blob), "unweave-chart.png");
  });
  document.getElementById("graphml").addEventListener("click", () => {
    const ids = cy.nodes().map((n) => n.id()).join(",");
    if (ids) U.download("/api/graph/graphml?" + query({ nodes: ids }), "unweave-chart.graphml");
  });

  if (app.dataset.node) draw(app.dataset.node, 2, false);
})();
