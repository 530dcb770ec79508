import type { AnyNodeDefinition } from '../../engine/node/nodeDefinition.js';
import confusionMatrix from './confusionMatrix.js';
import curve from './curve.js';
import histogram from './histogram.js';
import importance from './importance.js';
import kpiLine from './kpiLine.js';

export const chartNodes: AnyNodeDefinition[] = [kpiLine, histogram, confusionMatrix, curve, importance];
