/* Timeline, routes (Sankey) and money charts with plotly.js, from the pages' JSON API. */
"use strict";
(function () {
  const U = window.Unweave;
  const layout = { margin: { l: 60, r: 20, t: 30, b: 60 }, height: 420 };
  const config = { displaylogo: false, responsive: true };

  function empty(div, text) {
    div.classList.add("empty");
    div.textContent = text;
  }

  async function timeline(div) {
    const data = await U.getJSON(div.dataset.source);
    if (!data.events.length) return empty(div, "No dated events visible.");
    const byType = {};
    data.events.forEach((ev) => {
      (byType[ev.type] = byType[ev.type] || []).push(ev);
    });
    const traces = Object.keys(byType).sort().map((type) => ({
      type: "scatter", mode: "markers", name: type,
      x: byType[type].map((ev) => ev.date), y: byType[type].map(() => type),
      text: byType[type].map((ev) => ev.source_label + " → " + ev.target_label),
      hoverinfo: "x+text",
    }));
    Plotly.newPlot(div, traces, Object.assign({ title: "Events in time" }, layout), config);
  }

  async function sankey(div) {
    const data = await U.getJSON(div.dataset.source);
    const s = data.sankey;
    if (!s.value.length) return empty(div, "No journeys visible.");
    Plotly.newPlot(div, [{ type: "sankey", node: { label: s.nodes, pad: 15 },
      link: { source: s.source, target: s.target, value: s.value } }],
    Object.assign({ title: "Legs between countries" }, layout), config);
  }

  async function money(div) {
    const data = await U.getJSON(div.dataset.source);
    if (!data.countries.length) return empty(div, "No payments visible.");
    const labels = [];
    const index = {};
    const link = { source: [], target: [], value: [], label: [] };
    data.countries.forEach((f) => {
      [f.source, f.target].forEach((c, i) => {
        const key = (i ? "to " : "from ") + c;
        if (!(key in index)) { index[key] = labels.length; labels.push(key); }
      });
      link.source.push(index["from " + f.source]);
      link.target.push(index["to " + f.target]);
      link.value.push(f.amount);
      link.label.push(f.currency);
    });
    Plotly.newPlot(div, [{ type: "sankey", node: { label: labels, pad: 15 }, link: link }],
      Object.assign({ title: "Money between countries" }, layout), config);
  }

  const charts = { "timeline-chart": timeline, "sankey-chart": sankey, "money-chart": money };
  Object.entries(charts).forEach(([id, fn]) => {
    const div = document.getElementById(id);
    if (div) fn(div).then(() => { div.dataset.drawn = "1"; }).catch((err) => { div.textContent = err.message; });
  });
})();
