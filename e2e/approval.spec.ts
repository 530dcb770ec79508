import { test } from './support/fixtures.js';
import { approvalFlow } from './support/flows.js';

test('a run waits for approval and continues once approved in the inbox', async ({ studio }) => {
  await approvalFlow(studio);
});
