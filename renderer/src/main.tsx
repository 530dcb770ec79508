import { ReactFlowProvider } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { openStartDocument } from './actions/fileActions.js';
import { receiveEngineEvent } from './actions/alertEvents.js';
import { resyncLiveRun } from './actions/runActions.js';
import { startValidation } from './actions/validation.js';
import { connectEngine } from './api/engine.js';
import { describeError, setEngineConnection } from './api/engineInstance.js';
import { App } from './App.js';
import { setCatalog, setEventsStatus, showToast } from './stores/uiStore.js';
import './styles/app.css';
import './styles/canvas.css';
import './styles/panels.css';
import './styles/views.css';
import './styles/approvals.css';

const connection = connectEngine();
setEngineConnection(connection);

let opened = false;
connection.onRunEvent(receiveEngineEvent, (status) => {
  setEventsStatus(status);
  // A reconnect may have missed events of the run on screen: reload it from the store.
  if (status === 'open' && opened) void resyncLiveRun();
  if (status === 'open') opened = true;
});

connection.api
  .catalog({})
  .then(setCatalog)
  .catch((cause: unknown) => showToast('error', `Could not load the node catalog: ${describeError(cause)}`));
void openStartDocument();
startValidation();

const root = window.document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <ReactFlowProvider>
      <App />
    </ReactFlowProvider>
  </StrictMode>,
);
