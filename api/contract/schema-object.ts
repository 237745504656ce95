/**
 * zod schemas as OpenAPI 3.0 schema objects: the one translation from the validators to the document.
 * A schema with transforms is documented by what it accepts (its input), which is what a client sends.
 */
import type { SchemaObject } from '@nestjs/swagger';
import { z } from 'zod';
import { zodToJsonSchema } from 'zod-to-json-schema';

export type { SchemaObject };

export function schemaObject(schema: z.ZodTypeAny): SchemaObject {
  const json: Record<string, unknown> = zodToJsonSchema(schema as z.ZodType, { target: 'openApi3', $refStrategy: 'none', effectStrategy: 'input', pipeStrategy: 'input' });
  delete json.$schema;
  return json;
}

/** The fields of an object schema, each with its own schema and whether it must be given (query and path parameters). */
export function objectFields(schema: z.AnyZodObject): { name: string; schema: SchemaObject; required: boolean; description?: string }[] {
  return Object.entries(schema.shape as Record<string, z.ZodTypeAny>).map(([name, field]) => ({
    name,
    // A parameter's optionality is its `required`; its schema is what it is when given.
    schema: schemaObject(field instanceof z.ZodOptional ? (field.unwrap() as z.ZodTypeAny) : field),
    required: !field.isOptional(),
    ...(field.description ? { description: field.description } : {}),
  }));
}

/**
 * A whole number in a query string or a path: "12" becomes 12 before the number's own rules apply, so
 * the document says `integer` with its range, and "abc", "1.5" or "" are refused naming the rule.
 */
export function integerParam(rule: z.ZodNumber): z.ZodEffects<z.ZodNumber, number, unknown> {
  return z.preprocess((v) => (typeof v === 'string' && /^-?\d{1,16}$/.test(v) ? Number(v) : v), rule);
}
