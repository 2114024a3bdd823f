#!/usr/bin/env node
// `npm run bench`: what the plugin costs on top of typed linting (issue 3). See bench/README.md.
//
//   node bench/run.mjs [options]
//
//   --reps <n>          measured runs per configuration and corpus (default: 3)
//   --quick             smoke run: 1 repetition, corpora node-pty, zeromq, synthetic-1k, synthetic-10k
//   --corpus <a,b,…>    these corpora (default: real-all, synthetic-1k, synthetic-10k,
//                       synthetic-100k; also node-pty, zeromq, mongodb, grpc-js one by one)
//   --all-corpora       the default corpora and each real code base on its own (~+4 minutes)
//   --no-timing         skip the extra TIMING=all run of P per corpus (per-rule times)
//   --cpu-prof          one extra P run per corpus under node --cpu-prof; the profiles go to
//                       bench/results/prof/ and a summary of the plugin's hot spots is printed
//   --plugin <file>     measure another build of the plugin (default: dist/index.js)
//   --json <file>       where to write the results (default: bench/results/latest.json)
//   --write-readme      replace the figures section of bench/README.md with this run's figures
//   --strict            exit 1 when a budget is missed (default: only on crashes)
//   --skip-install      do not install the real code bases even if they are missing
//
// Configurations, each run in a child process of its own (bench/lint-child.mjs), alternating
// A/P/F run by run (the order rotates every repetition so drift cancels):
//   A  ESLint + typescript-eslint's parser with projectService (typed parsing), no rules
//   P  A + configs.all of the plugin
//   F  A + @typescript-eslint/no-floating-promises
// Exit code: 1 when any run had a crash or a fatal message (or, with --strict, a missed budget).

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { generate } from './gen-corpus.mjs';
import { summarize } from './prof-summary.mjs';
import { REAL as ALL_REAL, ensureRealInstalled as installReal, lineCount, prepareReal, tsFiles } from './real/corpus.mjs';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const REPO_DIR = path.resolve(BENCH_DIR, '..');
const CORPUS_DIR = path.join(BENCH_DIR, 'corpus');
const RESULTS_DIR = path.join(BENCH_DIR, 'results');
const CHILD = path.join(BENCH_DIR, 'lint-child.mjs');
const README = path.join(BENCH_DIR, 'README.md');
const BEGIN = '<!-- begin bench figures (written by `npm run bench -- --write-readme`) -->';
const END = '<!-- end bench figures -->';
const CONFIGS = ['A', 'P', 'F'];

/** Real code bases measured by the bench (bench/real/corpus.mjs; `npm run eval:real` lints them all). */
const REAL = ALL_REAL.filter(r => r.bench);
const SYNTHETIC = [
  { name: 'synthetic-1k', size: 1000 },
  { name: 'synthetic-10k', size: 10000 },
  { name: 'synthetic-100k', size: 100000 },
];
// Each real code base alone is mostly start-up; they are linted together in real-all (the 10-minute
// budget of a full run on 2 cores leaves no room for them one by one by default).
const DEFAULT_CORPORA = ['real-all', 'synthetic-1k', 'synthetic-10k', 'synthetic-100k'];
const ALL_CORPORA = ['node-pty', 'zeromq', 'mongodb', 'grpc-js', ...DEFAULT_CORPORA];
const QUICK_CORPORA = ['node-pty', 'zeromq', 'synthetic-1k', 'synthetic-10k'];

const BUDGET = { cpuRatio: 1.05, rssRatio: 1.05, perLineGrowth: 1.3 };

// ---------------------------------------------------------------------------------------
// Options

