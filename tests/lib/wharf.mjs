// Starts a real `wharf serve` on a random port with a fresh data dir, for tests.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
export const WHARF_BIN = process.env.WHARF_BIN ?? resolve(here, "../../build/wharf");

// Starts a server. Options: dataDir (reuse one), env (extra WHARF_* variables), args.
// Resolves to { url, port, token, dataDir, proc, stop(), kill9() }.
export async function startWharf(options = {}) {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "wharf-test-"));
  const args = ["serve", "--port", "0", "--bind", "127.0.0.1", "--data-dir", dataDir, "--log-level", process.env.WHARF_TEST_LOG ? "info" : "warn",
                ...(options.args ?? [])];
  const proc = spawn(WHARF_BIN, args, {
    env: { ...process.env, ...(options.env ?? {}) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  proc.stderr.on("data", (d) => { err += d; if (process.env.WHARF_TEST_LOG) process.stderr.write(d); });
  const ready = await new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`wharf did not start: ${out} ${err}`)), 15000);
    proc.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/wharf listening on http:\/\/[^:]+:(\d+)/);
      if (m) {
        clearTimeout(timer);
        resolvePromise(Number(m[1]));
      }
    });
    proc.on("exit", (code) => { clearTimeout(timer); reject(new Error(`wharf exited ${code}: ${err}`)); });
  });
  const token = (out.match(/\b(hf_[A-Za-z0-9]+)\b/) ?? [])[1] ?? options.token;
  const server = {
    url: `http://127.0.0.1:${ready}`,
    port: ready,
    token,
    dataDir,
    proc,
    stderr: () => err,
    async stop({ keepData = false } = {}) {
      // A killed process has a signalCode and no exitCode: waiting for its exit would hang.
      if (proc.exitCode === null && proc.signalCode === null) {
        const exited = new Promise((r) => proc.once("exit", r));
        proc.kill("SIGTERM");
        await exited;
      }
      if (!keepData && !options.dataDir) rmSync(dataDir, { recursive: true, force: true });
      // The test build runs under AddressSanitizer and UBSan: a report fails the test file.
      const report = err.match(/(ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:)[^\n]*/);
      if (report) throw new Error(`wharf sanitizer report: ${report[0]}\n${err.slice(0, 4000)}`);
    },
    async kill9() {
      const exited = new Promise((r) => proc.once("exit", r));
      proc.kill("SIGKILL");
      await exited;
    },
  };
  return server;
}

// Runs `wharf admin ...` on a data dir; resolves to its stdout.
export function wharfAdmin(dataDir, ...words) {
  return new Promise((resolvePromise, reject) => {
    const p = spawn(WHARF_BIN, ["admin", ...words, "--data-dir", dataDir], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "", err = "";
    p.stdout.on("data", (d) => (out += d));
    p.stderr.on("data", (d) => (err += d));
    p.on("exit", (code) => (code === 0 ? resolvePromise(out.trim()) : reject(new Error(`wharf admin ${words.join(" ")}: ${err}`))));
  });
}
