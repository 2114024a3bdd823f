#!/usr/bin/env node
// Scores the built plugin (dist/index.js) against the evaluation corpus in bench/eval/corpus.
//
//   node bench/eval/score.mjs [options] [rule...]
//
//   rule...        score only these rules (default: every corpus rule)
//   --own          run each rule only on its own folder (default: every rule on every file,
//                  so a finding of rule R in another rule's folder counts against R too)
//   --quiet        print only the summary table (no FP/FN lists)
//   --json <file>  also write the full result (findings, FP, FN, crashes) as JSON
//   --plugin <js>  score another build of the plugin (default: dist/index.js)
//
// Expectations are trailing comments `// expect: <rule>[, <rule>…]` on the line where the
// finding must start (CONTRIBUTING.md#how-findings-are-scored). A line without a marker for rule R must
// produce no finding of R. Several findings of one rule on one line count once. A file may
// start with `// settings: {json}`: either the whole ESLint `settings` object
// (`{"native-handle": {…}}`) or just the `native-handle` part.
//
// Exit code: 0 whenever a report was produced (whatever the scores), 1 when it could not
// run at all (no built plugin, no rule to score, ESLint or the parser missing).

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const EVAL_DIR = path.dirname(fileURLToPath(import.meta.url));
const REPO_DIR = path.resolve(EVAL_DIR, '..', '..');
const CORPUS_DIR = path.join(EVAL_DIR, 'corpus');
const DEFAULT_DIST_ENTRY = path.join(REPO_DIR, 'dist', 'index.js');
const PLUGIN_PREFIX = 'native-handle';
const CORPUS_RULES = [
  'no-unguarded-raw-handle',
  'require-lifetime-guard',
  'no-close-with-pending-ops',
  'no-cleanup-in-exit-handler',
  'no-raw-handle-close',
  'no-handle-adoption',
  'require-unregister',
  'no-use-after-close',
];

const MARKER_RE = /\/\/\s*expect:\s*([a-z0-9-]+(?:\s*,\s*[a-z0-9-]+)*)\s*$/;
const SETTINGS_RE = /^\s*\/\/\s*settings:\s*(.*)$/;

// ---------------------------------------------------------------------------------------
// Arguments

function parseArgs(argv) {
  const opts = { rules: [], own: false, quiet: false, json: undefined, plugin: DEFAULT_DIST_ENTRY };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--own') opts.own = true;
    else if (arg === '--quiet') opts.quiet = true;
    else if (arg === '--json') {
      opts.json = argv[++i];
      if (!opts.json) fail('--json needs a file name');
    } else if (arg === '--plugin') {
      if (!argv[i + 1]) fail('--plugin needs a path');
      opts.plugin = path.resolve(argv[++i]);
    } else if (arg === '--help' || arg === '-h') {
      console.log(
        fs
          .readFileSync(fileURLToPath(import.meta.url), 'utf8')
          .split('\n')
          .slice(1, 20)
          .join('\n'),
      );
      process.exit(0);
    } else if (arg.startsWith('-')) fail(`unknown option ${arg} (see --help)`);
    else opts.rules.push(arg.replace(new RegExp(`^${PLUGIN_PREFIX}/`), ''));
  }
  const unknown = opts.rules.filter(r => !CORPUS_RULES.includes(r));
  if (unknown.length > 0) {
    fail(`no corpus for rule(s) ${unknown.join(', ')}; corpus rules: ${CORPUS_RULES.join(', ')}`);
  }
  if (opts.rules.length === 0) opts.rules = [...CORPUS_RULES];
  return opts;
}

function fail(message) {
  console.error(`score: ${message}`);
  process.exit(1);
}

// ---------------------------------------------------------------------------------------
// Corpus

