#!/usr/bin/env node
// `npm run bench`: what the plugin costs a user on top of typed linting (issues 3 and 13). See
// bench/README.md.
//
//   node bench/run.mjs [options]
//
//   --reps <n>          measured pairs per corpus (default: 5; --quick: 2)
//   --quick             development run: 2 pairs, corpora node-pty and synthetic-1k/10k, the
//                       small pathological cases (numbers from it are not for the README)
//   --corpus <a,b,…>    these corpora (default: real-all, synthetic-1k, synthetic-10k,
//                       synthetic-100k; also node-pty, zeromq, mongodb, grpc-js one by one)
//   --all-corpora       the default corpora and each real code base on its own
//   --no-timing         skip the extra TIMING=all run of P per corpus (per-rule times)
//   --no-patho          skip the pathological cases (bench/patho.mjs)
//   --patho-limit <s>   time limit per pathological case and rule (default 60 s; --quick 20 s)
//   --cpu-prof          one extra P run per corpus under node --cpu-prof; the profiles go to
//                       bench/results/prof/ and a summary of the plugin's hot spots is printed
//   --plugin <file>     measure another build of the plugin (default: dist/index.js)
//   --json <file>       where to write the results (default: bench/results/latest.json)
//   --write-readme      replace the figures section of bench/README.md with this run's figures
//   --strict            exit 1 when a budget is missed (default: only on crashes)
//   --skip-install      do not install the real code bases even if they are missing
//
// Configurations, each run in a child process of its own (bench/lint-child.mjs):
//   A   ESLint + typescript-eslint's parser with projectService (typed parsing), no rules; the
//       plugin is not even imported
//   L   A + the plugin imported and registered, no rule on (its load cost)
//   P   A + configs.all of the plugin
//   K   A + a one-rule plugin of bench/lint-child.mjs that creates each program's type checker
//       and asks nothing: what having a checker at all costs
//   F   A + a one-rule plugin of bench/lint-child.mjs that asks only the type of the receiver
//       of every close-like call (`x.close()`, `x.destroy()` …): the floor of any type-aware
//       lifetime rule, since typed parsing alone never creates a type checker
//   C   A + typescript-eslint's recommendedTypeChecked
//   CP  C + configs.all of the plugin
// Each repetition runs P A L K F and C CP back to back, the order reversed every other repetition
// (P A L K F / F K L A P, C CP / CP C), so each pair (P,A), (L,A), (C,CP) is strictly alternating; the
// ratios P/A, L/A, K/A, F/A, CP/C (and P/F: the plugin over the floor) are taken within each repetition
// and reported as the median [min–max] of those.
// Exit code: 1 when any run had a crash or a fatal message (or, with --strict, a missed budget).

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { generate } from './gen-corpus.mjs';
import { pathoReport, runPatho } from './patho.mjs';
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
const CONFIGS = ['A', 'L', 'P', 'K', 'F', 'C', 'CP'];
/** The pairs whose ratio is the figure: [numerator, denominator]. */
const PAIRS = [
  ['P', 'A'],
  ['L', 'A'],
  ['K', 'A'],
  ['F', 'A'],
  ['P', 'F'],
  ['CP', 'C'],
];

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
const QUICK_CORPORA = ['node-pty', 'synthetic-1k', 'synthetic-10k'];

// Issue 13's budgets: P/A and CP/C on real-all, synthetic-100k and each real code base measured;
// L/A everywhere; the plugin's slope from 10k to 100k against 1k to 10k; the pathological cases.
const BUDGET = { pa: 1.1, cpc: 1.05, la: 1.03, rss: 1.1, slope: 1.2, pathoMs: 2000, doubling: 2.2 };

// ---------------------------------------------------------------------------------------
// Options

