#!/usr/bin/env node
// `npm run eval:real`: lints the real-code corpus (bench/real/corpus.mjs: npm packages that ship
// their TypeScript sources) with the plugin's `configs.recommended` and `configs.strict`, and
// compares every finding with the checked-in triage, bench/real/triage.tsv (issue 10, item 7).
//
//   node bench/real/eval.mjs [options]
//
//   --update          rewrite triage.tsv: refresh the header (versions, lines), move matched
//                     entries to their current line and configs, drop stale entries, append
//                     untriaged findings with verdict TODO (which still fails until triaged)
//   --package <a,b>   lint only these packages (stale entries of the others are not reported)
//   --quiet           do not list every finding (tables, untriaged and stale entries only)
//   --json <file>     also write the findings and the tables as JSON
//   --plugin <file>   another build of the plugin (default: dist/index.js)
//   --skip-install    never install bench/real/node_modules
//
// Until the plugin exports `configs.strict` (docs/resource-model.md#configs), `configs.all` stands in for it; the
// script picks `configs.strict` up by itself once it exists.
//
// Both configs are linted in one typed parse: the plugin is registered twice, under
// `nh-recommended` and `nh-strict`, each with its config's rules and options.
//
// Matching a finding with a triage entry (bench/real/triage.mjs): same package, file and rule,
// and the same text of the reported line (trimmed, whitespace runs collapsed). Among entries with
// that text, the one on the finding's own line first; the others pair in line order, or by the
// nearest line when their numbers differ. The packages are pinned by the lockfile, so a line's
// text only changes when a version changes; the text keeps an entry attached to its code when
// lines above it move (a version bump, a different slice of the file), and two findings of one rule
// on lines with the same text (`this.pool.checkIn(conn);` twice in a function) pair with their own
// entries by line. A finding whose line text changed needs a fresh look at the code anyway, so it
// is untriaged rather than matched by its number alone. An entry that matches no finding is stale.
// Several findings of one rule on one line count once (CONTRIBUTING.md#how-findings-are-scored).
//
// Exit code: 1 when a finding is untriaged (or triaged TODO), when a rule crashed or a file had a
// fatal message (a parse error); 0 otherwise. Stale entries and changed versions only warn.

import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { REAL, REAL_DIR, REPO_DIR, ensureRealInstalled, prepareReal } from './corpus.mjs';
import { COLUMNS, formatRow, lineKey, matchFindings, parseTriage } from './triage.mjs';

const TRIAGE = path.join(REAL_DIR, 'triage.tsv');
const CONFIGS = ['recommended', 'strict'];

// ---------------------------------------------------------------------------------------
// Options

function fail(message) {
  console.error(`eval:real: ${message}`);
  process.exit(2);
}

function parseArgs(argv) {
  const opts = {
    update: false,
    packages: undefined,
    quiet: false,
    json: undefined,
    plugin: path.join(REPO_DIR, 'dist', 'index.js'),
    install: true,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => argv[++i] ?? fail(`${arg} needs a value`);
    if (arg === '--update') opts.update = true;
    else if (arg === '--package')
      opts.packages = value()
        .split(',')
        .map(s => s.trim())
        .filter(Boolean);
    else if (arg === '--quiet') opts.quiet = true;
    else if (arg === '--json') opts.json = path.resolve(value());
    else if (arg === '--plugin') opts.plugin = path.resolve(value());
    else if (arg === '--skip-install') opts.install = false;
    else if (arg === '--help' || arg === '-h') {
      const self = fs.readFileSync(new URL(import.meta.url), 'utf8').split('\n');
      console.log(
        self
          .slice(
            1,
            self.findIndex(l => l.startsWith('import')),
          )
          .map(l => l.replace(/^\/\/ ?/, ''))
          .join('\n'),
      );
      process.exit(0);
    } else fail(`unknown option ${arg} (see --help)`);
  }
  if (opts.packages) {
    const unknown = opts.packages.filter(p => !REAL.some(r => r.name === p));
    if (unknown.length > 0) fail(`unknown package ${unknown.join(', ')}; known: ${REAL.map(r => r.name).join(', ')}`);
  }
  if (opts.update && opts.packages) fail('--update needs the whole corpus (no --package)');
  if (!fs.existsSync(opts.plugin)) fail(`no built plugin at ${path.relative(REPO_DIR, opts.plugin)}: run \`npm run build\` (npm ci does)`);
  return opts;
}

// ---------------------------------------------------------------------------------------
// Triage file

function readTriage() {
  if (!fs.existsSync(TRIAGE)) return { header: new Map(), entries: [] };
  const { header, entries, errors } = parseTriage(fs.readFileSync(TRIAGE, 'utf8'), path.relative(REPO_DIR, TRIAGE));
  if (errors.length > 0) fail(`the triage file is malformed:\n  ${errors.join('\n  ')}`);
  return { header, entries };
}

