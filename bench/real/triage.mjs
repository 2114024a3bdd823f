// The triage file of the real-code corpus (bench/real/triage.tsv) and how findings are matched
// with its entries. Used by bench/real/eval.mjs (`npm run eval:real`); tested by
// tests/meta/real-triage.test.ts.
//
// The file is tab-separated, one finding per line, columns COLUMNS; `#` lines are comments, and
// `# @package<TAB>name<TAB>npm package<TAB>version<TAB>files<TAB>lines` lines record what was linted.

export const VERDICTS = ['real', 'debatable', 'false-positive'];
export const COLUMNS = ['package', 'file', 'line', 'rule', 'configs', 'verdict', 'reason', 'text'];

/** The text a finding is matched by: its line, trimmed, whitespace runs collapsed, at most 160 characters. */
export function lineKey(text) {
  return text.trim().replace(/\s+/g, ' ').slice(0, 160);
}

/**
 * Parses the triage file. Returns { header: Map<name, { pkg, version, files, lines }>, entries, errors };
 * each entry has the columns (line as a number) and `where` (`<file>:<line>` for messages).
 */
export function parseTriage(source, fileName = 'triage.tsv') {
  const header = new Map();
  const entries = [];
  const errors = [];
  source.split('\n').forEach((raw, i) => {
    const where = `${fileName}:${i + 1}`;
    const text = raw.replace(/\r$/, '');
    if (text.trim() === '') return;
    if (text.startsWith('#')) {
      const m = /^#\s*@package\t([^\t]+)\t([^\t]+)\t([^\t]+)\t(\d+)\t(\d+)\s*$/.exec(text);
      if (m) header.set(m[1], { pkg: m[2], version: m[3], files: Number(m[4]), lines: Number(m[5]) });
      return;
    }
    const cells = text.split('\t');
    if (cells[0] === 'package') return; // the column header
    if (cells.length !== COLUMNS.length) {
      errors.push(`${where}: expected ${COLUMNS.length} tab-separated columns (${COLUMNS.join(', ')}), got ${cells.length}`);
      return;
    }
    const entry = Object.fromEntries(COLUMNS.map((c, j) => [c, cells[j]]));
    entry.line = Number(entry.line);
    entry.where = where;
    if (!Number.isInteger(entry.line) || entry.line < 1) errors.push(`${where}: line is not a positive number`);
    else if (![...VERDICTS, 'TODO'].includes(entry.verdict))
      errors.push(`${where}: verdict must be one of ${VERDICTS.join(', ')} (or TODO), got '${entry.verdict}'`);
    else if (entry.verdict !== 'TODO' && entry.reason.trim() === '') errors.push(`${where}: a triaged entry needs a reason`);
    else entries.push(entry);
  });
  return { header, entries, errors };
}

/** One entry (or finding) as a line of the triage file. */
export function formatRow(entry) {
  return COLUMNS.map(c => String(entry[c] ?? '').replace(/[\t\r\n]+/g, ' ')).join('\t');
}

/**
 * Pairs findings ({ package, file, line, rule, text }) with triage entries: same package, file,
 * rule and line text. Within such a group, an entry on the finding's own line first; the rest
 * pair in line order when as many findings as entries are left (lines moved together, as when
 * code above them changed), otherwise each finding takes the nearest entry left. Sets
 * `finding.entry` on each matched finding; returns the entries no finding matched (stale).
 */
export function matchFindings(findings, entries) {
  const groupKey = e => `${e.package}\t${e.file}\t${e.rule}\t${e.text}`;
  const groups = new Map();
  const group = k => {
    if (!groups.has(k)) groups.set(k, { findings: [], entries: [] });
    return groups.get(k);
  };
  for (const entry of entries) group(groupKey(entry)).entries.push(entry);
  for (const finding of findings) group(groupKey(finding)).findings.push(finding);
  const used = new Set();
  const pair = (finding, entry) => {
    finding.entry = entry;
    used.add(entry);
  };
  for (const g of groups.values()) {
    for (const finding of g.findings) {
      const same = g.entries.find(e => !used.has(e) && e.line === finding.line);
      if (same) pair(finding, same);
    }
    const findingsLeft = g.findings.filter(f => !f.entry).sort((a, b) => a.line - b.line);
    const entriesLeft = g.entries.filter(e => !used.has(e)).sort((a, b) => a.line - b.line);
    if (findingsLeft.length === entriesLeft.length) {
      findingsLeft.forEach((finding, i) => pair(finding, entriesLeft[i]));
      continue;
    }
    for (const finding of findingsLeft) {
      const left = entriesLeft.filter(e => !used.has(e));
      left.sort((a, b) => Math.abs(a.line - finding.line) - Math.abs(b.line - finding.line) || a.line - b.line);
      if (left[0]) pair(finding, left[0]);
    }
  }
  return entries.filter(e => !used.has(e));
}
