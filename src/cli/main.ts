import 'reflect-metadata';
import { Command, InvalidArgumentError } from 'commander';
import { IsacflowError } from '../core/errors.js';
import type { RunCommandOptions } from './run-command.js';
import type { WorkerCommandOptions } from './worker-command.js';

const program = new Command();
program
  .name('isacflow')
  .description(
    'Cooperative sensing in cell-free massive MIMO ISAC systems: YAML pipelines of stages and plugins',
  )
  .option('--debug', 'show stack traces of errors');

const collect = (v: string, prev: string[]) => [...prev, v];

/** --workers: 'auto' or a whole number >= 1; anything else is refused (not clamped or ignored). */
function workersArg(v: string): string {
  if (v === 'auto' || /^[1-9]\d*$/.test(v.trim())) return v.trim();
  throw new InvalidArgumentError(`must be 'auto' or a whole number >= 1 (got '${v}')`);
}

program
  .command('run')
  .argument('[pipeline]', 'pipeline YAML file (not needed with --resume: the folder holds its own)')
  .option(
    '--set <dot.path=value>',
    'override any key (repeatable), e.g. --set scenario.snr.db=5; on a swept key it replaces the sweep',
    collect,
    [],
  )
  .option(
    '--sweep <dot.path=[a,b]>',
    "set or replace a sweep (repeatable), e.g. --sweep 'scenario.snr.db=[0, 10]'",
    collect,
    [],
  )
  .option('--out <dir>', 'run folder (default runs/<name>-<timestamp>)')
  .option('--resume <dir>', 'continue a killed run in that folder without recomputing finished trials')
  .option(
    '--force',
    'write into a non-empty --out folder that is not a run of this pipeline (only the run files are written)',
  )
  .option('--workers <n>', "worker threads: a number or 'auto' (results do not depend on it)", workersArg)
  .option(
    '--queue <url>',
    'run the trials as jobs on a Redis queue (redis://HOST:PORT[/DB]) served by isacflow worker processes',
  )
  .option('--chunk <n>', 'with --queue: trials per job (default 1)')
  .option('--quiet', 'no progress bar')
  .description('run a pipeline and write its run folder (records, summary, plots, report)')
  .action(async (file: string | undefined, o: RunCommandOptions) => {
    const { runCommand } = await import('./run-command.js'); // lazy: start-up loads only what the command needs
    await runCommand(file, o);
  });

program
  .command('worker')
  .requiredOption('--queue <url>', 'the Redis server of the queue (redis://HOST:PORT[/DB])')
  .option('--concurrency <n>', 'trials at once on worker threads (default: the number of cores)')
  .option(
    '--lock-duration <ms>',
    'a job whose worker stops renewing its lock this long is given to another worker',
    '30000',
  )
  .option('--log-jobs', 'log the start and end of every job')
  .description(
    'run queued trials of any pipeline (started with isacflow run --queue) until stopped with Ctrl-C',
  )
  .action(async (o: WorkerCommandOptions) => {
    const { workerCommand } = await import('./worker-command.js'); // lazy: start-up loads only what the command needs
    await workerCommand(o);
  });

program
  .command('stream')
  .argument('<pipeline>', 'pipeline YAML file')
  .option(
    '--source <spec>',
    'frame source: tcp://HOST:PORT, tcp:PORT, stdin, npy:DIR (or a recording folder), simulated, or { uses, params }',
  )
  .option('--set <dot.path=value>', 'override any key (repeatable)', collect, [])
  .option('--out <dir>', 'run folder (default runs/<name>-stream-<timestamp>)')
  .option('--queue <frames>', 'frames waiting at most between the source and the chain', '8')
  .option(
    '--policy <policy>',
    "when the queue is full: 'block' (the sender waits) or 'drop-oldest' (counted)",
    'block',
  )
  .description(
    'process frames as they arrive (live feed or recording): one NDJSON line per frame on stdout, the run folder as usual; Ctrl-C ends cleanly',
  )
  .action(
    async (
      file: string,
      o: { set: string[]; source?: string; out?: string; queue?: string; policy?: string },
    ) => {
      const { streamCommand } = await import('./stream-command.js'); // lazy: start-up loads only what the command needs
      await streamCommand(file, o);
    },
  );

program
  .command('validate')
  .argument('<pipeline>', 'pipeline YAML file')
  .option(
    '--set <dot.path=value>',
    'override any key (repeatable); on a swept key it replaces the sweep',
    collect,
    [],
  )
  .option('--sweep <dot.path=[a,b]>', 'set or replace a sweep (repeatable)', collect, [])
  .description('check a pipeline completely without running it')
  .action(async (file: string, o: { set: string[]; sweep: string[] }) => {
    const { validateCommand } = await import('./validate-command.js'); // lazy: start-up loads only what the command needs
    await validateCommand(file, o.set, o.sweep);
  });

program
  .command('list')
  .argument('[kind]', 'stage | solver | fusion | placement | tracker')
  .option('--plugin <module...>', 'also load these plugin modules')
  .option('--records', 'print the record layout and the ports of every stage (docs/records.md)')
  .description('list stages and plugins with their parameters, defaults and units')
  .action(async (kind: string | undefined, o: { plugin?: string[]; records?: boolean }) => {
    const { listCommand } = await import('./list-command.js'); // lazy: start-up loads only what the command needs
    await listCommand(kind, o.plugin ?? [], { records: o.records === true });
  });

program
  .command('report')
  .argument('<run-folder>', 'a folder written by isacflow run')
  .option(
    '--pipeline <file>',
    "take outputs (plots, summary options, sections) from this pipeline instead of the run's own",
  )
  .description('rebuild summary, plots and report.html of a run from its records.jsonl')
  .action(async (dir: string, o: { pipeline?: string }) => {
    const { reportCommand } = await import('./report-command.js'); // lazy: start-up loads only what the command needs
    await reportCommand(dir, o);
  });

program
  .command('init')
  .argument('<dir>', 'a new or empty folder')
  .description('write a starter study there: pipeline, scenario, one plugin of each kind, tsconfig, README')
  .action(async (dir: string) => {
    const { initCommand } = await import('./init-command.js');
    await initCommand(dir);
  });

program
  .command('schema')
  .option('--out <file>', 'write the JSON Schema of pipelines here', 'schema/pipeline.schema.json')
  .description('write the JSON Schema of the pipeline format (with every stage and plugin) for editors')
  .action(async (o: { out: string }) => {
    const { schemaCommand } = await import('./schema-command.js'); // lazy: start-up loads only what the command needs
    await schemaCommand(o.out);
  });

try {
  await program.parseAsync(process.argv);
} catch (e) {
  const debug = program.opts<{ debug?: boolean }>().debug || process.argv.includes('--debug');
  if (IsacflowError.is(e)) {
    process.stderr.write(`isacflow: ${e.kind}\n${e.message}\n`);
    if (debug && e.stack) process.stderr.write(`${e.stack}\n`);
  } else {
    const err = e as Error;
    const first = (err?.message ?? String(e)).split('\n')[0];
    process.stderr.write(
      `isacflow: internal error: ${first} (a bug in isacflow or a plugin: please report it; rerun with --debug for the stack)\n`,
    );
    if (debug && err?.stack) process.stderr.write(`${err.stack}\n`);
  }
  process.exitCode = 1;
}
