// The evaluation page: starts runs, polls their progress, draws the table and the Recall@k chart.
(function () {
  "use strict";
  const SVG = "http://www.w3.org/2000/svg";
  const COLOURS = ["#1f5fbf", "#c2410c", "#15803d", "#7e22ce", "#b91c1c", "#0e7490"];
  const el = (tag, text) => { const e = document.createElement(tag); if (text !== undefined) e.textContent = text; return e; };
  const f3 = (x) => x.toFixed(3);
  // A table or chart wider than a phone scrolls inside its own box, reachable by keyboard.
  const scrolling = (child, label) => {
    const box = el("div"); box.className = "table-scroll"; box.tabIndex = 0;
    box.setAttribute("role", "region"); box.setAttribute("aria-label", label); box.appendChild(child); return box;
  };
  const withCi = (v, ci) => { const s = el("span", f3(v) + " "); s.appendChild(el("span", "(" + f3(ci[0]) + "–" + f3(ci[1]) + ")")).className = "ci"; return s; };

  function metricsTable(rep) {
    const t = el("table"); t.className = "metrics";
    const head = t.insertRow();
    ["ranker", "MRR", "R@1", "R@10", "R@20", "n"].forEach((h) => head.appendChild(el("th", h)));
    rep.rankers.forEach((name) => {
      const m = rep.metrics[name], row = t.insertRow();
      row.insertCell().textContent = name;
      row.insertCell().appendChild(withCi(m.mrr, m.mrr_ci));
      ["1", "10", "20"].forEach((k) => row.insertCell().appendChild(withCi(m.recall[k], m.recall_ci[k])));
      row.insertCell().textContent = m.n.toLocaleString("en");
    });
    return t;
  }

  function overlapTable(rep) {
    const o = rep.overlap, t = el("table"); t.className = "metrics";
    t.createCaption().textContent = "Recall@" + o.k + " overlap: " + o.a + " (A) vs " + o.b + " (B)";
    const head = t.insertRow();
    ["outcome", "fraction", "queries"].forEach((h) => head.appendChild(el("th", h)));
    [["both right", "both"], ["only " + o.a, "only_a"], ["only " + o.b, "only_b"], ["neither", "neither"]].forEach(([label, key]) => {
      const row = t.insertRow();
      [label, f3(o.fractions[key]), String(o[key])].forEach((v) => { row.insertCell().textContent = v; });
    });
    return t;
  }

  function chart(rep) {
    const W = 640, H = 320, L = 48, R = 130, T = 12, B = 40, kmax = rep.params.k_max;
    const svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "0 0 " + W + " " + H); svg.setAttribute("width", W); svg.setAttribute("class", "chart");
    svg.setAttribute("role", "img"); svg.setAttribute("aria-label", "Recall at k, k = 1 to " + kmax + ", per ranker");
    const x = (k) => L + (k - 1) / Math.max(kmax - 1, 1) * (W - L - R), y = (v) => T + (1 - v) * (H - T - B);
    const add = (tag, attrs, text) => { const e = document.createElementNS(SVG, tag); Object.entries(attrs).forEach(([a, v]) => e.setAttribute(a, v)); if (text !== undefined) e.textContent = text; svg.appendChild(e); return e; };
    for (let v = 0; v <= 1.0001; v += 0.2) {
      add("line", {x1: L, x2: W - R, y1: y(v), y2: y(v), class: "grid"});
      add("text", {x: L - 6, y: y(v) + 4, "text-anchor": "end"}, v.toFixed(1));
    }
    [1, 10, 20, 30, 40, 50, 100, 200].filter((k) => k <= kmax).forEach((k) => add("text", {x: x(k), y: H - B + 16, "text-anchor": "middle"}, String(k)));
    add("text", {x: (L + W - R) / 2, y: H - 6, "text-anchor": "middle"}, "k");
    add("text", {x: 12, y: T + (H - T - B) / 2, transform: "rotate(-90 12 " + (T + (H - T - B) / 2) + ")", "text-anchor": "middle"}, "Recall@k");
    rep.rankers.forEach((name, i) => {
      const c = COLOURS[i % COLOURS.length], pts = rep.metrics[name].curve.map((v, j) => x(j + 1) + "," + y(v)).join(" ");
      add("polyline", {points: pts, fill: "none", stroke: c, "stroke-width": 2});
      add("line", {x1: W - R + 10, x2: W - R + 30, y1: T + 10 + 18 * i, y2: T + 10 + 18 * i, stroke: c, "stroke-width": 3});
      add("text", {x: W - R + 36, y: T + 14 + 18 * i}, name);
    });
    return svg;
  }

  function render(run) {
    document.getElementById("status").textContent = run.status;
    document.getElementById("progress").value = run.progress;
    document.getElementById("done").textContent = run.done;
    const error = document.getElementById("error");
    error.hidden = !run.error; error.textContent = run.error || "";
    const notes = document.getElementById("notes"); notes.replaceChildren(...run.notes.map((n) => el("li", n)));
    const g = run.unknown_gold, unknown = document.getElementById("unknown");
    if (g.unknown_ids) {
      unknown.hidden = false;
      unknown.textContent = g.unknown_ids + " gold id(s) are not in the corpus (" + g.queries_with_unknown + " queries; " +
        g.queries_without_known + " have no known gold id and count as misses). Examples: " +
        g.examples.map((e) => "query " + e.index + ": " + e.id).join(", ");
    }
    const out = document.getElementById("results");
    if (!run.report) return;
    const rep = run.report;
    const parts = [scrolling(metricsTable(rep), "Metrics per ranker"), el("p", "MRR and Recall@k with 95% bootstrap confidence intervals (" + rep.params.n_boot + " resamples, seed " + rep.params.seed + ").")];
    if (rep.overlap) {
      const p = rep.paired;
      parts.push(scrolling(overlapTable(rep), "Recall overlap of two rankers"), el("p", "Paired test, " + p.a + " − " + p.b + ": ΔMRR = " + (p.delta_mrr >= 0 ? "+" : "") + f3(p.delta_mrr) +
        " (95% CI " + f3(p.ci_low) + " to " + f3(p.ci_high) + "); Wilcoxon p = " + p.p_wilcoxon.toPrecision(3) + "; McNemar (Recall@" + p.k + ") p = " + p.p_mcnemar.toPrecision(3) + "."));
    }
    parts.push(el("h2", "Recall@k"), scrolling(chart(rep), "Recall@k chart"));
    out.replaceChildren(...parts);
  }

  const data = document.getElementById("run-data");
  if (data) {
    let run = JSON.parse(data.textContent);
    render(run);
    const poll = () => {
      if (run.status !== "queued" && run.status !== "running") return;
      setTimeout(() => fetch(run.links.self).then((r) => r.json()).then((r) => { run = r; render(run); poll(); }).catch(poll), 1000);
    };
    poll();
  }

  const form = document.getElementById("eval-form");
  if (form) {
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      const err = document.getElementById("form-error"); err.hidden = true;
      const data = new FormData(form);
      const key = data.get("api_key");
      data.delete("api_key");
      fetch("/api/evaluations", {method: "POST", body: data, headers: key ? {"X-API-Key": key} : {}})
        .then((r) => r.json().then((body) => ({ok: r.ok, body})))
        .then(({ok, body}) => { if (ok) { window.location = body.links.page; } else { err.textContent = body.error.message; err.hidden = false; } })
        .catch((e) => { err.textContent = String(e); err.hidden = false; });
    });
  }
})();
