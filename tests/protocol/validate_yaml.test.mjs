// POST /api/validate-yaml checks the card metadata as the Hub does (spec §4.5): 200 with
// {errors: [], warnings: [{message}]} when the card is acceptable, 400 with
// {errors: [{message}], warnings} when it is not. Python's huggingface_hub calls it before
// every upload of a README and raises on a 400.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";

import { startWharf } from "../lib/wharf.mjs";
import { curl, bearer } from "../lib/curl.mjs";

let server;

function validate(content, repoType = "model") {
  return curl(`${server.url}/api/validate-yaml`, {
    method: "POST",
    headers: { ...bearer(server.token), "Content-Type": "application/json" },
    body: JSON.stringify(repoType === undefined ? { content } : { content, repoType }),
  });
}

function messages(list) {
  assert.ok(Array.isArray(list));
  for (const m of list) assert.equal(typeof m.message, "string");
  return list.map((m) => m.message);
}

before(async () => {
  server = await startWharf();
});

after(async () => {
  await server?.stop();
});

test("AValidModelCardHasNoErrorsOrWarnings", async () => {
  const res = await validate(
    "---\nlicense: apache-2.0\nlanguage: [en, fr]\npipeline_tag: text-classification\ntags: [a]\n" +
      "base_model: org/base\nmy_own_field: {x: 1}\n---\n# Card\n",
  );
  assert.equal(res.status, 200, res.describe());
  assert.match(res.header("Content-Type"), /^application\/json/);
  assert.deepEqual(res.json(), { errors: [], warnings: [] });
});

test("UnknownLicenseIs400WithTheKnownIds", async () => {
  const res = await validate("---\nlicense: my-license\n---\n");
  assert.equal(res.status, 400, res.describe());
  const errors = messages(res.json().errors);
  assert.equal(errors.length, 1);
  assert.match(errors[0], /"license" "my-license" is not a known license: it must be one of .*apache-2\.0.*mit/);
  assert.deepEqual(res.json().warnings, []);
});

test("LicenseOtherWithoutANameIsAWarning", async () => {
  const res = await validate("---\nlicense: other\n---\n");
  assert.equal(res.status, 200, res.describe());
  assert.equal(messages(res.json().warnings).length, 1);
  const named = await validate("---\nlicense: other\nlicense_name: acme\n---\n");
  assert.deepEqual(named.json(), { errors: [], warnings: [] });
});

test("BadLanguageCodesAreWarningsNotErrors", async () => {
  const res = await validate("---\nlanguage:\n- en\n- xx-YY\n---\n", "dataset");
  assert.equal(res.status, 200, res.describe());
  const warnings = messages(res.json().warnings);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /"xx-YY" is not a valid language code/);
});

test("UnknownPipelineTagAndWrongTypesAre400", async () => {
  const res = await validate("---\npipeline_tag: mind-reading\ntags: not-a-list\ndatasets: {a: 1}\n---\n");
  assert.equal(res.status, 400, res.describe());
  const errors = messages(res.json().errors);
  assert.equal(errors.length, 3, errors.join("\n"));
  assert.ok(errors.some((e) => e.includes('"pipeline_tag" "mind-reading" is not a known pipeline tag')));
  assert.ok(errors.some((e) => e === '"tags" must be a list of strings'));
  assert.ok(errors.some((e) => e === '"datasets" must be a string or a list of strings'));
});

test("RepoTypeSelectsTheChecks", async () => {
  // A Space's sdk is checked only for Spaces; repoType may be absent (a model).
  assert.equal((await validate("---\nsdk: flask\n---\n", "space")).status, 400);
  assert.equal((await validate("---\nsdk: flask\n---\n", "model")).status, 200);
  assert.equal((await validate("---\nlicense: nope\n---\n", undefined)).status, 400);
  const bad = await curl(`${server.url}/api/validate-yaml`, {
    method: "POST",
    headers: { ...bearer(server.token), "Content-Type": "application/json" },
    body: JSON.stringify({ content: "---\nlicense: mit\n---\n", repoType: 3 }),
  });
  assert.equal(bad.status, 400, bad.describe());
});

test("HugeJunkMetadataGivesBoundedAnswers", async () => {
  const tags = Array.from({ length: 20000 }, (_, i) => `- {nested: ${i}}`).join("\n");
  const res = await validate(`---\nlicense: "${"z".repeat(100000)}"\ntags:\n${tags}\n---\n`);
  assert.equal(res.status, 400, res.describe());
  const errors = messages(res.json().errors);
  assert.equal(errors.length, 2);
  assert.ok(errors[0].length < 2000);
  assert.ok(res.body.length < 10000);
});
