#!/usr/bin/env node
// Scaffolds a rule, or backs one out (CONTRIBUTING.md, "Add a rule").
//
//   npm run new-rule -- <rule-name> "<Disallow|Require|Enforce …>"
//       writes src/rules/<rule-name>.ts, tests/rules/<rule-name>.test.ts and
//       docs/rules/<rule-name>.md with the layout the meta-tests check, registers the rule in
//       src/rules/index.ts, and runs `npm run docs` (build, README rule table, doc header).
//       The scaffold is a working stand-in: it reports `process.abort()`, so its test, its doc
//       examples and the meta-tests pass from the first minute. Replace the stand-in with the
//       hazard (every rule ships in configs.recommended: a rule that is not quiet on the real
//       corpus is not ready).
//   npm run new-rule -- --remove <rule-name>
//       deletes those three files, unregisters the rule and runs `npm run docs`.
import { execSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const indexPath = path.join(root, 'src/rules/index.ts');
const usage =
  'usage: npm run new-rule -- <kebab-case-name> "<Disallow|Require|Enforce …, no trailing period>"\n       npm run new-rule -- --remove <kebab-case-name>';
const args = process.argv.slice(2);
const removing = args[0] === '--remove';
const [name, description] = removing ? args.slice(1) : args;
if (!name || !/^[a-z]+(?:-[a-z]+)*$/.test(name) || (!removing && (!description || !/^(Disallow|Require|Enforce) /.test(description)))) {
  console.error(usage);
  process.exit(2);
}
const camel = name.replace(/-([a-z])/g, (_match, letter) => letter.toUpperCase());
const paths = [`src/rules/${name}.ts`, `tests/rules/${name}.test.ts`, `docs/rules/${name}.md`];

function regenerateDocs() {
  execSync('npm run docs', { cwd: root, stdio: 'inherit' });
}

if (removing) {
  for (const file of paths) {
    fs.rmSync(path.join(root, file), { force: true });
    console.log(`removed ${file}`);
  }
  fs.rmSync(path.join(root, 'src/rules', name), { recursive: true, force: true });
  const index = fs.readFileSync(indexPath, 'utf8');
  fs.writeFileSync(
    indexPath,
    index
      .split('\n')
      .filter(line => line !== `import ${camel} from './${name}.js';` && line !== `  '${name}': ${camel},`)
      .join('\n'),
  );
  console.log('unregistered from src/rules/index.ts');
  regenerateDocs();
  process.exit(0);
}

const files = {
  [paths[0]]: `import type { TSESTree } from '@typescript-eslint/utils';
import { getNativeHandleServices } from '../model/index.js';
import { createRule } from './_createRule.js';

export type MessageIds = 'hazard';

export default createRule<[], MessageIds>({
  name: '${name}',
  meta: {
    type: 'problem',
    docs: {
      description: '${description}',
      recommended: true,
      requiresTypeChecking: true,
    },
    schema: [],
    defaultOptions: [],
    messages: {
      hazard: 'TODO: say what is wrong, why it fails at run time, and what to do instead.',
    },
  },
  create(context) {
    // Ask the model (owners, roles, ownership, values) through \`services\`; never match types here.
    const services = getNativeHandleServices(context);
    return {
      // Stand-in so that the scaffold's test and doc examples run: \`process.abort()\`, known by the
      // type of its object, not by its name. Replace it with the hazard's candidates (syntax
      // first), the model's answers about them, and the report.
      'CallExpression[callee.type="MemberExpression"][callee.property.name="abort"]'(node: TSESTree.CallExpression) {
        const callee = node.callee as TSESTree.MemberExpression;
        if (services.isProcess(callee.object)) context.report({ node, messageId: 'hazard' });
      },
    };
  },
});
`,
  [paths[1]]: `import rule from '../../src/rules/${name}.js';
import { createRuleTester } from '../ruleTester.js';

createRuleTester().run('${name}', rule, {
  valid: [{ name: 'stand-in: a look-alike that is not the hazard', code: 'const job = { abort(): void {} };\\njob.abort();' }],
  invalid: [
    {
      name: 'stand-in: the hazard',
      code: 'process.abort();',
      errors: [{ messageId: 'hazard', line: 1, column: 1, suggestions: null }],
      output: null,
    },
  ],
});
`,
  [paths[2]]: `# ${description} (\`native-handle/${name}\`)

<!-- end auto-generated rule header -->

## Rule details

TODO: what the rule reports, and where.

## Why

TODO: the real-world failure, with what Node does (docs/node-facts.md).

## Examples

### ❌ Incorrect

\`\`\`ts
process.abort();
\`\`\`

### ✅ Correct

\`\`\`ts
const job = { abort(): void {} };
job.abort();
\`\`\`

## Fixes

TODO: autofix, suggestion, or none, and why.

## When not to use it

TODO.

## Further reading

TODO.
`,
};

for (const [file, text] of Object.entries(files)) {
  const target = path.join(root, file);
  if (fs.existsSync(target)) {
    console.error(`${file} already exists`);
    process.exit(1);
  }
  fs.writeFileSync(target, text);
  console.log(`created ${file}`);
}

const index = fs.readFileSync(indexPath, 'utf8');
const withImport = index.replace(/(\nimport [^\n]+\n)(?!import)/, `$1import ${camel} from './${name}.js';\n`);
const withEntry = withImport.replace(/\n};\s*$/, `\n  '${name}': ${camel},\n};\n`);
fs.writeFileSync(indexPath, withEntry);
console.log('registered in src/rules/index.ts (keep the imports and entries sorted)');
regenerateDocs();
