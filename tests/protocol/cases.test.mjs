// Data-driven protocol cases (in the manner of DuckDB's .test files): every file of
// cases/*.json is a list of requests, sent with the real curl binary to a fresh
// `wharf serve`, and the status, headers and body each must answer with.
//
// File:  { "description", "server": {"args": [...]}, "vars": {...}, "setup": [step...], "cases": [case...] }
// Case:  { "name", "method", "path" (or "url"), "headers",
//          "auth": "admin" (default; the bootstrap admin's write token) | "read" (admin's read
//                  token) | "other" (a second user's write token) | "none" | "invalid",
//          body: "json" | "ndjson" (+ "ndjsonGenerate": {"count", "line"}, "trailingNewline") |
//                "form" ([[k, v]...]) | "body" | "bodyBase64" | "bodyFile",
//          "expect": { "status", "headers": {name: matcher}, "json": matcher, "bodyEquals",
//                      "bodyBase64", "bodyContains", "bodyLength", "linkWalk": {...} },
//          "capture": { var: "json:a.b.0" | "header:Name" | {"from", "slice": [a, b], "replace": [re, s]} } }
// A case may instead run git on a repo of the data dir: { "git": [args], "gitRepo", "expect": {"stdout"} }.
// Setup steps are cases that must pass before any case runs; their captures become ${var}.
// Strings may use ${var}; a string that is exactly "${var}" takes the var's own type.
// Matchers are described in ../lib/expect.mjs.
//
// Every response is also checked against the rules that hold everywhere (spec §1.9, §1.10,
// §7.2, §11, §19): see `invariantBreaks` ("invariants": false on a case turns them off).
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import { startWharf, wharfAdmin } from "../lib/wharf.mjs";
import { curl } from "../lib/curl.mjs";
import { mismatches, conventionBreaks, SHA_RE } from "../lib/expect.mjs";

const casesDir = join(dirname(fileURLToPath(import.meta.url)), "cases");

// --- variables ---------------------------------------------------------------------------

const varFunctions = {
  sha256: (s) => createHash("sha256").update(s).digest("hex"),
  gitBlobSha1: (s) => {
    const b = Buffer.from(s);
    return createHash("sha1").update(`blob ${b.length}\0`).update(b).digest("hex");
  },
  base64: (s) => Buffer.from(s).toString("base64"),
  length: (s) => Buffer.byteLength(s),
  repeat: ([s, n]) => String(s).repeat(n),
  slice: ([s, a, b]) => String(s).slice(a, b),
  concat: (parts) => parts.join(""),
  lfsPointer: ([oid, size]) => `version https://git-lfs.github.com/spec/v1\noid sha256:${oid}\nsize ${size}\n`,
};

function substitute(value, vars) {
  if (typeof value === "string") {
    const whole = value.match(/^\$\{(\w+)\}$/);
    if (whole) {
      if (!(whole[1] in vars)) throw new Error(`unknown variable \${${whole[1]}}`);
      return vars[whole[1]];
    }
    return value.replace(/\$\{(\w+)\}/g, (_, name) => {
      if (!(name in vars)) throw new Error(`unknown variable \${${name}}`);
      return String(vars[name]);
    });
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, vars));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, vars)]));
  }
  return value;
}

// A var is a literal, or {"fn": argument} for one of varFunctions.
function evaluateVar(spec, vars) {
  const value = substitute(spec, vars);
  if (value && typeof value === "object" && !Array.isArray(value)) {
    const keys = Object.keys(value);
    if (keys.length === 1 && varFunctions[keys[0]]) return varFunctions[keys[0]](value[keys[0]]);
  }
  return value;
}

function pick(obj, dotted) {
  return dotted.split(".").reduce((o, k) => (o === undefined || o === null ? undefined : o[k]), obj);
}

