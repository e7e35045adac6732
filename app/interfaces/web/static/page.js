// Shared by the review and monitors pages: the API base, the key kept for this tab, element helpers
// and one call() that turns an error response into an ApiFailure (401 shows the key form). Values
// from the server reach the page through textContent -- never innerHTML.
"use strict";

const API = "/api/v1";
const state = { apiKey: sessionStorage.getItem("asklytics-key") || "" };
const $ = (id) => document.getElementById(id);

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (name === "class") node.className = value;
    else if (name === "text") node.textContent = value;
    else node.setAttribute(name, value);
  }
  for (const child of children) if (child != null) node.append(child);
  return node;
}

class ApiFailure extends Error {
  constructor(status, code, message) { super(message); this.status = status; this.code = code; }
}

async function call(method, path, payload) {
  const headers = {};
  if (payload !== undefined) headers["Content-Type"] = "application/json";
  if (state.apiKey) headers["Authorization"] = "Bearer " + state.apiKey;
  const response = await fetch(API + path, { method, headers, body: payload === undefined ? undefined : JSON.stringify(payload) });
  if (response.status === 204) return null;
  if (response.ok) return response.json();
  let body = null;
  try { body = await response.json(); } catch (_) { /* not JSON */ }
  const error = (body && body.error) || { code: "http_" + response.status, message: response.statusText };
  if (response.status === 401) $("auth").hidden = false;
  throw new ApiFailure(response.status, error.code, error.message);
}
