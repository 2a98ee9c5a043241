// A browser's part for page tests at the HTTP level: a cookie jar, forms posted with their
// csrf field, redirects not followed. For a real browser see browser.mjs.
import assert from "node:assert/strict";

// A browser's part: a cookie jar, forms with their csrf field, redirects not followed.
export class Browser {
  constructor(server) {
    this.base = server.url;
    this.jar = new Map();
  }
  cookieHeader() {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join("; ");
  }
  keep(res) {
    for (const line of res.headers.getSetCookie()) {
      const pair = line.split(";")[0];
      const eq = pair.indexOf("=");
      if (/;\s*Max-Age=0\b/i.test(line)) this.jar.delete(pair.slice(0, eq));
      else this.jar.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
  }
  async request(method, path, { body, headers = {} } = {}) {
    const h = { ...headers };
    if (this.jar.size) h.Cookie = this.cookieHeader();
    if (body !== undefined && !h["Content-Type"]) h["Content-Type"] = "application/x-www-form-urlencoded";
    const res = await fetch(this.base + path, { method, redirect: "manual", headers: h, body });
    this.keep(res);
    res.html = await res.text();
    return res;
  }
  get(path, headers) {
    return this.request("GET", path, { headers });
  }
  post(path, fields, headers) {
    return this.request("POST", path, { body: new URLSearchParams(fields).toString(), headers });
  }
  // Loads `page`, then posts its form to `action` with the page's csrf token.
  async submit(page, fields, action = page, headers = {}) {
    const res = await this.get(page);
    assert.equal(res.status, 200, `${page}: ${res.html.slice(0, 300)}`);
    return this.post(action, { csrf: csrfOf(res.html), ...fields }, headers);
  }
  signUp(name, password = `${name}-password`, email = `${name}@example.org`) {
    return this.submit("/join", { name, email, password });
  }
  logIn(login, password, next) {
    return this.submit(next ? `/login?next=${encodeURIComponent(next)}` : "/login", { login, password, ...(next ? { next } : {}) }, "/login");
  }
}

// The last csrf field of the page (the nav's log-out form comes first).
export function csrfOf(html) {
  const all = [...html.matchAll(/name="csrf" value="([^"]*)"/g)];
  assert.ok(all.length, `no csrf field in ${html.slice(0, 300)}`);
  return all.at(-1)[1];
}

