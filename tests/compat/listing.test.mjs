// Discovery with the official JS client: listModels, listDatasets and listSpaces against
// repos whose cards and files were committed through the API, with each filter, sort and
// pagination; plus the query parameters the JS client does not send (curl), bad input, the
// tag catalogues and the derived fields of repo info.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import * as hub from "@huggingface/hub";
import { isApiError } from "../lib/js_client.mjs";
import { curl, bearer } from "../lib/curl.mjs";
import { DATE_RE } from "../lib/expect.mjs";
import { startWharf, wharfAdmin } from "../lib/wharf.mjs";

let server;
const tokens = {};
const creds = (user = "admin") => ({ hubUrl: server.url, accessToken: tokens[user] });

const card = (meta, body = "# Card\n") => `---\n${meta}\n---\n${body}`;
const blob = (text) => new Blob([text]);

async function collect(gen) {
  const out = [];
  for await (const x of gen) out.push(x);
  return out;
}
const names = (items) => items.map((m) => m.name).sort();

function get(path, token) {
  return curl(`${server.url}${path}`, { headers: bearer(token) });
}
async function getJson(path, token) {
  const res = await get(path, token);
  assert.equal(res.status, 200, res.describe());
  return res.json();
}
function refused(res, status, code) {
  assert.equal(res.status, status, res.describe());
  if (code) assert.equal(res.header("X-Error-Code"), code, res.describe());
  assert.equal(typeof res.json().error, "string", res.describe());
}

async function makeRepo(user, name, files, type = "model", extra = {}) {
  const repo = { type, name: `${user}/${name}` };
  await hub.createRepo({ ...creds(user), repo, ...extra });
  if (files.length) await hub.uploadFiles({ ...creds(user), repo, files: files.map(([path, text]) => ({ path, content: blob(text) })) });
}

before(async () => {
  server = await startWharf();
  tokens.admin = server.token;
  for (const user of ["alice", "bob"]) {
    await wharfAdmin(server.dataDir, "user", "create", user);
    tokens[user] = await wharfAdmin(server.dataDir, "token", "create", "--user", user, "--role", "write");
  }
  await makeRepo("admin", "bert-tiny-sentiment", [
    ["README.md", card("license: mit\nlanguage:\n- en\n- fr\npipeline_tag: text-classification\nlibrary_name: transformers\n" +
                       "datasets:\n- admin/imdb-reviews\ntags:\n- sentiment\nmodel-index:\n- name: bert-tiny\n  results:\n" +
                       "  - task:\n      type: text-classification\n    dataset:\n      type: imdb\n      name: IMDB\n" +
                       "    metrics:\n    - type: accuracy\n      value: 0.91\n")],
    ["config.json", JSON.stringify({ architectures: ["BertForSequenceClassification"], model_type: "bert" })],
    ["model.safetensors", "not really tensors"],
  ]);
  await makeRepo("admin", "Llama-Mini-GGUF", [
    ["README.md", card("license: apache-2.0\nbase_model: admin/bert-tiny-sentiment\npipeline_tag: text-generation\nlanguage: en\n")],
    ["llama-mini.Q4_K_M.gguf", "GGUF"],
  ]);
  await makeRepo("alice", "whisper-ko", [
    ["README.md", card("license: mit\nlanguage: ko\npipeline_tag: automatic-speech-recognition\nlibrary_name: transformers\n")],
    ["config.json", JSON.stringify({ architectures: ["WhisperForConditionalGeneration"], model_type: "whisper" })],
  ]);
  await makeRepo("alice", "secret-llama", [["README.md", card("license: mit\npipeline_tag: text-generation\n")]], "model", { private: true });
  await makeRepo("bob", "100%_weird'name", [], "model").catch(() => {});  // refused by name rules: not listed
  await makeRepo("bob", "plain-model", []);
  await makeRepo("admin", "imdb-reviews", [
    ["README.md", card("license: mit\nlanguage:\n- en\ntask_categories:\n- text-classification\nsize_categories:\n- 10K<n<100K\n")],
    ["data/train.parquet", "PAR1"],
  ], "dataset");
  await makeRepo("alice", "ko-speech", [["README.md", card("license: cc-by-4.0\nlanguage:\n- ko\ntask_categories:\n- automatic-speech-recognition\n")]], "dataset");
  await makeRepo("admin", "chat-demo", [["README.md", card("title: Chat\nsdk: gradio\nlicense: mit\n")]], "space", { sdk: "gradio" });
  await makeRepo("bob", "static-page", [["README.md", card("sdk: static\n")]], "space", { sdk: "static" });
});

