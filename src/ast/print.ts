/** Reproduces the source text from the lossless tree. */
import { isToken, type Child } from "./nodes.js";

export function print(node: Child): string {
  const out: string[] = [];
  const walk = (c: Child): void => {
    if (isToken(c)) out.push(c.image);
    else for (const ch of c.children) walk(ch);
  };
  walk(node);
  return out.join("");
}
