/** The outline: condition blocks (nested), assignments, includes, and backends of *.server keys. */
import { SymbolKind } from "vscode-languageserver/node";
import { tokenEnd, type ArrayElementNode, type Statement } from "../ast/nodes.js";
import { BACKEND_SERVER_KEYS } from "../schema/index.js";
import { elementsOf, expressionString } from "./locate.js";

/** An outline entry with offsets (the server turns them into ranges). */
export interface OutlineSymbol {
  name: string;
  detail?: string;
  kind: SymbolKind;
  start: number;
  end: number;
  selectionStart: number;
  selectionEnd: number;
  children: OutlineSymbol[];
}

const MAX_DETAIL = 60;

export function outline(body: Statement[], text: string): OutlineSymbol[] {
  const out: OutlineSymbol[] = [];
  for (const s of body) {
    if (s.kind === "assignment") {
      const key = s.key.image;
      const value = s.value ? oneLine(text.slice(s.value.start, s.value.end)) : "";
      const sym: OutlineSymbol = {
        name: key,
        detail: `${s.op?.image ?? ""} ${value}`.trim(),
        kind: /^var\./i.test(key) ? SymbolKind.Variable : SymbolKind.Property,
        start: s.start,
        end: s.end,
        selectionStart: s.key.startOffset,
        selectionEnd: tokenEnd(s.key),
        children: [],
      };
      if (BACKEND_SERVER_KEYS.includes(key.toLowerCase())) sym.children = backends(elementsOf(s.value), text);
      out.push(sym);
    } else if (s.kind === "conditionChain") {
      for (const b of s.branches) {
        const head = b.condition ? oneLine(text.slice(b.condition.start, b.condition.end)) : "";
        const name = (b.elseToken ? `else ${head}` : head).trim() || "else";
        const selection = b.condition ?? { start: b.elseToken?.startOffset ?? b.start, end: b.elseToken ? tokenEnd(b.elseToken) : b.start };
        out.push({
          name,
          kind: SymbolKind.Namespace,
          start: b.start,
          end: b.end,
          selectionStart: selection.start,
          selectionEnd: selection.end,
          children: b.block ? outline(b.block.body, text) : [],
        });
      }
    } else if (s.kind === "global") {
      out.push({
        name: "global",
        kind: SymbolKind.Namespace,
        start: s.start,
        end: s.end,
        selectionStart: s.keyword.startOffset,
        selectionEnd: tokenEnd(s.keyword),
        children: s.block ? outline(s.block.body, text) : [],
      });
    } else if (s.kind === "include") {
      out.push({ name: oneLine(text.slice(s.start, s.end)), kind: SymbolKind.File, start: s.start, end: s.end, selectionStart: s.start, selectionEnd: s.end, children: [] });
    }
  }
  return out;
}

/** `( ".php" => ( "label" => ( "socket" => ... ) ) )`: one entry per extension, one child per host. */
function backends(extensions: ArrayElementNode[], text: string): OutlineSymbol[] {
  return extensions.map((ext) => {
    const name = expressionString(ext.key) ?? oneLine(text.slice(ext.start, ext.end));
    const hosts = elementsOf(ext.value).map((host, i) => {
      const label = expressionString(host.key);
      const fields = elementsOf(host.value);
      const field = (k: string) => {
        const e = fields.find((f) => expressionString(f.key)?.toLowerCase() === k);
        return e?.value ? oneLine(text.slice(e.value.start, e.value.end)) : undefined;
      };
      const socket = field("socket");
      const hostPort = field("host") ? `${field("host")}${field("port") ? `:${field("port")}` : ""}` : undefined;
      const binPath = field("bin-path");
      const target = [socket ?? hostPort, binPath && `bin-path ${binPath}`].filter(Boolean).join(", ");
      const keyStart = host.key?.start ?? host.start;
      const keyEnd = host.key?.end ?? host.start + 1;
      return {
        name: label ?? `backend ${i + 1}`,
        detail: target || undefined,
        kind: SymbolKind.Object,
        start: host.start,
        end: host.end,
        selectionStart: keyStart,
        selectionEnd: keyEnd,
        children: [],
      } satisfies OutlineSymbol;
    });
    const keyStart = ext.key?.start ?? ext.start;
    return { name, kind: SymbolKind.Module, start: ext.start, end: ext.end, selectionStart: keyStart, selectionEnd: ext.key?.end ?? ext.end, children: hosts };
  });
}

function oneLine(s: string): string {
  const one = s.replace(/\s+/g, " ").trim();
  return one.length > MAX_DETAIL ? one.slice(0, MAX_DETAIL - 1) + "…" : one;
}
