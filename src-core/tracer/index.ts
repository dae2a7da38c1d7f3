export {
  saveTrace,
  saveTraceBehind,
  flushTraces,
  getTrace,
  listTraces,
  listTraceSummaries,
  getTraceSummary,
  traceSummary,
  recordOutput,
  tracePrompt,
  TRACE_FORMAT_VERSION,
  SUMMARY_TASK_LENGTH,
  SUMMARY_OUTPUT_LENGTH,
} from './trace';
export type {
  TraceRecord,
  TraceSummary,
  OutputSummary,
  RecordedPolicy,
  PackMode,
  Usage,
} from './trace';
export { runCall, tracedCall, recordedPolicy, livePolicy, applyOverrides } from './call';
export type { CallRequest, CallResult, WhatIfOverrides } from './call';
export { replay, whatIf, goneBlocks, firstDivergence, watermarkOf } from './replay';
export type { ReplayReport, ReplayOptions, Divergence, GoneBlock, WhatIfResult } from './replay';
export { externalSettings, resolveExternal, isLocalEmbedder } from './external';
export type { ExternalSetting, ResolvedPolicy } from './external';
export { exportTurnBundle, importTurnBundle, parseTurnBundle } from './bundle';
export type { TurnBundle, BundleImport } from './bundle';
export { BUNDLE_FORMAT, BUNDLE_FORMAT_VERSION } from './bundle-schema';
export type { BundleBlock, BundleBytes } from './bundle-schema';
export {
  asOfTrace,
  edgesAt,
  existedAt,
  sessionBlocksAt,
  sessionsAt,
  writtenBetween,
} from './as-of';
export type { AsOf, WrittenBetween } from './as-of';
export { CallSpans, turnLink, webTurnLink } from './telemetry';
export type { TelemetryOptions } from './telemetry';