function parseArgs(argv) {
  const opts = {
    reps: undefined,
    corpora: undefined,
    timing: true,
    cpuProf: false,
    plugin: path.join(REPO_DIR, 'dist', 'index.js'),
    json: path.join(RESULTS_DIR, 'latest.json'),
    writeReadme: false,
    strict: false,
    install: true,
    quick: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) fail(`${arg} needs a value`);
      return v;
    };
    if (arg === '--reps') opts.reps = Number(value());
    else if (arg === '--quick') opts.quick = true;
    else if (arg === '--corpus') opts.corpora = value().split(',').map(s => s.trim()).filter(Boolean);
    else if (arg === '--all-corpora') opts.corpora = ALL_CORPORA;
    else if (arg === '--no-timing') opts.timing = false;
    else if (arg === '--cpu-prof') opts.cpuProf = true;
    else if (arg === '--plugin') opts.plugin = path.resolve(value());
    else if (arg === '--json') opts.json = path.resolve(value());
    else if (arg === '--write-readme') opts.writeReadme = true;
    else if (arg === '--strict') opts.strict = true;
    else if (arg === '--skip-install') opts.install = false;
    else if (arg === '--help' || arg === '-h') {
      console.log(fs.readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1, 26).map(l => l.replace(/^\/\/ ?/, '')).join('\n'));
      process.exit(0);
    } else fail(`unknown option ${arg} (see --help)`);
  }
  if (opts.quick) {
    opts.reps ??= 1;
    opts.corpora ??= QUICK_CORPORA;
  }
  opts.corpora ??= DEFAULT_CORPORA;
  const known = new Set([...REAL.map(r => r.name), 'real-all', ...SYNTHETIC.map(s => s.name)]);
  const unknown = opts.corpora.filter(c => !known.has(c));
  if (unknown.length > 0) fail(`unknown corpus ${unknown.join(', ')}; known: ${[...known].join(', ')}`);
  if (opts.reps !== undefined && !(Number.isInteger(opts.reps) && opts.reps >= 1)) fail('--reps needs a positive integer');
  if (!fs.existsSync(opts.plugin)) fail(`no built plugin at ${path.relative(REPO_DIR, opts.plugin)}: run \`npm run build\` (npm ci does)`);
  return opts;
}

function fail(message) {
  console.error(`bench: ${message}`);
  process.exit(2);
}

// ---------------------------------------------------------------------------------------
// Corpora

function ensureRealInstalled(install) {
  installReal({ install, fail });
}

function prepareCorpora(opts) {
  const wanted = new Set(opts.corpora);
  const corpora = [];
  const needsReal = REAL.some(r => wanted.has(r.name)) || wanted.has('real-all');
  if (needsReal) {
    ensureRealInstalled(opts.install);
    const prepared = REAL.map(prepareReal);
    for (const corpus of prepared) if (wanted.has(corpus.name)) corpora.push(corpus);
    if (wanted.has('real-all')) {
      const files = prepared.flatMap(c => c.files);
      corpora.push({ name: 'real-all', kind: 'real', files, lines: prepared.reduce((a, c) => a + c.lines, 0) });
    }
  }
  for (const synthetic of SYNTHETIC) {
    if (!wanted.has(synthetic.name)) continue;
    const dir = path.join(CORPUS_DIR, `synthetic-${synthetic.size}`);
    generate(synthetic.size, dir);
    const files = tsFiles(path.join(dir, 'src'));
    corpora.push({ name: synthetic.name, kind: 'synthetic', size: synthetic.size, files, lines: lineCount(files) });
  }
  // Keep the order of --corpus / the default list.
  return opts.corpora.map(name => corpora.find(c => c.name === name)).filter(Boolean);
}

// ---------------------------------------------------------------------------------------
// Runs

function runChild(config, listFile, opts, { timing = false, cpuProf } = {}) {
  const args = [];
  if (cpuProf) args.push('--cpu-prof', `--cpu-prof-dir=${cpuProf.dir}`, `--cpu-prof-name=${cpuProf.name}`);
  args.push(CHILD, config, listFile);
  const env = { ...process.env, NH_BENCH_PLUGIN: opts.plugin };
  delete env.TIMING;
  if (timing) env.TIMING = 'all';
  return new Promise(resolve => {
    const start = performance.now();
    const child = spawn(process.execPath, args, { cwd: REPO_DIR, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', d => (stdout += d));
    child.stderr.on('data', d => (stderr += d));
    child.on('close', code => {
      const wallMs = performance.now() - start;
      const line = stdout.split('\n').find(l => l.startsWith('@@BENCH '));
      if (!line) {
        resolve({ config, ok: false, code, wallMs, error: (stderr || stdout).trim().split('\n').slice(-15).join('\n') });
        return;
      }
      const report = JSON.parse(line.slice('@@BENCH '.length));
      const ruleTimes = {};
      if (timing) {
        for (const row of stdout.split('\n')) {
          const m = /^(\S+)\s*\|\s*([\d.]+)\s*\|/.exec(row);
          if (m && m[1] !== 'Rule') ruleTimes[m[1]] = Number(m[2]);
        }
      }
      resolve({ ...report, ok: code === 0, code, wallMs, ruleTimes, stderr: stderr.trim() });
    });
  });
}

const median = xs => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const stat = xs => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs), n: xs.length });

