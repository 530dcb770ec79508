import type { PipelineTestReport } from './runPipelineTests.js';

function escape(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] ?? c).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
}

const seconds = (ms: number): string => (ms / 1000).toFixed(3);

/**
 * JUnit XML as CI systems read it: one testsuite per pipeline, one testcase per expectation
 * (classname `pipeline.test`), a failure element with the node, field, expected and actual.
 */
export function junitXml(reports: readonly PipelineTestReport[]): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const count = (report: PipelineTestReport, failed: boolean): number => report.tests.reduce((n, t) => n + t.outcomes.filter((o) => o.passed !== failed).length, 0);
  const total = reports.reduce((n, r) => n + count(r, false) + count(r, true), 0);
  const failures = reports.reduce((n, r) => n + count(r, true), 0);
  const time = reports.reduce((n, r) => n + r.tests.reduce((m, t) => m + t.durationMs, 0), 0);
  lines.push(`<testsuites name="trellis test" tests="${total}" failures="${failures}" errors="0" time="${seconds(time)}">`);
  for (const report of reports) {
    const suiteTime = report.tests.reduce((m, t) => m + t.durationMs, 0);
    lines.push(`  <testsuite name="${escape(report.pipelineId)}" tests="${count(report, false) + count(report, true)}" failures="${count(report, true)}" errors="0" skipped="0" time="${seconds(suiteTime)}" file="${escape(report.testFile)}">`);
    for (const test of report.tests) {
      // The run's time is shared by its expectations; CI shows it once per test, on the run check.
      test.outcomes.forEach((outcome, index) => {
        const open = `    <testcase classname="${escape(`${report.pipelineId}.${test.name}`)}" name="${escape(outcome.name)}" time="${seconds(index === 0 ? test.durationMs : 0)}"`;
        if (outcome.passed) lines.push(`${open}/>`);
        else lines.push(`${open}>`, `      <failure type="expectation" message="${escape(outcome.message ?? 'failed')}">${escape(`${outcome.message ?? 'failed'}${test.runId ? `\nrun ${test.runId}` : ''}`)}</failure>`, '    </testcase>');
      });
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}
