// Helpers for tests that drive wharf with the official JS client.
import assert from "node:assert/strict";
import * as hub from "@huggingface/hub";

import { blobBytes } from "./content.mjs";

// A predicate for assert.rejects: the client's HubApiError with this HTTP status.
export function isApiError(status) {
  return (e) => e instanceof hub.HubApiError && e.statusCode === status;
}

// downloadFile's bytes as a Buffer; fails the test when the file is missing.
export async function downloadBytes(creds, params) {
  const blob = await hub.downloadFile({ ...creds, ...params });
  assert.ok(blob, `downloadFile ${params.path} returned null`);
  return blobBytes(blob);
}
