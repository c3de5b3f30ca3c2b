/**
 * Parses XML with a real, strict XML 1.0 parser (Python's expat, /usr/bin/env python3), which refuses
 * characters XML cannot hold (C0 controls, U+FFFE, lone surrogates, and character references to them).
 * Returns the parse error, or the JUnit totals summed over every <testsuite>.
 */
import { spawnSync } from 'node:child_process';

const SCRIPT = `
import json, sys, xml.etree.ElementTree as ET
try:
    root = ET.fromstring(sys.stdin.buffer.read())
except ET.ParseError as e:
    print(json.dumps({"error": str(e)})); sys.exit(0)
suites = root.findall(".//testsuite")
total = lambda k: sum(int(s.get(k, "0")) for s in suites)
cases = root.findall(".//testcase")
print(json.dumps({"tests": total("tests"), "failures": total("failures"), "errors": total("errors"), "skipped": total("skipped"),
                  "testcases": len(cases), "failure_elements": len(root.findall(".//failure")), "error_elements": len(root.findall(".//error")),
                  "messages": [e.get("message", "") for e in root.iter() if e.tag in ("failure", "error", "skipped")]}))
`;

export type JunitTotals = { tests: number; failures: number; errors: number; skipped: number; testcases: number; failure_elements: number; error_elements: number; messages: string[] };

export function parseJunit(xml: string): JunitTotals | { error: string } {
  const r = spawnSync('python3', ['-c', SCRIPT], { input: xml, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`python3 xml check failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as JunitTotals | { error: string };
}
