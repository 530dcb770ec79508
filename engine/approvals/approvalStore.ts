import { z } from 'zod';

/** waiting: nobody has decided yet; approved / rejected: decided by a person or by its timeout. */
export const ApprovalStateSchema = z.enum(['waiting', 'approved', 'rejected']);
export type ApprovalState = z.infer<typeof ApprovalStateSchema>;

export const ApprovalDecisionSchema = z.enum(['approve', 'reject']);
export type ApprovalDecision = z.infer<typeof ApprovalDecisionSchema>;

/** One approval a run asked for (one per run and approval node), and its decision once made. */
export const ApprovalRecordSchema = z.object({
  runId: z.string(),
  nodeId: z.string(),
  pipelineId: z.string(),
  /** What the approver is asked, e.g. "Promote churn v7 to champion?". */
  message: z.string(),
  /** Epoch milliseconds when the run started waiting. */
  requestedAt: z.number(),
  /** How long to wait before `onTimeout` applies; null waits for ever. */
  timeoutMs: z.int().min(0).nullable(),
  onTimeout: ApprovalDecisionSchema,
  state: ApprovalStateSchema,
  /** `cli:<os user>`, `token:<name>`, `timeout`, ... once decided. */
  decidedBy: z.string().nullable(),
  decidedAt: z.number().nullable(),
  comment: z.string().nullable(),
  /** The decision is the timeout's default, not a person's. */
  byTimeout: z.boolean(),
});
export type ApprovalRecord = z.infer<typeof ApprovalRecordSchema>;

export interface NewApprovalRequest {
  runId: string;
  nodeId: string;
  pipelineId: string;
  message: string;
  timeoutMs: number | null;
  onTimeout: ApprovalDecision;
}

export interface ApprovalDecisionInput {
  runId: string;
  nodeId: string;
  decision: ApprovalDecision;
  /** Who decides, as the audit log names them. */
  actor: string;
  comment?: string;
}

/**
 * Human approvals that runs wait on. The request and its decision live in the workspace
 * database, so any process (the CLI, the server, the app) can decide and any executor polling
 * it (or a later `resume`) picks the decision up. Every request and decision is also appended
 * to the workspace audit log in the same transaction.
 */
export interface ApprovalStore {
  /** Records the request, or returns the existing one for this run and node (a re-run task). */
  request(input: NewApprovalRequest): Promise<ApprovalRecord>;
  get(runId: string, nodeId: string): Promise<ApprovalRecord | undefined>;
  /** Oldest first; `state` narrows (e.g. what still waits). */
  list(filter?: { state?: ApprovalState; runId?: string }): Promise<ApprovalRecord[]>;
  /** Decides a waiting approval; the first decision wins (a later one is an ApprovalError). */
  decide(input: ApprovalDecisionInput): Promise<ApprovalRecord>;
  /** Applies the default decision of every waiting approval whose timeout has passed; returns them. */
  expireDue(now: number): Promise<ApprovalRecord[]>;
  close(): Promise<void>;
}

/** A decision that cannot be made as asked (nothing waits there, or it was already decided). Shown as-is. */
export class ApprovalError extends Error {
  override readonly name = 'ApprovalError';
  constructor(
    message: string,
    readonly code: 'not_found' | 'decided' | 'invalid',
  ) {
    super(message);
  }
}

export function isApprovalError(value: unknown): value is ApprovalError {
  return value instanceof Error && value.name === 'ApprovalError';
}

/** The audit subject of an approval: `run:<id>/node:<id>`. */
export function approvalSubject(runId: string, nodeId: string): string {
  return `run:${runId}/node:${nodeId}`;
}

/** When a waiting approval's timeout applies, or undefined when it waits for ever. */
export function approvalDeadline(record: Pick<ApprovalRecord, 'requestedAt' | 'timeoutMs'>): number | undefined {
  return record.timeoutMs === null ? undefined : record.requestedAt + record.timeoutMs;
}
