// Fills a running server with the demo hub (demo_content.mjs) and prints the paths of its
// pages, one "class<TAB>path" per line, for bench/web.sh.
// usage: node tools/fill_demo.mjs http://127.0.0.1:PORT
import { fillDemoHub } from "./demo_content.mjs";

const url = process.argv[2];
const { models } = await fillDemoHub({ url });
const repo = "/wharf-lab/sentiment-bert";
const sha = (await (await fetch(`${url}/api/models/wharf-lab/sentiment-bert/revision/main`)).json()).sha;
const lines = [
  ["card", repo], ["card", "/datasets/wharf-lab/movie-reviews"], ["card", `/${models.at(-1)}`],
  ["tree", `${repo}/tree/main`], ["tree", `${repo}/tree/v1.0/train`],
  ["blob", `${repo}/blob/main/train/train.py`], ["blob", `${repo}/blob/main/vocab.txt`],
  ["commits", `${repo}/commits/main`], ["commit", `${repo}/commit/${sha}`],
  ["listing", "/models"], ["listing", "/models?sort=downloads"], ["listing", "/models?search=model&sort=likes"],
  ["listing", "/models?pipeline_tag=text-classification&license=mit"], ["listing", "/datasets"],
  ["home", "/"], ["profile", "/ada"], ["profile", "/wharf-lab"],
];
console.log(lines.map((l) => l.join("\t")).join("\n"));