after(async () => {
  await server?.stop();
});

test("ListModelsAnonymousSeesPublicOnly", async () => {
  const all = await collect(hub.listModels({ hubUrl: server.url }));
  assert.deepEqual(names(all), ["admin/Llama-Mini-GGUF", "admin/bert-tiny-sentiment", "alice/whisper-ko", "bob/plain-model"]);
  for (const m of all) {
    assert.match(m.id, /^[0-9a-f]{24}$/);
    assert.equal(m.private, false);
    assert.equal(m.gated, false);
    assert.equal(typeof m.downloads, "number");
    assert.equal(typeof m.likes, "number");
    assert.ok(!Number.isNaN(m.updatedAt.getTime()), m.name);
  }
  const bert = all.find((m) => m.name === "admin/bert-tiny-sentiment");
  assert.equal(bert.task, "text-classification");
});

test("ListModelsPrivateRepoVisibleToOwnerAndOperator", async () => {
  const anon = names(await collect(hub.listModels({ hubUrl: server.url, search: { owner: "alice" } })));
  assert.deepEqual(anon, ["alice/whisper-ko"]);
  for (const user of ["alice", "admin"]) {
    const seen = names(await collect(hub.listModels({ ...creds(user), search: { owner: "alice" } })));
    assert.deepEqual(seen, ["alice/secret-llama", "alice/whisper-ko"], user);
  }
  const bob = names(await collect(hub.listModels({ ...creds("bob"), search: { owner: "alice" } })));
  assert.deepEqual(bob, ["alice/whisper-ko"]);
  const priv = (await collect(hub.listModels({ ...creds("alice"), search: { query: "secret" } })))[0];
  assert.equal(priv.private, true);
});

test("ListModelsByTaskOwnerQueryAndTags", async () => {
  const task = names(await collect(hub.listModels({ hubUrl: server.url, search: { task: "text-generation" } })));
  assert.deepEqual(task, ["admin/Llama-Mini-GGUF"]);
  const owner = names(await collect(hub.listModels({ hubUrl: server.url, search: { owner: "ADMIN" } })));
  assert.deepEqual(owner, ["admin/Llama-Mini-GGUF", "admin/bert-tiny-sentiment"]);
  // Search is a case-insensitive substring of the id, namespace included.
  assert.deepEqual(names(await collect(hub.listModels({ hubUrl: server.url, search: { query: "LLAMA" } }))), ["admin/Llama-Mini-GGUF"]);
  assert.deepEqual(names(await collect(hub.listModels({ hubUrl: server.url, search: { query: "ice/whi" } }))), ["alice/whisper-ko"]);
  assert.deepEqual(names(await collect(hub.listModels({ hubUrl: server.url, search: { query: "nothing-like-this" } }))), []);
  // Every tag must match: card tags, derived tags (license:, dataset:, base_model:, formats, languages).
  const tagged = async (...tags) => names(await collect(hub.listModels({ hubUrl: server.url, search: { tags } })));
  assert.deepEqual(await tagged("license:mit"), ["admin/bert-tiny-sentiment", "alice/whisper-ko"]);
  assert.deepEqual(await tagged("license:mit", "en"), ["admin/bert-tiny-sentiment"]);
  assert.deepEqual(await tagged("sentiment", "fr", "safetensors", "transformers", "bert"), ["admin/bert-tiny-sentiment"]);
  assert.deepEqual(await tagged("dataset:admin/imdb-reviews"), ["admin/bert-tiny-sentiment"]);
  assert.deepEqual(await tagged("gguf"), ["admin/Llama-Mini-GGUF"]);
  assert.deepEqual(await tagged("base_model:admin/bert-tiny-sentiment"), ["admin/Llama-Mini-GGUF"]);
  assert.deepEqual(await tagged("base_model:quantized:admin/bert-tiny-sentiment"), ["admin/Llama-Mini-GGUF"]);
  assert.deepEqual(await tagged("ko", "automatic-speech-recognition"), ["alice/whisper-ko"]);
  assert.deepEqual(await tagged("license:mit", "gguf"), []);
});

