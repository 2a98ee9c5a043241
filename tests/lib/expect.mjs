// Structural matching for data-driven protocol cases.
//
// An expected value is compared with an actual one:
//   "$sha"   40 lowercase hex            "$sha256"  64 lowercase hex
//   "$date"  YYYY-MM-DDTHH:MM:SS.mmmZ    "$any"     present (not undefined)
//   {"$match": "re"}   the string form matches the regex ({"$imatch": "re"}: ignoring case)
//   {"$absent": true} / {"$present": true}
//   {"$type": "string|number|boolean|array|object|null"}
//   {"$length": n}     array or string length (n may itself be a matcher)
//   {"$contains": x}   an array element matching x, or a substring
//   {"$every": x}      every array element matches x
//   {"$not": x}        does not match x
//   {"$gte": n} {"$lte": n}
//   {"$eq": x}         deep equality (no operators inside)
//   {"$keys": [...]}   an object with exactly these keys
// Several operators may share one object, and may sit beside field keys. A plain object matches when each of its keys
// matches (extra actual keys are allowed); an array matches element by element, same length.
import { isDeepStrictEqual } from "node:util";

export const SHA_RE = /^[0-9a-f]{40}$/;
export const SHA256_RE = /^[0-9a-f]{64}$/;
export const DATE_RE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

function typeOf(v) {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  return typeof v;
}


// Returns a list of mismatch descriptions (empty when `actual` matches `expected`).
export function mismatches(actual, expected, path = "$") {
  const out = [];
  const say = (msg) => out.push(`${path}: ${msg} (actual: ${JSON.stringify(actual)?.slice(0, 200)})`);
  if (typeof expected === "string" && expected.startsWith("$")) {
    const re = { $sha: SHA_RE, $sha256: SHA256_RE, $date: DATE_RE }[expected];
    if (re) {
      if (typeof actual !== "string" || !re.test(actual)) say(`expected ${expected}`);
      return out;
    }
    if (expected === "$any") {
      if (actual === undefined) say("expected a value");
      return out;
    }
  }
  const ops = typeOf(expected) === "object" ? Object.entries(expected).filter(([k]) => k.startsWith("$")) : [];
  if (ops.length) {
    for (const [op, arg] of ops) {
      switch (op) {
        case "$match":
          if (actual === undefined || !new RegExp(arg).test(String(actual))) say(`expected to match /${arg}/`);
          break;
        case "$imatch":
          if (actual === undefined || !new RegExp(arg, "i").test(String(actual))) say(`expected to match /${arg}/i`);
          break;
        case "$absent":
          if ((actual === undefined) !== Boolean(arg)) say(arg ? "expected to be absent" : "expected a value");
          break;
        case "$present":
          if ((actual !== undefined) !== Boolean(arg)) say(arg ? "expected a value" : "expected to be absent");
          break;
        case "$type":
          if (typeOf(actual) !== arg) say(`expected type ${arg}`);
          break;
        case "$length":
          if (typeof arg === "object") out.push(...mismatches(actual?.length, arg, `${path}.length`));
          else if (actual?.length !== arg) say(`expected length ${arg}`);
          break;
        case "$contains":
          if (typeof actual === "string") {
            if (!actual.includes(arg)) say(`expected to contain ${JSON.stringify(arg)}`);
          } else if (!Array.isArray(actual) || !actual.some((a) => mismatches(a, arg).length === 0)) {
            say(`expected an element matching ${JSON.stringify(arg)}`);
          }
          break;
        case "$every":
          if (!Array.isArray(actual)) say("expected an array");
          else actual.forEach((a, i) => out.push(...mismatches(a, arg, `${path}[${i}]`)));
          break;
        case "$not":
          if (mismatches(actual, arg).length === 0) say(`expected not to match ${JSON.stringify(arg)}`);
          break;
        case "$gte":
          if (!(actual >= arg)) say(`expected >= ${arg}`);
          break;
        case "$lte":
          if (!(actual <= arg)) say(`expected <= ${arg}`);
          break;
        case "$eq":
          if (!isDeepStrictEqual(actual, arg)) say(`expected exactly ${JSON.stringify(arg)}`);
          break;
        case "$keys": {
          const keys = typeOf(actual) === "object" ? Object.keys(actual).sort() : null;
          if (!isDeepStrictEqual(keys, [...arg].sort())) say(`expected exactly the keys ${JSON.stringify(arg)}`);
          break;
        }
        default:
          throw new Error(`${path}: unknown matcher ${op}`);
      }
    }
    const fields = Object.entries(expected).filter(([k]) => !k.startsWith("$"));
    if (!fields.length) return out;
    expected = Object.fromEntries(fields);
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return say("expected an array"), out;
    if (actual.length !== expected.length) say(`expected ${expected.length} elements`);
    expected.forEach((e, i) => out.push(...mismatches(actual[i], e, `${path}[${i}]`)));
    return out;
  }
  if (typeOf(expected) === "object") {
    if (typeOf(actual) !== "object") return say("expected an object"), out;
    for (const [k, e] of Object.entries(expected)) out.push(...mismatches(actual[k], e, `${path}.${k}`));
    return out;
  }
  if (actual !== expected) say(`expected ${JSON.stringify(expected)}`);
  return out;
}

// Walks a JSON value and reports Hub convention breaks: date-valued keys not in the
// ...SS.mmmZ form, commit-valued keys not 40 lowercase hex (spec §1.9).
export function conventionBreaks(value, path = "$") {
  const out = [];
  const dateKeys = new Set(["lastModified", "createdAt", "date", "updatedAt"]);
  const shaKeys = new Set(["sha", "commitOid", "targetCommit", "commitId", "mergeCommitId"]);
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...conventionBreaks(v, `${path}[${i}]`)));
  else if (typeOf(value) === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (dateKeys.has(k) && typeof v === "string" && !DATE_RE.test(v)) out.push(`${path}.${k}: date ${v}`);
      if (shaKeys.has(k) && typeof v === "string" && !SHA_RE.test(v)) out.push(`${path}.${k}: sha ${v}`);
      out.push(...conventionBreaks(v, `${path}.${k}`));
    }
  }
  return out;
}
