// SIGTERM drains: a download in flight gets all its bytes, an idle keep-alive connection does not
// hold the exit back, and nothing runs after the hub is gone (the sanitizers would say so).
import { test } from "node:test";
import assert from "node:assert/strict";
import { connect } from "node:net";

import { startWharf } from "../lib/wharf.mjs";
import { commit, createRepo, lfsOp, lfsUpload } from "../lib/hub_ops.mjs";
import { patternBytes } from "../lib/content.mjs";

test("SigtermLetsADownloadInFlightFinishAndClosesIdleConnections", async () => {
  const server = await startWharf();
  try {
    await createRepo(server, "drain", { organization: "admin" });
    const bytes = patternBytes(64 * 1024 * 1024, 7);
    const up = await lfsUpload(server, "drain", bytes);
    await commit(server, "drain", "weights", [lfsOp("w.bin", up.oid, up.size)]);

    // An idle keep-alive connection: one request answered, then silence.
    const idle = connect(server.port, "127.0.0.1");
    const idleClosed = new Promise((r) => idle.on("close", r));
    idle.on("error", () => {});
    idle.write(`GET /api/whoami-v2 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${server.token}\r\n\r\n`);
    await new Promise((r) => idle.once("data", r));

    // A download read slowly, so it is still in flight when the signal arrives.
    const res = await fetch(`${server.url}/admin/drain/resolve/main/w.bin`);
    assert.equal(res.status, 200);
    const reader = res.body.getReader();
    let received = 0;
    const first = await reader.read();
    received += first.value.length;

    const exited = new Promise((r) => server.proc.once("exit", (code, signal) => r({ code, signal })));
    const t0 = Date.now();
    server.proc.kill("SIGTERM");
    await idleClosed;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      received += value.length;
    }
    assert.equal(received, bytes.length, "the download in flight is complete");
    const { code } = await exited;
    assert.equal(code, 0);
    assert.ok(Date.now() - t0 < 20000, "the idle connection did not hold the exit back");
  } finally {
    await server.stop();
  }
});
