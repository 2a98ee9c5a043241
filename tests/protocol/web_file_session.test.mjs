// The web UI's file links (card images, download buttons) are plain GETs of resolve and raw
// that carry the session cookie, not a token. The cookie opens exactly those safe reads:
// every other API call with only a cookie is anonymous, so a cross-site page can never act.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";

import { startWharf } from "../lib/wharf.mjs";
import { bearer, curl } from "../lib/curl.mjs";
import { Browser } from "../lib/web_session.mjs";

let server, ada;

before(async () => {
  server = await startWharf();
  ada = new Browser(server);
  assert.equal((await ada.signUp("ada")).status, 303);
  // A token of ada's, to set up her private repo through the API.
  const tokens = await ada.submit("/settings/tokens", { name: "setup", role: "write" });
  const token = tokens.html.match(/value="(hf_[A-Za-z0-9]+)"/)[1];
  const created = await curl(`${server.url}/api/repos/create`, {
    method: "POST", headers: { ...bearer(token), "Content-Type": "application/json" },
    body: JSON.stringify({ name: "secret", private: true }),
  });
  assert.equal(created.status, 200, created.describe());
  const line = (o) => JSON.stringify(o);
  const body = [line({ key: "header", value: { summary: "add", description: "" } }),
                line({ key: "file", value: { path: "logo.txt", content: Buffer.from("pixels").toString("base64"), encoding: "base64" } })].join("\n");
  const committed = await curl(`${server.url}/api/models/ada/secret/commit/main`, {
    method: "POST", headers: { ...bearer(token), "Content-Type": "application/x-ndjson" }, body,
  });
  assert.equal(committed.status, 200, committed.describe());
});

after(async () => server?.stop());

test("SessionCookieReadsPrivateFilesThroughResolveAndRaw", async () => {
  for (const path of ["/ada/secret/resolve/main/logo.txt", "/ada/secret/raw/main/logo.txt"]) {
    const res = await ada.get(path);
    assert.equal(res.status, 200, `${path}: ${res.html}`);
    assert.equal(res.html, "pixels");
    const anonymous = await fetch(server.url + path, { redirect: "manual" });
    assert.equal(anonymous.status, 401, path);
    const forged = await fetch(server.url + path, { redirect: "manual", headers: { Cookie: "wharf_session=forged" } });
    assert.equal(forged.status, 401, `${path} with a forged cookie`);
  }
});

test("SessionCookieOpensNothingElseOfTheApi", async () => {
  // Metadata reads and every write stay anonymous with only the cookie.
  assert.equal((await ada.get("/api/models/ada/secret")).status, 401);
  assert.equal((await ada.get("/api/whoami-v2")).status, 401);
  const del = await ada.request("DELETE", "/api/repos/delete", {
    headers: { "Content-Type": "application/json" }, body: JSON.stringify({ name: "secret", organization: "ada" }),
  });
  assert.equal(del.status, 401, del.html);
  const commit = await ada.request("POST", "/api/models/ada/secret/commit/main", {
    headers: { "Content-Type": "application/x-ndjson" },
    body: JSON.stringify({ key: "header", value: { summary: "x", description: "" } }) + "\n",
  });
  assert.equal(commit.status, 401, commit.html);
  assert.equal((await ada.get("/ada/secret/resolve/main/logo.txt")).status, 200, "the repo is still there");
  // A bearer header wins over the cookie: a wrong token is refused, not rescued by the cookie.
  const wrong = await ada.get("/ada/secret/resolve/main/logo.txt", { Authorization: "Bearer hf_wrongwrongwrongwrongwrongwrongwrong" });
  assert.equal(wrong.status, 401);
});