/** Every corpus file: { abs, rel, folderRule, settings, expected: Map<line, Set<rule>>, lines } */
function loadCorpus() {
  const files = [];
  const problems = [];
  for (const folderRule of CORPUS_RULES) {
    const dir = path.join(CORPUS_DIR, folderRule);
    if (!fs.existsSync(dir)) {
      problems.push(`corpus folder missing: ${path.relative(REPO_DIR, dir)}`);
      continue;
    }
    for (const name of fs.readdirSync(dir).sort()) {
      if (!name.endsWith('.ts') || name.endsWith('.d.ts')) continue;
      const abs = path.join(dir, name);
      const text = fs.readFileSync(abs, 'utf8');
      const lines = text.split(/\r?\n/);
      const expected = new Map();
      lines.forEach((lineText, index) => {
        const m = MARKER_RE.exec(lineText);
        if (!m) {
          if (/\/\/\s*expect\b/.test(lineText)) problems.push(`${rel(abs)}:${index + 1}: malformed expect marker`);
          return;
        }
        for (const raw of m[1].split(',')) {
          const rule = raw.trim();
          if (!CORPUS_RULES.includes(rule)) {
            problems.push(`${rel(abs)}:${index + 1}: marker names unknown rule '${rule}'`);
            continue;
          }
          if (!expected.has(index + 1)) expected.set(index + 1, new Set());
          expected.get(index + 1).add(rule);
        }
      });
      let settings = {};
      const sm = SETTINGS_RE.exec(lines[0] ?? '');
      if (sm) {
        try {
          const parsed = JSON.parse(sm[1]);
          settings = parsed !== null && typeof parsed === 'object' && PLUGIN_PREFIX in parsed ? parsed : { [PLUGIN_PREFIX]: parsed };
        } catch (error) {
          problems.push(`${rel(abs)}:1: settings comment is not valid JSON (${error.message}); linting without settings`);
        }
      }
      files.push({ abs, rel: rel(abs), folderRule, settings, expected, lines });
    }
  }
  return { files, problems };
}

function rel(abs) {
  return path.relative(REPO_DIR, abs).split(path.sep).join('/');
}

// ---------------------------------------------------------------------------------------
// Plugin and ESLint

async function loadPlugin(DIST_ENTRY) {
  if (!fs.existsSync(DIST_ENTRY)) {
    return { error: `the built plugin ${rel(DIST_ENTRY)} does not exist: run \`npm run build\` first` };
  }
  try {
    const mod = await import(pathToFileURL(DIST_ENTRY).href);
    const plugin = mod.default ?? mod;
    if (!plugin || typeof plugin !== 'object' || !plugin.rules || typeof plugin.rules !== 'object') {
      return { error: `${rel(DIST_ENTRY)} loaded, but its default export has no \`rules\` object` };
    }
    return { plugin };
  } catch (error) {
    return { error: `${rel(DIST_ENTRY)} failed to load: ${firstLines(error, 6)}` };
  }
}

async function loadTooling() {
  try {
    const { ESLint } = await import('eslint');
    const tseslint = (await import('typescript-eslint')).default;
    return { ESLint, parser: tseslint.parser };
  } catch (error) {
    return { error: `cannot load eslint / typescript-eslint: ${firstLines(error, 3)}` };
  }
}

function firstLines(error, n) {
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return text.split('\n').slice(0, n).join('\n    ');
}

/**
 * One ESLint instance per rule set. Settings are attached per file through `files` entries,
 * so a file's `// settings:` comment applies to that file only.
 */
function makeEslint(tooling, plugin, files, rulesFor) {
  const config = [
    {
      files: ['**/*.ts'],
      languageOptions: {
        parser: tooling.parser,
        parserOptions: { project: './tsconfig.json', tsconfigRootDir: EVAL_DIR },
      },
      plugins: { [PLUGIN_PREFIX]: plugin },
      linterOptions: { reportUnusedDisableDirectives: 'off' },
    },
  ];
  for (const file of files) {
    const rules = {};
    // CONTRIBUTING.md#how-findings-are-scored: every rule at 'error' with the options of configs.all (its strictest).
    for (const rule of rulesFor(file))
      rules[`${PLUGIN_PREFIX}/${rule}`] = plugin.configs?.all?.rules?.[`${PLUGIN_PREFIX}/${rule}`] ?? 'error';
    config.push({
      files: [path.relative(EVAL_DIR, file.abs).split(path.sep).join('/')],
      settings: file.settings,
      rules,
    });
  }
  return new tooling.ESLint({ cwd: EVAL_DIR, overrideConfigFile: true, overrideConfig: config, cache: false });
}

const RULE_IN_ERROR_RE = new RegExp(`Rule: "${PLUGIN_PREFIX}/([a-z0-9-]+)"`);

// ---------------------------------------------------------------------------------------
// Main

