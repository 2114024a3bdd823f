// Types of bench/real/triage.mjs, for tests/meta/real-triage.test.ts.
export declare const VERDICTS: readonly string[];
export declare const COLUMNS: readonly string[];
export interface TriageEntry {
  package: string;
  file: string;
  line: number;
  rule: string;
  configs: string;
  verdict: string;
  reason: string;
  text: string;
  where: string;
}
export interface Finding {
  package: string;
  file: string;
  line: number;
  rule: string;
  text: string;
  entry?: TriageEntry;
}
export declare function lineKey(text: string): string;
export declare function parseTriage(
  source: string,
  fileName?: string,
): { header: Map<string, { pkg: string; version: string; files: number; lines: number }>; entries: TriageEntry[]; errors: string[] };
export declare function formatRow(entry: Partial<TriageEntry>): string;
export declare function matchFindings(findings: Finding[], entries: TriageEntry[]): TriageEntry[];
