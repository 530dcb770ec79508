import { readdirSync, readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { approvalDeadline, isApprovalError, type ApprovalRecord, type ApprovalStore } from '../approvals/approvalStore.js';
import { basename, join } from 'node:path';
import { error, type Diagnostic } from '../compile/diagnostic.js';
import { TablePreviewSchema } from '../data/tablePreviewSchema.js';
import type { RunEventListener } from '../executor/eventRecorder.js';
import { DetachRequest } from '../executor/detachRequest.js';
import { PartialRunError } from '../executor/executePlan.js';
import { newRunId } from '../executor/runTask.js';
import { canonicalJson } from '../format/canonicalJson.js';
import { loadDocument, loadDocumentValue } from '../format/loadDocument.js';
import type { PipelineDocument } from '../format/pipelineDocument.js';
import { pipelineHash } from '../format/pipelineHash.js';
import { nodeCatalog } from '../node/nodeCatalog.js';
import type { RunEvent } from '../run/runEvent.js';
import { previousVersion } from '../registry/previousVersion.js';
import { isModelRegistryError, type ModelRegistry } from '../registry/modelRegistry.js';
import type { Workspace } from '../workspace/workspace.js';
import { ENGINE_API, type ApiCaller, type ApiInput, type ApiOutput, type ApprovalItem, type EngineApi } from './engineApi.js';
import { loadKpis } from './kpiSeries.js';
import { ApiFailure } from './apiFailure.js';
import { createHttpEngineClient } from './httpEngineClient.js';

export interface EngineServiceOptions {
  /** Folder of bundled example pipelines. */
  examplesDir?: string;
  /** Folder that relative paths of pipelines saved in the workspace resolve against. */
  pipelinesDir: string;
}

/**
 * The engine behind the EngineApi contract, for one workspace: what the Electron main process
 * and `trellis serve` host. Runs execute in this process; their events fan out to subscribers.
 */
export class EngineService implements EngineApi {
  private readonly subscribers = new Set<RunEventListener>();
  private readonly active = new Map<string, AbortController>();
  private readonly finished = new Map<string, Promise<unknown>>();

  constructor(
    readonly workspace: Workspace,
    private readonly options: EngineServiceOptions,
  ) {
    // Desktop alerts reach the app (and browsers on `trellis serve`) as events beside the runs'.
    workspace.services.alerts.onDesktop((alert) => this.broadcast({ type: 'alert', runId: alert.runId, time: alert.time, alert }));
  }

  /** Every run event of every run, after it is stored. Returns the unsubscribe function. */
  subscribe(listener: RunEventListener): () => void {
    this.subscribers.add(listener);
    return () => this.subscribers.delete(listener);
  }

  /** Resolves when the runs started so far have finished (for shutdown and tests). */
  async idle(): Promise<void> {
    await Promise.allSettled([...this.finished.values()]);
  }

  /**
   * Cancels every active run and waits for them to record it; a run with a task awaiting an
   * approval is left `waiting` instead, for the next host to continue once decided.
   */
  async shutdown(): Promise<void> {
    for (const controller of this.active.values()) controller.abort(new DetachRequest());
    await this.idle();
  }

  async catalog(): Promise<ApiOutput<'catalog'>> {
    return nodeCatalog(this.workspace.registry);
  }

  async examples(): Promise<ApiOutput<'examples'>> {
    const dir = this.options.examplesDir;
    if (!dir) return [];
    return readdirSync(dir)
      .filter((file) => file.endsWith('.trellis.json'))
      .sort()
      .flatMap((file) => {
        const loaded = loadDocument(readFileSync(join(dir, file), 'utf8'));
        return loaded.ok ? [{ file, id: loaded.document.id, name: loaded.document.name ?? loaded.document.id, description: loaded.document.description ?? '' }] : [];
      });
  }

  async loadExample(input: ApiInput<'loadExample'>): Promise<ApiOutput<'loadExample'>> {
    const dir = this.options.examplesDir;
    const file = basename(input.file);
    if (!dir || file !== input.file || !file.endsWith('.trellis.json')) throw new ApiFailure('bad-request', `There is no example "${input.file}".`);
    let text: string;
    try {
      text = readFileSync(join(dir, file), 'utf8');
    } catch {
      throw new ApiFailure('not-found', `There is no example "${input.file}".`);
    }
    const loaded = loadDocument(text);
    if (!loaded.ok) throw new ApiFailure('invalid', `Example ${file} does not load.`, loaded.diagnostics);
    return loaded.document;
  }

  async validate(input: ApiInput<'validate'>): Promise<ApiOutput<'validate'>> {
    const loaded = loadDocumentValue(input.document);
    if (!loaded.ok) return { ok: false, diagnostics: loaded.diagnostics };
    const compiled = this.workspace.compileDocument(loaded.document, input.params ?? {});
    return compiled.ok ? { ok: true, diagnostics: compiled.diagnostics, hash: compiled.plan.pipelineHash, nodeCount: compiled.plan.nodes.length } : { ok: false, diagnostics: compiled.diagnostics };
  }

  async listPipelines(): Promise<ApiOutput<'listPipelines'>> {
    return this.workspace.store.listPipelines();
  }

  async getPipeline(input: ApiInput<'getPipeline'>): Promise<ApiOutput<'getPipeline'>> {
    const text = await this.workspace.store.getPipelineDocument(input.id, input.hash);
    if (text === undefined) throw new ApiFailure('not-found', `There is no saved pipeline "${input.id}"${input.hash ? ` at version ${input.hash.slice(0, 12)}` : ''}.`);
    const loaded = loadDocument(text);
    if (!loaded.ok) throw new ApiFailure('invalid', `Saved pipeline "${input.id}" no longer loads.`, loaded.diagnostics);
    return loaded.document;
  }

  async savePipeline(input: ApiInput<'savePipeline'>): Promise<ApiOutput<'savePipeline'>> {
    const document = this.parse(input.document);
    const hash = pipelineHash(document);
    await this.workspace.store.savePipelineVersion(document.id, document.name ?? document.id, hash, canonicalJson(document), Date.now());
    return { id: document.id, hash, diagnostics: this.workspace.compileDocument(document).diagnostics };
  }

  async pushPipeline(input: ApiInput<'pushPipeline'>): Promise<ApiOutput<'pushPipeline'>> {
    const document = this.parse(input.document);
    const remote = createHttpEngineClient(input.token ? { baseUrl: input.server, token: input.token } : { baseUrl: input.server });
    return remote.savePipeline({ document });
  }

  async startRun(input: ApiInput<'startRun'>): Promise<ApiOutput<'startRun'>> {
    const loaded = loadDocumentValue(input.document);
    if (!loaded.ok) return { ok: false, diagnostics: loaded.diagnostics };
    const compiled = this.workspace.compileDocument(loaded.document, input.params ?? {});
    if (!compiled.ok) return { ok: false, diagnostics: compiled.diagnostics };
    const runId = newRunId();
    const controller = new AbortController();
    const started = new Promise<void>((resolve, reject) => {
      const run = this.workspace
        .runPlan(compiled.plan, loaded.document, this.options.pipelinesDir, {
          runId,
          signal: controller.signal,
          listeners: [(event) => {
            if (event.type === 'run.started') resolve();
            this.broadcast(event);
          }],
          ...(input.selection ? { selection: input.selection } : {}),
          ...(input.noCache ? { noCache: true } : {}),
        })
        .catch((cause: unknown) => {
          reject(cause instanceof PartialRunError ? new ApiFailure('invalid', cause.message, [error('selection.unknown-node', cause.message, '')]) : cause);
        })
        .finally(() => {
          this.active.delete(runId);
          this.finished.delete(runId);
        });
      this.finished.set(runId, run);
    });
    this.active.set(runId, controller);
    await started;
    return { ok: true, runId };
  }

  async cancelRun(input: ApiInput<'cancelRun'>): Promise<ApiOutput<'cancelRun'>> {
    const controller = this.active.get(input.runId);
    if (!controller) return { cancelled: false };
    controller.abort();
    await this.finished.get(input.runId);
    return { cancelled: true };
  }

  async resumeRun(input: ApiInput<'resumeRun'>): Promise<ApiOutput<'resumeRun'>> {
    const run = await this.workspace.store.getRun(input.runId);
    if (!run) throw new ApiFailure('not-found', `There is no run "${input.runId}".`);
    if (run.state === 'running' || run.state === 'succeeded') throw new ApiFailure('invalid', `Run ${input.runId} is ${run.state}; only interrupted, failed or cancelled runs can be resumed.`);
    const controller = new AbortController();
    this.active.set(input.runId, controller);
    const done = this.workspace
      .resume(input.runId, { signal: controller.signal, listeners: [(event) => this.broadcast(event)] })
      .finally(() => {
        this.active.delete(input.runId);
        this.finished.delete(input.runId);
      });
    this.finished.set(input.runId, done);
    return { runId: input.runId };
  }

  async listRuns(input: ApiInput<'listRuns'>): Promise<ApiOutput<'listRuns'>> {
    return this.workspace.store.listRuns({ limit: input.limit ?? 100, ...(input.pipelineId ? { pipelineId: input.pipelineId } : {}), ...(input.state ? { state: input.state } : {}) });
  }

  async getRun(input: ApiInput<'getRun'>): Promise<ApiOutput<'getRun'>> {
    const run = await this.workspace.store.getRun(input.runId);
    if (!run) throw new ApiFailure('not-found', `There is no run "${input.runId}".`);
    const [tasks, transitions, metrics, documentText] = await Promise.all([
      this.workspace.store.getTasks(input.runId),
      this.workspace.store.getTransitions(input.runId),
      this.workspace.store.getMetrics({ runId: input.runId }),
      this.workspace.store.getDocument(run.pipelineHash),
    ]);
    const loaded = documentText === undefined ? undefined : loadDocument(documentText);
    return { run, tasks, transitions, metrics, ...(loaded?.ok ? { document: loaded.document } : {}) };
  }

  async getLogs(input: ApiInput<'getLogs'>): Promise<ApiOutput<'getLogs'>> {
    return this.workspace.store.getLogs(input.runId, input.nodeId);
  }

  async getMetrics(input: ApiInput<'getMetrics'>): Promise<ApiOutput<'getMetrics'>> {
    return this.workspace.store.getMetrics({ pipelineId: input.pipelineId, ...(input.name ? { name: input.name } : {}) });
  }

  async getPreview(input: ApiInput<'getPreview'>): Promise<ApiOutput<'getPreview'>> {
    const parsed = TablePreviewSchema.safeParse(this.readArtifactJson(input.artifactId));
    if (!parsed.success) throw new ApiFailure('not-found', `Artifact ${input.artifactId.slice(0, 12)} is not a table preview.`);
    return parsed.data;
  }

  async getArtifactJson(input: ApiInput<'getArtifactJson'>): Promise<ApiOutput<'getArtifactJson'>> {
    return this.readArtifactJson(input.artifactId);
  }

  async getKpis(input: ApiInput<'getKpis'>): Promise<ApiOutput<'getKpis'>> {
    return loadKpis(this.workspace.store, input.pipelineId, input.name, input.limit);
  }

  async listModels(): Promise<ApiOutput<'listModels'>> {
    return this.models.listModels();
  }

  async getModel(input: ApiInput<'getModel'>): Promise<ApiOutput<'getModel'>> {
    const model = await this.models.getModel(input.name);
    if (!model) {
      const known = (await this.models.listModels()).map((m) => m.name);
      throw new ApiFailure('not-found', `There is no model "${input.name}". ${known.length ? `Models: ${known.join(', ')}.` : 'No model is registered yet.'}`);
    }
    const [versions, history] = await Promise.all([this.models.listVersions(input.name), this.models.aliasHistory(input.name)]);
    const rollbackTargets: Record<string, number> = {};
    for (const [alias, current] of Object.entries(model.aliases)) {
      const target = previousVersion(
        history.filter((move) => move.alias === alias),
        current,
      );
      if (target !== undefined) rollbackTargets[alias] = target;
    }
    return { model, versions: [...versions].reverse(), aliasHistory: [...history].reverse(), rollbackTargets };
  }

  async promoteModel(input: ApiInput<'promoteModel'>): Promise<ApiOutput<'promoteModel'>> {
    return registryCall(() => this.models.promote(input.name, input.alias, input.version, { actor: uiActor('promoteModel'), reason: input.reason }));
  }

  async rollbackModel(input: ApiInput<'rollbackModel'>): Promise<ApiOutput<'rollbackModel'>> {
    return registryCall(() => this.models.rollback(input.name, input.alias, { actor: uiActor('rollbackModel'), reason: input.reason }));
  }

  async listAudit(input: ApiInput<'listAudit'>): Promise<ApiOutput<'listAudit'>> {
    const records = await this.models.listAudit({ limit: input.limit ?? 100, ...(input.subject ? { subject: input.subject } : {}) });
    return records.reverse();
  }

  async whoAmI(_input: ApiInput<'whoAmI'>, caller?: ApiCaller): Promise<ApiOutput<'whoAmI'>> {
    // No caller: the desktop app's own window, which acts as this host's user with every right.
    return caller ?? { role: 'approver', actor: hostActor() };
  }

  async listApprovals(input: ApiInput<'listApprovals'>): Promise<ApiOutput<'listApprovals'>> {
    // A deadline that passed while no process watched still decides, before anyone is shown it.
    await this.approvals.expireDue(Date.now());
    const records = input.all ? (await this.approvals.list()).slice(-200).reverse() : await this.approvals.list({ state: 'waiting' });
    return Promise.all(records.map((record) => this.approvalItem(record)));
  }

  async decideApproval(input: ApiInput<'decideApproval'>, caller?: ApiCaller): Promise<ApiOutput<'decideApproval'>> {
    let record: ApprovalRecord;
    try {
      record = await this.approvals.decide({ runId: input.runId, nodeId: input.nodeId, decision: input.decision, actor: caller?.actor ?? hostActor(), comment: input.comment });
    } catch (cause) {
      if (isApprovalError(cause)) throw new ApiFailure(cause.code === 'not_found' ? 'not-found' : 'invalid', cause.message);
      throw cause;
    }
    const resumed = await this.resumeIfDecided(input.runId);
    return { approval: await this.approvalItem(record), resumed };
  }

  /**
   * Applies due approval timeouts and resumes `waiting` runs whose approvals are all decided, now
   * and then every `intervalMs`: what lets a server continue runs whose process let go of them.
   * Returns the function that stops watching.
   */
  watchApprovals(intervalMs: number, onError: (cause: unknown) => void = () => undefined): () => void {
    const sweep = (): void => void this.sweepApprovals().catch(onError);
    const timer = setInterval(sweep, intervalMs);
    timer.unref();
    sweep();
    return () => clearInterval(timer);
  }

  /** One pass of `watchApprovals`; returns the runs it resumed. */
  async sweepApprovals(): Promise<string[]> {
    await this.approvals.expireDue(Date.now());
    const resumed: string[] = [];
    for (const run of await this.workspace.store.listRuns({ state: 'waiting' })) {
      if (await this.resumeIfDecided(run.id)) resumed.push(run.id);
    }
    return resumed;
  }

  /** Resumes a run nobody drives once nothing in it waits for a decision any more. */
  private async resumeIfDecided(runId: string): Promise<boolean> {
    const run = await this.workspace.store.getRun(runId);
    if (run?.state !== 'waiting' || this.active.has(runId)) return false;
    if ((await this.approvals.list({ runId, state: 'waiting' })).length > 0) return false;
    await this.resumeRun({ runId });
    return true;
  }

  private async approvalItem(record: ApprovalRecord): Promise<ApprovalItem> {
    const run = await this.workspace.store.getRun(record.runId);
    return { ...record, pipelineName: run?.pipelineName ?? record.pipelineId, deadline: approvalDeadline(record) ?? null, runState: run?.state ?? null };
  }

  private get approvals(): ApprovalStore {
    return this.workspace.services.approvals;
  }

  private get models(): ModelRegistry {
    return this.workspace.services.models;
  }

  private readArtifactJson(id: string): unknown {
    if (!this.workspace.artifacts.has(id)) throw new ApiFailure('not-found', `There is no artifact ${id.slice(0, 12)}.`);
    try {
      return this.workspace.artifacts.readJson(id);
    } catch {
      throw new ApiFailure('invalid', `Artifact ${id.slice(0, 12)} is not JSON.`);
    }
  }

  private parse(value: unknown): PipelineDocument {
    const loaded = loadDocumentValue(value);
    if (!loaded.ok) throw new ApiFailure('invalid', loaded.diagnostics.map((d: Diagnostic) => d.message).join('; '), loaded.diagnostics);
    return loaded.document;
  }

  /** Hands an event to every subscriber; also for runs started outside the contract (the scheduler's). */
  broadcast(event: RunEvent): void {
    for (const subscriber of this.subscribers) {
      try {
        subscriber(event);
      } catch {
        // One broken subscriber (a closed connection) must not affect the others.
      }
    }
  }
}

/**
 * Who the audit log names for a change made through the API. Transports do not hand the caller's
 * role to the service, but they admit only callers with the method's role, and approver is the
 * highest role, so the method's own role is exactly the caller's.
 */
function uiActor(method: 'promoteModel' | 'rollbackModel'): string {
  return `ui:${ENGINE_API[method].role}`;
}

/** Who decides through a transport that names no caller (the desktop app's IPC): this host's OS user. */
function hostActor(): string {
  try {
    return `app:${userInfo().username}`;
  } catch {
    return 'app:unknown';
  }
}

/** Registry refusals (unknown model or version, bad alias, nothing to roll back to) as API failures people can act on. */
async function registryCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (cause) {
    if (isModelRegistryError(cause)) throw new ApiFailure(cause.code === 'not_found' ? 'not-found' : 'invalid', cause.message);
    throw cause;
  }
}
