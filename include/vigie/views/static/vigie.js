// Draws the pages' charts with the plotly.js served beside this file. The data comes from
// <script type="application/json"> blocks (never executed); no inline script runs (CSP).
"use strict";

function vigieData(id) {
  const node = document.getElementById(id);
  return node ? JSON.parse(node.textContent) : null;
}

function vigieFigures(node) {
  const data = vigieData(node.dataset.source);
  if (!data || !window.Plotly) return;
  const trace = (points, name, symbol, color) => ({
    type: "scatter",
    mode: "lines+markers",
    name: name,
    x: points.map((p) => p.x),
    y: points.map((p) => p.y),
    text: points.map((p) => p.text),
    customdata: points.map((p) => p.link),
    hoverinfo: "text",
    line: { shape: "hv", width: 1, color: color },
    marker: { size: 10, symbol: symbol, color: color },
  });
  const reported = data.points.filter((p) => !p.baseline).reverse();
  const baseline = data.points.filter((p) => p.baseline).reverse();
  const traces = [trace(reported, "valeurs rapportées", "circle", "#1f4e8c")];
  if (baseline.length) {
    const ref = trace(baseline, "corpus de référence", "diamond", "#c77c00");
    ref.mode = "markers";
    traces.push(ref);
  }
  const layout = {
    margin: { l: 70, r: 20, t: 10, b: 50 },
    xaxis: {
      type: "date",
      tickformat: "%d/%m/%Y",
      title: { text: "date de publication (heure de Paris)" },
    },
    yaxis: { title: { text: data.measure }, tickformat: ",d", rangemode: "tozero" },
    separators: ", ",
    legend: { orientation: "h" },
    hovermode: "closest",
    shapes: (data.reference || []).map((value) => ({
      type: "line", xref: "paper", x0: 0, x1: 1, y0: value, y1: value,
      line: { color: "#c77c00", width: 1, dash: "dot" },
    })),
  };
  window.Plotly.newPlot(node, traces, layout, { displayModeBar: false, responsive: true });
  node.on("plotly_click", (event) => {
    const link = event.points && event.points[0] && event.points[0].customdata;
    if (link) window.location.href = link;
  });
}

function vigieEntries(node) {
  const all = vigieData(node.dataset.source);
  if (!all || !window.Plotly) return;
  const data = all[Number(node.dataset.index)];
  const trace = { type: "bar", x: data.days, y: data.entries, marker: { color: "#1f4e8c" },
                  hovertemplate: "%{x} : %{y} entrées<extra></extra>" };
  const layout = { margin: { l: 0, r: 0, t: 0, b: 0 }, xaxis: { visible: false },
                   yaxis: { visible: false, rangemode: "tozero" }, bargap: 0.15 };
  window.Plotly.newPlot(node, [trace], layout, { displayModeBar: false, staticPlot: false });
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-chart=figures]").forEach(vigieFigures);
  document.querySelectorAll("[data-chart=entries]").forEach(vigieEntries);
});
