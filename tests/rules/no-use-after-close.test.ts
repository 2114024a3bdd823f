import rule from '../../src/rules/no-use-after-close.js';
import { createRuleTester } from '../ruleTester.js';

createRuleTester().run('no-use-after-close', rule, {
  valid: [],
  invalid: [],
});
