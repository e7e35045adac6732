// The monitors page: list, add and remove monitors, with each one's last run, and a preview of the
// digest a run now would post (POST /api/v1/monitors/{id}/run?dry_run=true: nothing posted or
// recorded). Every value from the server reaches the page through textContent -- never innerHTML.
"use strict";
// API, state, $, el, ApiFailure and call() come from page.js.

function when(iso) { return iso ? new Date(iso).toISOString().slice(0, 16).replace("T", " ") + " UTC" : "never"; }

function seriesText(m) {
  let text = m.metric + " by " + m.grain;
  if (m.filters.length) text += " where " + m.filters.join(" and ");
  if (m.threshold) text += "; alert when " + m.threshold.op + " " + m.threshold.value;
  return text;
}

function lastRun(m) {
  if (!m.last_run_at) return "Last run: never";
  return "Last run: " + when(m.last_run_at) + " — " + (m.last_status || "?") + (m.last_error ? " (" + m.last_error + ")" : "");
}

// Slack mrkdwn escapes three characters; shown here as text, so they are turned back.
const unescapeMrkdwn = (text) => text.replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&amp;", "&");

function blockTexts(blocks) {
  const texts = [];
  for (const block of blocks) {
    if ((block.type === "header" || block.type === "section") && block.text) texts.push(block.text.text);
    for (const e of block.elements || []) if (e.text) texts.push(e.text);
  }
  return texts.map(unescapeMrkdwn);
}

function digestView(report) {
  const outcome = report.monitors[0];
  const box = el("div", { class: "monitor-digest" });
  if (report.busy) { box.append(el("p", { text: "Another runner holds this monitor right now; try again shortly." })); return box; }
  if (outcome && outcome.status !== "ok") box.append(el("p", { class: "monitor-error", text: "Could not run: " + (outcome.error || outcome.status) }));
  if (!report.digests.length) {
    if (outcome && outcome.status === "ok") box.append(el("p", { text: "Nothing new to post: no new anomaly and no point past the threshold." }));
    return box;
  }
  for (const digest of report.digests) {
    const texts = digest.slack_blocks ? blockTexts(digest.slack_blocks)
      : digest.webhook_body.monitors.flatMap((m) => m.anomalies.map((a) =>
        a.period_start + ": " + a.actual + (a.anomalous ? " (" + a.direction + ", expected about " + Math.round(a.expected) + ")" : " (" + a.direction + " the threshold)")));
    box.append(el("h3", { text: "To " + digest.audience + " " + digest.target }),
      el("ul", { class: "monitor-findings" }, ...texts.map((t) => el("li", { text: t }))));
  }
  return box;
}

async function preview(item, id) {
  const result = item.querySelector(".monitor-preview");
  result.replaceChildren(el("p", { text: "Running (dry run)…" }));
  item.setAttribute("aria-busy", "true");
  try {
    const report = await call("POST", "/monitors/" + encodeURIComponent(id) + "/run?dry_run=true");
    result.replaceChildren(digestView(report));
  } catch (failure) {
    result.replaceChildren(el("p", { class: "monitor-error", text: "Could not run: " + failure.message + " (" + failure.code + ")" }));
  } finally {
    item.removeAttribute("aria-busy");
  }
}

async function remove(item, id) {
  try {
    await call("DELETE", "/monitors/" + encodeURIComponent(id));
    await load("Removed monitor " + id + ".");
  } catch (failure) {
    item.querySelector(".monitor-preview").replaceChildren(el("p", { class: "monitor-error", text: "Not removed: " + failure.message }));
  }
}

function monitorItem(m) {
  const item = el("li", { class: "review-item monitor-item", "data-monitor-id": m.id });
  const audience = [m.slack_channel && "Slack " + m.slack_channel, m.webhook_url && "webhook " + m.webhook_url].filter(Boolean).join(", ");
  item.append(el("h2", { class: "review-question", text: m.name }),
    el("p", { class: "review-meta monitor-series", text: seriesText(m) }),
    el("p", { class: "review-meta", text: m.id + " · " + m.schedule + " · to " + audience + " · next run " + when(m.next_run_at) }),
    el("p", { class: "review-meta monitor-last", text: lastRun(m) }));
  const run = el("button", { type: "button", class: "preview-monitor primary", text: "Preview the digest" });
  run.addEventListener("click", () => preview(item, m.id));
  const drop = el("button", { type: "button", class: "remove-monitor", text: "Remove" });
  drop.addEventListener("click", () => remove(item, m.id));
  item.append(el("div", { class: "row-actions" }, run, drop), el("div", { class: "monitor-preview", role: "status" }));
  return item;
}

async function load(note) {
  const status = $("monitors-status");
  try {
    const monitors = await call("GET", "/monitors");
    $("monitors").replaceChildren(...monitors.map(monitorItem));
    status.textContent = (note ? note + " " : "") + (monitors.length ? monitors.length + (monitors.length === 1 ? " monitor" : " monitors") : "No monitors yet.");
  } catch (failure) {
    status.textContent = "Could not load the monitors: " + failure.message + " (" + failure.code + ")";
  }
}

function formPayload() {
  const value = (id) => $(id).value.trim();
  const payload = { name: value("m-name"), metric: value("m-metric"), grain: value("m-grain"), schedule: value("m-schedule") };
  if (value("m-filter-dimension")) payload.filters = [{ dimension: value("m-filter-dimension"), op: "=", values: [value("m-filter-value")] }];
  if (value("m-dimension")) payload.dimensions = [value("m-dimension")];
  if (value("m-threshold-op")) payload.threshold = { op: value("m-threshold-op"), value: Number(value("m-threshold-value")) };
  if (value("m-slack")) payload.slack_channel = value("m-slack");
  if (value("m-webhook")) payload.webhook_url = value("m-webhook");
  return payload;
}

async function add(event) {
  event.preventDefault();
  const result = $("add-result");
  result.textContent = "Adding…";
  try {
    const added = await call("POST", "/monitors", formPayload());
    result.textContent = "Added " + added.id + " (" + added.name + ").";
    $("add-form").reset();
    await load();
  } catch (failure) {
    result.textContent = "Not added: " + failure.message + " (" + failure.code + ")";
  }
}

function start() {
  $("auth-form").addEventListener("submit", (event) => {
    event.preventDefault();
    state.apiKey = $("api-key").value.trim();
    sessionStorage.setItem("asklytics-key", state.apiKey);
    $("auth").hidden = true;
    load();
  });
  $("add-form").addEventListener("submit", add);
  load();
}

document.addEventListener("DOMContentLoaded", start);