test("ListModelsSortsAndLimits", async () => {
  const byCreated = await collect(hub.listModels({ hubUrl: server.url, sort: "createdAt" }));
  assert.deepEqual(byCreated.map((m) => m.name), ["bob/plain-model", "alice/whisper-ko", "admin/Llama-Mini-GGUF", "admin/bert-tiny-sentiment"]);
  const byModified = await collect(hub.listModels({ hubUrl: server.url, sort: "lastModified", additionalFields: ["createdAt"] }));
  for (let i = 1; i < byModified.length; i++) assert.ok(byModified[i - 1].updatedAt >= byModified[i].updatedAt);
  assert.match(byModified[0].createdAt, DATE_RE);
  const byId = await collect(hub.listModels({ hubUrl: server.url, sort: "id" }));
  assert.deepEqual(byId.map((m) => m.name), ["admin/bert-tiny-sentiment", "admin/Llama-Mini-GGUF", "alice/whisper-ko", "bob/plain-model"]);
  const two = await collect(hub.listModels({ hubUrl: server.url, sort: "createdAt", limit: 2 }));
  assert.deepEqual(two.map((m) => m.name), ["bob/plain-model", "alice/whisper-ko"]);
  for (const sort of ["downloads", "likes", "trendingScore"])
    assert.equal((await collect(hub.listModels({ hubUrl: server.url, sort }))).length, 4, sort);
});

test("ListModelsAdditionalFields", async () => {
  const [bert] = await collect(hub.listModels({
    hubUrl: server.url, search: { query: "bert-tiny" },
    additionalFields: ["filePaths", "tags", "library_name", "config", "cardData", "author", "sha", "downloadsAllTime"],
  }));
  assert.deepEqual(bert.filePaths.sort(), [".gitattributes", "README.md", "config.json", "model.safetensors"].filter((p) => bert.filePaths.includes(p) || p !== ".gitattributes").sort());
  assert.ok(bert.tags.includes("license:mit") && bert.tags.includes("text-classification"), bert.tags.join());
  assert.equal(bert.library_name, "transformers");
  assert.deepEqual(bert.config, { architectures: ["BertForSequenceClassification"], model_type: "bert" });
  assert.equal(bert.cardData.license, "mit");
  assert.equal(bert.author, "admin");
  assert.match(bert.sha, /^[0-9a-f]{40}$/);
  assert.equal(bert.downloadsAllTime, 0);
});

test("ListDatasetsWithPrefixedTags", async () => {
  const all = await collect(hub.listDatasets({ hubUrl: server.url }));
  assert.deepEqual(names(all), ["admin/imdb-reviews", "alice/ko-speech"]);
  const filtered = async (tags) => names(await collect(hub.listDatasets({ hubUrl: server.url, search: { tags } })));
  assert.deepEqual(await filtered(["task_categories:text-classification"]), ["admin/imdb-reviews"]);
  assert.deepEqual(await filtered(["language:ko"]), ["alice/ko-speech"]);
  assert.deepEqual(await filtered(["size_categories:10K<n<100K", "license:mit"]), ["admin/imdb-reviews"]);
  assert.deepEqual(await filtered(["format:parquet"]), ["admin/imdb-reviews"]);
  assert.deepEqual(names(await collect(hub.listDatasets({ hubUrl: server.url, search: { query: "speech" } }))), ["alice/ko-speech"]);
  assert.deepEqual(names(await collect(hub.listDatasets({ hubUrl: server.url, search: { owner: "alice" } }))), ["alice/ko-speech"]);
});

test("ListSpacesWithSdk", async () => {
  const all = await collect(hub.listSpaces({ hubUrl: server.url, additionalFields: ["tags"] }));
  assert.deepEqual(names(all), ["admin/chat-demo", "bob/static-page"]);
  assert.equal(all.find((s) => s.name === "admin/chat-demo").sdk, "gradio");
  assert.ok(all.find((s) => s.name === "admin/chat-demo").tags.includes("gradio"));
  assert.deepEqual(names(await collect(hub.listSpaces({ hubUrl: server.url, search: { tags: ["static"] } }))), ["bob/static-page"]);
  assert.deepEqual(names(await collect(hub.listSpaces({ hubUrl: server.url, search: { owner: "bob" } }))), ["bob/static-page"]);
});

test("CursorPaginationFollowsLinkWithEveryParameter", async () => {
  const seen = [];
  let url = `/api/models?sort=createdAt&limit=1&filter=license:mit&expand=likes`;
  for (let pages = 0; url; pages++) {
    assert.ok(pages < 10, "pagination does not end");
    const res = await get(url);
    assert.equal(res.status, 200, res.describe());
    seen.push(...res.json().map((m) => m.id));
    for (const m of res.json()) assert.deepEqual(Object.keys(m).sort(), ["_id", "id", "likes"]);
    const link = res.header("Link");
    if (!link) break;
    const m = link.match(/^<(http:\/\/[^>]+)>;\s+rel="next"$/);
    assert.ok(m, link);
    const next = new URL(m[1]);
    assert.equal(next.searchParams.get("filter"), "license:mit");
    assert.equal(next.searchParams.get("sort"), "createdAt");
    url = next.pathname + next.search;
  }
  assert.deepEqual(seen, ["alice/whisper-ko", "admin/bert-tiny-sentiment"]);
});