function captureValue(res, spec) {
  const s = typeof spec === "string" ? { from: spec } : spec;
  let v;
  if (s.from.startsWith("json:")) v = pick(res.json(), s.from.slice(5));
  else if (s.from.startsWith("header:")) v = res.header(s.from.slice(7));
  else if (s.from === "status") v = res.status;
  else throw new Error(`unknown capture source ${s.from}`);
  if (v === undefined) throw new Error(`capture ${s.from}: nothing there in\n${res.describe()}`);
  if (s.slice) v = String(v).slice(...s.slice);
  if (s.replace) v = String(v).replace(new RegExp(s.replace[0]), s.replace[1]);
  if (s.unquote) v = String(v).replace(/^W\//, "").replace(/^"|"$/g, "");
  return v;
}

// --- requests ----------------------------------------------------------------------------

function requestBody(c) {
  if (c.json !== undefined) return { body: JSON.stringify(c.json), type: "application/json" };
  if (c.ndjson !== undefined || c.ndjsonGenerate !== undefined) {
    const lines = (c.ndjson ?? []).map((l) => JSON.stringify(l));
    if (c.ndjsonGenerate) {
      const template = JSON.stringify(c.ndjsonGenerate.line);
      for (let i = 0; i < c.ndjsonGenerate.count; i++) lines.push(template.replaceAll("#{i}", String(i)));
    }
    const trailing = c.trailingNewline === false ? "" : "\n";
    return { body: lines.join("\n") + trailing, type: "application/x-ndjson" };
  }
  if (c.form !== undefined) {
    return { body: new URLSearchParams(c.form).toString(), type: "application/x-www-form-urlencoded" };
  }
  if (c.body !== undefined) return { body: c.body };
  if (c.bodyBase64 !== undefined) return { body: Buffer.from(c.bodyBase64, "base64") };
  if (c.bodyFile !== undefined) return { bodyFile: join(casesDir, c.bodyFile) };
  return {};
}

function authHeaders(auth, ctx) {
  switch (auth ?? "admin") {
    case "admin": return { Authorization: `Bearer ${ctx.vars.token}` };
    case "read": return { Authorization: `Bearer ${ctx.vars.readToken}` };
    case "other": return { Authorization: `Bearer ${ctx.vars.otherToken}` };
    case "invalid": return { Authorization: "Bearer hf_thisTokenDoesNotExist0000000000" };
    case "none": return {};
    default: throw new Error(`unknown auth ${auth}`);
  }
}

async function send(c, ctx) {
  const { body, bodyFile, type } = requestBody(c);
  const headers = { ...authHeaders(c.auth, ctx) };
  if (type) headers["Content-Type"] = type;
  Object.assign(headers, c.headers ?? {});
  const url = c.url ?? ctx.vars.url + c.path;
  return curl(url, { method: c.method ?? "GET", headers, body, bodyFile });
}

// --- checks ------------------------------------------------------------------------------

// Rules every response must keep, whatever the case asserts.
function invariantBreaks(res) {
  const out = [];
  const method = res.request.method;
  const path = new URL(res.request.url).pathname;
  for (const [k, v] of res.headerList) {
    if (/^x-xet-/i.test(k)) out.push(`Xet header ${k} (spec §11)`);
    if (/^link$/i.test(k) && /xet/i.test(v)) out.push(`Xet Link ${v} (spec §11)`);
  }
  if (/vnd\.xet/i.test(res.header("Content-Type") ?? "")) out.push("Xet content type (spec §11)");
  if (!res.header("Access-Control-Allow-Origin")) out.push("no Access-Control-Allow-Origin (spec §1.10)");
  if (method !== "OPTIONS" && !res.header("Access-Control-Expose-Headers"))
    out.push("no Access-Control-Expose-Headers (spec §1.10)");
  if (/\/(resolve|raw)\//.test(path) && !path.startsWith("/api/") && method !== "OPTIONS") {
    if (res.header("Content-Encoding")) out.push("Content-Encoding on a resolve answer (spec §7.2)");
    // Every answer about a file at a commit names the commit: 2xx, 304, 416, and a 404
    // EntryNotFound (spec §7.2, §19). Redirects are checked by their cases: a redirect of a
    // renamed repo to a revision that does not exist has no commit to name.
    const servesFile = (res.status >= 200 && res.status < 300) || res.status === 304 || res.status === 416;
    const commit = res.header("X-Repo-Commit");
    if ((servesFile || res.header("X-Error-Code") === "EntryNotFound") && !SHA_RE.test(commit ?? ""))
      out.push(`resolve answer ${res.status} without a valid X-Repo-Commit (spec §7.2)`);
  }
  if (res.status >= 400 && method === "HEAD" && !res.header("X-Error-Message") && !res.header("X-Error-Code"))
    out.push("HEAD error without X-Error-Code or X-Error-Message (spec §1.6)");
  if (res.status >= 400 && method !== "HEAD") {
    if (!/json/.test(res.header("Content-Type") ?? "")) out.push("error body is not JSON (spec §1.6)");
  }
  if ((res.status === 304 || method === "HEAD") && res.body.length) out.push("body on a 304 or HEAD answer");
  if (/json/.test(res.header("Content-Type") ?? "") && res.body.length && method !== "HEAD") {
    let parsed;
    try {
      parsed = JSON.parse(res.text);
    } catch {
      out.push("Content-Type says JSON but the body does not parse");
    }
    if (parsed !== undefined) out.push(...conventionBreaks(parsed));
  }
  return out;
}

function headerMismatches(res, expected) {
  const out = [];
  for (const [name, e] of Object.entries(expected)) {
    // Header values are strings; a number substituted from a var compares as its decimal form.
    out.push(...mismatches(res.header(name), typeof e === "number" ? String(e) : e, `header ${name}`));
  }
  return out;
}

async function linkWalkMismatches(first, spec, c, ctx) {
  const out = [];
  const items = [...first.json()];
  let res = first;
  let pages = 1;
  const linkRe = new RegExp(spec.linkMatch ?? '^<https?://[^>]+>; rel="next"$');
  while (res.header("Link")) {
    const link = res.header("Link");
    if (!linkRe.test(link)) out.push(`page ${pages}: Link ${link} does not match /${linkRe.source}/`);
    const next = link.match(/^<([^>]+)>/)?.[1];
    if (!next || pages > 1000) break;
    res = await curl(next, { headers: authHeaders(c.auth, ctx) });
    pages++;
    if (res.status !== 200) {
      out.push(`page ${pages}: status ${res.status}`);
      break;
    }
    out.push(...invariantBreaks(res).map((b) => `page ${pages}: ${b}`));
    items.push(...res.json());
  }
  if (spec.pages !== undefined) out.push(...mismatches(pages, spec.pages, "pages"));
  if (spec.items !== undefined) out.push(...mismatches(items.length, spec.items, "items"));
  if (spec.unique) {
    const keys = new Set(items.map((i) => i[spec.unique]));
    if (keys.size !== items.length) out.push(`items repeat across pages (${items.length} items, ${keys.size} distinct)`);
  }
  if (spec.every) out.push(...mismatches(items, { $every: spec.every }, "items"));
  return out;
}

// A git command on a repository of the data dir: {"git": [args], "gitRepo": "models/ns/name",
// "expect": {"stdout": matcher, "exitCode": n}}. For what only git can tell (tag objects, fsck).
async function runGit(c, ctx) {
  const gitDir = join(ctx.dataDir, "repos", `${c.gitRepo}.git`);
  const { code, stdout, stderr } = await new Promise((resolve) => {
    execFile("git", [`--git-dir=${gitDir}`, ...c.git], (err, stdout, stderr) =>
      resolve({ code: err ? err.code : 0, stdout, stderr }));
  });
  const e = c.expect ?? {};
  const problems = [...mismatches(code, e.exitCode ?? 0, "exit code")];
  if (e.stdout !== undefined) problems.push(...mismatches(stdout.trim(), e.stdout, "stdout"));
  if (problems.length) assert.fail(`${c.name}\n- ${problems.join("\n- ")}\nstdout: ${stdout}\nstderr: ${stderr}`);
  for (const [name, from] of Object.entries(c.capture ?? {})) {
    if (from !== "stdout") throw new Error(`git steps capture only stdout`);
    ctx.vars[name] = stdout.trim();
  }
}

async function runCase(rawCase, ctx) {
  const c = substitute(rawCase, ctx.vars);
  if (c.git) return runGit(c, ctx);
  const res = await send(c, ctx);
  const e = c.expect ?? {};
  const problems = [];
  if (e.status !== undefined) {
    const ok = Array.isArray(e.status) ? e.status.includes(res.status) : res.status === e.status;
    if (!ok) problems.push(`status ${res.status}, expected ${JSON.stringify(e.status)}`);
  }
  if (c.invariants !== false) problems.push(...invariantBreaks(res));
  if (e.headers) problems.push(...headerMismatches(res, e.headers));
  if (e.json !== undefined) {
    let body;
    try {
      body = res.json();
    } catch (err) {
      problems.push(err.message);
    }
    if (body !== undefined) problems.push(...mismatches(body, e.json, "body"));
  }
  if (e.bodyEquals !== undefined && res.text !== e.bodyEquals)
    problems.push(`body ${JSON.stringify(res.text.slice(0, 200))}, expected ${JSON.stringify(e.bodyEquals)}`);
  if (e.bodyBase64 !== undefined && res.body.toString("base64") !== e.bodyBase64)
    problems.push(`body bytes differ from the expected ${e.bodyBase64.length} base64 characters`);
  for (const s of [e.bodyContains ?? []].flat())
    if (!res.text.includes(s)) problems.push(`body does not contain ${JSON.stringify(s)}`);
  if (e.bodyLength !== undefined && res.body.length !== e.bodyLength)
    problems.push(`body has ${res.body.length} bytes, expected ${e.bodyLength}`);
  if (e.linkWalk) problems.push(...(await linkWalkMismatches(res, e.linkWalk, c, ctx)));
  if (problems.length) assert.fail(`${c.name}\n- ${problems.join("\n- ")}\n${res.describe()}`);
  for (const [name, spec] of Object.entries(c.capture ?? {})) ctx.vars[name] = captureValue(res, spec);
}

// --- the files ---------------------------------------------------------------------------

const files = readdirSync(casesDir).filter((f) => f.endsWith(".json")).sort();

for (const file of files) {
  const spec = JSON.parse(readFileSync(join(casesDir, file), "utf8"));
  describe(`${file}: ${spec.description ?? ""}`, () => {
    const ctx = { vars: {} };
    let server;
    let setupError;
    before(async () => {
      server = await startWharf({ args: spec.server?.args ?? [] });
      ctx.vars.url = server.url;
      ctx.vars.host = new URL(server.url).host;
      ctx.vars.token = server.token;
      ctx.vars.readToken = await wharfAdmin(server.dataDir, "token", "create", "--user", "admin", "--role", "read");
      await wharfAdmin(server.dataDir, "user", "create", "other");
      ctx.vars.otherToken = await wharfAdmin(server.dataDir, "token", "create", "--user", "other", "--role", "write");
      ctx.dataDir = server.dataDir;
      for (const [name, v] of Object.entries(spec.vars ?? {})) ctx.vars[name] = evaluateVar(v, ctx.vars);
      try {
        for (const step of spec.setup ?? []) await runCase(step, ctx);
      } catch (err) {
        setupError = err;
      }
    });
    after(async () => {
      await server?.stop();
    });
    for (const c of spec.cases) {
      test(c.name, async () => {
        if (setupError) throw new Error(`setup failed: ${setupError.message}`);
        await runCase(c, ctx);
      });
    }
  });
}
