// Download counters over a real server: which resolve requests count (the Hub's query files
// per library, every GGUF file, dataset files merged per client, nothing for Spaces), one
// client's HEAD + GET or Range probe + GET counted once, `downloads` and `downloadsAllTime`
// in info and listings, nothing counted for refused or missing files, and counts written
// on shutdown. Clients are told apart by their address: requests leave from 127.0.0.x.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";

import { startWharf, wharfAdmin } from "../lib/wharf.mjs";
import { commit, createRepo, fileOp } from "../lib/hub_ops.mjs";

let server;
let bob;  // a user who cannot see alice's... admin's private repos

// One request from local address 127.0.0.<from>; resolves to {status, headers, body}.
function request(path, { method = "GET", headers = {}, from = 1, base = server } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(`${base.url}${path}`, { method, headers, localAddress: `127.0.0.${from}`, agent: false },
      (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
      });
    req.on("error", reject);
    req.end();
  });
}

async function fetched(path, options) {
  const res = await request(path, options);
  assert.ok(res.status === 200 || res.status === 206, `${path}: ${res.status} ${res.body}`);
  return res;
}

// A few flush intervals, for checking that nothing (more) was counted.
const settle = () => new Promise((r) => setTimeout(r, 300));

async function readCounters(repo, base) {
  const res = await fetch(`${base.url}/api/${repo}?expand=downloads&expand=downloadsAllTime`,
                          { headers: { Authorization: `Bearer ${base.token}` } });
  assert.equal(res.status, 200);
  const info = await res.json();
  return { downloads: info.downloads, downloadsAllTime: info.downloadsAllTime };
}

