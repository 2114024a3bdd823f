// ts-api-utils ships ESM that imports TypeScript with an ESM import, which costs the same 0.4 s of
// CommonJS lexing as ours did (see typescript.cts) and breaks on TypeScript < 5.5. Its CommonJS
// build, which typescript-eslint itself loads, does neither.
import tsutils = require('ts-api-utils');
export = tsutils;
