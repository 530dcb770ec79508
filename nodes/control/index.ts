import type { AnyNodeDefinition } from '../../engine/node/nodeDefinition.js';
import approval from './approval.js';
import cleanup from './cleanup.js';

/** Run control: human approvals and workspace cleanup. */
export const controlNodes: AnyNodeDefinition[] = [approval, cleanup];
