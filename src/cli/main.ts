import 'reflect-metadata';
import { Command } from 'commander';
import { IsacflowError } from '../core/errors.js';
import { listCommand } from './list-command.js';
import { runCommand } from './run-command.js';
import { reportCommand } from './report-command.js';
import { schemaCommand } from './schema-command.js';
import { streamCommand } from './stream-command.js';
import { validateCommand } from './validate-command.js';

const program = new Command();
program
  .name('isacflow')
  .description('Cooperative sensing in cell-free massive MIMO ISAC systems: YAML pipelines of stages and plugins')
  .option('--debug', 'show stack traces of errors');

const collect = (v: string, prev: string[]) => [...prev, v];

program
  .command('run')
  .argument('<pipeline>', 'pipeline YAML file')
  .option('--set <dot.path=value>', 'override any key (repeatable), e.g. --set scenario.snr.db=5', collect, [])
  .option('--out <dir>', 'run folder (default runs/<name>-<timestamp>)')
  .option('--resume <dir>', 'continue a killed run in that folder without recomputing finished trials')
  .option('--workers <n>', "worker threads: a number or 'auto' (results do not depend on it)")
  .option('--quiet', 'no progress bar')
  .description('run a pipeline and write its run folder (records, summary, plots, report)')
  .action(async (file: string, o: { set: string[]; out?: string; resume?: string; workers?: string; quiet?: boolean }) => {
    await runCommand(file, o);
  });

program
  .command('stream')
  .argument('<pipeline>', 'pipeline YAML file')
  .option('--source <spec>', 'frame source: tcp://HOST:PORT, tcp:PORT, stdin, npy:DIR (or a recording folder), simulated, or { uses, params }')
  .option('--set <dot.path=value>', 'override any key (repeatable)', collect, [])
  .option('--out <dir>', 'run folder (default runs/<name>-stream-<timestamp>)')
  .option('--queue <frames>', 'frames waiting at most between the source and the chain', '8')
  .option('--policy <policy>', "when the queue is full: 'block' (the sender waits) or 'drop-oldest' (counted)", 'block')
  .description('process frames as they arrive (live feed or recording): one NDJSON line per frame on stdout, the run folder as usual; Ctrl-C ends cleanly')
  .action(async (file: string, o: { set: string[]; source?: string; out?: string; queue?: string; policy?: string }) => {
    await streamCommand(file, o);
  });

program
  .command('validate')
  .argument('<pipeline>', 'pipeline YAML file')
  .option('--set <dot.path=value>', 'override any key (repeatable)', collect, [])
  .description('check a pipeline completely without running it')
  .action(async (file: string, o: { set: string[] }) => {
    await validateCommand(file, o.set);
  });

program
  .command('list')
  .argument('[kind]', 'stage | solver | fusion | placement | tracker')
  .option('--plugin <module...>', 'also load these plugin modules')
  .description('list stages and plugins with their parameters, defaults and units')
  .action(async (kind: string | undefined, o: { plugin?: string[] }) => {
    await listCommand(kind, o.plugin ?? []);
  });

program
  .command('report')
  .argument('<run-folder>', 'a folder written by isacflow run')
  .option('--pipeline <file>', "take outputs (plots, summary options, sections) from this pipeline instead of the run's own")
  .description('rebuild summary, plots and report.html of a run from its records.jsonl')
  .action(async (dir: string, o: { pipeline?: string }) => {
    await reportCommand(dir, o);
  });

program
  .command('schema')
  .option('--out <file>', 'write the JSON Schema of pipelines here', 'schema/pipeline.schema.json')
  .description('write the JSON Schema of the pipeline format (with every stage and plugin) for editors')
  .action(async (o: { out: string }) => {
    await schemaCommand(o.out);
  });

try {
  await program.parseAsync(process.argv);
} catch (e) {
  const debug = program.opts<{ debug?: boolean }>().debug || process.argv.includes('--debug');
  if (e instanceof IsacflowError) {
    process.stderr.write(`isacflow: ${e.kind}\n${e.message}\n`);
    if (debug && e.stack) process.stderr.write(`${e.stack}\n`);
  } else {
    const err = e as Error;
    process.stderr.write(`isacflow: internal error: ${err?.message ?? String(e)}\n(this is a bug in isacflow or a plugin; rerun with --debug for the stack)\n`);
    if (debug && err?.stack) process.stderr.write(`${err.stack}\n`);
  }
  process.exitCode = 1;
}