test("QueryParametersBeyondTheJsClient", async () => {
  const ids = async (q, token) => (await getJson(`/api/models?${q}`, token)).map((m) => m.id).sort();
  assert.deepEqual(await ids("library=transformers"), ["admin/bert-tiny-sentiment", "alice/whisper-ko"]);
  assert.deepEqual(await ids("language=ko"), ["alice/whisper-ko"]);
  assert.deepEqual(await ids("license=apache-2.0"), ["admin/Llama-Mini-GGUF"]);
  assert.deepEqual(await ids("filter=license:mit,en"), ["admin/bert-tiny-sentiment"]);
  assert.deepEqual(await ids("gated=true"), []);
  assert.deepEqual((await ids("gated=false")).length, 4);
  assert.deepEqual(await ids("search=llama", tokens.alice), ["admin/Llama-Mini-GGUF", "alice/secret-llama"]);
  assert.deepEqual(await ids("sort=downloads&direction=-1&limit=100"), await ids(""));
  const full = await getJson("/api/models?full=true&search=whisper");
  assert.deepEqual(full[0].siblings.map((s) => s.rfilename).filter((p) => p !== ".gitattributes").sort(), ["README.md", "config.json"]);
  assert.match(full[0].lastModified, DATE_RE);
  const withCard = await getJson("/api/models?cardData=true&config=true&search=whisper");
  assert.equal(withCard[0].cardData.language, "ko");
  assert.equal(withCard[0].config.model_type, "whisper");
  const ds = await getJson("/api/datasets?full=true&search=imdb");
  assert.deepEqual(ds[0].cardData.task_categories, ["text-classification"]);
});

test("BadListingInputGetsClearErrors", async () => {
  refused(await get("/api/models?limit=abc"), 400, "BadRequest");
  refused(await get("/api/models?limit=-5"), 400, "BadRequest");
  refused(await get("/api/models?limit=0"), 400, "BadRequest");
  refused(await get("/api/models?sort=price"), 400, "BadRequest");
  refused(await get("/api/models?cursor=garbage"), 400, "BadRequest");
  refused(await get("/api/models?cursor=n99999999999999999999999.1"), 400, "BadRequest");
  refused(await get("/api/models?sort=id&cursor=n5.3"), 400, "BadRequest");
  refused(await get("/api/models?gated=maybe"), 400, "BadRequest");
  refused(await get(`/api/models?search=${"a".repeat(300)}`), 400, "BadRequest");
  refused(await get(`/api/models?${Array.from({ length: 40 }, (_, i) => `filter=t${i}`).join("&")}`), 400, "BadRequest");
  refused(await get("/api/models?expand=likes&full=true"), 400, "BadRequest");
  // Huge limits are clamped, not refused; metacharacters are literal.
  assert.equal((await getJson("/api/models?limit=999999999999999999999999")).length, 4);
  for (const s of ["%25", "_", "'", "%5C", "%22%3B%20DROP%20TABLE%20repos%3B--", "%FF%FE", "*", ".*"])
    assert.deepEqual(await getJson(`/api/models?search=${s}`), [], s);
  assert.equal((await getJson("/api/models?search=-")).length, 4);
  const res = await curl(`${server.url}/api/models`, { method: "POST" });
  refused(res, 405);
  await assert.rejects(collect(hub.listModels({ hubUrl: server.url, sort: "num_parameters" })), (e) => isApiError(e) && e.statusCode === 400);
});

test("TagCataloguesGroupTagsByType", async () => {
  const models = await getJson("/api/models-tags-by-type");
  const ids = (group) => (models[group] ?? []).map((t) => t.id);
  assert.ok(ids("pipeline_tag").includes("text-classification"));
  assert.ok(ids("library").includes("transformers"));
  assert.ok(ids("license").includes("license:mit"));
  assert.ok(ids("language").includes("en") && ids("language").includes("ko"));
  assert.ok(ids("dataset").includes("dataset:admin/imdb-reviews"));
  const mit = models.license.find((t) => t.id === "license:mit");
  assert.deepEqual(mit, { id: "license:mit", label: "mit", type: "license", count: 2 });
  // Tags of private repos do not leak into the catalogue.
  assert.ok(!JSON.stringify(models).includes("secret"));
  const datasets = await getJson("/api/datasets-tags-by-type");
  assert.deepEqual(datasets.task_categories.map((t) => t.id).sort(), ["task_categories:automatic-speech-recognition", "task_categories:text-classification"]);
});

