import type { AnyNodeDefinition } from '../../engine/node/nodeDefinition.js';
import file from './file.js';
import http from './http.js';
import sql from './sql.js';

/** Sensors: wait, holding no worker slot, until files, a query or an endpoint say go. */
export const sensorNodes: AnyNodeDefinition[] = [file, sql, http];