const row = formatRow;

function writeTriage(prepared, entries) {
  const out = [
    '# Triage of the real-code corpus: every finding of `npm run eval:real` (bench/real/eval.mjs) with',
    '# configs.recommended and configs.strict, read against the code around it and its close path.',
    '# verdict: real = a true lifetime hazard as the spec defines it (a crash, a wrong or reused descriptor,',
    '# a hang, lost data, a leak); debatable = a use of an owned resource after a possible close that fails',
    '# with a clean error or does no harm (what configs.strict reports by design); false-positive = no',
    '# hazard (a borrowed reference, a release, a teardown-safe call, a guarded use, a plain read).',
    '# A finding matches an entry by package, file, rule and the text of its line (nearest line first).',
    '# `npm run eval:real -- --update` refreshes lines, configs and this header, and appends new findings as TODO.',
    '#',
    '# packages linted (name, npm package, version, .ts files, lines):',
    ...prepared.map(p => `# @package\t${p.name}\t${p.pkg}\t${p.version}\t${p.files.length}\t${p.lines}`),
    '#',
    COLUMNS.join('\t'),
    ...[...entries].sort(compareEntries).map(row),
  ];
  fs.writeFileSync(TRIAGE, `${out.join('\n')}\n`);
}

const packageOrder = name => REAL.findIndex(r => r.name === name);
function compareEntries(a, b) {
  return (
    packageOrder(a.package) - packageOrder(b.package) || a.file.localeCompare(b.file) || a.line - b.line || a.rule.localeCompare(b.rule)
  );
}

// ---------------------------------------------------------------------------------------
// Linting

async function lint(prepared, opts) {
  const { ESLint } = await import('eslint');
  const tseslint = (await import('typescript-eslint')).default;
  const plugin = (await import(pathToFileURL(opts.plugin).href)).default;
  const strictName = plugin.configs.strict ? 'strict' : 'all';
  const chosen = { recommended: plugin.configs.recommended, strict: plugin.configs[strictName] };
  const overrideConfig = [
    {
      files: ['**/*.ts'],
      languageOptions: { parser: tseslint.parser, parserOptions: { projectService: true, tsconfigRootDir: REPO_DIR } },
      linterOptions: { noInlineConfig: true, reportUnusedDisableDirectives: 'off', reportUnusedInlineConfigs: 'off' },
    },
  ];
  for (const config of CONFIGS) {
    const rules = {};
    for (const [id, setting] of Object.entries(chosen[config].rules ?? {})) {
      if (!id.startsWith('native-handle/')) fail(`configs.${config} has a rule of another plugin: ${id}`);
      rules[`nh-${config}/${id.slice('native-handle/'.length)}`] = setting;
    }
    overrideConfig.push({ files: ['**/*.ts'], plugins: { [`nh-${config}`]: plugin }, rules });
  }
  const eslint = new ESLint({ cwd: REPO_DIR, overrideConfigFile: true, overrideConfig, ignore: false, cache: false });
  const files = prepared.flatMap(p => p.files);
  const byFile = new Map(prepared.flatMap(p => p.files.map(f => [f, p])));
  const results = [];
  const crashes = [];
  try {
    results.push(...(await eslint.lintFiles(files)));
  } catch {
    // A rule threw: ESLint gives up on the whole call. Lint file by file to find every crash.
    for (const file of files) {
      try {
        results.push(...(await eslint.lintFiles([file])));
      } catch (error) {
        crashes.push({
          file: path.relative(REPO_DIR, file),
          error: String(error?.stack ?? error)
            .split('\n')
            .slice(0, 6)
            .join('\n'),
        });
      }
    }
  }
  const fatal = [];
  const findings = new Map(); // key package/file/line/rule → finding
  for (const result of results) {
    const pkg = byFile.get(result.filePath);
    const file = path.relative(pkg.dir, result.filePath).split(path.sep).join('/');
    const sourceLines = fs.readFileSync(result.filePath, 'utf8').split(/\r?\n/);
    for (const message of result.messages) {
      if (message.fatal) {
        fatal.push({ package: pkg.name, file, line: message.line, message: message.message });
        continue;
      }
      // Messages of no rule that are not fatal: the packages' own eslint-disable comments,
      // which noInlineConfig ignores (and ESLint says so).
      if (!message.ruleId) continue;
      const m = /^nh-(recommended|strict)\/(.+)$/.exec(message.ruleId);
      if (!m) continue;
      const [, config, rule] = m;
      const key = `${pkg.name}\t${file}\t${message.line}\t${rule}`;
      let finding = findings.get(key);
      if (!finding) {
        finding = {
          package: pkg.name,
          file,
          line: message.line,
          column: message.column,
          rule,
          configs: new Set(),
          messages: new Set(),
          text: lineKey(sourceLines[message.line - 1] ?? ''),
        };
        findings.set(key, finding);
      }
      finding.configs.add(config);
      finding.messages.add(message.message);
    }
  }
  const list = [...findings.values()].map(f => ({
    ...f,
    configs: CONFIGS.filter(c => f.configs.has(c)).join(','),
    messages: [...f.messages],
  }));
  return { findings: list.sort(compareEntries), crashes, fatal, strictName };
}

