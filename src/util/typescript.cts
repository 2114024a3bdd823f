// TypeScript is CommonJS. Importing it from ESM (`import * as ts from 'typescript'`) makes Node
// run its CommonJS export lexer over the 9 MB file on every start (0.4 s of CPU), and TypeScript
// < 5.5 exposes no named exports to that lexer at all, so the namespace comes out empty. A plain
// require() shares the instance typescript-eslint already loaded and costs nothing more.
import ts = require('typescript');
export = ts;
