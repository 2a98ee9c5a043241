// Takes the screenshots of docs/screenshots (shown in the README) from a fresh server filled
// with the demo hub (demo_content.mjs), in headless Chromium.
// usage: cd tests && WHARF_BIN=../build/wharf node tools/screenshots.mjs [../docs/screenshots]
import { mkdirSync } from "node:fs";
import { resolve } from "node:path";

import { startWharf } from "../lib/wharf.mjs";
import { launchBrowser } from "../lib/browser.mjs";
import { fillDemoHub } from "./demo_content.mjs";

const outDir = resolve(process.argv[2] ?? "../docs/screenshots");
mkdirSync(outDir, { recursive: true });

const server = await startWharf();
const browser = await launchBrowser();
try {
  const { browser: session } = await fillDemoHub(server);
  const sha = (await (await fetch(`${server.url}/api/models/wharf-lab/sentiment-bert/revision/main`)).json()).sha;
  const desktop = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  // Signed in as ada: her session cookie from the demo set-up.
  await desktop.context().addCookies([...session.jar].map(([name, value]) => ({ name, value, url: server.url })));
  const shots = [
    ["home", "/"],
    ["models", "/models?sort=likes"],
    ["model-card", "/wharf-lab/sentiment-bert"],
    ["files", "/wharf-lab/sentiment-bert/tree/main"],
    ["file", "/wharf-lab/sentiment-bert/blob/main/train/train.py"],
    ["commits", "/wharf-lab/sentiment-bert/commits/main"],
    ["commit-diff", `/wharf-lab/sentiment-bert/commit/${sha}`],
    ["dataset-card", "/datasets/wharf-lab/movie-reviews"],
    ["new-repo", "/new"],
    ["upload", "/wharf-lab/sentiment-bert/upload/main"],
    ["settings", "/wharf-lab/sentiment-bert/settings"],
    ["org", "/wharf-lab"],
    ["discussions", "/wharf-lab/sentiment-bert/discussions"],
    ["pull-request", "/wharf-lab/sentiment-bert/discussions/2"],
    ["pull-request-files", "/wharf-lab/sentiment-bert/discussions/2/files"],
  ];
  for (const [name, path] of shots) {
    await desktop.goto(server.url + path);
    await desktop.screenshot({ path: `${outDir}/${name}.png`, fullPage: false });
    console.log(`${name}.png  ${path}`);
  }
  const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 });
  await phone.goto(`${server.url}/wharf-lab/sentiment-bert`);
  await phone.screenshot({ path: `${outDir}/model-card-phone.png` });
  console.log("model-card-phone.png");
} finally {
  await browser.close();
  await server.stop();
}
