import { z } from 'zod';

/** What retention keeps. Everything referenced by something kept is kept too, whatever its age. */
export const RetentionPolicySchema = z.object({
  /** Per registered model, the newest N versions stay (every aliased version stays as well). */
  keepVersions: z.int().min(0).default(10),
  /** Feature partitions and run artifacts produced longer ago than this (ms) may go. */
  olderThanMs: z.int().min(0).default(30 * 86_400_000),
});
export type RetentionPolicy = z.infer<typeof RetentionPolicySchema>;

export const RetentionItemKindSchema = z.enum(['model_version', 'partition', 'artifact']);
export type RetentionItemKind = z.infer<typeof RetentionItemKindSchema>;

/** One thing retention looked at: what it is, whether it stays, and every reason why. */
export const RetentionItemSchema = z.object({
  kind: RetentionItemKindSchema,
  /** `churn@v3`, a partition id, an artifact id. */
  id: z.string(),
  /** Words for people: "churn v3", "partition 12 of customers", "table from run R node N". */
  label: z.string(),
  action: z.enum(['keep', 'drop']),
  /** Why it stays (each live reference) or why it may go. */
  reasons: z.array(z.string()),
  /** Bytes on disk (artifacts only; 0 when the file is already gone). */
  bytes: z.int().min(0).default(0),
});
export type RetentionItem = z.infer<typeof RetentionItemSchema>;

export const RetentionReportSchema = z.object({
  dryRun: z.boolean(),
  policy: RetentionPolicySchema,
  /** Epoch ms the horizon was measured from. */
  now: z.number(),
  items: z.array(RetentionItemSchema),
  dropped: z.object({ versions: z.int(), partitions: z.int(), artifacts: z.int(), bytes: z.int() }),
  kept: z.object({ versions: z.int(), partitions: z.int(), artifacts: z.int(), bytes: z.int() }),
});
export type RetentionReport = z.infer<typeof RetentionReportSchema>;

/** Applies a policy to the workspace, or with `dryRun` only says what it would do. */
export interface RetentionService {
  run(policy: RetentionPolicy, options: { dryRun: boolean; actor: string }): Promise<RetentionReport>;
}
