#!/usr/bin/env node
// One measured lint run of `npm run bench`, in a process of its own (so CPU time and peak
// memory are this run's alone). bench/run.mjs starts it; by hand:
//
//   node bench/lint-child.mjs <config> <file-list.json>
//
//   A      typed parsing (typescript-eslint's parser with projectService), no rules; the plugin
//          is never imported
//   L      A + the plugin imported and registered, no rule on (its load cost)
//   P      A + configs.all of the built plugin (dist/index.js)
//   K      A + one rule of this script's own that creates the type checker of each file's program
//          and asks nothing: what merely having a checker costs (TypeScript binds every file of
//          the program, the lib and @types/node included, and merges their globals)
//   F      A + one rule of this script's own (not the plugin's), the floor of any type-aware
//          lifetime rule: it asks only the type of the receiver of every call of a close-like
//          method (`x.close()`, `x.destroy()`, `x.kill()` …) and reports nothing. What the least
//          checker work costs on top of typed parsing (which never creates a type checker)
//   C      A + typescript-eslint's recommendedTypeChecked (a typical typed setup)
//   CP     C + configs.all of the plugin
//   R:<rule,…>  A + only these rules of the plugin (names without the prefix; the
//          pathological cases of bench/patho.mjs)
//
// The file list is a JSON array of absolute paths; each file's project is the nearest
// tsconfig.json (projectService). All files are linted in one lintFiles() call, as `eslint .`
// does; if a rule throws, the files are linted again one by one to count each crash.
//
// Prints one line `@@BENCH {json}` on stdout: cpu (user/sys ms of this process, start-up
// included), peak RSS (KiB), lint time, message counts per rule, fatal messages and crashes.
// With TIMING=all in the environment, ESLint prints its per-rule timing table after it.

import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const REPO_DIR = path.resolve(BENCH_DIR, '..');

const [config, listFile] = process.argv.slice(2);
const CONFIGS = ['A', 'L', 'P', 'K', 'F', 'C', 'CP'];
if (!(CONFIGS.includes(config) || config?.startsWith('R:')) || !listFile) {
  console.error(`usage: node bench/lint-child.mjs <${CONFIGS.join('|')}|R:rule,…> <file-list.json>`);
  process.exit(2);
}
const files = JSON.parse(fs.readFileSync(listFile, 'utf8'));

const { ESLint } = await import('eslint');
const tseslint = (await import('typescript-eslint')).default;
// The plugin is imported only by the configurations that use it: A, K, F and C must not pay its load.
// NH_BENCH_PLUGIN: another build of the plugin (run.mjs --plugin), default dist/index.js.
const usesPlugin = config === 'L' || config === 'P' || config === 'CP' || config.startsWith('R:');
const pluginEntry = path.resolve(REPO_DIR, process.env.NH_BENCH_PLUGIN ?? path.join('dist', 'index.js'));
// The plugin's own load cost (ESLint, typescript-eslint and TypeScript are already loaded, as in
// a user's run): CPU of this process across the import.
const loadStart = process.cpuUsage();
const plugin = usesPlugin ? (await import(pathToFileURL(pluginEntry).href)).default : undefined;
const loadUsage = process.cpuUsage(loadStart);
const loadCpuMs = usesPlugin ? (loadUsage.user + loadUsage.system) / 1000 : undefined;

/** The close-like method names of Node's owners (the plugin's conventional close names and Node's close roles). */
const CLOSE_LIKE = new Set(['close', 'closeSync', 'destroy', 'dispose', 'resetAndDestroy', 'terminate', 'kill']);
/** Configuration F's plugin: the type of every close-like call's receiver, asked and dropped. */
const FLOOR_PLUGIN = {
  rules: {
    'receiver-types': {
      meta: { type: 'problem', schema: [], messages: { never: 'never reported' } },
      create(context) {
        const services = context.sourceCode.parserServices;
        let asked = 0;
        return {
          CallExpression(node) {
            const callee = node.callee;
            if (callee.type !== 'MemberExpression' || callee.computed || callee.property.type !== 'Identifier') return;
            if (!CLOSE_LIKE.has(callee.property.name)) return;
            if (services.getTypeAtLocation(callee.object)) asked++;
          },
          'Program:exit'(node) {
            if (asked < 0) context.report({ node, messageId: 'never' }); // keeps the answers used
          },
        };
      },
    },
  },
};

