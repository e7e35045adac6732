// The review page: answers rated "Wrong" (GET /api/v1/feedback?rating=down), each verified with
// corrected SQL or accepted as it is (POST /api/v1/verified). Like the chat page, every value from
// the server reaches the page through textContent -- never innerHTML.
"use strict";

// API, state, $, el, ApiFailure and call() come from page.js.

function codeBlock(title, sql) {
  return el("div", { class: "review-sql" }, el("h3", { text: title }), el("pre", {}, el("code", { text: sql })));
}

function markVerified(item, verifiedId) {
  item.classList.add("verified");
  item.querySelector(".review-result").textContent = "Verified as " + verifiedId + ": this question is answered with it from now on.";
  item.querySelectorAll("button").forEach((b) => { b.disabled = true; });
}

async function verify(item, payload) {
  const result = item.querySelector(".review-result");
  result.textContent = "Checking…";
  item.setAttribute("aria-busy", "true");
  try {
    const verified = await call("POST", "/verified", payload);
    markVerified(item, verified.id);
  } catch (failure) {
    result.textContent = "Not verified: " + failure.message + " (" + failure.code + ")";
  } finally {
    item.removeAttribute("aria-busy");
  }
}

function reviewItem(rated) {
  const item = el("li", { class: "review-item", "data-answer-id": rated.answer_id });
  const when = new Date(rated.rated_at * 1000).toLocaleString();
  item.append(el("h2", { class: "review-question", text: rated.question || "(no question)" }),
    el("p", { class: "review-meta", text: "answer " + rated.answer_id + " · " + (rated.status || "not in the answer log") + " · rated " + when }));
  if (rated.sql) item.append(codeBlock("The answer's SQL", rated.sql));
  const comments = rated.comments.length ? rated.comments : ["(no comment)"];
  item.append(el("h3", { text: "What the raters said" }),
    el("ul", { class: "review-comments" }, ...comments.map((c) => el("li", { text: c }))));
  if (rated.corrected_sql) item.append(codeBlock("SQL a rater suggested", rated.corrected_sql));
  const fieldId = "sql-" + rated.answer_id;
  const text = el("textarea", { id: fieldId, class: "corrected-sql", rows: "6", spellcheck: "false" });
  text.value = rated.corrected_sql || rated.sql || "";
  const verifySql = el("button", { type: "button", class: "verify-sql primary", text: "Verify this SQL" });
  verifySql.addEventListener("click", () => verify(item, { answer_id: rated.answer_id, sql: text.value.trim() }));
  const accept = el("button", { type: "button", class: "accept-plan", text: "Accept the answer as it is" });
  accept.disabled = rated.status !== "answered";
  accept.addEventListener("click", () => verify(item, { answer_id: rated.answer_id }));
  item.append(el("label", { for: fieldId, text: "Corrected SQL" }), text,
    el("div", { class: "row-actions" }, verifySql, accept), el("p", { class: "review-result", role: "status" }));
  if (rated.verified_id) markVerified(item, rated.verified_id);
  return item;
}

async function load() {
  const status = $("review-status");
  try {
    const rated = await call("GET", "/feedback?rating=down&limit=100");
    $("reviews").replaceChildren(...rated.map(reviewItem));
    status.textContent = rated.length ? rated.length + (rated.length === 1 ? " answer" : " answers") + " rated wrong"
      : "No answers rated wrong yet.";
  } catch (failure) {
    status.textContent = "Could not load the answers: " + failure.message + " (" + failure.code + ")";
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
  load();
}

document.addEventListener("DOMContentLoaded", start);