// info's counters once they reach `expected` (or the flush interval has long passed), read
// again a few flushes later, so that a count written late is seen too.
async function countersOf(repo, expected, base = server) {
  const deadline = Date.now() + 5000;
  for (;;) {
    const seen = await readCounters(repo, base);
    if (expected === undefined) return seen;
    if ((seen.downloads === expected && seen.downloadsAllTime === expected) || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  await settle();
  return readCounters(repo, base);
}

async function modelRepo(name, files, extra = {}) {
  await createRepo(server, name, extra);
  const type = extra.type ?? "model";
  const prefix = type === "model" ? "models" : `${type}s`;
  const res = await fetch(`${server.url}/api/${prefix}/admin/${name}/commit/main`, {
    method: "POST",
    headers: { Authorization: `Bearer ${server.token}`, "Content-Type": "application/x-ndjson" },
    body: [{ key: "header", value: { summary: "files", description: "" } },
           ...Object.entries(files).map(([p, c]) => fileOp(p, c))].map((l) => JSON.stringify(l)).join("\n") + "\n",
  });
  assert.equal(res.status, 200, await res.text());
}

const TRANSFORMERS_CONFIG = JSON.stringify({ model_type: "bert", architectures: ["BertModel"] });

before(async () => {
  server = await startWharf({ args: ["--downloads-flush-ms", "50"] });
  await wharfAdmin(server.dataDir, "user", "create", "bob");
  bob = await wharfAdmin(server.dataDir, "token", "create", "--user", "bob", "--role", "write");
  await modelRepo("bert", { "config.json": TRANSFORMERS_CONFIG, "model.safetensors": "weights", "README.md": "# bert\n" });
  await modelRepo("adapter", {
    "README.md": "---\nlibrary_name: peft\n---\n# adapter\n",
    "adapter_config.json": "{}",
    "config.json": "{}",
  });
  await modelRepo("quant", { "a-Q4.gguf": "gguf one", "b-Q8.gguf": "gguf two" });
  await modelRepo("corpus", { "data/train.csv": "a,b\n1,2\n", "data/test.csv": "a,b\n3,4\n" }, { type: "dataset" });
  await modelRepo("demo", { "app.py": "print(1)\n", "config.json": "{}" }, { type: "space", sdk: "static" });
  await modelRepo("hidden", { "config.json": TRANSFORMERS_CONFIG }, { private: true });
});

after(async () => {
  await server?.stop();
});

test("PythonHeadThenGetCountsOnce", async () => {
  await fetched("/admin/bert/resolve/main/config.json", { method: "HEAD", headers: { "Accept-Encoding": "identity" } });
  await fetched("/admin/bert/resolve/main/config.json");
  assert.deepEqual(await countersOf("models/admin/bert", 1), { downloads: 1, downloadsAllTime: 1 });
  // Weights and the card are not query files of a transformers model.
  await fetched("/admin/bert/resolve/main/model.safetensors", { from: 2 });
  await fetched("/admin/bert/resolve/main/README.md", { from: 2 });
  // The JS client's probe and its download, from another client: one more download.
  const probe = await fetched("/admin/bert/resolve/main/config.json", { from: 3, headers: { Range: "bytes=0-0" } });
  assert.equal(probe.status, 206);
  await fetched("/admin/bert/resolve/main/config.json", { from: 3 });
  // /raw/ serves the same file: it counts like resolve (and merges with it).
  await fetched("/admin/bert/raw/main/config.json", { from: 3 });
  await fetched("/admin/bert/raw/main/config.json", { from: 4, method: "HEAD" });
  assert.deepEqual(await countersOf("models/admin/bert", 3), { downloads: 3, downloadsAllTime: 3 });
});

test("LibraryQueryFilesAndGguf", async () => {
  await fetched("/admin/adapter/resolve/main/config.json");
  await fetched("/admin/adapter/resolve/main/adapter_config.json");
  assert.deepEqual(await countersOf("models/admin/adapter", 1), { downloads: 1, downloadsAllTime: 1 },
                   "a peft repo counts adapter_config.json, not config.json");
  await fetched("/admin/quant/resolve/main/a-Q4.gguf");
  await fetched("/admin/quant/resolve/main/b-Q8.gguf");
  assert.deepEqual(await countersOf("models/admin/quant", 2), { downloads: 2, downloadsAllTime: 2 },
                   "every GGUF file is a download");
});

test("DatasetFilesOfOneClientAreOneDownloadAndSpacesNone", async () => {
  await fetched("/datasets/admin/corpus/resolve/main/data/train.csv");
  await fetched("/datasets/admin/corpus/resolve/main/data/test.csv");
  await fetched("/datasets/admin/corpus/resolve/main/data/test.csv", { from: 5 });
  assert.deepEqual(await countersOf("datasets/admin/corpus", 2), { downloads: 2, downloadsAllTime: 2 });
  await fetched("/spaces/admin/demo/resolve/main/app.py");
  await fetched("/spaces/admin/demo/resolve/main/config.json");
  await settle();
  assert.deepEqual(await countersOf("spaces/admin/demo"), { downloads: 0, downloadsAllTime: 0 });
});

test("RefusedAndMissingFilesDoNotCount", async () => {
  let res = await request("/admin/hidden/resolve/main/config.json", { from: 6 });
  assert.equal(res.status, 401, "anonymous on a private repo");
  res = await request("/admin/hidden/resolve/main/config.json", { from: 6, headers: { Authorization: `Bearer ${bob}` } });
  assert.equal(res.status, 404);
  res = await request("/admin/bert/resolve/main/nothing/config.json", { from: 6 });
  assert.equal(res.status, 404);
  res = await request("/admin/bert/resolve/0000000000000000000000000000000000000000/config.json", { from: 6 });
  assert.equal(res.status, 404);
  await settle();
  assert.deepEqual(await countersOf("models/admin/hidden"), { downloads: 0, downloadsAllTime: 0 });
  assert.deepEqual(await countersOf("models/admin/bert"), { downloads: 3, downloadsAllTime: 3 });
});

test("ListingsSortByDownloads", async () => {
  const res = await fetch(`${server.url}/api/models?author=admin&sort=downloads&expand=downloads&expand=downloadsAllTime`);
  assert.equal(res.status, 200);
  const listed = (await res.json()).map((m) => [m.id, m.downloads, m.downloadsAllTime]);
  assert.deepEqual(listed.slice(0, 3), [["admin/bert", 3, 3], ["admin/quant", 2, 2], ["admin/adapter", 1, 1]]);
});

test("CountsHeldInMemoryAreWrittenOnShutdown", async () => {
  // An hour between flushes: only the shutdown writes the count.
  const slow = await startWharf({ args: ["--downloads-flush-ms", "3600000"] });
  try {
    await createRepo(slow, "m");
    await commit(slow, "m", "config", [fileOp("config.json", TRANSFORMERS_CONFIG)]);
    const res = await request("/admin/m/resolve/main/config.json", { base: slow });
    assert.equal(res.status, 200);
    await settle();
    assert.deepEqual(await countersOf("models/admin/m", undefined, slow), { downloads: 0, downloadsAllTime: 0 });
    await slow.stop({ keepData: true });
    const again = await startWharf({ dataDir: slow.dataDir, token: slow.token });
    try {
      assert.deepEqual(await countersOf("models/admin/m", 1, again), { downloads: 1, downloadsAllTime: 1 });
    } finally {
      await again.stop();
    }
  } finally {
    await slow.stop();
  }
});

test("BadFlushIntervalIsRefused", async () => {
  await assert.rejects(startWharf({ args: ["--downloads-flush-ms", "0"] }), /downloads-flush-ms/);
});
