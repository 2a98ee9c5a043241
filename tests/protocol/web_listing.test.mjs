// The listing pages (/models, /datasets, /spaces), the home page and the profiles against a
// real server: search, each facet with its count, the sort orders (the same as the API's),
// cursor pages that keep every parameter, private repos shown only to those who may see
// them, escaping of names, tags and search strings, bad parameters as a 400 page, and the
// profiles of a user and an organization.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { startWharf, wharfAdmin } from "../lib/wharf.mjs";

let server, catalogServer;
const tokens = {};
let carolCookie;

const card = (meta) => `---\n${meta}\n---\n# Card\n`;

async function api(path, { token = server.token, method = "GET", body, contentType = "application/json" } = {}) {
  const res = await fetch(`${server.url}/api/${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body ? { "Content-Type": contentType } : {}) },
    body,
  });
  const text = await res.text();
  assert.ok(res.ok, `${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

// Creates `ns/name` of `type` with a README holding `meta` as its front matter.
async function makeRepo(token, type, ns, name, meta, extra = {}) {
  await api("repos/create", { token, method: "POST", body: JSON.stringify({ name, type, ...(ns === "acme" ? { organization: ns } : {}), ...extra }) });
  if (meta === null) return;
  const lines = [
    { key: "header", value: { summary: "card", description: "" } },
    { key: "file", value: { path: "README.md", content: Buffer.from(card(meta)).toString("base64"), encoding: "base64" } },
  ];
  await api(`${type}s/${ns}/${name}/commit/main`, {
    token, method: "POST", contentType: "application/x-ndjson", body: lines.map((l) => JSON.stringify(l)).join("\n") + "\n",
  });
}

// Decodes the entities mustache writes in attributes and text.
const unescape = (s) => s.replace(/&#x2F;/g, "/").replace(/&#x3D;/g, "=").replace(/&#x60;/g, "`").replace(/&quot;/g, '"')
  .replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");

async function page(path, { cookie, base = server } = {}) {
  const res = await fetch(base.url + path, { headers: cookie ? { Cookie: cookie } : {}, redirect: "manual" });
  const html = await res.text();
  return { status: res.status, html, headers: res.headers };
}

async function okPage(path, options) {
  const p = await page(path, options);
  assert.equal(p.status, 200, `${path}: ${p.html.slice(0, 500)}`);
  return p;
}

// The repo ids listed on a page, in order.
const listed = (html) => [...html.matchAll(/<a class="name" href="[^"]*">([^<]*)<\/a>/g)].map((m) => unescape(m[1]));

// The facet chips of a page: {label: {n, active, href}} per facet title.
function facets(html) {
  const out = {};
  const aside = html.slice(html.indexOf('<aside class="facets"'), html.indexOf("</aside>"));
  for (const section of aside.split("<section>").slice(1)) {
    const title = section.match(/<h2>([^<]*)<\/h2>/)[1];
    out[title] = {};
    for (const m of section.matchAll(/<a class="chip( active)?" href="([^"]*)"[^>]*>([^<]*)<span class="n">([^<]*)<\/span><\/a>/g))
      out[title][unescape(m[3])] = { active: Boolean(m[1]), href: unescape(m[2]), n: m[4] };
  }
  return out;
}

const nextHref = (html) => {
  const m = html.match(/<a href="([^"]*)" rel="next">Next<\/a>/);
  return m ? unescape(m[1]) : null;
};

before(async () => {
  server = await startWharf();
  tokens.admin = server.token;
  await wharfAdmin(server.dataDir, "user", "create", "alice");
  tokens.alice = await wharfAdmin(server.dataDir, "token", "create", "--user", "alice", "--role", "write");

  // carol signs up through the form: her session cookie is a browser's.
  const join_ = await fetch(`${server.url}/join`);
  const csrfCookie = join_.headers.getSetCookie().find((c) => c.startsWith("wharf_csrf=")).split(";")[0];
  const csrf = (await join_.text()).match(/name="csrf" value="([^"]*)"/)[1];
  const signedUp = await fetch(`${server.url}/join`, {
    method: "POST", redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: csrfCookie },
    body: new URLSearchParams({ csrf, name: "carol", email: "carol@example.org", password: "carol-password" }).toString(),
  });
  assert.equal(signedUp.status, 303);
  carolCookie = signedUp.headers.getSetCookie().find((c) => c.startsWith("wharf_session=")).split(";")[0];
  tokens.carol = await wharfAdmin(server.dataDir, "token", "create", "--user", "carol", "--role", "write");

  await api("organizations/new", { token: tokens.alice, method: "POST", body: JSON.stringify({ name: "acme", fullname: "ACME Corp" }) });
  await api("organizations/acme/members", { token: tokens.alice, method: "POST", body: JSON.stringify({ user: "carol", role: "write" }) });

  await makeRepo(tokens.admin, "model", "admin", "bert-sentiment",
    "license: mit\nlanguage:\n- en\npipeline_tag: text-classification\nlibrary_name: transformers\ntags:\n- sentiment\n- \"<script>alert(1)</script>\"");
  await makeRepo(tokens.admin, "model", "admin", "llama-gguf", "license: apache-2.0\nlanguage: en\npipeline_tag: text-generation");
  await makeRepo(tokens.alice, "model", "alice", "whisper-ko",
    "license: mit\nlanguage: ko\npipeline_tag: automatic-speech-recognition\nlibrary_name: transformers");
  await makeRepo(tokens.carol, "model", "carol", "secret-model", "license: mit\npipeline_tag: text-generation", { private: true });
  await makeRepo(tokens.alice, "model", "acme", "org-model", "license: mit\npipeline_tag: text-generation");
  await makeRepo(tokens.admin, "dataset", "admin", "imdb-reviews", "license: mit\nlanguage:\n- en\ntask_categories:\n- text-classification");
  await makeRepo(tokens.alice, "dataset", "alice", "ko-speech", "license: cc-by-4.0\nlanguage:\n- ko\ntask_categories:\n- automatic-speech-recognition");
  await makeRepo(tokens.admin, "space", "admin", "chat-demo", "sdk: gradio\nlicense: mit", { sdk: "gradio" });
});

after(async () => {
  await server?.stop();
  await catalogServer?.stop();
});

test("ListingsShowPublicReposWithTheirFacetsAndCounts", async () => {
  const { html, headers } = await okPage("/models");
  assert.match(headers.get("content-type"), /^text\/html/);
  assert.deepEqual(listed(html).sort(), ["acme/org-model", "admin/bert-sentiment", "admin/llama-gguf", "alice/whisper-ko"]);
  assert.match(html, /<p class="hint" role="status">4 models<\/p>/);
  const f = facets(html);
  assert.deepEqual(Object.keys(f), ["Tasks", "Libraries", "Languages", "Licenses", "Other tags"]);
  assert.equal(f.Tasks["text-generation"].n, "2");
  assert.equal(f.Tasks["text-classification"].n, "1");
  assert.equal(f.Libraries.transformers.n, "2");
  assert.equal(f.Languages.en.n, "2");
  assert.equal(f.Languages.ko.n, "1");
  assert.equal(f.Licenses.mit.n, "3");
  assert.equal(f.Licenses["apache-2.0"].n, "1");
  assert.equal(f["Other tags"].sentiment.n, "1");
  assert.equal(f.Licenses.mit.href, "/models?license=mit");

  // Each item: its link, task, counters and age.
  const item = html.slice(html.indexOf('href="&#x2F;admin&#x2F;bert-sentiment"'));
  assert.match(item.slice(0, 600), /<span class="chip task">text-classification<\/span>/);
  assert.match(item.slice(0, 600), /Updated <time[^>]*>just now<\/time>/);
  assert.match(item.slice(0, 600), /\d+ downloads<\/span> · <span>\d+ likes?</);

  const datasets = await okPage("/datasets");
  assert.deepEqual(listed(datasets.html).sort(), ["admin/imdb-reviews", "alice/ko-speech"]);
  const df = facets(datasets.html);
  assert.equal(df.Tasks["text-classification"].n, "1");
  assert.equal(df.Languages.ko.n, "1");
  assert.equal(df.Licenses["cc-by-4.0"].href, "/datasets?license=cc-by-4.0");
  assert.match(datasets.html, /<span class="chip task">automatic-speech-recognition<\/span>/);

  const spaces = await okPage("/spaces");
  assert.deepEqual(listed(spaces.html), ["admin/chat-demo"]);
  assert.match(spaces.html, /<span class="chip task">gradio<\/span>/);
});

test("EachFacetFiltersAndCountsWithinTheResult", async () => {
  // Following a chip's link filters; the counts become those of the result.
  const byLicense = await okPage("/models?license=mit");
  assert.deepEqual(listed(byLicense.html).sort(), ["acme/org-model", "admin/bert-sentiment", "alice/whisper-ko"]);
  let f = facets(byLicense.html);
  assert.deepEqual(f.Licenses.mit, { active: true, n: "3", href: "/models" });
  assert.equal(f.Licenses["apache-2.0"], undefined);
  assert.equal(f.Tasks["text-generation"].n, "1");

  // A second facet narrows further; its chip keeps the first filter.
  const task = f.Tasks["automatic-speech-recognition"].href;
  assert.equal(task, "/models?license=mit&pipeline_tag=automatic-speech-recognition");
  const both = await okPage(task);
  assert.deepEqual(listed(both.html), ["alice/whisper-ko"]);
  f = facets(both.html);
  assert.equal(f.Tasks["automatic-speech-recognition"].active, true);
  assert.equal(f.Tasks["automatic-speech-recognition"].href, "/models?license=mit");
  assert.equal(f.Licenses.mit.href, "/models?pipeline_tag=automatic-speech-recognition");
  assert.match(both.html, /Filtered by <a class="chip active"/);

  // Each facet parameter on its own, on the type it belongs to.
  const cases = [
    ["/models?pipeline_tag=text-generation", ["acme/org-model", "admin/llama-gguf"]],
    ["/models?library=transformers", ["admin/bert-sentiment", "alice/whisper-ko"]],
    ["/models?language=ko", ["alice/whisper-ko"]],
    ["/models?filter=sentiment", ["admin/bert-sentiment"]],
    ["/models?language=en,ko", []],
    ["/models?author=acme", ["acme/org-model"]],
    ["/datasets?task_categories=automatic-speech-recognition", ["alice/ko-speech"]],
    ["/datasets?language=en", ["admin/imdb-reviews"]],
    ["/spaces?license=mit", ["admin/chat-demo"]],
  ];
  for (const [path, expected] of cases) {
    const p = await okPage(path);
    assert.deepEqual(listed(p.html).sort(), expected, path);
  }
  // A list parameter in one value: each value is its own chip, removed alone.
  const pair = facets((await okPage("/models?language=en,ko")).html);
  assert.equal(pair.Languages.en.href, "/models?language=ko");
  assert.equal(pair.Languages.ko.href, "/models?language=en");
});

test("SearchMatchesTheIdAndKeepsTheFilters", async () => {
  const p = await okPage("/models?search=LLAMA");
  assert.deepEqual(listed(p.html), ["admin/llama-gguf"]);
  assert.match(p.html, /<input id="listing-search" type="search" name="search" value="LLAMA"/);
  const withFilter = await okPage("/models?license=mit&search=o");
  assert.deepEqual(listed(withFilter.html).sort(), ["acme/org-model", "alice/whisper-ko"]);
  // The search form carries the other parameters as hidden fields; the sort form the search.
  assert.match(withFilter.html, /<input type="hidden" name="license" value="mit">/);
  assert.match(withFilter.html, /<input type="hidden" name="search" value="o">/);
  const none = await okPage("/models?search=no-such-repo");
  assert.deepEqual(listed(none.html), []);
  assert.match(none.html, /No models match\./);
});

test("PrivateReposShowOnlyToThoseWhoMaySeeThem", async () => {
  const anonymous = await okPage("/models?pipeline_tag=text-generation");
  assert.ok(!anonymous.html.includes("secret-model"));
  const owner = await okPage("/models?pipeline_tag=text-generation", { cookie: carolCookie });
  assert.deepEqual(listed(owner.html).sort(), ["acme/org-model", "admin/llama-gguf", "carol/secret-model"]);
  const item = owner.html.slice(owner.html.indexOf(">carol&#x2F;secret-model<"));
  assert.match(item.slice(0, 200), /<span class="badge private">private<\/span>/);
  // Counted for the owner, not for others.
  assert.equal(facets(owner.html).Licenses.mit.n, "2");
  assert.equal(facets(anonymous.html).Licenses.mit.n, "1");
  const profile = await okPage("/carol");
  assert.ok(!profile.html.includes("secret-model"));
  assert.match((await okPage("/carol", { cookie: carolCookie })).html, /carol&#x2F;secret-model/);
  // The home page's trending lists are public repos only.
  assert.ok(!(await okPage("/", { cookie: carolCookie })).html.includes("secret-model"));
});

test("NamesTagsAndSearchStringsAreEscaped", async () => {
  const tagged = await okPage("/models");
  assert.ok(!tagged.html.includes("<script>alert(1)"), "the tag is escaped");
  assert.ok(facets(tagged.html)["Other tags"]["<script>alert(1)</script>"], "the tag is a chip");
  const searched = await okPage(`/models?search=${encodeURIComponent('"><script>alert(2)</script>')}`);
  assert.equal(searched.status, 200);
  assert.ok(!searched.html.includes("<script>alert(2)"));
  assert.match(searched.html, /value="&quot;&gt;&lt;script&gt;alert\(2\)&lt;&#x2F;script&gt;"/);
  const filtered = await okPage(`/models?filter=${encodeURIComponent("<script>alert(1)</script>")}`);
  assert.deepEqual(listed(filtered.html), ["admin/bert-sentiment"]);
  assert.ok(!filtered.html.includes("<script>alert(1)"));
  // The scripts of the page are the layout's one file.
  for (const p of [tagged, searched, filtered]) assert.equal([...p.html.matchAll(/<script/g)].length, 1);
});

test("BadParametersGiveA400Page", async () => {
  for (const path of ["/models?sort=sideways", "/models?cursor=not-a-cursor", "/datasets?gated=maybe",
                      "/spaces?limit=0", `/models?search=${"x".repeat(300)}`, "/models?direction=up"]) {
    const p = await page(path);
    assert.equal(p.status, 400, `${path}: ${p.html.slice(0, 300)}`);
    assert.match(p.headers.get("content-type"), /^text\/html/);
    assert.match(p.html, /<p class="error" role="alert">/, path);
  }
  assert.equal((await page("/models", {})).status, 200);
  const put = await fetch(`${server.url}/models`, { method: "PUT" });
  assert.equal(put.status, 405);
});

test("HomeShowsTrendingReposAndHowToUseTheServer", async () => {
  const anonymous = await okPage("/");
  assert.match(anonymous.html, new RegExp(`export HF_ENDPOINT=http:&#x2F;&#x2F;127.0.0.1:${server.port}`));
  const columns = anonymous.html.split('<section aria-label="Trending').slice(1);
  assert.equal(columns.length, 3);
  assert.deepEqual(listed(columns[0]).sort(), ["acme/org-model", "admin/bert-sentiment", "admin/llama-gguf", "alice/whisper-ko"]);
  assert.deepEqual(listed(columns[1]).sort(), ["admin/imdb-reviews", "alice/ko-speech"]);
  assert.deepEqual(listed(columns[2]), ["admin/chat-demo"]);
  assert.match(columns[0], /<a href="&#x2F;models\?sort=trending">See all Models<\/a>/);
  assert.ok(!anonymous.html.includes('href="/new-dataset"'));
  const signedIn = await okPage("/", { cookie: carolCookie });
  for (const link of ["/new", "/new-dataset", "/new-space", "/carol"])
    assert.match(signedIn.html, new RegExp(`class="button[^"]*" href="${link}"`), link);
});

test("ProfilesOfUsersAndOrganizations", async () => {
  const org = await okPage("/acme");
  assert.match(org.html, /<h1>ACME Corp<\/h1>/);
  assert.match(org.html, />Organization</);
  const members = org.html.slice(org.html.indexOf('<section aria-label="Members">'));
  assert.match(members, /<a href="&#x2F;alice">alice<\/a>/);
  assert.match(members, /<a href="&#x2F;carol">carol<\/a>/);
  assert.ok(!members.slice(0, members.indexOf("</section>")).includes("badge"), "roles are for members only");
  assert.match((await okPage("/acme", { cookie: carolCookie })).html, /<a href="&#x2F;carol">carol<\/a> <span class="badge">write<\/span>/);
  assert.deepEqual(listed(org.html), ["acme/org-model"]);

  const alice = await okPage("/alice");
  assert.match(alice.html, /<h1>alice<\/h1>/);
  assert.match(alice.html, /<section aria-label="Organizations">\s*<h2>Organizations<\/h2>\s*<ul class="plain"><li><a href="&#x2F;acme">acme<\/a>/);
  assert.deepEqual(listed(alice.html).sort(), ["alice/ko-speech", "alice/whisper-ko"]);
  assert.match(alice.html, /<h2>Models <span class="hint">1<\/span><\/h2>/);
  assert.match(alice.html, /<h2>Datasets <span class="hint">1<\/span><\/h2>/);

  // A user's likes.
  await api("models/alice/whisper-ko/like", { token: tokens.carol, method: "POST" });
  const carol = await okPage("/carol");
  const likes = carol.html.slice(carol.html.indexOf('<section aria-label="Likes">'));
  assert.deepEqual(listed(likes), ["alice/whisper-ko"]);

  const missing = await page("/nobody-here");
  assert.equal(missing.status, 404);
  assert.match(missing.html, /<h1>Not found<\/h1>/);
});

// Many repos from `wharf admin generate-catalog`: pages of 30, followed by their Next links,
// in the API's order for every sort.
test("PagesFollowTheCursorAndSortsMatchTheApi", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "wharf-web-listing-"));
  await wharfAdmin(dataDir, "generate-catalog", "--models", "100", "--datasets", "1", "--spaces", "1");
  catalogServer = await startWharf({ dataDir });
  const apiIds = async (query) => {
    const res = await fetch(`${catalogServer.url}/api/models?${query}`);
    assert.equal(res.status, 200);
    return (await res.json()).map((m) => m.id);
  };
  for (const [web, apiSort] of [["trending", "trendingScore"], ["downloads", "downloads"], ["likes", "likes"],
                                ["modified", "lastModified"], ["created", "createdAt"], ["alphabetical", "id"]]) {
    const p = await okPage(`/models?sort=${web}`, { base: catalogServer });
    assert.deepEqual(listed(p.html), await apiIds(`sort=${apiSort}&limit=30`), web);
    assert.match(p.html, new RegExp(`<option value="${web}" selected>`));
  }
  // Every page in turn: no repo twice, none missed, the parameters kept.
  const all = await apiIds("sort=downloads&limit=1000");
  assert.ok(all.length > 60 && all.length <= 100, `${all.length} public models`);  // some generated repos are private
  const seen = [];
  let path = "/models?sort=downloads&search=";
  let pages = 0;
  for (; path; pages++) {
    const p = await okPage(path, { base: catalogServer });
    const ids = listed(p.html);
    assert.ok(ids.length <= 30);
    seen.push(...ids);
    if (pages > 0) assert.match(p.html, /<a href="&#x2F;models\?sort=downloads&amp;search=">First page<\/a>/);
    path = nextHref(p.html);
    if (path) assert.match(path, /^\/models\?sort=downloads&search=&cursor=[^&]+$/);
  }
  assert.equal(pages, Math.ceil(all.length / 30));
  assert.deepEqual(seen, all);

  // A filter survives the pages too, and the counts of a large result are the catalog's.
  const first = await okPage("/models?limit=10", { base: catalogServer });
  const license = Object.keys(facets(first.html).Licenses)[0];
  const licensed = await apiIds(`license=${encodeURIComponent(license)}&sort=trendingScore&limit=1000`);
  const through = [];
  for (let next = `/models?license=${encodeURIComponent(license)}&limit=5`; next;) {
    const p = await okPage(next, { base: catalogServer });
    through.push(...listed(p.html));
    next = nextHref(p.html);
  }
  assert.deepEqual(through, licensed);
});