function parseArgs(argv) {
  const opts = {
    reps: undefined,
    corpora: undefined,
    timing: true,
    patho: true,
    pathoLimit: undefined,
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
    else if (arg === '--corpus')
      opts.corpora = value()
        .split(',')
        .map(s => s.trim())
        .filter(Boolean);
    else if (arg === '--all-corpora') opts.corpora = ALL_CORPORA;
    else if (arg === '--no-timing') opts.timing = false;
    else if (arg === '--no-patho') opts.patho = false;
    else if (arg === '--patho-limit') opts.pathoLimit = Number(value());
    else if (arg === '--cpu-prof') opts.cpuProf = true;
    else if (arg === '--plugin') opts.plugin = path.resolve(value());
    else if (arg === '--json') opts.json = path.resolve(value());
    else if (arg === '--write-readme') opts.writeReadme = true;
    else if (arg === '--strict') opts.strict = true;
    else if (arg === '--skip-install') opts.install = false;
    else if (arg === '--help' || arg === '-h') {
      console.log(
        fs
          .readFileSync(fileURLToPath(import.meta.url), 'utf8')
          .split('\n')
          .slice(1, 37)
          .map(l => l.replace(/^\/\/ ?/, ''))
          .join('\n'),
      );
      process.exit(0);
    } else fail(`unknown option ${arg} (see --help)`);
  }
  if (opts.quick) {
    opts.reps ??= 2;
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

/** The runs of one repetition: P A L K F then C CP, reversed every other repetition (A next to P and to L). */
function repetitionOrder(rep) {
  return rep % 2 === 0 ? ['P', 'A', 'L', 'K', 'F', 'C', 'CP'] : ['F', 'K', 'L', 'A', 'P', 'CP', 'C'];
}

async function measure(corpus, opts) {
  const listFile = path.join(RESULTS_DIR, `files-${corpus.name}.json`);
  fs.writeFileSync(listFile, JSON.stringify(corpus.files));
  const reps = opts.reps ?? 5;
  const runs = [];
  process.stdout.write(`${corpus.name} (${corpus.files.length} files, ${corpus.lines} lines), ${reps} × P/A/L/K/F/C/CP: `);
  for (let rep = 0; rep < reps; rep++) {
    for (const config of repetitionOrder(rep)) {
      const run = await runChild(config, listFile, opts);
      runs.push({ rep, ...run });
      process.stdout.write(run.ok ? `${config}` : `${config}!`);
      process.stdout.write(' ');
    }
    process.stdout.write('| ');
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
  return summarizeCorpus(corpus, runs, timingRun, profile, reps);
}

function summarizeCorpus(corpus, runs, timingRun, profile, reps) {
  const by = {};
  for (const config of CONFIGS) {
    const ok = runs.filter(r => r.config === config && r.ok);
    by[config] =
      ok.length === 0
        ? undefined
        : {
            cpuMs: stat(ok.map(r => r.cpuMs)),
            wallMs: stat(ok.map(r => r.wallMs)),
            maxRssMiB: stat(ok.map(r => r.maxRssKiB / 1024)),
            loadCpuMs: ok.some(r => r.loadCpuMs !== undefined) ? stat(ok.map(r => r.loadCpuMs ?? 0)) : undefined,
            messages: ok[0].messages,
            byRule: ok[0].byRule,
          };
  }
  // Per-pair ratios (and differences), within each repetition.
  const pairs = {};
  for (const [num, den] of PAIRS) {
    const cpu = [];
    const rss = [];
    const diff = [];
    for (let rep = 0; rep < reps; rep++) {
      const n = runs.find(r => r.rep === rep && r.config === num && r.ok);
      const d = runs.find(r => r.rep === rep && r.config === den && r.ok);
      if (!n || !d) continue;
      cpu.push(n.cpuMs / d.cpuMs);
      rss.push(n.maxRssKiB / d.maxRssKiB);
      diff.push(n.cpuMs - d.cpuMs);
    }
    pairs[`${num}/${den}`] = cpu.length === 0 ? undefined : { cpu: stat(cpu), rss: stat(rss), cpuDiffMs: stat(diff) };
  }
  const allRuns = timingRun ? [...runs, timingRun] : runs;
  const crashes = allRuns.flatMap(r => (r.crashes ?? []).map(c => ({ config: r.config, ...c })));
  const fatal = allRuns.flatMap(r => (r.fatal ?? []).map(f => ({ config: r.config, ...f })));
  const failedRuns = allRuns.filter(r => !r.ok).map(r => ({ config: r.config, code: r.code, error: r.error ?? r.stderr }));
  const ruleTimes = Object.fromEntries(Object.entries(timingRun?.ruleTimes ?? {}).filter(([rule]) => rule.startsWith('native-handle/')));
  const ruleSum = Object.values(ruleTimes).reduce((a, b) => a + b, 0);
  return {
    name: corpus.name,
    kind: corpus.kind,
    files: corpus.files.length,
    lines: corpus.lines,
    configs: by,
    pairs,
    ruleTimesMs: ruleTimes,
    ruleTimesSumMs: timingRun ? ruleSum : undefined,
    crashes,
    fatal,
    failedRuns,
    runs: runs.map(r => ({
      rep: r.rep,
      config: r.config,
      ok: r.ok,
      cpuMs: r.cpuMs,
      wallMs: r.wallMs,
      maxRssKiB: r.maxRssKiB,
      loadCpuMs: r.loadCpuMs,
      lintMs: r.lintMs,
    })),
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
  const line = r =>
    `| ${r.map((c, i) => (align?.[i] === 'l' ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join(' | ')} |`;
  const sep = `|${widths.map((w, i) => (align?.[i] === 'l' ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(rows[0]), sep, ...rows.slice(1).map(line)].join('\n');
}

/**
 * The plugin's increment (P − A CPU, median of the per-pair differences; and the sum of its
 * rules' TIMING) at each synthetic size, and its slope between sizes: ms per 1000 added lines.
 * A fixed cost (start-up) cancels in a slope; a per-line average would fall with size whatever
 * the growth.
 */
function scaling(results) {
  const synth = results.filter(r => r.kind === 'synthetic' && r.pairs['P/A']).sort((a, b) => a.lines - b.lines);
  const rows = synth.map(r => ({ name: r.name, lines: r.lines, incrementMs: r.pairs['P/A'].cpuDiffMs.median, timingMs: r.ruleTimesSumMs }));
  const slopes = [];
  for (let i = 1; i < rows.length; i++) {
    const [lo, hi] = [rows[i - 1], rows[i]];
    const kLines = (hi.lines - lo.lines) / 1000;
    slopes.push({
      from: lo.name,
      to: hi.name,
      incrementMsPerKLine: (hi.incrementMs - lo.incrementMs) / kLines,
      timingMsPerKLine: lo.timingMs === undefined || hi.timingMs === undefined ? undefined : (hi.timingMs - lo.timingMs) / kLines,
    });
  }
  return { rows, slopes };
}

function budgets(results, scale, patho) {
  const checks = [];
  for (const r of results) {
    const pa = r.pairs['P/A'];
    const cpc = r.pairs['CP/C'];
    const la = r.pairs['L/A'];
    // P/A and CP/C: on real-all, synthetic-100k and each real code base alone (the small synthetic
    // sizes are mostly start-up and measure the slope below instead).
    if (r.kind === 'real' || r.name === 'synthetic-100k') {
      // Beside P/A: what a checker alone (K/A) and the least type question (F/A) cost the same run.
      const floor = of => floorCell(r.pairs['K/A']?.[of].median, r.pairs['F/A']?.[of].median);
      if (pa) checks.push({ what: `${r.name}: P/A CPU (median of pairs)`, value: pa.cpu.median, budget: BUDGET.pa, floor: floor('cpu') });
      if (cpc) checks.push({ what: `${r.name}: CP/C CPU (median of pairs)`, value: cpc.cpu.median, budget: BUDGET.cpc });
      if (pa)
        checks.push({ what: `${r.name}: P/A peak RSS (median of pairs)`, value: pa.rss.median, budget: BUDGET.rss, floor: floor('rss') });
    }
    if (la) checks.push({ what: `${r.name}: L/A CPU (load cost)`, value: la.cpu.median, budget: BUDGET.la });
  }
  const s10 = scale.slopes.find(s => s.from === 'synthetic-1k' && s.to === 'synthetic-10k');
  const s100 = scale.slopes.find(s => s.from === 'synthetic-10k' && s.to === 'synthetic-100k');
  if (s10 && s100) {
    checks.push({
      what: 'plugin slope (P − A CPU), 10k→100k / 1k→10k',
      value: s100.incrementMsPerKLine / s10.incrementMsPerKLine,
      budget: BUDGET.slope,
    });
    if (s10.timingMsPerKLine !== undefined && s100.timingMsPerKLine !== undefined) {
      checks.push({
        what: "plugin slope (rules' TIMING), 10k→100k / 1k→10k",
        value: s100.timingMsPerKLine / s10.timingMsPerKLine,
        budget: BUDGET.slope,
      });
    }
  }
  if (patho) {
    const rep = pathoReport(patho);
    checks.push({ what: 'pathological cases: slowest rule time (ms)', value: rep.slowestMs, budget: BUDGET.pathoMs, digits: 0 });
    checks.push({ what: 'pathological cases: worst T(2n)/T(n) (nesting, length)', value: rep.worstDoubling, budget: BUDGET.doubling });
  }
  for (const check of checks) check.ok = check.value <= check.budget;
  return checks;
}

/** The floors under a P/A figure: K/A (a checker created) and F/A (the least type question). */
const floorCell = (k, f) =>
  k === undefined && f === undefined ? '' : `K/A ${k === undefined ? '–' : f3(k)}, F/A ${f === undefined ? '–' : f3(f)}`;

const pairCell = p => (p ? `${f3(p.median)} [${f3(p.min)}–${f3(p.max)}]` : '–');

function report(results, meta, patho) {
  const out = [];
  out.push(
    `Measured ${meta.date} on ${meta.machine}; ${meta.node}, ESLint ${meta.eslint}, typescript-eslint ${meta.tseslint}, TypeScript ${meta.typescript}.`,
  );
  out.push(
    `${meta.repsNote}; CPU = user + sys of the child process (start-up included); RSS = its peak. Ratios: the median [min–max] of the per-pair ratios (each pair run back to back, its order alternating).`,
  );
  out.push('');
  const rows = [
    [
      'corpus',
      'files',
      'lines',
      'A CPU ms',
      'C CPU ms',
      'P/A CPU',
      'CP/C CPU',
      'L/A CPU',
      'load CPU ms',
      'K/A CPU',
      'F/A CPU',
      'P/F CPU',
      'A RSS MiB',
      'P/A RSS',
      'CP/C RSS',
      'L/A RSS',
      'K/A RSS',
      'F/A RSS',
    ],
  ];
  for (const r of results) {
    rows.push([
      r.name,
      r.files,
      r.lines,
      range(r.configs.A?.cpuMs),
      range(r.configs.C?.cpuMs),
      pairCell(r.pairs['P/A']?.cpu),
      pairCell(r.pairs['CP/C']?.cpu),
      pairCell(r.pairs['L/A']?.cpu),
      f0(r.configs.L?.loadCpuMs?.median),
      pairCell(r.pairs['K/A']?.cpu),
      pairCell(r.pairs['F/A']?.cpu),
      pairCell(r.pairs['P/F']?.cpu),
      f0(r.configs.A?.maxRssMiB.median),
      f3(r.pairs['P/A']?.rss.median),
      f3(r.pairs['CP/C']?.rss.median),
      f3(r.pairs['L/A']?.rss.median),
      f3(r.pairs['K/A']?.rss.median),
      f3(r.pairs['F/A']?.rss.median),
    ]);
  }
  out.push(table(rows, ['l']));
  out.push('');
  const scale = scaling(results);
  if (scale.rows.length > 0) {
    out.push(
      "Synthetic corpus: the plugin's increment (P − A CPU, median of the per-pair differences; the sum of its rules' TIMING), and its slope between sizes in ms per 1000 added lines:",
    );
    out.push('');
    const srows = [['corpus', 'lines', 'P − A ms', "rules' TIMING ms"]];
    for (const s of scale.rows) srows.push([s.name, s.lines, f0(s.incrementMs), f0(s.timingMs)]);
    out.push(table(srows, ['l']));
    out.push('');
    if (scale.slopes.length > 0) {
      const lrows = [['between', 'P − A slope', 'TIMING slope']];
      for (const s of scale.slopes) lrows.push([`${s.from} → ${s.to}`, f2(s.incrementMsPerKLine), f2(s.timingMsPerKLine)]);
      out.push(table(lrows, ['l']));
      out.push('');
    }
  }
  const withTiming = results.filter(r => r.ruleTimesSumMs !== undefined);
  if (withTiming.length > 0) {
    const rules = [...new Set(withTiming.flatMap(r => Object.keys(r.ruleTimesMs)))].sort();
    out.push('Per-rule time of P (ESLint TIMING=all, one extra run per corpus), ms:');
    out.push('');
    const trows = [['rule', ...withTiming.map(r => r.name)]];
    for (const rule of rules) trows.push([rule.replace(/^native-handle\//, ''), ...withTiming.map(r => f0(r.ruleTimesMs[rule]))]);
    trows.push(['(sum)', ...withTiming.map(r => f0(r.ruleTimesSumMs))]);
    out.push(table(trows, ['l']));
    out.push('');
  }
  if (patho) {
    out.push(pathoReport(patho).text);
  }
  const crashes = results.reduce((a, r) => a + r.crashes.length, 0);
  const fatal = results.reduce((a, r) => a + r.fatal.length, 0);
  const failed = results.reduce((a, r) => a + r.failedRuns.length, 0);
  const pathoFailures = patho ? pathoReport(patho).failures.length : 0;
  out.push(
    `Crashes (rule exceptions) over every run of every corpus: ${crashes}; fatal lint messages: ${fatal}; failed child runs: ${failed}${patho ? `; failed pathological runs: ${pathoFailures}` : ''}.`,
  );
  out.push('');
  const checks = budgets(results, scale, patho);
  if (checks.length > 0) {
    out.push('Budgets (issue 13):');
    out.push('');
    const brows = [['check', 'value', 'budget', 'verdict', 'floor']];
    for (const c of checks) {
      brows.push([c.what, c.digits === 0 ? f0(c.value) : f3(c.value), `≤ ${c.budget}`, c.ok ? 'ok' : 'MISSED', c.floor ?? '']);
    }
    out.push(table(brows, ['l']));
    out.push('');
  }
  return { text: out.join('\n'), checks, crashes: crashes + pathoFailures, fatal, failed, scale };
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
  let patho;
  if (opts.patho) {
    console.log('pathological cases (bench/patho.mjs), every rule with TIMING, rule by rule when over the limit:');
    patho = await runPatho({ quick: opts.quick, limitS: opts.pathoLimit, plugin: opts.plugin, reps: opts.quick ? 1 : 3 });
  }
  const cpus = os.cpus();
  const meta = {
    date: new Date().toISOString().slice(0, 10),
    machine: `${os.availableParallelism?.() ?? cpus.length} cores (${cpus[0]?.model ?? '?'}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.platform()} ${os.release()}`,
    node: `Node ${process.version}`,
    eslint: versionOf('eslint'),
    tseslint: versionOf('typescript-eslint'),
    typescript: versionOf('typescript'),
    plugin: path.relative(REPO_DIR, opts.plugin),
    repsNote: `${opts.reps ?? 5} repetition(s) of P A L K F, C CP per corpus`,
    elapsedS: 0,
  };
  const rep = report(results, meta, patho);
  meta.elapsedS = Math.round((performance.now() - started) / 1000);
  console.log('');
  console.log(rep.text);
  for (const r of results) {
    for (const c of r.crashes) console.log(`CRASH ${r.name} ${c.config} ${path.relative(REPO_DIR, c.file)}\n${c.error}`);
    for (const f of r.fatal.slice(0, 10))
      console.log(`FATAL ${r.name} ${f.config} ${path.relative(REPO_DIR, f.file)}:${f.line} ${f.message}`);
    for (const f of r.failedRuns) console.log(`FAILED RUN ${r.name} ${f.config} (exit ${f.code})\n${f.error}`);
    if (r.profile) console.log(`\nprofile of P on ${r.name} (${r.profile.file}):\n${r.profile.summary}\n`);
  }
  fs.mkdirSync(path.dirname(opts.json), { recursive: true });
  fs.writeFileSync(opts.json, `${JSON.stringify({ meta, budgets: rep.checks, scaling: rep.scale, results, patho }, null, 2)}\n`);
  console.log(`results: ${path.relative(process.cwd(), opts.json)} (bench took ${meta.elapsedS} s)`);
  if (opts.writeReadme) {
    writeReadme(rep.text);
    console.log('figures written to bench/README.md');
  }
  const missed = rep.checks.some(c => !c.ok);
  process.exitCode = rep.crashes + rep.fatal + rep.failed > 0 || (opts.strict && missed) ? 1 : 0;
}

await main();
