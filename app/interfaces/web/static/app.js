// Asklytics chat UI. No framework and no build step.
// Every model- or data-provided string reaches the page through textContent or
// DOM nodes made here -- never innerHTML -- so a data value like "<script>" is text.
"use strict";

const API = "/api/v1";
const state = { conversationId: null, apiKey: sessionStorage.getItem("asklytics-key") || "", busy: false };
const $ = (id) => document.getElementById(id);

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (name === "class") node.className = value;
    else if (name === "text") node.textContent = value;
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value);
  }
  for (const child of children) if (child != null) node.append(child);
  return node;
}

// ---- API calls ---------------------------------------------------------------

function headers(json = false) {
  const h = {};
  if (json) h["Content-Type"] = "application/json";
  if (state.apiKey) h["Authorization"] = "Bearer " + state.apiKey;
  return h;
}

class ApiFailure extends Error {
  constructor(status, code, message) { super(message); this.status = status; this.code = code; }
}

async function failureOf(response) {
  let body = null;
  try { body = await response.json(); } catch (_) { /* not JSON: fall through */ }
  const error = (body && body.error) || { code: "http_" + response.status, message: response.statusText };
  if (response.status === 401) $("auth").hidden = false;
  return new ApiFailure(response.status, error.code, error.message);
}

async function apiGet(path) {
  const response = await fetch(API + path, { headers: headers() });
  if (!response.ok) throw await failureOf(response);
  return response.status === 204 ? null : response.json();
}

async function apiPost(path, payload) {
  const response = await fetch(API + path, { method: "POST", headers: headers(true), body: JSON.stringify(payload) });
  if (!response.ok) throw await failureOf(response);
  return response.json();
}

// POST /ask/stream: Server-Sent Events read from the fetch body (EventSource cannot POST).
async function askStream(question, onEvent) {
  const response = await fetch(API + "/ask/stream", {
    method: "POST", headers: headers(true),
    body: JSON.stringify({ question, conversation_id: state.conversationId }),
  });
  if (!response.ok) throw await failureOf(response);
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let cut;
    while ((cut = buffer.indexOf("\n\n")) >= 0) {
      dispatchEvent_(buffer.slice(0, cut), onEvent);
      buffer = buffer.slice(cut + 2);
    }
  }
}

function dispatchEvent_(block, onEvent) {
  let event = "message";
  const data = [];
  for (const line of block.split("\n")) {
    if (line.startsWith("event: ")) event = line.slice(7);
    else if (line.startsWith("data: ")) data.push(line.slice(6));
  }
  onEvent(event, data.length ? JSON.parse(data.join("\n")) : null);
}

// ---- rendering an answer -----------------------------------------------------

// The narrative is Markdown-light: only **bold** is honoured, built as <strong> nodes.
function narrative(text) {
  const p = el("p", { class: "narrative" });
  String(text || "").split("**").forEach((part, i) => p.append(i % 2 ? el("strong", { text: part }) : part));
  return p;
}

function badges(answer) {
  const box = el("div", { class: "badges" });
  box.append(el("span", { class: "badge", text: "planner: " + answer.planner }));
  box.append(el("span", { class: "badge" + (answer.cached ? " cached" : ""), text: answer.cached ? "cached" : "fresh" }));
  if (answer.confidence != null) box.append(el("span", { class: "badge", text: "confidence " + answer.confidence.toFixed(2) }));
  if (answer.truncated) box.append(el("span", { class: "badge", text: "truncated to " + answer.rows.length + " rows" }));
  return box;
}

function chartBlock(answer) {
  const chart = answer.chart;
  if (!chart || !chart.figure || chart.type === "table") return null;
  const box = el("div", { class: "chart-block" });
  const target = el("div", { class: "chart", role: "img", "aria-label": chart.type + " chart" });
  box.append(target, el("p", { class: "chart-reason", text: "Chart: " + chart.type + " — " + chart.reason }));
  requestAnimationFrame(() => drawChart(target, chart.figure));
  return box;
}

