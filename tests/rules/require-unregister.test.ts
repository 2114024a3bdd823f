import rule from '../../src/rules/require-unregister.js';
import { createRuleTester } from '../ruleTester.js';

createRuleTester().run('require-unregister', rule, {
  valid: [],
  invalid: [],
});
