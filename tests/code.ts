// Test code written as indented template literals in the rule suites, made into the text a case
// lints: the first line is line 1, and columns are as written in the test file.

function dedent(parts: readonly (readonly string[])[], values: readonly string[]): string {
  const indents = parts.flatMap(lines =>
    lines
      .slice(1)
      .filter(line => line.trim() !== '')
      .map(line => /^ */.exec(line)![0].length),
  );
  const common = Math.min(...indents);
  const dedented = parts.map(lines => lines.map((line, index) => (index === 0 ? line : line.slice(common))).join('\n'));
  const text = dedented.reduce((joined, part, index) => joined + (values[index - 1] ?? '') + part);
  return text.replace(/^\n/, '').replace(/\n\s*$/, '');
}

/** Test code without the indentation of the test file, escapes processed (`\n` in the literal is a line break). */
export function code(strings: TemplateStringsArray, ...values: string[]): string {
  return dedent(
    strings.map(part => part.split('\n')),
    values,
  );
}

/** Like {@link code}, with escapes kept as written (`String.raw`): for code that itself contains `\n` or `\u…`. */
export function rawCode(strings: TemplateStringsArray, ...values: string[]): string {
  return dedent(
    strings.raw.map(part => part.split('\n')),
    values,
  );
}

/** The same text with CRLF line endings. */
export const crlf = (text: string): string => text.replace(/\r?\n/g, '\r\n');
