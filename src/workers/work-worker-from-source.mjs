// The worker entry when the service runs from TypeScript source (tests, `npm run dev`): registers tsx in
// this thread before loading the worker. `execArgv: ['--import', 'tsx']` is not enough on Node 20: a worker
// whose module graph includes vega fails with ERR_UNKNOWN_FILE_EXTENSION. The compiled service uses
// work-worker.js directly.
import { register } from 'tsx/esm/api';

register();
const { default: runTask } = await import('./work-worker.ts');
export default runTask;
