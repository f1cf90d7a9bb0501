import { describe, expect, it } from 'vitest';
import { withoutTrailingParenthesis } from './format.js';

describe('withoutTrailingParenthesis', () => {
  it.each([
    ['worker (evt-123)', 'worker'],
    ['worker  (a (b) ', 'worker'],
    ['a (b (c)', 'a'],
    [')(y)', ')'],
    ['no parenthesis', 'no parenthesis'],
    ['ends in ) only', 'ends in ) only'],
    [')', ')'],
    ['(x)', ''],
  ])('%j → %j', (text, expected) => {
    expect(withoutTrailingParenthesis(text)).toBe(expected);
  });

  it('reads a long line without a parenthesis in one pass', () => {
    const text = `${'('.repeat(200_000)})`;
    expect(withoutTrailingParenthesis(text)).toBe('');
  });
});
