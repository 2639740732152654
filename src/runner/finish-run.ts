import type { ResolvedPipeline } from '../core/pipeline-loader.js';
import type { RunResult } from './run.js';

/**
 * After the trials: summary.json / summary.csv, plots and report.html (wired to src/results and
 * src/report). Returns text tables for stdout.
 */
export async function finishRun(_resolved: ResolvedPipeline, _result: RunResult, _summaries: string[]): Promise<{ tables: string[] }> {
  return { tables: [] };
}
