import type { JsonSchema } from './openapi-document.js';

/** One field of a JSON body, for the reference pages' tables. */
export interface FieldRow {
  /** dotted path; `[]` steps into array items, `*` into a map's values */
  field: string;
  type: string;
  required: boolean;
  notes: string;
}

/** zod writes these bounds on every integer; they say nothing a reader needs. */
const SAFE_BOUNDS = new Set([Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER]);

const refName = (ref: string) => ref.slice(ref.lastIndexOf('/') + 1);
const alternatives = (s: JsonSchema) => s.anyOf ?? s.oneOf;

/** The object a schema describes, also when it is nullable (`anyOf: [object, null]`). */
function objectOf(s: JsonSchema): JsonSchema | undefined {
  if (s.properties || (typeof s.additionalProperties === 'object' && s.type === 'object')) return s;
  const objects = (alternatives(s) ?? []).map(objectOf).filter((o) => o !== undefined);
  return objects.length === 1 ? objects[0] : undefined;
}

function itemsOf(s: JsonSchema): JsonSchema | undefined {
  if (s.items) return s.items;
  const items = (alternatives(s) ?? []).map(itemsOf).filter((i) => i !== undefined);
  return items.length === 1 ? items[0] : undefined;
}

/** `string (date-time) | null`, `"a" | "b"`, `integer[]`, `map of integer`, `Error` for a $ref. */
export function typeLabel(s: JsonSchema): string {
  if (s.$ref) return refName(s.$ref);
  const alts = alternatives(s);
  if (alts) return [...new Set(alts.map(typeLabel))].join(' | ');
  if ('const' in s) return JSON.stringify(s.const);
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(' | ');
  const types = Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
  if (types.length === 0) return 'any';
  return types
    .map((t) => {
      if (t === 'array') {
        const inner = s.items ? typeLabel(s.items) : 'any';
        return inner.includes(' ') ? `(${inner})[]` : `${inner}[]`;
      }
      if (t === 'object' && !s.properties && typeof s.additionalProperties === 'object') {
        return `map of ${typeLabel(s.additionalProperties)}`;
      }
      return t === 'string' && s.format ? `string (${s.format})` : t;
    })
    .join(' | ');
}

function range(min: number | undefined, max: number | undefined, unit: string): string | undefined {
  const lo = min === undefined || SAFE_BOUNDS.has(min) ? undefined : min;
  const hi = max === undefined || SAFE_BOUNDS.has(max) ? undefined : max;
  if (lo !== undefined && hi !== undefined) return lo === hi ? `exactly ${lo}${unit}` : `${lo} to ${hi}${unit}`;
  if (lo !== undefined) return `at least ${lo}${unit}`;
  if (hi !== undefined) return `at most ${hi}${unit}`;
  return undefined;
}

/** What a reader must know besides the type: description, bounds, pattern, default. */
export function schemaNotes(s: JsonSchema): string {
  const plain = alternatives(s)?.find((a) => a.type !== 'null') ?? s;
  const notes = [
    s.description ?? plain.description,
    range(plain.minimum, plain.maximum, ''),
    plain.exclusiveMinimum !== undefined ? `greater than ${plain.exclusiveMinimum}` : undefined,
    plain.exclusiveMaximum !== undefined ? `less than ${plain.exclusiveMaximum}` : undefined,
    range(plain.minLength, plain.maxLength, ' characters'),
    range(plain.minItems, plain.maxItems, ' items'),
    plain.pattern && !plain.format ? `pattern \`${plain.pattern}\`` : undefined,
    s.default !== undefined ? `default \`${JSON.stringify(s.default)}\`` : undefined,
  ];
  return notes.filter((n) => n !== undefined && n !== '').join('; ');
}

/** Every field of a JSON body, nested ones after their parent. */
export function schemaFields(schema: JsonSchema, prefix = ''): FieldRow[] {
  const rows: FieldRow[] = [];
  const obj = objectOf(schema);
  const items = obj ? undefined : itemsOf(schema);
  if (items) return schemaFields(items, `${prefix}[]`);
  if (!obj) return rows;
  const entries = Object.entries(obj.properties ?? {});
  if (typeof obj.additionalProperties === 'object' && entries.length === 0) {
    entries.push(['*', obj.additionalProperties]);
  }
  for (const [name, prop] of entries) {
    const field = prefix ? `${prefix}.${name}` : name;
    rows.push({
      field,
      type: typeLabel(prop),
      required: obj.required?.includes(name) ?? false,
      notes: schemaNotes(prop),
    });
    rows.push(...schemaFields(prop, field));
  }
  return rows;
}
