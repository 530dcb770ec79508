import type { AnyNodeDefinition } from '../engine/node/nodeDefinition.js';
import { NodeRegistry } from '../engine/node/nodeRegistry.js';
import { chartNodes } from './chart/index.js';
import { codeNodes } from './code/index.js';
import { controlNodes } from './control/index.js';
import { dataNodes } from './data/index.js';
import { debugNodes } from './debug/index.js';
import { featureStoreNodes } from './featurestore/index.js';
import { featurizeNodes } from './featurize/index.js';
import { evaluateNodes } from './evaluate/index.js';
import { modelNodes } from './model/index.js';
import { monitorNodes } from './monitor/index.js';
import { sensorNodes } from './sensor/index.js';
import { sourceNodes } from './source/index.js';
import { splitNodes } from './split/index.js';
import { trainNodes } from './train/index.js';

/** Every built-in node, grouped as the palette shows them. */
export const builtinNodes: readonly AnyNodeDefinition[] = [
  ...sourceNodes,
  ...dataNodes,
  ...featurizeNodes,
  ...splitNodes,
  ...codeNodes,
  ...trainNodes,
  ...modelNodes,
  ...evaluateNodes,
  ...monitorNodes,
  ...controlNodes,
  ...sensorNodes,
  ...chartNodes,
  ...featureStoreNodes,
  ...debugNodes,
];

/** The registry the app, the CLI and the server hand to the engine. */
export function builtinRegistry(): NodeRegistry {
  return new NodeRegistry(builtinNodes);
}
