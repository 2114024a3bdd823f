#!/usr/bin/env node
// Summarises a V8 .cpuprofile (node --cpu-prof) for the plugin's cost.
//
//   node bench/prof-summary.mjs <file.cpuprofile> [--top N] [--filter <substring of url>]
//
//   --filter  which script URLs are the plugin's (default: the repo's dist/)
//
// Prints the functions with the most self time, and the functions of the plugin (dist/) with
// the most total time (self + callees, counted once per sample even under recursion), and the
// total time under the plugin's code split by what its callees are (TypeScript's checker,
// ESLint/typescript-eslint, the plugin itself).

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const REPO_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIST_URL = `${pathToFileURL(path.join(REPO_DIR, 'dist')).href}/`;

export function summarize(profile, { top = 25, filter = DIST_URL } = {}) {
  const nodes = new Map(profile.nodes.map(n => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const dt = new Map();
  const { samples, timeDeltas } = profile;
  for (let i = 0; i < samples.length; i++) dt.set(samples[i], (dt.get(samples[i]) ?? 0) + (timeDeltas[i] ?? 0) / 1000);
  const label = n => {
    const cf = n.callFrame;
    return `${cf.functionName || '(anon)'} ${short(cf.url)}:${cf.lineNumber + 1}`;
  };
  const self = new Map();
  const total = new Map();
  const pluginTotal = { all: 0, checker: 0, plugin: 0, other: 0 };
  let all = 0;
  for (const [id, ms] of dt) {
    all += ms;
    const leaf = nodes.get(id);
    const leafLabel = label(leaf);
    self.set(leafLabel, (self.get(leafLabel) ?? 0) + ms);
    const seen = new Set();
    let inPlugin = false;
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const n = nodes.get(cur);
      if (!n.callFrame.url.includes(filter)) continue;
      inPlugin = true;
      const l = label(n);
      if (seen.has(l)) continue;
      seen.add(l);
      total.set(l, (total.get(l) ?? 0) + ms);
    }
    if (inPlugin) {
      pluginTotal.all += ms;
      const url = leaf.callFrame.url;
      if (url.includes(filter)) pluginTotal.plugin += ms;
      else if (url.includes('typescript/lib')) pluginTotal.checker += ms;
      else pluginTotal.other += ms;
    }
  }
  const fmt = m =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([l, ms]) => `${ms.toFixed(0).padStart(8)} ms  ${l}`)
      .join('\n');
  return [
    `profile: ${all.toFixed(0)} ms sampled`,
    `under the plugin (${filter}): ${pluginTotal.all.toFixed(0)} ms = plugin code ${pluginTotal.plugin.toFixed(0)} + TypeScript ${pluginTotal.checker.toFixed(0)} + other ${pluginTotal.other.toFixed(0)}`,
    '',
    `top self time:`,
    fmt(self),
    '',
    `top total time in ${filter}:`,
    fmt(total),
  ].join('\n');
}

function short(url) {
  const m = url.match(/node_modules\/(.*)$/);
  if (m) return m[1];
  return url.startsWith(`file://${REPO_DIR}/`) ? url.slice(`file://${REPO_DIR}/`.length) : url.replace(/^file:\/\//, '');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const opts = {};
  const files = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--top') opts.top = Number(args[++i]);
    else if (args[i] === '--filter') opts.filter = args[++i];
    else files.push(args[i]);
  }
  for (const f of files) console.log(summarize(JSON.parse(fs.readFileSync(f, 'utf8')), opts));
}
