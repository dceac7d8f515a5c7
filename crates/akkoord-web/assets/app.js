// The workbench's only script: a click on a cell of the consensus map opens the stance
// editor; an applied edit shows the quick estimate, then the full forecast, each with its
// change against the forecast before the edit. Served by the binary itself; no library.
"use strict";

const scenario = document.body.dataset.scenario;
const path = encodeURI(scenario);
const editor = document.getElementById("editor");
let current = null;

function percent(p) {
  return (100 * p).toFixed(1) + "%";
}

function show(reply) {
  document.getElementById("chart").innerHTML = reply.chart;
  for (const o of reply.forecast.outcomes) {
    const row = document.querySelector(`#outcomes tr[data-id="${CSS.escape(o.id)}"]`);
    if (!row) continue;
    row.querySelector(".p").textContent = percent(o.probability);
    row.querySelector(".i").textContent =
      (100 * o.interval[0]).toFixed(1) + "-" + percent(o.interval[1]);
  }
  const moved = reply.changes
    .filter((c) => c.before !== null && Math.abs(c.after - c.before) >= 0.0005)
    .map((c) => `${c.label} ${percent(c.before)} -> ${percent(c.after)}`);
  document.getElementById("change").textContent = moved.length ? moved.join("; ") : "No change.";
  const label = reply.estimate === "quick" ? "Quick estimate" : "Full forecast";
  document.getElementById("status").textContent =
    `${label}, ${reply.forecast.runs} draws.`;
  document.getElementById("status").dataset.estimate = reply.estimate;
}

function problemText(body) {
  const lines = (body.problems || []).map((p) =>
    (p.line ? `line ${p.line}, column ${p.column}: ` : "") + p.message);
  return [body.error].concat(lines).join("\n");
}

document.getElementById("grid").addEventListener("click", (event) => {
  const cell = event.target.closest("td.cell");
  if (!cell) return;
  current = cell;
  editor.hidden = false;
  document.getElementById("editor-title").textContent =
    `Stance of ${cell.dataset.actor} on ${cell.dataset.candidate}`;
  for (const key of ["support", "sd", "salience"]) {
    editor.elements[key].value = cell.dataset[key];
  }
  document.getElementById("editor-error").textContent = "";
  editor.elements.support.focus();
});

editor.addEventListener("submit", async (event) => {
  event.preventDefault();
  if (!current) return;
  const edit = { actor: current.dataset.actor, candidate: current.dataset.candidate };
  for (const key of ["support", "sd", "salience"]) {
    const value = editor.elements[key].value;
    if (value !== "") edit[key] = Number(value);
  }
  const started = performance.now();
  const quick = await fetch(`/api/stance/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(edit),
  });
  const body = await quick.json();
  if (!quick.ok) {
    document.getElementById("editor-error").textContent = problemText(body);
    return;
  }
  document.getElementById("editor-error").textContent = "";
  window.akkoordTimings = { quick: performance.now() - started };
  show(body);
  current.textContent = edit.support ?? current.textContent;
  for (const key of ["support", "sd", "salience"]) {
    if (edit[key] !== undefined) current.dataset[key] = edit[key];
  }
  const full = await fetch(`/api/forecast/${path}`);
  if (full.ok) {
    show(await full.json());
    window.akkoordTimings.full = performance.now() - started;
  }
});

document.getElementById("save").addEventListener("click", async () => {
  const reply = await fetch(`/api/save/${path}`, { method: "POST" });
  const body = await reply.json();
  document.getElementById("save-status").textContent =
    reply.ok ? `Saved ${body.saved}.` : problemText(body);
});
