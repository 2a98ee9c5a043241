// Fills a running wharf with a small, realistic hub through the real API: a user "ada" (signed
// up on the web), her organization "wharf-lab", models with rich cards, a dataset and a Space,
// several commits, a tag and a branch. Used by the screenshots and the web benchmark.
import assert from "node:assert/strict";

import { bearer, curl } from "../lib/curl.mjs";
import { Browser } from "../lib/web_session.mjs";

const MODEL_CARD = `---
license: apache-2.0
language: [en, fr, de]
library_name: transformers
pipeline_tag: text-classification
base_model: google-bert/bert-base-uncased
datasets: [wharf-lab/movie-reviews]
tags: [sentiment, reviews]
model-index:
  - name: sentiment-bert
    results:
      - task: {type: text-classification, name: Text Classification}
        dataset: {type: wharf-lab/movie-reviews, name: Movie reviews}
        metrics:
          - {type: accuracy, value: 0.931}
          - {type: f1, value: 0.928}
---
# sentiment-bert

A BERT model fine-tuned to tell positive movie reviews from negative ones, in English, French
and German.

## Usage

\`\`\`python
from transformers import pipeline

classify = pipeline("text-classification", model="wharf-lab/sentiment-bert")
classify("A slow start, but the last hour is wonderful.")
\`\`\`

## Results

| Split | Accuracy | F1 |
|-------|---------:|---:|
| validation | 0.934 | 0.930 |
| test | 0.931 | 0.928 |

## Training

- **Data:** 50,000 labelled reviews (see [the dataset card](https://example.org/data)).
- **Hardware:** one GPU for two hours.
- [x] tokenizer shipped  - [ ] ONNX export

> Limitations: sarcasm is often misread.
`;

const DATASET_CARD = `---
license: cc-by-4.0
language: [en]
task_categories: [text-classification]
size_categories: [10K<n<100K]
pretty_name: Movie reviews
---
# Movie reviews

50,000 movie reviews labelled positive or negative, split 80/10/10.

| Column | Type | Description |
|---|---|---|
| text | string | the review |
| label | int | 0 negative, 1 positive |
`;

const SPACE_CARD = `---
title: Sentiment demo
sdk: gradio
license: mit
---
# Sentiment demo

Type a review, get its sentiment.
`;

const b64 = (s) => Buffer.from(s).toString("base64");

// Signs up ada, makes her a write token and returns { browser, token }.
export async function signUpAda(server) {
  const browser = new Browser(server);
  const res = await browser.signUp("ada", "ada-password-1");
  assert.equal(res.status, 303, res.html);
  const tokens = await browser.submit("/settings/tokens", { name: "demo", role: "write" });
  const token = tokens.html.match(/value="(hf_[A-Za-z0-9]+)"/)[1];
  return { browser, token };
}

