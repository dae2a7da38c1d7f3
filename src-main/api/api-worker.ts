// Entry of an API worker thread (./api-threads.ts starts it): one StoreService, answering main's
// messages in order. Results are serialised and encoded here and their bytes transferred, so
// main's thread only forwards them: a 6 MB turn as a string cost main 60-80 ms (encoding it for the
// socket, collecting it).
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import type { ApiWorkerData, FromApiWorker, ToApiWorker } from './api-worker-messages';
import { toApiError } from './handlers';
import { StoreService } from './store-service';

if (parentPort === null)
  throw new Error('src-main/api/api-worker.ts runs only as a worker thread (see api-threads.ts)');
const port = parentPort;

const post = (message: FromApiWorker, transfer: readonly ArrayBuffer[] = []) =>
  port.postMessage(message, transfer);
const encoder = new TextEncoder();
const data = workerData as ApiWorkerData;
if (process.platform === 'linux' && data.niceness !== 0) {
  try {
    // Linux keeps a nice value per thread: pid 0 is this thread alone (setpriority(2), NOTES).
    setPriority(data.niceness);
  } catch {
    // Not allowed here (a sandbox): run at main's priority.
  }
}
const service = new StoreService(data, (dir) => post({ type: 'switch', dir }));

port.on('message', (message: ToApiWorker) => {
  switch (message.type) {
    case 'call':
      void answer(message.id, message.method, message.input);
      return;
    case 'open': {
      const error = service.open(message.dir, message.keep);
      post({ type: 'opened', id: message.id, dir: service.dir ?? message.dir, error });
      return;
    }
    case 'close':
      service.close();
      post({ type: 'closed', id: message.id });
      port.close();
      return;
  }
});

async function answer(id: number, method: string, input: unknown): Promise<void> {
  let json: string;
  let code: string | undefined;
  try {
    const result = await service.call(method, input);
    json = JSON.stringify(result);
    code = result.ok ? undefined : result.error.code;
  } catch (error) {
    // The handlers never throw; a result that cannot be serialised is a bug, reported as data.
    const failure = toApiError(method, error);
    json = JSON.stringify({ ok: false, error: failure });
    code = failure.code;
  }
  // TextEncoder gives the bytes their own buffer (Buffer.from may use a shared pool): transferable.
  const bytes = encoder.encode(json);
  post({ type: 'result', id, bytes, ok: code === undefined, code }, [bytes.buffer]);
}
