export { saveTrace, saveTraceBehind, flushTraces, getTrace, listTraces, recordOutput, tracePrompt, TRACE_FORMAT_VERSION } from './trace';
export type { TraceRecord, RecordedPolicy, PackMode, Usage } from './trace';
export { runCall, tracedCall, recordedPolicy, livePolicy, applyOverrides } from './call';
export type { CallRequest, CallResult, WhatIfOverrides } from './call';
export { replay, whatIf } from './replay';
export type { ReplayReport, Divergence, WhatIfResult } from './replay';