const opts = parseArgs(process.argv.slice(2));
const { files, problems } = loadCorpus();
for (const p of problems) console.warn(`warning: ${p}`);
if (files.length === 0) fail(`no corpus files under ${rel(CORPUS_DIR)}`);

const expectedCount = rule => files.reduce((n, f) => n + [...f.expected.values()].filter(s => s.has(rule)).length, 0);

const DIST_ENTRY = opts.plugin;
const loaded = await loadPlugin(DIST_ENTRY);
if (loaded.error) {
  console.error(`score: ${loaded.error}`);
  console.error('score: nothing was scored. The corpus expects:');
  for (const rule of opts.rules) console.error(`  ${rule}: ${expectedCount(rule)} findings`);
  process.exit(1);
}
const plugin = loaded.plugin;

const available = opts.rules.filter(r => r in plugin.rules);
const missing = opts.rules.filter(r => !(r in plugin.rules));
for (const rule of missing) {
  console.warn(
    `SKIPPED ${rule}: not in ${rel(DIST_ENTRY)} (rules there: ${Object.keys(plugin.rules).join(', ') || 'none'}); rebuild with \`npm run build\` once it exists`,
  );
}
if (available.length === 0) fail('none of the requested rules is in the built plugin; nothing to score');

const tooling = await loadTooling();
if (tooling.error) fail(tooling.error);

const rulesFor = file => (opts.own ? available.filter(r => r === file.folderRule) : available);
const filesToLint = files.filter(f => rulesFor(f).length > 0);

/** rule -> array of { file, line, message } (deduped per line) */
const found = new Map(available.map(r => [r, []]));
/** array of { file, rule|null, message } */
const crashes = [];
const fatals = [];
const started = Date.now();

const mainEslint = makeEslint(tooling, plugin, filesToLint, rulesFor);
const singleRuleEslints = new Map();
const eslintFor = rule => {
  if (!singleRuleEslints.has(rule)) {
    singleRuleEslints.set(
      rule,
      makeEslint(tooling, plugin, filesToLint, f => rulesFor(f).filter(r => r === rule)),
    );
  }
  return singleRuleEslints.get(rule);
};

function collect(file, result) {
  const seen = new Set();
  for (const msg of result.messages) {
    if (msg.fatal) {
      fatals.push({ file: file.rel, line: msg.line, message: msg.message });
      continue;
    }
    if (!msg.ruleId?.startsWith(`${PLUGIN_PREFIX}/`)) continue;
    const rule = msg.ruleId.slice(PLUGIN_PREFIX.length + 1);
    if (!found.has(rule)) continue;
    const key = `${rule}:${msg.line}`;
    if (seen.has(key)) continue;
    seen.add(key);
    found.get(rule).push({ file, line: msg.line, message: msg.message });
  }
}

for (const file of filesToLint) {
  try {
    const [result] = await mainEslint.lintFiles([file.abs]);
    collect(file, result);
  } catch (error) {
    // Isolate the crashing rule(s) so the other rules on this file are still scored.
    const hinted = RULE_IN_ERROR_RE.exec(String(error?.message))?.[1];
    for (const rule of rulesFor(file)) {
      try {
        const [result] = await eslintFor(rule).lintFiles([file.abs]);
        collect(file, result);
      } catch (ruleError) {
        crashes.push({ file: file.rel, rule, message: firstLines(ruleError, 4) });
      }
    }
    if (!crashes.some(c => c.file === file.rel)) {
      crashes.push({ file: file.rel, rule: hinted ?? null, message: `crashed only with all rules together: ${firstLines(error, 4)}` });
    }
  }
}

// ---------------------------------------------------------------------------------------
// Scoring

const pct = (num, den) => (den === 0 ? '   -  ' : `${((100 * num) / den).toFixed(1).padStart(5)}%`);
const results = [];

for (const rule of available) {
  const scoredFiles = files.filter(f => rulesFor(f).includes(rule));
  const foundKeys = new Map(found.get(rule).map(f => [`${f.file.rel}:${f.line}`, f]));
  const tp = [];
  const fn = [];
  for (const file of scoredFiles) {
    for (const [line, rules] of file.expected) {
      if (!rules.has(rule)) continue;
      const key = `${file.rel}:${line}`;
      if (foundKeys.has(key)) tp.push(key);
      else fn.push({ file, line });
    }
  }
  const fp = found.get(rule).filter(f => !f.file.expected.get(f.line)?.has(rule));
  const ruleCrashes = crashes.filter(c => c.rule === rule || c.rule === null);
  results.push({ rule, tp, fp, fn, crashes: ruleCrashes, scoredFiles: scoredFiles.length });
}

