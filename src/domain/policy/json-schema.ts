import { z } from 'zod';
import { policySchema } from './schema.js';

/** The JSON Schema of the policy file as a person writes it (input form: phrases like "7 business days" allowed). */
export function policyJsonSchema(): unknown {
  return {
    ...z.toJSONSchema(policySchema, { io: 'input', unrepresentable: 'any' }),
    $id: 'https://cvdesk.dev/schemas/policy-v1.json',
    title: 'cvdesk policy file',
  };
}
