// JSON API calls by named users for protocol tests, and the checks of their answers.
import assert from "node:assert/strict";

// Returns call(path, {who, token, method, body, raw, type}) for /api/<path>: `who` names a
// token in `tokens`, `body` is sent as JSON, `raw` as is (with `type`, JSON by default).
// Resolves to {status, headers, json, text}. `server()` gives the running server.
export function apiCaller(server, tokens) {
  return async function call(path, { who, token, method = "GET", body, raw, type = "application/json" } = {}) {
    const headers = {};
    const t = token ?? (who ? tokens[who] : undefined);
    if (t) headers.Authorization = `Bearer ${t}`;
    if (body !== undefined || raw !== undefined) headers["Content-Type"] = type;
    const res = await fetch(`${server().url}/api/${path}`, {
      method, headers, body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
    });
    const text = await res.text();
    let json;
    try { json = JSON.parse(text); } catch { json = undefined; }
    return { status: res.status, headers: res.headers, json, text };
  };
}

// The JSON of an answer that must have `status` (200).
export async function ok(promise, status = 200) {
  const r = await promise;
  assert.equal(r.status, status, r.text);
  return r.json;
}

// Asserts a refusal in the Hub's error format: the status, X-Error-Message, a JSON `error`
// matching `messagePart` and, when given, the X-Error-Code.
export async function refused(promise, status, messagePart, code) {
  const r = await promise;
  assert.equal(r.status, status, r.text);
  assert.ok(r.headers.get("X-Error-Message"), "X-Error-Message is set");
  assert.equal(typeof r.json?.error, "string", r.text);
  if (messagePart) assert.match(r.json.error, messagePart);
  if (code) assert.equal(r.headers.get("X-Error-Code"), code);
  return r;
}