function drawChart(target, figure) {
  if (!window.Plotly) { target.textContent = "The chart library did not load."; return; }
  const layout = Object.assign({}, figure.layout || {}, { autosize: true });
  window.Plotly.newPlot(target, figure.data || [], layout, { displaylogo: false, responsive: true })
    .then(() => target.setAttribute("data-rendered", "true"));
}

function isNumber(value) { return typeof value === "number" && Number.isFinite(value); }

function formatCell(value) {
  if (value == null) return "";
  if (isNumber(value)) return Number.isInteger(value) ? value.toLocaleString() : value.toLocaleString(undefined, { maximumFractionDigits: 4 });
  return String(value);
}

function compareValues(a, b) {
  if (a == null) return b == null ? 0 : 1;
  if (b == null) return -1;
  if (isNumber(a) && isNumber(b)) return a - b;
  return String(a).localeCompare(String(b));
}

function resultTable(answer) {
  const rows = answer.rows.slice();
  const table = el("table", { class: "result" });
  const body = el("tbody");
  const sort = { column: -1, descending: false };
  const heads = answer.columns.map((column, index) => {
    const button = el("button", { type: "button", text: column.name, title: column.type,
      onclick: () => sortBy(index) });
    return el("th", { scope: "col", "aria-sort": "none" }, button);
  });
  function fill() {
    body.replaceChildren(...rows.map((row) => el("tr", {}, ...row.map((v) => el("td", { class: isNumber(v) ? "num" : "", text: formatCell(v) })))));
  }
  function sortBy(index) {
    sort.descending = sort.column === index ? !sort.descending : false;
    sort.column = index;
    rows.sort((x, y) => compareValues(x[index], y[index]) * (sort.descending ? -1 : 1));
    heads.forEach((th, i) => th.setAttribute("aria-sort", i !== index ? "none" : sort.descending ? "descending" : "ascending"));
    fill();
  }
  table.append(el("thead", {}, el("tr", {}, ...heads)), body);
  fill();
  return el("div", { class: "table-wrap" }, table);
}

function csvCell(value) {
  const text = value == null ? "" : String(value);
  return /[",\n\r]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
}

function downloadCsv(answer) {
  const lines = [answer.columns.map((c) => csvCell(c.name)).join(",")];
  for (const row of answer.rows) lines.push(row.map(csvCell).join(","));
  const blob = new Blob([lines.join("\r\n") + "\r\n"], { type: "text/csv" });
  const link = el("a", { href: URL.createObjectURL(blob), download: "asklytics-" + (answer.answer_id || "answer") + ".csv" });
  document.body.append(link);
  link.click();
  setTimeout(() => { URL.revokeObjectURL(link.href); link.remove(); }, 1000);
}

function sqlPanel(answer) {
  if (!answer.sql) return null;
  return el("details", { class: "sql" }, el("summary", { text: "SQL" }), el("pre", {}, el("code", { text: answer.sql })));
}

function timings(answer) {
  const parts = Object.entries(answer.timings_ms || {}).map(([k, v]) => k + " " + Math.round(v) + " ms");
  return parts.length ? el("p", { class: "timings", text: parts.join(" · ") }) : null;
}

function feedbackBar(answer) {
  if (!answer.answer_id) return null;
  const note = el("span", { class: "feedback-note", role: "status" });
  const bar = el("div", { class: "feedback", role: "group", "aria-label": "Rate this answer" });
  const rate = async (rating, button) => {
    try {
      const result = await apiPost("/feedback", { answer_id: answer.answer_id, rating });
      bar.querySelectorAll("button").forEach((b) => b.setAttribute("aria-pressed", String(b === button)));
      note.textContent = rating === "up"
        ? (result.verified_example_id ? "Thanks — saved as a verified example." : "Thanks for the feedback.")
        : (result.evicted ? "Thanks — removed from the cache." : "Thanks — we will look at it.");
    } catch (failure) { note.textContent = "Feedback failed: " + failure.message; }
  };
  const up = el("button", { type: "button", "aria-label": "Good answer", "aria-pressed": "false", class: "thumbs-up", text: "Helpful" });
  const down = el("button", { type: "button", "aria-label": "Bad answer", "aria-pressed": "false", class: "thumbs-down", text: "Wrong" });
  up.addEventListener("click", () => rate("up", up));
  down.addEventListener("click", async () => { await rate("down", down); offerComment(bar, answer); });
  bar.append(up, down, note);
  return bar;
}

// After "Wrong": an optional comment for the reviewers (the review page at /review lists it).
function offerComment(bar, answer) {
  if (bar.parentNode.querySelector(".feedback-comment") || downFailed(bar)) return;
  const text = el("textarea", { class: "comment-text", rows: "2", maxlength: "2000",
    "aria-label": "What is wrong with this answer?", placeholder: "What is wrong? (optional, for the reviewers)" });
  const status = el("span", { class: "comment-note", role: "status" });
  const form = el("form", { class: "feedback-comment" }, text,
    el("button", { type: "submit", class: "send-comment", text: "Send comment" }), status);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const comment = text.value.trim();
    if (!comment) return;
    try {
      await apiPost("/feedback", { answer_id: answer.answer_id, rating: "down", comment });
      form.replaceChildren(el("span", { class: "comment-note", role: "status", text: "Comment sent to the reviewers." }));
    } catch (failure) { status.textContent = "Could not send: " + failure.message; }
  });
  bar.after(form);
}