test("RepoInfoCarriesDerivedFields", async () => {
  const info = await hub.modelInfo({ ...creds(), name: "admin/bert-tiny-sentiment", additionalFields: ["tags", "library_name", "config", "model-index", "downloadsAllTime", "trendingScore"] });
  assert.ok(info.tags.includes("dataset:admin/imdb-reviews"));
  assert.ok(info.tags.includes("model-index"));
  assert.equal(info.library_name, "transformers");
  assert.equal(info.config.model_type, "bert");
  assert.equal(info["model-index"][0].name, "bert-tiny");
  const raw = await getJson("/api/models/admin/bert-tiny-sentiment?expand=evalResults&expand=trendingScore");
  assert.equal(raw.evalResults[0].metrics[0].value, 0.91);
  assert.equal(raw.trendingScore, 0);
});

test("ListingFollowsEveryChange", async () => {
  await makeRepo("bob", "changing", [["README.md", card("license: mit\n")]]);
  const mit = async () => (await getJson("/api/models?filter=license:mit&author=bob")).map((m) => m.id);
  assert.deepEqual(await mit(), ["bob/changing"]);
  // A new commit re-derives the tags.
  await hub.uploadFiles({ ...creds("bob"), repo: "bob/changing", files: [{ path: "README.md", content: blob(card("license: apache-2.0\n")) }] });
  assert.deepEqual(await mit(), []);
  // Visibility, rename and delete show at once.
  const settings = (body) => curl(`${server.url}/api/models/bob/changing/settings`, {
    method: "PUT", headers: { ...bearer(tokens.bob), "Content-Type": "application/json" }, body: JSON.stringify(body) });
  assert.equal((await settings({ private: true })).status, 200);
  assert.deepEqual((await getJson("/api/models?author=bob")).map((m) => m.id), ["bob/plain-model"]);
  assert.deepEqual((await getJson("/api/models?author=bob&sort=id", tokens.bob)).map((m) => m.id), ["bob/changing", "bob/plain-model"]);
  assert.equal((await settings({ private: false, gated: "manual" })).status, 200);
  assert.deepEqual((await getJson("/api/models?author=bob&gated=true")).map((m) => [m.id, m.gated]), [["bob/changing", "manual"]]);
  const moved = await curl(`${server.url}/api/repos/move`, { method: "POST", headers: { ...bearer(tokens.bob), "Content-Type": "application/json" },
    body: JSON.stringify({ fromRepo: "bob/changing", toRepo: "bob/changed", type: "model" }) });
  assert.equal(moved.status, 200, moved.describe());
  assert.deepEqual((await getJson("/api/models?search=chang")).map((m) => m.id), ["bob/changed"]);
  await hub.deleteRepo({ ...creds("bob"), repo: "bob/changed" });
  assert.deepEqual(await getJson("/api/models?search=chang"), []);
});

test("ListingFollowsTheCredentialNotOnlyTheUser", async () => {
  const newToken = async (body) => {
    const res = await curl(`${server.url}/api/settings/tokens`, {
      method: "POST", headers: { ...bearer(tokens.alice), "Content-Type": "application/json" }, body: JSON.stringify(body) });
    assert.equal(res.status, 200, res.describe());
    return res.json().token;
  };
  const read = await newToken({ name: "r", role: "read" });
  const scopedElsewhere = await newToken({ name: "f1", role: "fineGrained",
    scopes: [{ entityType: "user", entity: "bob", permissions: ["repo.content.read"] }] });
  const scopedHere = await newToken({ name: "f2", role: "fineGrained",
    scopes: [{ entityType: "model", entity: "alice/secret-llama", permissions: ["repo.content.read"] }] });
  const seen = async (token) => (await getJson("/api/models?author=alice&sort=id", token)).map((m) => m.id);
  assert.deepEqual(await seen(read), ["alice/secret-llama", "alice/whisper-ko"]);
  assert.deepEqual(await seen(scopedElsewhere), ["alice/whisper-ko"]);
  assert.deepEqual(await seen(scopedHere), ["alice/secret-llama", "alice/whisper-ko"]);
});
