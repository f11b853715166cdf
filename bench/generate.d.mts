/** Types for bench/generate.mjs (imported by tests). */
export function generateConfig(lines: number): string;
export function generateFindingsConfig(vhosts: number): string;
