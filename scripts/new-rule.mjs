#!/usr/bin/env node
// `node scripts/new-rule.mjs <rule-name> "<Disallow|Require|Enforce …>"`: scaffolds a rule's
// source, doc page and test file with the layout the meta-tests check, and registers the rule
// in src/rules/index.ts. The scaffold reports nothing until you write its create().
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const [name, description] = process.argv.slice(2);
if (!name || !/^[a-z]+(?:-[a-z]+)*$/.test(name) || !description || !/^(Disallow|Require|Enforce) /.test(description)) {
  console.error('usage: node scripts/new-rule.mjs <kebab-case-name> "<Disallow|Require|Enforce …, no trailing period>"');
  process.exit(2);
}
const camel = name.replace(/-([a-z])/g, (_match, letter) => letter.toUpperCase());
const files = {
  [`src/rules/${name}.ts`]: `import { getNativeHandleServices } from '../model/index.js';
import { createRule } from './createRule.js';

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
      hazard: 'TODO: say what is wrong and what to do instead.',
    },
  },
  create(context) {
    const services = getNativeHandleServices(context);
    void services;
    return {};
  },
});
`,
  [`tests/rules/${name}.test.ts`]: `import rule from '../../src/rules/${name}.js';
import { createRuleTester } from '../ruleTester.js';

createRuleTester().run('${name}', rule, {
  valid: [],
  invalid: [],
});
`,
  [`docs/rules/${name}.md`]: `# ${description} (\`native-handle/${name}\`)

<!-- end auto-generated rule header -->

## Rule details

## Why

## Examples

### ❌ Incorrect

\`\`\`ts
\`\`\`

### ✅ Correct

\`\`\`ts
\`\`\`

## Fixes

## When not to use it

## Further reading
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

const indexPath = path.join(root, 'src/rules/index.ts');
const index = fs.readFileSync(indexPath, 'utf8');
const withImport = index.replace(/(\nimport [^\n]+\n)(?!import)/, `$1import ${camel} from './${name}.js';\n`);
const withEntry = withImport.replace(/\n};\s*$/, `\n  '${name}': ${camel},\n};\n`);
fs.writeFileSync(indexPath, withEntry);
console.log('registered in src/rules/index.ts (keep the imports and entries sorted); run `npm run docs` once the rule works');