function downFailed(bar) {
  return bar.querySelector("button.thumbs-down").getAttribute("aria-pressed") !== "true";
}

function clarificationBlock(answer) {
  const c = answer.clarification;
  const options = el("div", { class: "options" }, ...(c.options || []).map((option) =>
    el("button", { type: "button", class: "clarification-option", text: option, onclick: () => ask(option) })));
  return el("div", { class: "clarification" }, el("p", { class: "narrative", text: c.question }), options);
}

function renderAnswer(box, answer) {
  box.replaceChildren();
  box.setAttribute("data-status", answer.status);
  if (answer.status === "error") {
    const error = answer.error || { code: "error", message: answer.answer };
    box.append(el("p", { class: "error", role: "alert", text: error.message + " (" + error.code + ")" }));
  } else if (answer.status === "refused") {
    box.append(el("p", { class: "refused", text: answer.answer }));
  } else if (answer.status === "clarification_needed" && answer.clarification) {
    box.append(clarificationBlock(answer));
  } else {
    box.append(narrative(answer.answer));
  }
  box.append(badges(answer));
  const chart = chartBlock(answer);
  if (chart) box.append(chart);
  if (answer.columns && answer.columns.length) {
    box.append(resultTable(answer));
    box.append(el("div", { class: "row-actions" },
      el("button", { type: "button", class: "download-csv", text: "Download CSV", onclick: () => downloadCsv(answer) }),
      el("span", { class: "timings", text: answer.row_count + " rows" })));
  }
  for (const part of [sqlPanel(answer), timings(answer), feedbackBar(answer)]) if (part) box.append(part);
}

// ---- the thread ----------------------------------------------------------------

const STEP_LABELS = { accepted: "Planning…", plan: "Planned", sql: "Running the query…", rows: "Rows fetched",
  chart: "Chart ready" };

// Each step arrives as it finishes: the steps so far, and the SQL while it runs.
function showProgress(box, steps, event, data) {
  steps.push(event === "rows" ? data.row_count + " row" + (data.row_count === 1 ? "" : "s") + " fetched"
    : STEP_LABELS[event]);
  const parts = [el("p", { class: "progress", "data-step": event, role: "status", text: steps.join(" → ") })];
  if (event === "sql" || box.querySelector(".progress-sql")) {
    const sql = event === "sql" ? data.sql : box.querySelector(".progress-sql").textContent;
    parts.push(el("pre", { class: "progress-sql" }, el("code", { text: sql })));
  }
  box.replaceChildren(...parts);
}

