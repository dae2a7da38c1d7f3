export { saveTrace, saveTraceBehind, flushTraces, getTrace, listTraces, listTraceSummaries, traceSummary, recordOutput, tracePrompt, TRACE_FORMAT_VERSION, SUMMARY_TASK_LENGTH } from './trace';
export type { TraceRecord, TraceSummary, RecordedPolicy, PackMode, Usage } from './trace';
export { runCall, tracedCall, recordedPolicy, livePolicy, applyOverrides } from './call';
export type { CallRequest, CallResult, WhatIfOverrides } from './call';
export { replay, whatIf } from './replay';
export type { ReplayReport, Divergence, WhatIfResult } from './replay';
