/**
 * The reason to abort a run's signal with when its host is going away (Ctrl-C in the CLI, a
 * server shutting down) rather than because someone wants the run stopped: tasks that wait for a
 * decision (approvals) then stay `waiting` and the run is recorded as `waiting`, so `resume` (or a
 * server) continues it once decided. Work in flight is cancelled as with any abort, and a run with
 * nothing waiting ends `cancelled` as usual.
 */
export class DetachRequest extends Error {
  override readonly name = 'DetachRequest';
  constructor() {
    super('the host is letting go of the run');
  }
}
