import { z } from 'zod';
import { IDENTIFIER } from '../format/pipelineDocument.js';
import { RunStateSchema, TaskStateSchema } from '../run/taskState.js';

export const PIPELINE_TEST_FORMAT = 'trellis.test/1';

const identifier = z.string().regex(IDENTIFIER, 'use letters, digits, "_" or "-", starting with a letter or "_"');
const scalar = z.union([z.string(), z.number(), z.boolean()]);
const range = z
  .object({ min: z.number().optional(), max: z.number().optional() })
  .strict()
  .refine((r) => r.min !== undefined || r.max !== undefined, 'give "min", "max" or both');

/** Row count of a node's table output (the port named, else its first table output): exact or a range. */
const RowsExpectation = z.object({ node: identifier, port: identifier.optional(), rows: z.union([z.int().min(0), range]) }).strict();
/** A metric of a node (recorded by it, or in its metrics output) against a floor, a ceiling or a value. */
const MetricExpectation = z
  .object({ node: identifier, metric: z.string().min(1), min: z.number().optional(), max: z.number().optional(), equals: z.number().optional() })
  .strict()
  .refine((m) => m.min !== undefined || m.max !== undefined || m.equals !== undefined, 'give "min", "max" or "equals" for a metric');
/** A data-quality node passed (it succeeded and reported no failed check) or did not. */
const PassedExpectation = z.object({ node: identifier, passed: z.boolean() }).strict();
/** The state a node's task ends in, e.g. an approval that is `skipped`. */
const StateExpectation = z.object({ node: identifier, state: TaskStateSchema }).strict();

export const ExpectationSchema = z.union([RowsExpectation, MetricExpectation, PassedExpectation, StateExpectation]);
export type Expectation = z.infer<typeof ExpectationSchema>;

export const PipelineTestSchema = z
  .object({
    name: z.string().min(1),
    description: z.string().optional(),
    env: identifier.optional().describe('the environment this test runs in (`--env` overrides it)'),
    params: z.record(identifier, scalar).default({}).describe('pipeline param values pinned for this test (over the environment and defaults)'),
    nodeParams: z
      .record(identifier, z.record(z.string(), z.unknown()))
      .default({})
      .describe('node params pinned for this test, by node id: e.g. a source read from a small sample file'),
    runState: RunStateSchema.default('succeeded').describe('how the run must end'),
    expect: z.array(ExpectationSchema).default([]),
  })
  .strict();
export type PipelineTest = z.infer<typeof PipelineTestSchema>;

export const PipelineTestFileSchema = z
  .object({
    format: z.literal(PIPELINE_TEST_FORMAT),
    tests: z.array(PipelineTestSchema).min(1),
  })
  .strict()
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.tests.forEach((test, index) => {
      if (seen.has(test.name)) ctx.addIssue({ code: 'custom', path: ['tests', index, 'name'], message: `two tests are named "${test.name}"; give each its own name` });
      seen.add(test.name);
    });
  });
export type PipelineTestFile = z.infer<typeof PipelineTestFileSchema>;

/** `churn.trellis.json` → `churn.test.json` (and `x.json` → `x.test.json`), beside the pipeline. */
export function testFileFor(pipelinePath: string): string {
  return pipelinePath.replace(/(\.trellis)?\.json$/, '') + '.test.json';
}
