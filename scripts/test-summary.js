#!/usr/bin/env node
// Reads vitest's JSON report and prints the plain closing line CI reads: "N passed, N failed".
import { readFileSync } from 'node:fs';

const file = process.argv[2] ?? '.tmp/test-results.json';
let report;
try {
  report = JSON.parse(readFileSync(file, 'utf8'));
} catch (error) {
  process.stdout.write(`no test report at ${file}: ${error.message}\n0 passed, 1 failed\n`);
  process.exit(1);
}

// a file that failed to load counts as a failure even though none of its tests ran
const brokenFiles = report.testResults.filter(
  (result) => result.status === 'failed' && result.assertionResults.length === 0,
).length;
const passed = report.numPassedTests;
const failed = report.numFailedTests + brokenFiles;
const skipped = report.numPendingTests + report.numTodoTests;
const tail = skipped > 0 ? `, ${skipped} skipped` : '';
process.stdout.write(`${passed} passed, ${failed} failed${tail}\n`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