async function api(server, token, method, path, body, contentType = "application/json") {
  const res = await curl(`${server.url}${path}`, {
    method,
    headers: { ...bearer(token), ...(body ? { "Content-Type": contentType } : {}) },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  assert.ok(res.status < 300, `${method} ${path}: ${res.describe()}`);
  return res.status === 204 ? null : res.json();
}

async function commitFiles(server, token, type, repo, summary, files, rev = "main", query = "") {
  const lines = [{ key: "header", value: { summary, description: "" } },
                 ...Object.entries(files).map(([path, content]) => ({ key: "file", value: { path, content: b64(content), encoding: "base64" } }))];
  const body = lines.map((l) => JSON.stringify(l)).join("\n") + "\n";
  return (await api(server, token, "POST", `/api/${type}s/${repo}/commit/${encodeURIComponent(rev)}${query}`, body, "application/x-ndjson")).commitOid;
}

const config = (labels) => JSON.stringify({ architectures: ["BertForSequenceClassification"], model_type: "bert",
                                            hidden_size: 768, num_hidden_layers: 12, id2label: labels }, null, 2);

// Creates the demo hub; returns { ada, token, models: [...ids] }.
export async function fillDemoHub(server, { extraModels = 24 } = {}) {
  const { browser, token } = await signUpAda(server);
  await api(server, token, "POST", "/api/organizations/new", { name: "wharf-lab", fullname: "Wharf Lab" });
  const create = (name, extra = {}) => api(server, token, "POST", "/api/repos/create", { name, ...extra });

  await create("sentiment-bert", { organization: "wharf-lab" });
  const repo = "wharf-lab/sentiment-bert";
  await commitFiles(server, token, "model", repo, "Add the model card and config", {
    "README.md": MODEL_CARD.replace("[x] tokenizer shipped  - [ ] ONNX export", "[x] tokenizer shipped\n- [ ] ONNX export"),
    "config.json": config({ 0: "NEGATIVE", 1: "POSITIVE" }),
  });
  await commitFiles(server, token, "model", repo, "Add the tokenizer", {
    "tokenizer_config.json": JSON.stringify({ do_lower_case: true, model_max_length: 512 }, null, 2),
    "vocab.txt": Array.from({ length: 400 }, (_, i) => `token${i}`).join("\n") + "\n",
    "special_tokens_map.json": JSON.stringify({ cls_token: "[CLS]", sep_token: "[SEP]" }),
  });
  await commitFiles(server, token, "model", repo, "Training script and notes", {
    "train/train.py": "import torch\n\n\ndef main():\n    print('training')\n\n\nif __name__ == '__main__':\n    main()\n",
    "train/NOTES.md": "# Notes\n\nLearning rate 2e-5, 3 epochs.\n",
  });
  await commitFiles(server, token, "model", repo, "Lower the learning rate in the notes", {
    "train/NOTES.md": "# Notes\n\nLearning rate 1e-5, 4 epochs, warm-up 10%.\n",
    "config.json": config({ 0: "negative", 1: "positive" }),
  });
  // The Community tab: a discussion (#1) and a pull request (#2) with a comment each.
  await api(server, token, "POST", `/api/models/${repo}/discussions`, {
    title: "Does it handle negation?", description: "It reads *not bad* as **negative**. Is that expected?",
  });
  await api(server, token, "POST", `/api/models/${repo}/discussions/1/comment`, { comment: "Yes: see the limitations in the card." });
  const notes = "# Notes\n\nLearning rate 1e-5, 4 epochs, warm-up 10%.\nBatch size 32.\n";
  await commitFiles(server, token, "model", repo, "Record the batch size", { "train/NOTES.md": notes }, "main", "?create_pr=1");
  await api(server, token, "POST", `/api/models/${repo}/discussions/2/comment`, { comment: "The batch size was missing from the notes." });
  await api(server, token, "POST", `/api/models/${repo}/tag/main`, { tag: "v1.0", message: "First release" });
  await api(server, token, "POST", `/api/models/${repo}/branch/experiments`, {});

  await create("movie-reviews", { organization: "wharf-lab", type: "dataset" });
  await commitFiles(server, token, "dataset", "wharf-lab/movie-reviews", "Add the data", {
    "README.md": DATASET_CARD,
    "data/train.csv": "text,label\n" + Array.from({ length: 50 }, (_, i) => `"review ${i}",${i % 2}`).join("\n") + "\n",
  });
  await create("sentiment-demo", { type: "space", sdk: "gradio" });
  await commitFiles(server, token, "space", "ada/sentiment-demo", "Add the app", {
    "README.md": SPACE_CARD,
    "app.py": "import gradio as gr\n\ngr.Interface(lambda t: t, 'text', 'text').launch()\n",
  });

  const tasks = ["text-classification", "translation", "summarization", "image-classification", "automatic-speech-recognition", "text-generation"];
  const licenses = ["mit", "apache-2.0", "cc-by-4.0"];
  const models = [repo];
  for (let i = 0; i < extraModels; i++) {
    const name = `${tasks[i % tasks.length].split("-")[0]}-model-${i}`;
    await create(name);
    await commitFiles(server, token, "model", `ada/${name}`, "Add the card", {
      "README.md": `---\nlicense: ${licenses[i % 3]}\nlanguage: [${["en", "fr", "de", "es"][i % 4]}]\npipeline_tag: ${tasks[i % tasks.length]}\nlibrary_name: ${i % 2 ? "transformers" : "pytorch"}\n---\n# ${name}\n\nDemo model number ${i}.\n`,
    });
    models.push(`ada/${name}`);
  }
  // Likes and downloads so that sorts and trending have something to show.
  for (const id of models.slice(0, 8)) await browser.submit(`/${id}`, { like: "1" }, `/${id}/like`);
  for (let i = 0; i < 5; i++) await curl(`${server.url}/${repo}/resolve/main/config.json`, { headers: { "User-Agent": `demo-${i}` } });
  return { browser, token, models };
}
