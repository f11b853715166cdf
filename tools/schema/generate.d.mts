/** Types for tools/schema/generate.mjs (imported by test/schema-generate.test.ts). */
export const outputFile: string;
export function generate(): string;