/** Configuration K's plugin: the type checker of each file's program created, nothing asked. */
const CHECKER_PLUGIN = {
  rules: {
    'create-checker': {
      meta: { type: 'problem', schema: [], messages: { never: 'never reported' } },
      create(context) {
        return {
          Program(node) {
            const checker = context.sourceCode.parserServices.program.getTypeChecker();
            if (!checker) context.report({ node, messageId: 'never' }); // keeps the call
          },
        };
      },
    },
  },
};

const typed = {
  files: ['**/*.ts'],
  languageOptions: {
    parser: tseslint.parser,
    parserOptions: { projectService: true, tsconfigRootDir: REPO_DIR },
  },
  linterOptions: { noInlineConfig: true, reportUnusedDisableDirectives: 'off', reportUnusedInlineConfigs: 'off' },
};
const overrideConfig = [typed];
if (config === 'C' || config === 'CP') {
  // recommendedTypeChecked is a list of configs (base, eslint-recommended overrides, rules).
  // Its base item sets the parser again (without parserOptions); ours (typed, above) stays.
  for (const { languageOptions: _ignored, ...item } of tseslint.configs.recommendedTypeChecked) {
    overrideConfig.push({ ...item, files: ['**/*.ts'] });
  }
}
if (config === 'K')
  overrideConfig.push({ files: ['**/*.ts'], plugins: { floor: CHECKER_PLUGIN }, rules: { 'floor/create-checker': 'error' } });
if (config === 'F')
  overrideConfig.push({ files: ['**/*.ts'], plugins: { floor: FLOOR_PLUGIN }, rules: { 'floor/receiver-types': 'error' } });
if (config === 'L') overrideConfig.push({ files: ['**/*.ts'], plugins: { 'native-handle': plugin } });
if (config === 'P' || config === 'CP') overrideConfig.push({ files: ['**/*.ts'], ...plugin.configs.all });
if (config.startsWith('R:')) {
  const rules = Object.fromEntries(
    config
      .slice(2)
      .split(',')
      .map(rule => [`native-handle/${rule}`, 'error']),
  );
  overrideConfig.push({ files: ['**/*.ts'], plugins: { 'native-handle': plugin }, rules });
}

const eslint = new ESLint({ cwd: REPO_DIR, overrideConfigFile: true, overrideConfig, ignore: false, cache: false });

const byRule = {};
const fatal = [];
const crashes = [];
let messages = 0;
function collect(results, file) {
  for (const result of results) {
    for (const message of result.messages) {
      messages++;
      if (message.fatal) fatal.push({ file: file ?? result.filePath, line: message.line, message: message.message });
      else byRule[message.ruleId ?? '(none)'] = (byRule[message.ruleId ?? '(none)'] ?? 0) + 1;
    }
  }
}
const lintStart = performance.now();
try {
  // One call, as `eslint .` does.
  collect(await eslint.lintFiles(files));
} catch {
  // A rule threw: ESLint gives up on the whole call. Lint file by file to count every crash
  // (this run's timings are then worthless, and the bench fails on the crash anyway).
  for (const file of files) {
    try {
      collect(await eslint.lintFiles([file]), file);
    } catch (error) {
      crashes.push({
        file,
        error: String(error?.stack ?? error)
          .split('\n')
          .slice(0, 6)
          .join('\n'),
      });
    }
  }
}
const lintMs = performance.now() - lintStart;
const cpu = process.cpuUsage();
const usage = process.resourceUsage();
const report = {
  config,
  files: files.length,
  lintMs,
  uptimeMs: performance.now(),
  cpuUserMs: cpu.user / 1000,
  cpuSysMs: cpu.system / 1000,
  cpuMs: (cpu.user + cpu.system) / 1000,
  maxRssKiB: usage.maxRSS,
  loadCpuMs,
  messages,
  byRule,
  fatal,
  crashes,
};
process.stdout.write(`@@BENCH ${JSON.stringify(report)}\n`);
