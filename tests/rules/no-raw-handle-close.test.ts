import rule from '../../src/rules/no-raw-handle-close.js';
import { createRuleTester } from '../ruleTester.js';

createRuleTester().run('no-raw-handle-close', rule, {
  valid: [],
  invalid: [],
});