function addTurn(question) {
  const answerBox = el("div", { class: "answer", "aria-busy": "true" }, el("p", { class: "progress", text: "Sending…" }));
  const turn = el("li", { class: "turn" }, el("p", { class: "question", text: question }), answerBox);
  $("thread").append(turn);
  turn.scrollIntoView({ block: "end" });
  return answerBox;
}

function showFailure(box, failure) {
  box.replaceChildren(el("p", { class: "error", role: "alert", text: failure.message + (failure.code ? " (" + failure.code + ")" : "") }));
}

async function ask(question) {
  question = question.trim();
  if (!question || state.busy) return;
  setBusy(true);
  const box = addTurn(question);
  const steps = [];
  try {
    await askStream(question, (event, data) => {
      if (event === "answer") {
        state.conversationId = data.conversation_id;
        renderAnswer(box, data);
      } else if (event === "error") {
        showFailure(box, data);
      } else if (STEP_LABELS[event]) {
        showProgress(box, steps, event, data);
      }
    });
  } catch (failure) {
    showFailure(box, failure);
  } finally {
    box.removeAttribute("aria-busy");
    setBusy(false);
    loadConversations();
  }
}

function setBusy(busy) {
  state.busy = busy;
  $("send").disabled = busy;
  document.querySelectorAll(".clarification-option").forEach((b) => { b.disabled = busy; });
}

// ---- sidebar: conversations and suggestions --------------------------------------

async function loadConversations() {
  let conversations = [];
  try { conversations = await apiGet("/conversations"); } catch (_) { return; }
  $("conversations").replaceChildren(...conversations.map((c) => el("li", {},
    el("button", { type: "button", text: c.title, "aria-current": String(c.conversation_id === state.conversationId),
      title: c.turn_count + " questions", onclick: () => openConversation(c.conversation_id) }))));
}

async function openConversation(conversationId) {
  try {
    const conversation = await apiGet("/conversations/" + encodeURIComponent(conversationId));
    state.conversationId = conversationId;
    $("thread").replaceChildren();
    for (const turn of conversation.turns) {
      const box = addTurn(turn.question);
      box.removeAttribute("aria-busy");
      if (turn.answer) renderAnswer(box, turn.answer);
      else box.replaceChildren(el("p", { class: "progress", text: "(" + turn.status + " — ask again to see the result)" }));
    }
    loadConversations();
  } catch (failure) { showFailure(addTurn("(open conversation)"), failure); }
}

async function loadSuggestions() {
  let suggestions = [];
  try { suggestions = await apiGet("/suggestions"); } catch (_) { return; }
  $("suggestions").replaceChildren(...suggestions.map((s) => el("li", {},
    el("button", { type: "button", class: "suggestion", text: s.question, title: s.description, onclick: () => ask(s.question) }))));
}

function newConversation() {
  state.conversationId = null;
  $("thread").replaceChildren();
  loadConversations();
  $("question").focus();
}

function start() {
  $("ask-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const input = $("question");
    const question = input.value;
    input.value = "";
    ask(question);
  });
  $("new-conversation").addEventListener("click", newConversation);
  $("auth-form").addEventListener("submit", (event) => {
    event.preventDefault();
    state.apiKey = $("api-key").value.trim();
    sessionStorage.setItem("asklytics-key", state.apiKey);
    $("auth").hidden = true;
    loadSuggestions();
    loadConversations();
  });
  loadSuggestions();
  loadConversations();
  prefillQuestion();
  $("question").focus();
}

// A link such as a monitor digest's "Why?" (/?q=why did installs change on 2026-03-10?) fills the box;
// the person reads it and presses Ask (a link never asks by itself).
function prefillQuestion() {
  const question = new URLSearchParams(location.search).get("q");
  if (question) $("question").value = question.slice(0, 1000);
}

document.addEventListener("DOMContentLoaded", start);