// ---------------------------------------------------------------------------------------
// Report

const mode = opts.own ? 'each rule on its own folder' : 'every rule on every corpus file';
console.log(`native-handle eval: ${filesToLint.length} files, ${mode}, ${((Date.now() - started) / 1000).toFixed(1)} s`);

if (!opts.quiet) {
  for (const r of results) {
    console.log(`\n== ${r.rule}`);
    if (r.fp.length === 0 && r.fn.length === 0 && r.crashes.length === 0) {
      console.log('   all expectations met');
      continue;
    }
    for (const f of r.fp) console.log(`  FP ${f.file.rel}:${f.line} ${r.rule} ${oneLine(f.message)}`);
    for (const f of r.fn) {
      const src = (f.file.lines[f.line - 1] ?? '').replace(MARKER_RE, '').trim();
      console.log(`  FN ${f.file.rel}:${f.line} ${r.rule} (no finding) \`${truncate(src, 100)}\``);
    }
    for (const c of r.crashes) console.log(`  CRASH ${c.file} ${c.rule ?? '(rule unknown)'} ${oneLine(c.message)}`);
  }
}

if (fatals.length > 0) {
  console.log('\n== fatal parse/type-setup errors (files not scored correctly)');
  for (const f of fatals) console.log(`  FATAL ${f.file}:${f.line} ${oneLine(f.message)}`);
}

console.log('\nrule                          expected   TP   FP   FN  precision  recall  crashes');
let total = { expected: 0, tp: 0, fp: 0, fn: 0, crashes: 0 };
for (const r of results) {
  const expected = r.tp.length + r.fn.length;
  const crashedFiles = new Set(r.crashes.map(c => c.file)).size;
  total = {
    expected: total.expected + expected,
    tp: total.tp + r.tp.length,
    fp: total.fp + r.fp.length,
    fn: total.fn + r.fn.length,
    crashes: total.crashes + crashedFiles,
  };
  console.log(
    `${r.rule.padEnd(30)}${String(expected).padStart(8)}${String(r.tp.length).padStart(5)}${String(r.fp.length).padStart(5)}${String(r.fn.length).padStart(5)}` +
      `${pct(r.tp.length, r.tp.length + r.fp.length).padStart(11)}${pct(r.tp.length, expected).padStart(8)}${String(crashedFiles).padStart(9)}`,
  );
}
for (const rule of missing) console.log(`${rule.padEnd(30)}${String(expectedCount(rule)).padStart(8)}   (skipped: not in dist)`);
if (results.length > 1) {
  console.log(
    `${'total'.padEnd(30)}${String(total.expected).padStart(8)}${String(total.tp).padStart(5)}${String(total.fp).padStart(5)}${String(total.fn).padStart(5)}` +
      `${pct(total.tp, total.tp + total.fp).padStart(11)}${pct(total.tp, total.expected).padStart(8)}${String(total.crashes).padStart(9)}`,
  );
}
if (fatals.length > 0) console.log(`fatal messages: ${fatals.length} (see above)`);

if (opts.json) {
  const out = {
    mode,
    files: filesToLint.map(f => f.rel),
    skipped: missing,
    rules: Object.fromEntries(
      results.map(r => [
        r.rule,
        {
          tp: r.tp.length,
          fp: r.fp.map(f => ({ file: f.file.rel, line: f.line, message: f.message })),
          fn: r.fn.map(f => ({ file: f.file.rel, line: f.line })),
          crashes: r.crashes,
        },
      ]),
    ),
    fatals,
  };
  fs.writeFileSync(opts.json, `${JSON.stringify(out, null, 2)}\n`);
  console.log(`\nwrote ${opts.json}`);
}

function oneLine(text) {
  return String(text).replace(/\s*\n\s*/g, ' | ');
}

function truncate(text, n) {
  return text.length > n ? `${text.slice(0, n - 1)}…` : text;
}
