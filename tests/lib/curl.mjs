// HTTP requests through the real `curl` binary, for protocol tests: what goes over the wire
// is what a command-line user would send, with no client library smoothing it over.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const scratch = mkdtempSync(join(tmpdir(), "wharf-curl-"));
process.on("exit", () => rmSync(scratch, { recursive: true, force: true }));
let counter = 0;

// Parses `curl -i` output: skips interim 1xx blocks (100 Continue), then returns
// { status, statusLine, headers: [[name, value]...], body: Buffer }.
export function parseCurlOutput(out) {
  let rest = out;
  for (;;) {
    const end = rest.indexOf("\r\n\r\n");
    const headEnd = end < 0 ? rest.length : end;
    const lines = rest.subarray(0, headEnd).toString("latin1").split("\r\n");
    const m = lines[0].match(/^HTTP\/[\d.]+ (\d{3})/);
    if (!m) throw new Error(`curl output does not start with a status line: ${JSON.stringify(lines[0])}`);
    const status = Number(m[1]);
    const body = end < 0 ? Buffer.alloc(0) : rest.subarray(end + 4);
    if (status >= 100 && status < 200) {
      rest = body;
      continue;
    }
    const headers = [];
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(":");
      if (colon > 0) headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
    }
    return { status, statusLine: lines[0], headers, body };
  }
}

// A response with case-insensitive header access.
export class CurlResponse {
  constructor({ status, statusLine, headers, body }, request) {
    this.status = status;
    this.statusLine = statusLine;
    this.headerList = headers;
    this.body = body;
    this.request = request;
  }
  // The value of header `name` (several values joined by ", "), or undefined.
  header(name) {
    const values = this.headerList.filter(([k]) => k.toLowerCase() === name.toLowerCase()).map(([, v]) => v);
    return values.length ? values.join(", ") : undefined;
  }
  get text() { return this.body.toString("utf8"); }
  json() {
    try {
      return JSON.parse(this.text);
    } catch {
      throw new Error(`${this.request.method} ${this.request.url}: body is not JSON (${this.status}): ${this.text.slice(0, 300)}`);
    }
  }
  // A one-line description for assertion messages.
  describe() {
    const hs = this.headerList.map(([k, v]) => `${k}: ${v}`).join("\n  ");
    return `${this.request.method} ${this.request.url} -> ${this.statusLine}\n  ${hs}\n  body: ${this.text.slice(0, 500)}`;
  }
}

// Sends one request with curl. Options: method, headers ({name: value}), body (string or
// Buffer), bodyFile (a path sent as-is), timeout (seconds). HEAD uses `curl -I`, so that
// curl does not wait for a body; `--path-as-is` and `-g` keep the URL byte for byte.
export function curl(url, { method = "GET", headers = {}, body, bodyFile, timeout = 120 } = {}) {
  const args = ["-s", "-i", "--path-as-is", "-g", "--max-time", String(timeout)];
  if (method === "HEAD") args.push("-I");
  else args.push("-X", method);
  for (const [k, v] of Object.entries(headers)) {
    // "Name:" removes a header curl would add; "Name;" sends it empty.
    args.push("-H", v === null ? `${k}:` : v === "" ? `${k};` : `${k}: ${v}`);
  }
  let tmp;
  if (body !== undefined) {
    tmp = join(scratch, `body-${process.pid}-${counter++}`);
    writeFileSync(tmp, body);
    args.push("--data-binary", `@${tmp}`);
  } else if (bodyFile !== undefined) {
    args.push("--data-binary", `@${bodyFile}`);
  }
  args.push(url);
  const request = { method, url, headers };
  return new Promise((resolve, reject) => {
    execFile("curl", args, { encoding: "buffer", maxBuffer: 512 << 20 }, (err, stdout, stderr) => {
      if (tmp) rmSync(tmp, { force: true });
      if (err && !stdout?.length) {
        reject(new Error(`curl ${method} ${url} failed (exit ${err.code}): ${stderr}`));
        return;
      }
      try {
        resolve(new CurlResponse(parseCurlOutput(stdout), request));
      } catch (e) {
        reject(new Error(`curl ${method} ${url} (exit ${err?.code ?? 0}): ${e.message}`));
      }
    });
  });
}

// `Authorization: Bearer <token>` headers, or none for a missing token.
export function bearer(token) {
  return token ? { Authorization: `Bearer ${token}` } : {};
}
