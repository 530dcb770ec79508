import type { AnyNodeDefinition } from '../../engine/node/nodeDefinition.js';
import alert from './alert.js';
import dataDrift from './dataDrift.js';
import dataQuality from './dataQuality.js';
import performance from './performance.js';
import predictionDrift from './predictionDrift.js';

export const monitorNodes: AnyNodeDefinition[] = [dataDrift, predictionDrift, dataQuality, performance, alert];
