import { z } from 'zod';

export interface ParamDoc {
  name: string;
  type: string;
  default?: unknown;
  unit?: string;
  doc?: string;
  constraints?: string;
}

type Json = Record<string, unknown>;

/** Parameters of a plugin's zod schema as rows (name, type, default, unit, doc), via its JSON Schema. */
export function paramDocs(schema: z.ZodType): ParamDoc[] {
  let js: Json;
  try {
    js = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Json;
  } catch {
    return [];
  }
  const props = (js.properties ?? {}) as Record<string, Json>;
  return Object.entries(props).map(([name, p]) => {
    const c: string[] = [];
    if (p.minimum !== undefined && (p.minimum as number) > -Number.MAX_SAFE_INTEGER)
      c.push(`>= ${p.minimum}`);
    if (p.exclusiveMinimum !== undefined) c.push(`> ${p.exclusiveMinimum}`);
    if (p.maximum !== undefined && (p.maximum as number) < Number.MAX_SAFE_INTEGER) c.push(`<= ${p.maximum}`);
    if (p.exclusiveMaximum !== undefined) c.push(`< ${p.exclusiveMaximum}`);
    return {
      name,
      type: typeOf(p),
      ...(p.default !== undefined ? { default: p.default } : {}),
      ...(typeof p.unit === 'string' ? { unit: p.unit } : {}),
      ...(typeof p.description === 'string' ? { doc: p.description } : {}),
      ...(c.length ? { constraints: c.join(', ') } : {}),
    };
  });
}

function typeOf(p: Json): string {
  if (Array.isArray(p.enum)) return (p.enum as unknown[]).map((v) => JSON.stringify(v)).join(' | ');
  if (p.const !== undefined) return JSON.stringify(p.const);
  const alts = (p.anyOf ?? p.oneOf) as Json[] | undefined;
  if (alts) return alts.map(typeOf).join(' | ');
  if (p.type === 'array') return `${typeOf((p.items ?? {}) as Json)}[]`;
  if (typeof p.type === 'string') return p.type === 'integer' ? 'int' : p.type;
  return 'any';
}
