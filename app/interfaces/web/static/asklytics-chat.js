// <asklytics-chat>: the Asklytics chat as a custom element for any page (docs/embedding.md).
//
//   <script src="https://asklytics.example.com/embed/asklytics-chat.js" defer></script>
//   <asklytics-chat api-key="ask_..." theme="light" question="Installs by platform last month"></asklytics-chat>
//
// Plain JavaScript, no framework and no build step; everything it draws lives in its shadow root,
// so the host page's CSS cannot break it and it cannot break the page. It talks to the REST API
// (POST /api/v1/ask, POST /api/v1/feedback) of `endpoint` (default: the server this file came
// from); cross-origin calls need the page's origin allowed for the key (CORS per key). Every
// string from the server or the data reaches the page through textContent, never innerHTML.
"use strict";

(() => {
  if (window.customElements.get("asklytics-chat")) return;
  const SCRIPT_ORIGIN = document.currentScript ? new URL(document.currentScript.src, location.href).origin : location.origin;
  let plotlyLoading = null;

  const STYLE = `
    :host { display: block; --ak-bg: #f6f7f9; --ak-panel: #fff; --ak-ink: #1d2330; --ak-muted: #5b6475;
      --ak-line: #dde1e8; --ak-accent: #2457d6; --ak-accent-ink: #fff; --ak-bad: #b3261e; --ak-warn: #8a5a00;
      font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ak-ink); }
    :host([theme="dark"]) { --ak-bg: #12161f; --ak-panel: #1b2130; --ak-ink: #e6e9ef; --ak-muted: #a3abbb;
      --ak-line: #2e3547; --ak-accent: #6f9bff; --ak-accent-ink: #0b1020; }
    :host([hidden]) { display: none; }
    * { box-sizing: border-box; }
    .frame { background: var(--ak-bg); border: 1px solid var(--ak-line); border-radius: 12px; padding: 12px;
      display: flex; flex-direction: column; gap: 8px; max-height: var(--asklytics-max-height, 720px); }
    .thread { list-style: none; margin: 0; padding: 0; overflow-y: auto; flex: 1; }
    .turn { margin-bottom: 16px; }
    .question { background: var(--ak-accent); color: var(--ak-accent-ink); border-radius: 12px; padding: 6px 10px;
      width: fit-content; max-width: 85%; margin: 0 0 6px auto; white-space: pre-wrap; overflow-wrap: anywhere; }
    .answer { background: var(--ak-panel); border: 1px solid var(--ak-line); border-radius: 12px; padding: 10px 12px; }
    .narrative { line-height: 1.5; white-space: pre-wrap; overflow-wrap: anywhere; margin: 0 0 8px; }
    .progress, .meta { color: var(--ak-muted); font-size: .85rem; }
    .error { color: var(--ak-bad); border-left: 4px solid var(--ak-bad); padding-left: 8px; }
    .refused { color: var(--ak-warn); border-left: 4px solid var(--ak-warn); padding-left: 8px; }
    .chart { width: 100%; min-height: 300px; }
    .table-wrap { overflow: auto; max-height: 280px; border: 1px solid var(--ak-line); border-radius: 6px; margin: 8px 0; }
    table { border-collapse: collapse; width: 100%; font-size: .85rem; }
    th, td { padding: 3px 8px; border-bottom: 1px solid var(--ak-line); text-align: left; white-space: nowrap; }
    td.num { text-align: right; font-variant-numeric: tabular-nums; }
    th { position: sticky; top: 0; background: var(--ak-panel); }
    details.sql summary { cursor: pointer; }
    details.sql pre { background: #0f1420; color: #e6e9ef; padding: 8px; border-radius: 6px; overflow-x: auto; white-space: pre-wrap; }
    button { font: inherit; border: 1px solid var(--ak-line); background: var(--ak-panel); color: var(--ak-ink);
      border-radius: 6px; padding: 4px 10px; cursor: pointer; }
    button[aria-pressed="true"] { border-color: var(--ak-accent); font-weight: 600; }
    button:disabled { opacity: .6; cursor: wait; }
    .feedback, .options { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; margin-top: 8px; }
    form { display: flex; gap: 6px; }
    input { flex: 1; min-width: 0; font: inherit; padding: 8px 10px; border: 1px solid var(--ak-line); border-radius: 8px;
      background: var(--ak-panel); color: var(--ak-ink); }
    form button { background: var(--ak-accent); color: var(--ak-accent-ink); border-color: var(--ak-accent); }
  `;

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

  function formatCell(value) {
    if (value == null) return "";
    if (typeof value === "number" && Number.isFinite(value)) {
      return Number.isInteger(value) ? value.toLocaleString() : value.toLocaleString(undefined, { maximumFractionDigits: 4 });
    }
    return String(value);
  }

  // plotly.js from the Asklytics server, loaded once per page and only when a chart is drawn.
  function loadPlotly(endpoint) {
    if (window.Plotly) return Promise.resolve(window.Plotly);
    if (!plotlyLoading) {
      plotlyLoading = new Promise((resolve, reject) => {
        const script = document.createElement("script");
        script.src = endpoint + "/static/plotly.min.js";
        script.onload = () => resolve(window.Plotly);
        script.onerror = () => { plotlyLoading = null; reject(new Error("the chart library did not load")); };
        document.head.append(script);
      });
    }
    return plotlyLoading;
  }

  class AsklyticsChat extends HTMLElement {
    constructor() {
      super();
      this.conversationId = null;
      this.busy = false;
      const root = this.attachShadow({ mode: "open" });
      this.thread = el("ol", { class: "thread", "aria-live": "polite", "aria-label": "Conversation", part: "thread" });
      this.input = el("input", { type: "text", name: "question", autocomplete: "off", maxlength: "1000",
        "aria-label": "Your question", placeholder: "Ask about your data…", part: "input" });
      this.send = el("button", { type: "submit", text: "Ask", part: "send" });
      const form = el("form", { onsubmit: (event) => { event.preventDefault(); this.ask(this.input.value); } },
        this.input, this.send);
      root.append(el("style", { text: STYLE }), el("div", { class: "frame", part: "frame" }, this.thread, form));
    }

    connectedCallback() {
      const question = this.getAttribute("question");
      if (question && !this.asked) { this.asked = true; this.ask(question); }
    }

    get endpoint() { return (this.getAttribute("endpoint") || SCRIPT_ORIGIN).replace(/\/+$/, ""); }
    get apiKey() { return this.getAttribute("api-key") || this.getAttribute("token") || ""; }

    async call(path, payload) {
      const headers = { "Content-Type": "application/json" };
      if (this.apiKey) headers.Authorization = "Bearer " + this.apiKey;
      let response;
      try {
        response = await fetch(this.endpoint + "/api/v1" + path, { method: "POST", headers, body: JSON.stringify(payload),
          mode: "cors", credentials: "omit" });
      } catch (_) {
        throw Object.assign(new Error("cannot reach Asklytics at " + this.endpoint +
          " (is this page's origin allowed for the key?)"), { code: "unreachable" });
      }
      let body = null;
      try { body = await response.json(); } catch (_) { /* not JSON */ }
      if (body && body.status && body.conversation_id) return body; // an answer, even one whose status is error
      if (!response.ok) {
        const error = (body && body.error) || { code: "http_" + response.status, message: response.statusText };
        throw Object.assign(new Error(error.message), { code: error.code, status: response.status });
      }
      return body;
    }

    async ask(question) {
      question = String(question || "").trim();
      if (!question || this.busy) return;
      this.setBusy(true);
      this.input.value = "";
      const box = el("div", { class: "answer", "aria-busy": "true" }, el("p", { class: "progress", text: "Thinking…" }));
      this.thread.append(el("li", { class: "turn" }, el("p", { class: "question", text: question }), box));
      try {
        const answer = await this.call("/ask", { question, conversation_id: this.conversationId || undefined });
        this.conversationId = answer.conversation_id;
        this.render(box, answer);
        this.dispatchEvent(new CustomEvent("asklytics-answer", { detail: answer, bubbles: true, composed: true }));
      } catch (failure) {
        box.replaceChildren(el("p", { class: "error", role: "alert", text: failure.message + (failure.code ? " (" + failure.code + ")" : "") }));
        this.dispatchEvent(new CustomEvent("asklytics-error", { detail: { code: failure.code, message: failure.message },
          bubbles: true, composed: true }));
      } finally {
        box.removeAttribute("aria-busy");
        this.setBusy(false);
        box.scrollIntoView({ block: "nearest" });
      }
    }

    setBusy(busy) {
      this.busy = busy;
      this.send.disabled = busy;
      this.shadowRoot.querySelectorAll(".option").forEach((b) => { b.disabled = busy; });
    }

    render(box, answer) {
      box.replaceChildren();
      box.setAttribute("data-status", answer.status);
      if (answer.status === "error") {
        const error = answer.error || { code: "error", message: answer.answer };
        box.append(el("p", { class: "error", role: "alert", text: error.message + " (" + error.code + ")" }));
      } else if (answer.status === "refused") {
        box.append(el("p", { class: "refused", text: answer.answer }));
      } else {
        const text = el("p", { class: "narrative" });
        String(answer.answer || "").split("**").forEach((part, i) => text.append(i % 2 ? el("strong", { text: part }) : part));
        box.append(text);
      }
      if (answer.clarification && answer.clarification.options) {
        box.append(el("div", { class: "options" }, ...answer.clarification.options.map((option) =>
          el("button", { type: "button", class: "option", text: option, onclick: () => this.ask(option) }))));
      }
      if (answer.chart && answer.chart.figure && answer.chart.type !== "table") box.append(this.chart(answer.chart));
      if (answer.columns && answer.columns.length) box.append(this.table(answer));
      if (answer.sql) box.append(el("details", { class: "sql" }, el("summary", { text: "SQL" }), el("pre", {}, el("code", { text: answer.sql }))));
      if (answer.answer_id && answer.status === "answered") box.append(this.feedback(answer));
    }

    chart(chart) {
      const target = el("div", { class: "chart", role: "img", "aria-label": chart.type + " chart" });
      loadPlotly(this.endpoint).then((Plotly) => {
        const layout = Object.assign({}, chart.figure.layout || {}, { autosize: true });
        return Plotly.newPlot(target, chart.figure.data || [], layout, { displaylogo: false, displayModeBar: false, responsive: true });
      }).then(() => target.setAttribute("data-rendered", "true"))
        .catch((failure) => { target.textContent = "Chart unavailable: " + failure.message; });
      return target;
    }

    table(answer) {
      const head = el("tr", {}, ...answer.columns.map((c) => el("th", { scope: "col", title: c.type, text: c.name })));
      const rows = answer.rows.map((row) => el("tr", {}, ...row.map((v) =>
        el("td", { class: typeof v === "number" ? "num" : "", text: formatCell(v) }))));
      const note = answer.truncated ? el("p", { class: "meta", text: "Showing " + answer.rows.length + " rows (truncated)." }) : null;
      return el("div", {}, el("div", { class: "table-wrap" }, el("table", {}, el("thead", {}, head), el("tbody", {}, ...rows))), note);
    }

    feedback(answer) {
      const note = el("span", { class: "meta", role: "status" });
      const bar = el("div", { class: "feedback", role: "group", "aria-label": "Rate this answer" });
      const rate = async (rating, button) => {
        try {
          await this.call("/feedback", { answer_id: answer.answer_id, rating });
          bar.querySelectorAll("button").forEach((b) => b.setAttribute("aria-pressed", String(b === button)));
          note.textContent = "Thanks for the feedback.";
        } catch (failure) { note.textContent = "Feedback failed: " + failure.message; }
      };
      const up = el("button", { type: "button", class: "thumbs-up", "aria-pressed": "false", text: "Helpful" });
      const down = el("button", { type: "button", class: "thumbs-down", "aria-pressed": "false", text: "Wrong" });
      up.addEventListener("click", () => rate("up", up));
      down.addEventListener("click", () => rate("down", down));
      bar.append(up, down, note);
      return bar;
    }
  }

  window.customElements.define("asklytics-chat", AsklyticsChat);
})();