// ---------------------------------------------------------------------------------------
// Report

function table(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map(r => String(r[i]).length)));
  const line = r => `| ${r.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join(' | ')} |`;
  const sep = `|${widths.map((w, i) => (i === 0 ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(rows[0]), sep, ...rows.slice(1).map(line)].join('\n');
}

const verdictOf = f => (f.entry && f.entry.verdict !== 'TODO' ? f.entry.verdict : 'untriaged');
const SHORT = { real: 'R', debatable: 'D', 'false-positive': 'FP', untriaged: '?' };

function counts(findings) {
  const c = { all: findings.length, real: 0, debatable: 0, 'false-positive': 0, untriaged: 0 };
  for (const f of findings) c[verdictOf(f)]++;
  return c;
}
const cell = c =>
  c.all === 0
    ? '0'
    : `${c.all} (${['real', 'debatable', 'false-positive', 'untriaged']
        .filter(v => c[v] > 0)
        .map(v => `${c[v]} ${SHORT[v]}`)
        .join(', ')})`;
const pct = (n, d) => (d === 0 ? '–' : `${((100 * n) / d).toFixed(0)} %`);

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const started = performance.now();
  ensureRealInstalled({ install: opts.install, fail });
  const selected = REAL.filter(r => !opts.packages || opts.packages.includes(r.name));
  const prepared = selected.map(real => ({ ...prepareReal(real), pkg: real.pkg }));
  const { header, entries: allEntries } = readTriage();
  const entries = allEntries.filter(e => !opts.packages || opts.packages.includes(e.package));

  const lintStart = performance.now();
  const { findings, crashes, fatal, strictName } = await lint(prepared, opts);
  const lintMs = performance.now() - lintStart;
  const stale = matchFindings(findings, entries);

  const byConfig = Object.fromEntries(CONFIGS.map(c => [c, findings.filter(f => f.configs.split(',').includes(c))]));
  const rules = [...new Set(findings.map(f => f.rule))].sort();
  const out = [];
  out.push(
    `eval:real — ${prepared.length} packages, ${prepared.reduce((a, p) => a + p.files.length, 0)} files, ${prepared.reduce((a, p) => a + p.lines, 0)} lines; configs.recommended and configs.${strictName}${strictName === 'strict' ? '' : ' (standing in for configs.strict, which the plugin does not export yet)'}`,
  );
  out.push(`verdicts: R real, D debatable, FP false-positive, ? untriaged`);
  out.push('');

  const warnings = [];
  for (const p of prepared) {
    const h = header.get(p.name);
    if (!h) warnings.push(`triage header has no @package line for ${p.name} (${p.version}, ${p.lines} lines)`);
    else if (h.version !== p.version || h.lines !== p.lines)
      warnings.push(
        `triage header says ${p.name} ${h.version} (${h.lines} lines), installed is ${p.version} (${p.lines} lines): re-triage it`,
      );
  }

  // Per package.
  const pkgRows = [['package', 'npm package', 'version', 'files', 'lines', 'recommended', 'strict']];
  for (const p of prepared) {
    pkgRows.push([
      p.name,
      p.pkg,
      p.version,
      p.files.length,
      p.lines,
      ...CONFIGS.map(c => cell(counts(byConfig[c].filter(f => f.package === p.name)))),
    ]);
  }
  pkgRows.push([
    '(all)',
    '',
    '',
    prepared.reduce((a, p) => a + p.files.length, 0),
    prepared.reduce((a, p) => a + p.lines, 0),
    ...CONFIGS.map(c => cell(counts(byConfig[c]))),
  ]);
  out.push('Findings per package:');
  out.push(table(pkgRows));
  out.push('');

  // Per rule.
  const ruleRows = [['rule', 'recommended', 'strict']];
  for (const rule of rules) ruleRows.push([rule, ...CONFIGS.map(c => cell(counts(byConfig[c].filter(f => f.rule === rule))))]);
  out.push('Findings per rule:');
  out.push(table(ruleRows));
  out.push('');

  // Per package and rule (the closing note's table).
  const prRows = [['package / rule', 'recommended', 'strict']];
  for (const p of prepared) {
    for (const rule of rules) {
      const fs_ = CONFIGS.map(c => byConfig[c].filter(f => f.package === p.name && f.rule === rule));
      if (fs_.every(x => x.length === 0)) continue;
      prRows.push([`${p.name} / ${rule}`, ...fs_.map(x => cell(counts(x)))]);
    }
  }
  if (prRows.length > 1) {
    out.push('Findings per package and rule:');
    out.push(table(prRows));
    out.push('');
  }

  // Precision.
  const precRows = [
    ['config', 'findings', 'real', 'debatable', 'false-positive', 'untriaged', 'precision (real ÷ all)', 'false-positive share'],
  ];
  for (const c of CONFIGS) {
    const k = counts(byConfig[c]);
    precRows.push([
      c === 'strict' ? `strict (configs.${strictName})` : c,
      k.all,
      k.real,
      k.debatable,
      k['false-positive'],
      k.untriaged,
      pct(k.real, k.all),
      pct(k['false-positive'], k.all),
    ]);
  }
  out.push('Precision:');
  out.push(table(precRows));
  out.push('');

  if (!opts.quiet && findings.length > 0) {
    out.push('Findings:');
    for (const f of findings) {
      const note = f.entry && f.entry.verdict !== 'TODO' ? ` — ${f.entry.reason}` : '';
      out.push(`  ${SHORT[verdictOf(f)].padEnd(2)} ${f.package}/${f.file}:${f.line}:${f.column} ${f.rule} [${f.configs}]${note}`);
      out.push(`       ${f.text}`);
      for (const m of f.messages) out.push(`       > ${m.split('\n')[0]}`);
    }
    out.push('');
  }

  for (const f of findings) {
    if (f.entry && (f.entry.line !== f.line || f.entry.configs !== f.configs)) {
      warnings.push(
        `${f.entry.where}: entry matched ${f.package}/${f.file}:${f.line} ${f.rule} [${f.configs}] (the entry says line ${f.entry.line} [${f.entry.configs}]; --update rewrites it)`,
      );
    }
  }
  for (const e of stale)
    warnings.push(
      `${e.where}: stale entry, no such finding any more: ${e.package}/${e.file}:${e.line} ${e.rule} (${e.verdict}) — ${e.text}`,
    );

  const untriaged = findings.filter(f => verdictOf(f) === 'untriaged');
  if (untriaged.length > 0) {
    out.push(
      `Untriaged findings (${untriaged.length}), in the triage file's format (${COLUMNS.join(', ')}); set verdict and reason, paste into ${path.relative(REPO_DIR, TRIAGE)}:`,
    );
    for (const f of untriaged) out.push(row({ ...f, verdict: 'TODO', reason: f.messages[0]?.split('\n')[0] ?? '' }));
    out.push('');
  }
  for (const c of crashes) out.push(`CRASH ${c.file}\n${c.error}`);
  for (const f of fatal) out.push(`FATAL ${f.package}/${f.file}:${f.line}: ${f.message}`);
  for (const w of warnings) out.push(`warning: ${w}`);

  const totalMs = performance.now() - started;
  out.push(`eval:real took ${(totalMs / 1000).toFixed(1)} s (lint ${(lintMs / 1000).toFixed(1)} s).`);
  console.log(out.join('\n'));

  if (opts.update) {
    const kept = findings.map(f =>
      f.entry ? { ...f.entry, line: f.line, configs: f.configs, text: f.text } : { ...f, verdict: 'TODO', reason: '' },
    );
    writeTriage(prepared, kept);
    console.log(
      `wrote ${path.relative(REPO_DIR, TRIAGE)}: ${kept.length} entries (${stale.length} stale dropped, ${untriaged.filter(f => !f.entry).length} new as TODO)`,
    );
  }
  if (opts.json) {
    fs.mkdirSync(path.dirname(opts.json), { recursive: true });
    const json = {
      strictConfig: strictName,
      packages: prepared.map(p => ({ name: p.name, pkg: p.pkg, version: p.version, files: p.files.length, lines: p.lines })),
      findings: findings.map(f => ({ ...f, entry: undefined, verdict: verdictOf(f), reason: f.entry?.reason })),
      precision: Object.fromEntries(CONFIGS.map(c => [c, counts(byConfig[c])])),
      stale: stale.map(e => ({ ...e })),
      crashes,
      fatal,
      lintMs,
      totalMs,
    };
    fs.writeFileSync(opts.json, `${JSON.stringify(json, null, 2)}\n`);
  }
  const failed = untriaged.length > 0 || crashes.length > 0 || fatal.length > 0;
  if (failed) {
    const why = [
      untriaged.length && `${untriaged.length} untriaged finding(s)`,
      crashes.length && `${crashes.length} crash(es)`,
      fatal.length && `${fatal.length} fatal message(s)`,
    ]
      .filter(Boolean)
      .join(', ');
    console.log(`eval:real FAILED: ${why}`);
  }
  process.exitCode = failed ? 1 : 0;
}

await main();
