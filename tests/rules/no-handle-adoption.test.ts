import rule from '../../src/rules/no-handle-adoption.js';
import { createRuleTester } from '../ruleTester.js';

createRuleTester().run('no-handle-adoption', rule, {
  valid: [],
  invalid: [],
});
