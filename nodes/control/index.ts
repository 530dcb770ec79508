import type { AnyNodeDefinition } from '../../engine/node/nodeDefinition.js';
import approval from './approval.js';
import branch from './branch.js';
import cleanup from './cleanup.js';
import map from './map.js';

/** Run control: human approvals, branches, fan-out and workspace cleanup. */
export const controlNodes: AnyNodeDefinition[] = [approval, branch, cleanup, map];
