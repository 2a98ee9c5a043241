// Cards the indexer must survive: each README below is committed (the commit API does not
// run validate-yaml; git pushes never do), and the repo must still be listed and readable,
// with the tags that can be derived from its files, while the server stays up.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { curl } from "../lib/curl.mjs";
import { createRepo, commit, fileOp } from "../lib/hub_ops.mjs";
import { startWharf } from "../lib/wharf.mjs";

let server;

before(async () => {
  server = await startWharf();
});

after(async () => {
  await server?.stop();
});

const laughs = ["a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]"];
for (let i = 1; i < 10; i++) laughs.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill("*" + String.fromCharCode(96 + i)).join(",")}]`);

const cards = {
  "billion-laughs": `---\n${laughs.join("\n")}\nlicense: mit\n---\n`,
  "deep-nesting": `---\nlicense: mit\nx: ${"[".repeat(5000)}${"]".repeat(5000)}\n---\n`,
  "huge-string": `---\nlicense: mit\ntags:\n- ${"x".repeat(900 * 1024)}\n---\n`,
  "thousands-of-tags": `---\nlicense: mit\ntags:\n${Array.from({ length: 5000 }, (_, i) => `- tag-${i}`).join("\n")}\n---\n`,
  "wrong-types": `---\nlicense: [1, {a: 2}]\nlanguage: {en: true}\ntags: 42\npipeline_tag: [text-generation]\ndatasets: null\nbase_model: {x: y}\nmodel-index: "nope"\n---\n`,
  "not-yaml": `---\n: : : [\n---\n`,
  "unknown-fields": `---\nlicense: mit\nsome_field: {nested: [1, 2, 3]}\nwidget: [{text: hi}]\n---\n`,
};

test("CardsThatAreMaliciousOrBrokenStillIndexTheRepo", async () => {
  for (const [name, readme] of Object.entries(cards)) {
    await createRepo(server, name);
    await commit(server, name, "card", [fileOp("README.md", readme), fileOp("model.safetensors", "x")]);
    const res = await fetch(`${server.url}/api/models?search=${name}&expand=tags&expand=cardData`);
    assert.equal(res.status, 200, name);
    const items = await res.json();
    assert.equal(items.length, 1, name);
    assert.ok(items[0].tags.includes("safetensors"), `${name}: ${JSON.stringify(items[0].tags).slice(0, 200)}`);
    assert.ok(items[0].tags.length <= 1000, name);
    for (const t of items[0].tags) assert.ok(t.length <= 200, name);
    const info = await fetch(`${server.url}/api/models/admin/${name}`);
    assert.equal(info.status, 200, name);
  }
  // A card that does not parse indexes as no card at all.
  const broken = await (await fetch(`${server.url}/api/models?search=billion-laughs&expand=cardData&expand=tags`)).json();
  assert.equal(broken[0].cardData, undefined);
  assert.ok(!broken[0].tags.includes("license:mit"));
  const ok = await (await fetch(`${server.url}/api/models?search=unknown-fields&expand=tags`)).json();
  assert.ok(ok[0].tags.includes("license:mit"));
});

test("NonUtf8BytesInACardDoNotBreakTheListing", async () => {
  await createRepo(server, "latin1-card");
  const bytes = Buffer.concat([Buffer.from("---\nlicense: mit\ntags:\n- caf"), Buffer.from([0xe9, 0xff]), Buffer.from("\n---\n")]);
  await commit(server, "latin1-card", "card", [
    { key: "file", value: { path: "README.md", content: bytes.toString("base64"), encoding: "base64" } },
  ]);
  const res = await curl(`${server.url}/api/models?search=latin1&expand=tags`);
  assert.equal(res.status, 200, res.describe());
  assert.equal(res.json().length, 1);
  const all = await curl(`${server.url}/api/models-tags-by-type`);
  assert.equal(all.status, 200, all.describe());
});
