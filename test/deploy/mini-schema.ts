/**
 * A small hand-written structural schema checker for deployment files (no network, no cluster, no Docker
 * engine here): types, required fields, allowed keys, patterns and enums. Returns every problem with its path.
 */
export type Schema =
  | { type: 'object'; required?: string[]; properties?: Record<string, Schema>; additional?: boolean | Schema }
  | { type: 'array'; items: Schema; minItems?: number }
  | { type: 'string'; pattern?: RegExp; enum?: string[] }
  | { type: 'integer'; min?: number; max?: number }
  | { type: 'boolean' }
  | { type: 'any' }
  | { oneOf: Schema[] };

export function check(value: unknown, schema: Schema, path = '$'): string[] {
  if ('oneOf' in schema) {
    const results = schema.oneOf.map((s) => check(value, s, path));
    return results.some((r) => r.length === 0)
      ? []
      : [`${path}: matches none of ${schema.oneOf.length} alternatives (${results.map((r) => r[0]).join(' | ')})`];
  }
  switch (schema.type) {
    case 'any':
      return [];
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${path}: expected a boolean`];
    case 'integer': {
      if (typeof value !== 'number' || !Number.isInteger(value))
        return [`${path}: expected an integer, got ${JSON.stringify(value)}`];
      if (schema.min !== undefined && value < schema.min) return [`${path}: ${value} < ${schema.min}`];
      if (schema.max !== undefined && value > schema.max) return [`${path}: ${value} > ${schema.max}`];
      return [];
    }
    case 'string': {
      if (typeof value !== 'string') return [`${path}: expected a string, got ${JSON.stringify(value)}`];
      if (schema.enum && !schema.enum.includes(value))
        return [`${path}: ${JSON.stringify(value)} not one of ${schema.enum.join(', ')}`];
      if (schema.pattern && !schema.pattern.test(value))
        return [`${path}: ${JSON.stringify(value)} does not match ${schema.pattern}`];
      return [];
    }
    case 'array': {
      if (!Array.isArray(value)) return [`${path}: expected an array`];
      if (schema.minItems !== undefined && value.length < schema.minItems)
        return [`${path}: fewer than ${schema.minItems} items`];
      return value.flatMap((v, i) => check(v, schema.items, `${path}[${i}]`));
    }
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${path}: expected an object`];
      const obj = value as Record<string, unknown>;
      const errors = (schema.required ?? []).filter((k) => obj[k] === undefined).map((k) => `${path}.${k}: required`);
      for (const [k, v] of Object.entries(obj)) {
        const sub = schema.properties?.[k];
        if (sub) errors.push(...check(v, sub, `${path}.${k}`));
        else if (schema.additional === false) errors.push(`${path}.${k}: unknown field`);
        else if (typeof schema.additional === 'object') errors.push(...check(v, schema.additional, `${path}.${k}`));
      }
      return errors;
    }
  }
}

/** Every key the apps' configuration schemas accept (the contract's variables plus documented extras). */
export async function knownConfigKeys(): Promise<Set<string>> {
  const mods = await Promise.all([
    import('../../apps/api/dist/config.js'),
    import('../../apps/ingest/dist/config.js'),
    import('../../apps/worker/dist/config.js'),
  ]);
  const keys = new Set<string>();
  for (const m of mods) {
    for (const value of Object.values(m)) {
      const shape = (value as { shape?: Record<string, unknown> })?.shape;
      if (shape) for (const k of Object.keys(shape)) keys.add(k);
    }
  }
  return keys;
}

export const str = (pattern?: RegExp): Schema => ({ type: 'string', ...(pattern ? { pattern } : {}) });
export const int = (min?: number): Schema => ({ type: 'integer', ...(min !== undefined ? { min } : {}) });
export const obj = (
  properties: Record<string, Schema>,
  required: string[] = [],
  additional: boolean | Schema = false,
): Schema => ({ type: 'object', properties, required, additional });
export const arr = (items: Schema, minItems?: number): Schema => ({
  type: 'array',
  items,
  ...(minItems !== undefined ? { minItems } : {}),
});
export const strMap: Schema = { type: 'object', additional: { type: 'string' } };
