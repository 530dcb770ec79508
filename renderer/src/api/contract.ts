/**
 * The renderer's one doorway to engine types and pure helpers: everything comes from
 * `engine/api/**` (the EngineApi contract and the browser-safe re-exports of uiContract.ts).
 */
export type { EngineApi, ApiInput, ApiOutput, CatalogEntry, PipelineSummary, EngineApiMethod, KpiSeries, KpiPoint, ModelDetail, AliasChangeResult, ApprovalItem, Role } from '../../../engine/api/engineApi.js';
export { ENGINE_API, RUN_KPIS } from '../../../engine/api/engineApi.js';
export * from '../../../engine/api/uiContract.js';