async function measure(corpus, opts) {
  const listFile = path.join(RESULTS_DIR, `files-${corpus.name}.json`);
  fs.writeFileSync(listFile, JSON.stringify(corpus.files));
  const reps = opts.reps ?? 3;
  const runs = [];
  process.stdout.write(`${corpus.name} (${corpus.files.length} files, ${corpus.lines} lines), ${reps} × A/P/F: `);
  for (let rep = 0; rep < reps; rep++) {
    const order = CONFIGS.map((_, i) => CONFIGS[(i + rep) % CONFIGS.length]);
    for (const config of order) {
      const run = await runChild(config, listFile, opts);
      runs.push({ rep, ...run });
      process.stdout.write(run.ok ? config : `${config}!`);
    }
    process.stdout.write(' ');
  }
  let timingRun;
  if (opts.timing) {
    timingRun = await runChild('P', listFile, opts, { timing: true });
    process.stdout.write(timingRun.ok ? 'T' : 'T!');
  }
  let profile;
  if (opts.cpuProf) {
    const dir = path.join(RESULTS_DIR, 'prof');
    fs.mkdirSync(dir, { recursive: true });
    const name = `P-${corpus.name}.cpuprofile`;
    const profRun = await runChild('P', listFile, opts, { cpuProf: { dir, name } });
    process.stdout.write(profRun.ok ? ' prof' : ' prof!');
    const file = path.join(dir, name);
    if (fs.existsSync(file)) {
      const filter = `file://${path.dirname(opts.plugin)}/`;
      profile = { file: path.relative(REPO_DIR, file), summary: summarize(JSON.parse(fs.readFileSync(file, 'utf8')), { top: 20, filter }) };
    }
  }
  process.stdout.write('\n');
  return summarizeCorpus(corpus, runs, timingRun, profile);
}

function summarizeCorpus(corpus, runs, timingRun, profile) {
  const by = {};
  for (const config of CONFIGS) {
    const ok = runs.filter(r => r.config === config && r.ok);
    by[config] = ok.length === 0 ? undefined : {
      cpuMs: stat(ok.map(r => r.cpuMs)),
      wallMs: stat(ok.map(r => r.wallMs)),
      maxRssMiB: stat(ok.map(r => r.maxRssKiB / 1024)),
      messages: ok[0].messages,
      byRule: ok[0].byRule,
    };
  }
  const ratio = (num, den, key) => (by[num] && by[den] ? by[num][key].median / by[den][key].median : undefined);
  const allRuns = timingRun ? [...runs, timingRun] : runs;
  const crashes = allRuns.flatMap(r => (r.crashes ?? []).map(c => ({ config: r.config, ...c })));
  const fatal = allRuns.flatMap(r => (r.fatal ?? []).map(f => ({ config: r.config, ...f })));
  const failedRuns = allRuns.filter(r => !r.ok).map(r => ({ config: r.config, code: r.code, error: r.error ?? r.stderr }));
  const ruleTimes = timingRun?.ruleTimes ?? {};
  const ruleSum = Object.values(ruleTimes).reduce((a, b) => a + b, 0);
  return {
    name: corpus.name,
    kind: corpus.kind,
    files: corpus.files.length,
    lines: corpus.lines,
    configs: by,
    ratios: {
      cpu: { PA: ratio('P', 'A', 'cpuMs'), FA: ratio('F', 'A', 'cpuMs') },
      wall: { PA: ratio('P', 'A', 'wallMs'), FA: ratio('F', 'A', 'wallMs') },
      rss: { PA: ratio('P', 'A', 'maxRssMiB'), FA: ratio('F', 'A', 'maxRssMiB') },
    },
    ruleTimesMs: ruleTimes,
    ruleTimesSumMs: timingRun ? ruleSum : undefined,
    crashes,
    fatal,
    failedRuns,
    runs: runs.map(r => ({ rep: r.rep, config: r.config, ok: r.ok, cpuMs: r.cpuMs, wallMs: r.wallMs, maxRssKiB: r.maxRssKiB, lintMs: r.lintMs })),
    profile,
  };
}

// ---------------------------------------------------------------------------------------
// Report

const f0 = x => (x === undefined ? '–' : x.toFixed(0));
const f2 = x => (x === undefined || Number.isNaN(x) ? '–' : x.toFixed(2));
const f3 = x => (x === undefined || Number.isNaN(x) ? '–' : x.toFixed(3));
const range = s => (s ? `${f0(s.median)} [${f0(s.min)}–${f0(s.max)}]` : '–');

