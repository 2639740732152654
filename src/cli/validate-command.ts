import { loadWithBuiltins } from '../builtins.js';

export async function validateCommand(file: string, sets: string[], sweeps: string[] = []): Promise<void> {
  const r = await loadWithBuiltins(file, sets, sweeps);
  for (const n of r.notices) process.stderr.write(`isacflow: ${n}\n`);
  const stages =
    r.points[0]?.stages.map(
      (s) => `${s.id}${s.variants.length > 1 ? `[${s.variants.map((v) => v.name).join('|')}]` : ''}`,
    ) ?? [];
  process.stdout.write(
    `${file}: valid — ${r.points.length} sweep point(s) x ${r.spec.run.trials} trial(s) x ${r.spec.run.frames} frame(s); stages ${stages.join(' -> ')}\n`,
  );
}
