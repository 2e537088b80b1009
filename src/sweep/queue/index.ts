/**
 * Sweeps on a Redis queue (BullMQ): the executor the sweep process uses with `--queue`, and the worker
 * `descent worker` runs. Node-only; BullMQ and ioredis are loaded only when one of these is called.
 */
export { checkQueueUrl, type QueueAddress, queueAddress, redact } from './connection.js';
export { createQueueExecutor, type QueueExecutorSpec, sweepIdOf } from './executor.js';
export { checkJobData } from './job_check.js';
export { DEFAULT_MAX_RESULT_MB, MAX_RESULT_MB, QUEUE_NAME } from './protocol.js';
export { type QueueWorker, type QueueWorkerSpec, startQueueWorker } from './worker.js';