function table(rows, align) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map(r => String(r[i]).length)));
  const line = r => `| ${r.map((c, i) => (align?.[i] === 'l' ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join(' | ')} |`;
  const sep = `|${widths.map((w, i) => (align?.[i] === 'l' ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(rows[0]), sep, ...rows.slice(1).map(line)].join('\n');
}

function scaling(results) {
  const synth = results.filter(r => r.kind === 'synthetic' && r.configs.A && r.configs.P);
  return synth.map(r => {
    const perK = c => (r.configs[c] ? (r.configs[c].cpuMs.median / r.lines) * 1000 : undefined);
    return {
      name: r.name,
      lines: r.lines,
      cpuMsPerKLine: { A: perK('A'), P: perK('P'), F: perK('F') },
      // The plugin's own increment per line, two ways: (P − A) CPU, and the sum of its rules' TIMING.
      incrementMsPerKLine: ((r.configs.P.cpuMs.median - r.configs.A.cpuMs.median) / r.lines) * 1000,
      timingMsPerKLine: r.ruleTimesSumMs === undefined ? undefined : (r.ruleTimesSumMs / r.lines) * 1000,
    };
  });
}

function budgets(results, scale) {
  const checks = [];
  const byName = name => results.find(r => r.name === name);
  for (const name of ['real-all', 'synthetic-100k']) {
    const r = byName(name);
    if (!r) continue;
    checks.push({ what: `${name}: P/A median CPU`, value: r.ratios.cpu.PA, budget: BUDGET.cpuRatio, ok: r.ratios.cpu.PA <= BUDGET.cpuRatio });
    checks.push({ what: `${name}: P/A median peak RSS`, value: r.ratios.rss.PA, budget: BUDGET.rssRatio, ok: r.ratios.rss.PA <= BUDGET.rssRatio });
  }
  const s10 = scale.find(s => s.name === 'synthetic-10k');
  const s100 = scale.find(s => s.name === 'synthetic-100k');
  if (s10 && s100) {
    if (s10.timingMsPerKLine !== undefined && s100.timingMsPerKLine !== undefined) {
      const growth = s100.timingMsPerKLine / s10.timingMsPerKLine;
      checks.push({ what: 'plugin TIMING per line, 100k / 10k', value: growth, budget: BUDGET.perLineGrowth, ok: growth <= BUDGET.perLineGrowth });
    }
    const growth = s100.incrementMsPerKLine / s10.incrementMsPerKLine;
    checks.push({
      what: '(P − A) CPU per line, 100k / 10k (noisy; informative)',
      value: growth,
      budget: BUDGET.perLineGrowth,
      ok: growth <= BUDGET.perLineGrowth,
      informative: true,
    });
  }
  return checks;
}

function report(results, meta) {
  const out = [];
  out.push(`Measured ${meta.date} on ${meta.machine}; ${meta.node}, ESLint ${meta.eslint}, typescript-eslint ${meta.tseslint}, TypeScript ${meta.typescript}.`);
  out.push(`Medians [min–max] over ${meta.repsNote}; CPU = user + sys of the child process (start-up included); RSS = its peak.`);
  out.push('');
  const rows = [['corpus', 'files', 'lines', 'A CPU ms', 'P CPU ms', 'F CPU ms', 'P/A CPU', 'F/A CPU', 'P/A wall', 'F/A wall', 'A RSS MiB', 'P/A RSS', 'F/A RSS']];
  for (const r of results) {
    rows.push([
      r.name, r.files, r.lines,
      range(r.configs.A?.cpuMs), range(r.configs.P?.cpuMs), range(r.configs.F?.cpuMs),
      f3(r.ratios.cpu.PA), f3(r.ratios.cpu.FA), f3(r.ratios.wall.PA), f3(r.ratios.wall.FA),
      f0(r.configs.A?.maxRssMiB.median), f3(r.ratios.rss.PA), f3(r.ratios.rss.FA),
    ]);
  }
  out.push(table(rows, ['l']));
  out.push('');
  const scale = scaling(results);
  if (scale.length > 0) {
    out.push('Synthetic corpus, CPU ms per 1000 lines (medians), and the plugin\'s own increment per 1000 lines:');
    out.push('');
    const srows = [['corpus', 'lines', 'A', 'P', 'F', '(P − A)', 'plugin TIMING sum']];
    for (const s of scale) {
      srows.push([s.name, s.lines, f0(s.cpuMsPerKLine.A), f0(s.cpuMsPerKLine.P), f0(s.cpuMsPerKLine.F), f0(s.incrementMsPerKLine), f0(s.timingMsPerKLine)]);
    }
    out.push(table(srows, ['l']));
    out.push('');
  }
  const withTiming = results.filter(r => r.ruleTimesSumMs !== undefined);
  if (withTiming.length > 0) {
    const rules = [...new Set(withTiming.flatMap(r => Object.keys(r.ruleTimesMs)))].sort();
    out.push('Per-rule time of P (ESLint TIMING=all, one extra run per corpus), ms:');
    out.push('');
    const trows = [['rule', ...withTiming.map(r => r.name)]];
    for (const rule of rules) trows.push([rule.replace(/^native-handle\//, ''), ...withTiming.map(r => f0(r.ruleTimesMs[rule]))]);
    trows.push(['(sum)', ...withTiming.map(r => f0(r.ruleTimesSumMs))]);
    trows.push(['(sum per 1000 lines)', ...withTiming.map(r => f2((r.ruleTimesSumMs / r.lines) * 1000))]);
    out.push(table(trows, ['l']));
    out.push('');
  }
  const crashes = results.reduce((a, r) => a + r.crashes.length, 0);
  const fatal = results.reduce((a, r) => a + r.fatal.length, 0);
  const failed = results.reduce((a, r) => a + r.failedRuns.length, 0);
  out.push(`Crashes (rule exceptions) over every run of every corpus: ${crashes}; fatal lint messages: ${fatal}; failed child runs: ${failed}.`);
  out.push('');
  const checks = budgets(results, scale);
  if (checks.length > 0) {
    out.push('Budgets (issue 3):');
    out.push('');
    const brows = [['check', 'value', 'budget', 'verdict']];
    for (const c of checks) brows.push([c.what, f3(c.value), `≤ ${c.budget}`, c.ok ? 'ok' : c.informative ? 'over (informative)' : 'MISSED']);
    out.push(table(brows, ['l']));
    out.push('');
  }
  return { text: out.join('\n'), checks, crashes, fatal, failed, scale };
}

function writeReadme(text) {
  const readme = fs.readFileSync(README, 'utf8');
  const begin = readme.indexOf(BEGIN);
  const end = readme.indexOf(END);
  if (begin < 0 || end < begin) fail(`bench/README.md has no figures markers (${BEGIN} … ${END})`);
  fs.writeFileSync(README, `${readme.slice(0, begin + BEGIN.length)}\n\n${text}\n${readme.slice(end)}`);
}

function versionOf(pkg) {
  try {
    return JSON.parse(fs.readFileSync(path.join(REPO_DIR, 'node_modules', pkg, 'package.json'), 'utf8')).version;
  } catch {
    return '?';
  }
}

// ---------------------------------------------------------------------------------------

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const started = performance.now();
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const corpora = prepareCorpora(opts);
  const results = [];
  for (const corpus of corpora) results.push(await measure(corpus, opts));
  const cpus = os.cpus();
  const meta = {
    date: new Date().toISOString().slice(0, 10),
    machine: `${os.availableParallelism?.() ?? cpus.length} cores (${cpus[0]?.model ?? '?'}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.platform()} ${os.release()}`,
    node: `Node ${process.version}`,
    eslint: versionOf('eslint'),
    tseslint: versionOf('typescript-eslint'),
    typescript: versionOf('typescript'),
    plugin: path.relative(REPO_DIR, opts.plugin),
    repsNote: `${opts.reps ?? 3} run(s) per configuration`,
    elapsedS: 0,
  };
  const rep = report(results, meta);
  meta.elapsedS = Math.round((performance.now() - started) / 1000);
  console.log('');
  console.log(rep.text);
  for (const r of results) {
    for (const c of r.crashes) console.log(`CRASH ${r.name} ${c.config} ${path.relative(REPO_DIR, c.file)}\n${c.error}`);
    for (const f of r.fatal.slice(0, 10)) console.log(`FATAL ${r.name} ${f.config} ${path.relative(REPO_DIR, f.file)}:${f.line} ${f.message}`);
    for (const f of r.failedRuns) console.log(`FAILED RUN ${r.name} ${f.config} (exit ${f.code})\n${f.error}`);
    if (r.profile) console.log(`\nprofile of P on ${r.name} (${r.profile.file}):\n${r.profile.summary}\n`);
  }
  fs.mkdirSync(path.dirname(opts.json), { recursive: true });
  fs.writeFileSync(opts.json, `${JSON.stringify({ meta, budgets: rep.checks, scaling: rep.scale, results }, null, 2)}\n`);
  console.log(`results: ${path.relative(process.cwd(), opts.json)} (bench took ${meta.elapsedS} s)`);
  if (opts.writeReadme) {
    writeReadme(rep.text);
    console.log('figures written to bench/README.md');
  }
  const missed = rep.checks.some(c => !c.ok && !c.informative);
  process.exitCode = rep.crashes + rep.fatal + rep.failed > 0 || (opts.strict && missed) ? 1 : 0;
}

await main();
