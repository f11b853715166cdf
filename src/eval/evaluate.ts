/**
 * The evaluator: reads the main config and everything it includes the way lighttpd 1.4's
 * configparser.y does while it parses (variables, `+`/`+=`/`:=`, condition contexts merged by
 * their text, else chains, includes resolved against the main config's directory), and records
 * every problem lighttpd would stop at as a Diagnostic instead of stopping.
 *
 * It never throws and never runs include_shell commands unless asked to.
 */
import fs from "node:fs";
import path from "node:path";
import type { Fix, RelatedLocation } from "../ast/diagnostics.js";
import {
  assignmentKey,
  assignmentKeyEnd,
  assignmentOperator,
  conditionBracketEnd,
  conditionObject,
  conditionOperator,
  elementKeyEnd,
  foldedValueLength,
  isFoldedStringElement,
  onlyOperand,
  singleStringLiteral,
  tokenEnd,
  unmadeKeyString,
  unmadeKind,
  unmadeString,
  unmadeValueString,
} from "../ast/nodes.js";
import type {
  ArrayElementNode,
  ArrayNode,
  AssignmentNode,
  BranchNode,
  ConditionChainNode,
  ConditionNode,
  ExpressionNode,
  GlobalNode,
  IncludeNode,
  Statement,
  ValueNode,
} from "../ast/nodes.js";
import { parseConfig, type ParseResult } from "../parse/parse.js";
import { FileRefused, readBounded } from "../util/read-file.js";
import { MAX_TOKENS } from "../../grammar/tokenizer.js";
import { decodeSource, encodeText, looksBinary, MAX_CONFIG_BYTES, type SourceText as DecodedSource } from "../parse/source.js";
import { compKind, negate, negationChar, normalizeHost, normalizeRemoteIp, simplifyRegex, KNOWN_CONDITION_FIELDS } from "./conditions.js";
import { debianHelperOutput, systemHelperEnv } from "./debian-helpers.js";
import { glob, hasGlobMetachars } from "./glob.js";
import { dumpFormat, languageFeatures } from "../util/version.js";
import { childProcess } from "../util/lazy-node.js";
import { fitted } from "../util/arrays.js";
import type {
  ArrayItem,
  ArrayValue,
  AssignmentSite,
  Condition,
  ConditionOperator,
  Context,
  EvaluateOptions,
  EvaluatedConfig,
  EvalFinding,
  EvalRuleId,
  Origin,
  Setting,
  SourceFile,
  Value,
} from "./model.js";
import {
  asciiLower,
  copyArray,
  integerValue,
  literalInteger,
  literalString,
  mergeValues,
  parseIntegerLiteral,
  readVariable,
  stringValue,
  typeName,
  unknownValue,
  FoldedItem,
  ListItem,
  ListKeys,
  type DuplicateKey,
  type Span,
} from "./values.js";

/** lighttpd 1.4 keeps per-request match state in `unsigned char matches[4096]` and aborts beyond it. */
export const MAX_CONDITIONS = 4095;

/** The file a statement is being read from, and the include statements that led there. */
interface Scope {
  path: string;
  source: SourceFile;
  chain: Origin[];
}

export function evaluate(mainPath: string, options: EvaluateOptions): EvaluatedConfig {
  try {
    return new Evaluator(mainPath, options).run();
  } catch (e) {
    // A bug of ours must not take the linter down: report it and return what is certain.
    const global: Context = { id: 0, branches: [], settings: new Map(), children: [], key: "global", printOrder: [] };
    const message = `lighttpd-lint could not evaluate this configuration (internal error: ${e instanceof Error ? e.message : String(e)})`;
    return {
      main: mainPath,
      version: options.version,
      global,
      contexts: [global],
      files: new Map(),
      incomplete: true,
      diagnostics: [{ ruleId: "internal-error", message, file: mainPath, start: 0, end: 0 }],
    };
  }
}

const OPERATORS_WITH_NORMALIZED_HOST = new Set(["==", "!=", "=^", "=$"]);

class Evaluator {
  private readonly cwd: string;
  private readonly env: Record<string, string | undefined>;
  private readonly basedir: string;
  private readonly config: EvaluatedConfig;
  private readonly global: Context;
  /** Condition contexts by lighttpd's context key, lower-cased (lighttpd looks them up caselessly). */
  private readonly contextsByKey = new Map<string, Context>();
  /** lighttpd's configs_stack: the contexts to return to when a block ends. */
  private readonly stack: Context[] = [];
  private current: Context;
  /** Real paths of the files being read right now (include cycle detection). */
  private readonly reading: string[] = [];
  private readonly readingSet = new Set<string>();
  /** realpath(3) of each path seen, and each real file's bytes and parse: a glob through symlink loops names one file thousands of times. */
  private readonly realPaths = new Map<string, string>();
  private readonly parsedByReal = new Map<string, { source: SourceFile }>();
  private tooDeepReported = false;
  /** Each value's size (characters + nodes, counting shared parts as often as they occur), memoised. */
  private readonly weights = new WeakMap<Value, number>();
  /** `else { }` contexts (lighttpd's CONFIG_COND_ELSE). */
  private readonly catchAll = new WeakSet<Context>();
  /** Each setting's index in its context's printOrder. */
  private readonly slot = new WeakMap<Setting, number>();
  /**
   * For each key (lower-cased), the context with the lowest id that sets it: what a scan of
   * config.contexts would find first, kept up to date as settings are added (settings are never
   * removed), so that each undefined variable's message costs no scan of every context.
   */
  private readonly firstSetter = new Map<string, Context>();
  /**
   * One copy of each key, variable name and condition word: a large config writes a few dozen of
   * them 100,000s of times, and each would otherwise keep its own slice of the text (0.7 MB for
   * 100,000 lines).
   */
  private readonly words = new Map<string, string>();
  /** A skipped include_shell may have defined anything after this point. */
  private gap = false;
  private tooManyReported = false;

  constructor(
    private readonly mainPath: string,
    private readonly options: EvaluateOptions,
  ) {
    this.cwd = options.cwd ?? process.cwd();
    this.env = options.env ?? process.env;
    // configfile.c: config_read() keeps everything up to the last '/' of the -f argument.
    const slash = mainPath.lastIndexOf("/");
    this.basedir = slash >= 0 ? mainPath.slice(0, slash + 1) : "";
    this.global = { id: 0, branches: [], settings: new Map(), children: [], key: "global", printOrder: [] };
    this.current = this.global;
    this.config = { main: mainPath, version: options.version, global: this.global, contexts: [this.global], files: new Map(), diagnostics: [], incomplete: false };
    if (this.options.snippet) this.config.snippet = true;
  }

  run(): EvaluatedConfig {
    // configfile.c: config_vars_init() predefines var.CWD and var.PID in the global context.
    // pid null: unknown (lint), so no message quotes a value that changes on every run
    const pid = this.options.pid === null ? unknownValue("var.PID (lighttpd's process id, known only when it starts)") : integerValue(this.options.pid ?? process.pid);
    if (dumpFormat(this.options.version).pidBeforeCwd) {
      this.predefine("var.PID", pid);
      this.predefine("var.CWD", stringValue(this.cwd));
    } else {
      this.predefine("var.CWD", stringValue(this.cwd));
      this.predefine("var.PID", pid);
    }
    const readPath = path.resolve(this.cwd, this.mainPath);
    const source = this.readFile(readPath, this.mainPath, []);
    if (!source || source instanceof FileRefused) {
      const message =
        source instanceof FileRefused
          ? source.reason === "too-large"
            ? `the configuration file ${this.mainPath} has ${source.size} bytes: lighttpd refuses config files of 32 MiB or more ("Value too large"), so lighttpd-lint does not read it either`
            : `the configuration file ${this.mainPath} is a ${source.kind}, not a regular file: lighttpd-lint does not read it`
          : `cannot read the configuration file ${this.mainPath}`;
      const ruleId = source instanceof FileRefused ? (source.reason === "too-large" ? "input-too-large" : "not-regular-file") : "include-not-found";
      this.config.diagnostics.push({ ruleId, severity: "error", message, file: this.mainPath, start: 0, end: 0 });
      this.config.incomplete = true;
      return this.config;
    }
    const real = this.realPath(readPath);
    this.reading.push(real);
    this.readingSet.add(real);
    this.statements({ path: this.mainPath, source, chain: [] }, source.parse.tree.body);
    this.reading.pop();
    this.readingSet.delete(real);
    return this.config;
  }

  // ---------------------------------------------------------------------------------------------
  // Statements

  private statements(scope: Scope, body: Statement[]): void {
    for (const statement of body) {
      switch (statement.kind) {
        case "assignment":
          this.assignment(scope, statement);
          break;
        case "conditionChain":
          this.conditionChain(scope, statement);
          break;
        case "include":
          this.include(scope, statement);
          break;
        case "global":
          this.globalBlock(scope, statement);
          break;
        default:
          break; // stray tokens: lighttpd drops them (the parser reports them)
      }
    }
  }

  private assignment(scope: Scope, node: AssignmentNode): void {
    // Read without making the key's and operator's tokens (a lazy parse keeps them as indexes).
    const operator = assignmentOperator(node) as AssignmentSite["operator"] | undefined;
    if (!operator || !node.value) return;
    const written = this.word(assignmentKey(node));
    // configparser.y: a key without a '.' is a var.* name.
    const key = written.includes(".") ? written : this.word(`var.${written}`);
    const value = this.expression(scope, node.value);
    if (!value) return;
    const site: AssignmentSite = { file: scope.path, node, operator };
    const keyStart = node.start;
    const keyEnd = assignmentKeyEnd(node);
    if (key.startsWith("env.")) {
      const what = operator === "+=" ? "Appending to" : "Setting";
      this.report(
        scope,
        "env-assign",
        `${what} ${key} is not possible: env.* names only read the process environment, and lighttpd refuses the assignment ("${operator === "+=" ? "Appending" : "Setting"} env variable is not supported"). Use a var.* name instead`,
        keyStart,
        keyEnd,
      );
      return;
    }
    const context = this.current;
    const lower = asciiLower(key);
    const existing = context.settings.get(lower);
    if (operator === "=") {
      if (existing) {
        this.reportDuplicateKey(scope, key, existing, context, keyStart, keyEnd, this.operatorSuggestions(node, existing.value, value));
        existing.sites.push(site);
        return;
      }
      this.addSetting(context, key, value, site);
      return;
    }
    if (operator === ":=") {
      if (existing) {
        existing.value = value;
        existing.printedKey = key;
        existing.sites.push(site);
      } else {
        this.addSetting(context, key, value, site);
      }
      return;
    }
    // `+=`: merge with the value in this block, else with a copy of the enclosing blocks' value,
    // else it is a plain assignment.
    if (existing) {
      existing.value = this.merge(scope, existing.value, value, true, node.value);
      existing.printedKey = key;
      existing.sites.push(site);
      this.moveLast(context, existing);
      return;
    }
    const inherited = this.lookup(context.parent, lower);
    if (inherited) {
      const base = inherited.value.type === "array" ? copyArray(inherited.value) : inherited.value;
      // configparser.y copies the enclosing value here: a later `+=` out there does not reach this block
      (this.config.reads ??= []).push({
        key: written,
        file: scope.path,
        start: keyStart,
        end: keyEnd,
        setting: inherited,
        sitesBefore: inherited.sites.length,
        value: inherited.value.type === "array" ? copyArray(inherited.value) : inherited.value,
        inherited: true,
      });
      this.addSetting(context, key, this.merge(scope, base, value, true, node.value), site);
      return;
    }
    this.addSetting(context, key, value, site);
  }

  /** `:=` (the second value wins, as the author probably meant) and, for two lists, `+=`. */
  private operatorSuggestions(node: AssignmentNode, first: Value, second: Value): Fix[] {
    const op = node.op!;
    const range: [number, number] = [op.startOffset, tokenEnd(op)];
    const out: Fix[] = [{ description: 'replace "=" with ":=" (this value replaces the earlier one)', edits: [{ range, text: ":=" }] }];
    if (first.type === "array" && second.type === "array") out.push({ description: 'replace "=" with "+=" (append to the earlier list)', edits: [{ range, text: "+=" }] });
    return out;
  }

  private reportDuplicateKey(scope: Scope, key: string, existing: Setting, context: Context, start: number, end: number, suggestions: Fix[]): void {
    const first = existing.sites[0];
    const where = context.id === 0 ? "the global scope" : `this block (block ${context.id}: ${context.condition?.text ?? "else"})`;
    const related: RelatedLocation[] = [];
    let firstText = "";
    if (first) {
      related.push({ message: `${existing.key} is first set here`, file: first.file, start: first.node.start, end: assignmentKeyEnd(first.node) });
      firstText = ` (first set at ${this.describe(first.file, first.node.start)})`;
    } else if (existing.predefined) {
      firstText = " (lighttpd predefines it)";
    }
    const message = `${key} is already set in ${where}${firstText}: lighttpd refuses a second "=" ("Duplicate config variable"). Use ":=" to replace the value or "+=" to append to it`;
    this.report(scope, "duplicate-key", message, start, end, related, suggestions);
  }

  private conditionChain(scope: Scope, chain: ConditionChainNode): void {
    let previous: Context | undefined;
    for (const branch of chain.branches) {
      if (!branch.block) return; // the parser reports the missing block
      let context: Context | undefined;
      if (branch.condition) context = this.conditionContext(scope, branch, branch.condition);
      else if (previous) context = this.elseContext(scope, branch);
      if (!context) return;
      this.push(scope, context, branch.elseToken ?? branch.condition ?? branch);
      this.statements(scope, branch.block.body);
      this.pop();
      if (previous && branch.elseToken) this.linkElse(scope, branch, previous, context);
      previous = context;
    }
  }

  /** configparser.y condlines: the checks and links made when an else branch's block has been read. */
  private linkElse(scope: Scope, branch: BranchNode, previous: Context, context: Context): void {
    const start = branch.elseToken!.startOffset;
    const end = branch.condition ? branch.condition.end : tokenEnd(branch.elseToken!);
    if (this.catchAll.has(previous)) {
      this.report(
        scope,
        "unreachable-else",
        `this branch follows a catch-all "else" and can never match; lighttpd refuses it ("unreachable condition following else catch-all")`,
        start,
        end,
      );
      return;
    }
    if (branch.condition) {
      if (previous.id >= context.id) {
        const related = this.firstSite(context);
        this.report(
          scope,
          "unreachable-else",
          `this else branch's condition ${context.condition?.text ?? ""} is the same block as an earlier condition (block ${context.id}), so lighttpd refuses it ("unreachable else condition")`,
          start,
          end,
          related,
        );
        return;
      }
      context.prev = previous;
      previous.next = context;
      return;
    }
    this.rekeyElse(scope, previous, context, start, end);
  }

  /**
   * An `else { }` is keyed "<parent> / else_tmp_token" while its block is read, then re-keyed as
   * the negation of the previous condition (the operator's first character is overwritten, at a
   * position computed from the normalized value's length, exactly as configparser.y does).
   */
  private rekeyElse(scope: Scope, previous: Context, context: Context, start: number, end: number): void {
    const prevCondition = previous.condition;
    const prevKey = previous.key;
    if (!prevCondition || !prevKey || previous.invalid) return;
    const compared = prevCondition.normalized ?? prevCondition.value;
    const pos = prevKey.length - compared.length - 5;
    if (pos < 0 || pos >= prevKey.length) return;
    const key = prevKey.slice(0, pos) + negationChar(prevCondition.op) + prevKey.slice(pos + 1);
    const condition: Condition = {
      object: prevCondition.object,
      field: prevCondition.field,
      op: negate(prevCondition.op),
      value: prevCondition.value,
      text: key.slice(key.length - prevCondition.text.length),
      sites: [],
      normalized: prevCondition.normalized,
    };
    context.key = key;
    context.condition = condition;
    const existing = this.contextsByKey.get(asciiLower(key));
    if (existing) {
      this.report(
        scope,
        "unreachable-else",
        `this else means ${condition.text}, which is already the condition of block ${existing.id}; lighttpd refuses it ("unreachable else condition")`,
        start,
        end,
        this.firstSite(existing),
      );
      return;
    }
    this.contextsByKey.set(asciiLower(key), context);
    context.prev = previous;
    previous.next = context;
  }

  private firstSite(context: Context): RelatedLocation[] {
    const site = context.branches[0];
    if (!site) return [];
    const node = site.node.condition ?? site.node;
    return [{ message: `block ${context.id} is opened here`, file: site.file, start: node.start, end: node.end }];
  }

  private conditionContext(scope: Scope, branch: BranchNode, node: ConditionNode): Context | undefined {
    // The object's and operator's text without making their tokens (a lazy parse keeps them as indexes).
    const objectWritten = conditionObject(node);
    const object = objectWritten === undefined ? undefined : this.word(objectWritten);
    const opWritten = conditionOperator(node);
    const writtenOp = opWritten === undefined ? undefined : (this.word(opWritten) as ConditionOperator);
    if (object === undefined || !node.field || writtenOp === undefined || !node.value) return undefined;
    const fieldValue = this.expression(scope, node.field);
    const rvalue = this.expression(scope, node.value);
    if (!fieldValue || !rvalue) return undefined;
    const fieldWritten = this.stringOperand(scope, fieldValue, node.field, "the condition's field name");
    const field = fieldWritten === undefined ? undefined : this.word(fieldWritten);
    let invalid = false;
    let value: string | undefined;
    if (rvalue.type === "string") value = rvalue.value;
    else if (rvalue.type === "integer" || rvalue.type === "array") {
      this.report(
        scope,
        "invalid-condition",
        `a condition compares with a string, not ${typeName(rvalue)}: lighttpd refuses it ("rvalue must be string")${rvalue.type === "integer" ? `; write "${rvalue.value}"` : ""}`,
        node.value.start,
        node.value.end,
      );
      invalid = true;
      value = rvalue.type === "integer" ? String(rvalue.value) : "";
    }
    if (field === undefined || value === undefined) {
      // Unknown (skipped include_shell, snippet) or not a string: a block of its own that merges with nothing.
      if (fieldValue.type === "array") invalid = true;
      const condition: Condition = {
        object,
        field: field ?? "?",
        op: writtenOp,
        value: value ?? "?",
        text: `$${object}[${JSON.stringify(field ?? "?")}] ${writtenOp} ?`,
        sites: [{ file: scope.path, node }],
        writtenOp,
        unknown: true,
      };
      const context = this.newContext(scope, node, undefined, condition, branch);
      // A key of its own, so that blocks nested in it merge with nothing outside it either.
      context.key = `${this.current.key ?? "global"} / <unknown condition ${context.id}>`;
      if (invalid) context.invalid = true;
      return context;
    }
    const kind = compKind(object, field);
    let op = writtenOp;
    let compared = value;
    // configparser_simplify_regex came with =^ and =$ in 1.4.65; older releases keep the regex as written.
    if (op === "=~" && kind !== "socket" && languageFeatures(this.options.version).prefixSuffixConditions) ({ op, value: compared } = simplifyRegex(value));
    const text = `$${object}["${field}"] ${op} "${compared}"`;
    const key = `${this.current.key ?? "global"} / ${text}`;
    const existing = this.contextsByKey.get(asciiLower(key));
    if (existing) {
      existing.branches.push({ file: scope.path, node: branch });
      existing.condition?.sites.push({ file: scope.path, node });
      return existing;
    }
    let normalized = compared;
    if (!kind) {
      const end = conditionBracketEnd(node) ?? node.field.end;
      this.report(
        scope,
        "invalid-condition",
        `$${object}["${field}"] is not a condition lighttpd knows ("error comp_key"); names are case-sensitive. Known: ${KNOWN_CONDITION_FIELDS.join(", ")}`,
        node.start,
        end,
      );
      invalid = true;
    } else if (kind === "remoteip" && OPERATORS_WITH_NORMALIZED_HOST.has(op)) {
      const r = normalizeRemoteIp(compared, languageFeatures(this.options.version).badCidrMaskRefused);
      normalized = r.value;
      if (!r.ok) invalid = this.invalidAddress(scope, node, compared);
    } else if (kind === "socket") {
      if (!(compared[0] === ":" || (compared[0] === "[" && compared[1] === "]") || compared[0] === "/" || compared[0] === "\\")) {
        const n = normalizeHost(compared);
        if (n === undefined) invalid = this.invalidAddress(scope, node, compared);
        else normalized = n;
      }
    } else if (kind === "host" && OPERATORS_WITH_NORMALIZED_HOST.has(op)) {
      const n = normalizeHost(compared);
      if (n === undefined) invalid = this.invalidAddress(scope, node, compared);
      else normalized = n;
    }
    const condition: Condition = { object, field, op, value, text, sites: [{ file: scope.path, node }], writtenOp, normalized };
    const context = this.newContext(scope, node, key, condition, branch);
    if (invalid) context.invalid = true;
    return context;
  }

  private invalidAddress(scope: Scope, node: ConditionNode, value: string): true {
    this.report(
      scope,
      "invalid-condition",
      `"${value}" is not a valid host or address for this condition: lighttpd refuses it ("invalid IP addr: ${value}")`,
      node.value!.start,
      node.value!.end,
    );
    return true;
  }

  private elseContext(scope: Scope, branch: BranchNode): Context {
    const context = this.newContext(scope, branch, undefined, undefined, branch);
    context.key = `${this.current.key ?? "global"} / else_tmp_token`;
    this.catchAll.add(context);
    return context;
  }

  private newContext(scope: Scope, at: { start: number; end: number }, key: string | undefined, condition: Condition | undefined, branch: BranchNode): Context {
    const parent = this.current;
    const context: Context = {
      id: this.config.contexts.length,
      parent,
      branches: [{ file: scope.path, node: branch }],
      settings: new Map(),
      children: [],
      printOrder: [],
    };
    if (condition) context.condition = condition;
    if (branch.elseToken) context.isElse = true;
    if (key !== undefined) {
      context.key = key;
      this.contextsByKey.set(asciiLower(key), context);
    }
    parent.children.push(context);
    this.config.contexts.push(context);
    if (context.id > MAX_CONDITIONS && !this.tooManyReported) {
      this.tooManyReported = true;
      this.report(
        scope,
        "too-many-conditions",
        `this is condition block ${context.id}: lighttpd 1.4 aborts with more than ${MAX_CONDITIONS} distinct condition blocks (assertion "sizeof(matches) >= srv->config_context->used"). Identical conditions share one block, so merge or simplify conditions`,
        at.start,
        at.end,
      );
    }
    return context;
  }

  /** configparser_push, including its refusal of conditions inside `global { }`. */
  private push(scope: Scope, context: Context, at: { start: number; end: number } | { startOffset: number; image: string }): void {
    if (this.stack.length > 0 && this.current.id === 0) {
      const [start, end] = "startOffset" in at ? [at.startOffset, at.startOffset + at.image.length] : [at.start, at.end];
      this.report(
        scope,
        "invalid-condition",
        `conditions (and nested global blocks) are not allowed inside global { }: lighttpd exits ("Cannot use conditionals inside a global { ... } block")`,
        start,
        end,
      );
    }
    this.stack.push(this.current);
    this.current = context;
  }

  private pop(): void {
    this.current = this.stack.pop() ?? this.global;
  }

  private globalBlock(scope: Scope, node: GlobalNode): void {
    if (!node.block) return;
    this.push(scope, this.global, node.keyword);
    this.statements(scope, node.block.body);
    this.pop();
  }

  // ---------------------------------------------------------------------------------------------
  // Includes

  private include(scope: Scope, node: IncludeNode): void {
    if (!node.arg) return;
    const value = this.expression(scope, node.arg);
    if (!value) return;
    const arg = this.stringOperand(scope, value, node.arg, node.shell ? "the include_shell command" : "the include path");
    if (arg === undefined) {
      if (value.type === "unknown") {
        this.config.incomplete = true;
        this.gap = true;
      }
      return;
    }
    if (node.shell) {
      this.includeShell(scope, node, arg);
      return;
    }
    const filename = this.includePath(arg);
    const matches = glob(filename, { cwd: this.cwd, exists: (p) => this.exists(p) });
    if (matches.length === 0) {
      if (!hasGlobMetachars(filename)) {
        const how =
          filename === arg && !path.isAbsolute(arg)
            ? ` (a path starting with ./ or ../ is relative to the working directory ${this.cwd})`
            : filename !== arg
              ? ` (relative include paths are resolved against the main config's directory ${this.basedir}, not the including file's)`
              : "";
        this.report(scope, "include-not-found", `include file not found: ${filename}${how}`, node.arg.start, node.arg.end);
      }
      return;
    }
    for (const match of matches) this.includeFile(scope, node, match);
  }

  /** configfile.c: config_parse_file(): which name lighttpd hands to glob(3). */
  private includePath(fn: string): string {
    const asGiven =
      this.basedir === "" ||
      fn[0] === "/" ||
      fn[0] === "\\" ||
      (fn[0] === "." && (fn[1] === "/" || fn[1] === "\\")) ||
      (fn[0] === "." && fn[1] === "." && (fn[2] === "/" || fn[2] === "\\"));
    return asGiven ? fn : this.basedir + fn;
  }

  private includeFile(scope: Scope, node: IncludeNode, match: string): void {
    const readPath = path.resolve(this.cwd, match);
    const display = this.options.cwd === undefined || path.isAbsolute(match) ? match : readPath;
    const real = this.realPath(readPath);
    if (this.readingSet.has(real)) {
      const chain = [...scope.chain.map((o) => o.file), scope.path, display].map((f) => path.basename(f)).join(" → ");
      this.report(
        scope,
        "include-cycle",
        `this include reads ${display} again while it is still being read (${chain}); lighttpd has no guard against this and fails or recurses until it runs out of resources`,
        node.start,
        node.end,
      );
      return;
    }
    // Each include costs a few stack frames: stop before the stack does (lighttpd has no limit,
    // but no real config nests includes this deep; 1000 files including each other is an attack).
    if (scope.chain.length >= MAX_INCLUDE_DEPTH) {
      if (!this.tooDeepReported) {
        this.tooDeepReported = true;
        this.report(
          scope,
          "include-too-deep",
          `includes nest more than ${MAX_INCLUDE_DEPTH} files deep here: lighttpd-lint does not follow them further (what they define is unknown, so checks that depend on it are skipped)`,
          node.start,
          node.end,
        );
      }
      this.config.incomplete = true;
      this.gap = true;
      return;
    }
    const at: Origin = { file: scope.path, start: node.start, end: node.end };
    let source = this.config.files.get(display);
    const cached = source ? undefined : this.parsedByReal.get(real);
    if (!source && cached) {
      // The same file under another name: reuse its text and parse, register it under this name.
      source = { ...cached.source, path: display, includeChain: [...scope.chain, at] };
      this.config.files.set(display, source);
    }
    if (!source) {
      const read = this.readFile(readPath, display, [...scope.chain, at]);
      if (read instanceof FileRefused) {
        this.reportRefused(scope, node, display, read);
        return;
      }
      if (!read) {
        this.report(scope, "include-not-found", `cannot read included file ${display} (lighttpd: "opening configfile ${match} failed")`, node.arg!.start, node.arg!.end);
        return;
      }
      source = read;
      this.parsedByReal.set(real, { source });
    }
    this.reading.push(real);
    this.readingSet.add(real);
    this.statements({ path: display, source, chain: [...scope.chain, at] }, source.parse.tree.body);
    this.reading.pop();
    this.readingSet.delete(real);
  }

  private includeShell(scope: Scope, node: IncludeNode, command: string): void {
    // Debian's own helper scripts: their output is computed from the files they read, never run.
    const helper = this.options.allowIncludeShell
      ? undefined
      : debianHelperOutput(command, {
          ...systemHelperEnv,
          readFile: (p) => {
            const bytes = this.readBytes(p);
            return bytes instanceof FileRefused ? undefined : bytes;
          },
        });
    if (helper !== undefined) {
      const at: Origin = { file: scope.path, start: node.start, end: node.end };
      const source = this.addFile(`include_shell:${command}`, Buffer.from(helper, "latin1"), [...scope.chain, at]);
      this.statements({ path: source.path, source, chain: [...scope.chain, at] }, source.parse.tree.body);
      return;
    }
    if (!this.options.allowIncludeShell) {
      this.report(
        scope,
        "include-shell-skipped",
        `include_shell "${command}" was not run (commands run only with --allow-include-shell): what it defines is unknown, so checks that depend on it are skipped`,
        node.start,
        node.end,
      );
      this.config.incomplete = true;
      this.gap = true;
      return;
    }
    const shellEnv = this.env.SHELL;
    const shell = shellEnv && shellEnv !== "/bin/false" && shellEnv !== "/usr/bin/false" ? shellEnv : "/bin/sh";
    const cwd = this.basedir === "" ? this.cwd : path.resolve(this.cwd, this.basedir);
    const run = childProcess().spawnSync(shell, ["-c", command], {
      cwd,
      env: this.env as NodeJS.ProcessEnv,
      input: "",
      timeout: this.options.includeShellTimeoutMs ?? 10_000,
      maxBuffer: 32 * 1024 * 1024,
    });
    if (run.error || run.status !== 0) {
      const why = run.error ? run.error.message : run.signal ? `was killed by ${run.signal}` : `exited with status ${run.status}`;
      this.report(scope, "include-not-found", `include_shell "${command}" failed: ${why} (lighttpd: "command exited non-zero")`, node.start, node.end);
      this.config.incomplete = true;
      this.gap = true;
      return;
    }
    const at: Origin = { file: scope.path, start: node.start, end: node.end };
    const source = this.addFile(`include_shell:${command}`, run.stdout, [...scope.chain, at]);
    this.statements({ path: source.path, source, chain: [...scope.chain, at] }, source.parse.tree.body);
  }

  /** Reads and parses a file. */
  private readFile(readPath: string, display: string, includeChain: Origin[]): SourceFile | FileRefused | undefined {
    const text = this.readText(readPath);
    if (text !== undefined) return this.addText(display, text, includeChain, readPath);
    const decoded = this.readDecoded(readPath, display, includeChain);
    if (!decoded || decoded instanceof FileRefused) return decoded;
    return this.addSource(display, decoded, includeChain, readPath);
  }

  /**
   * A file's text. Its bytes stay in this call, which returns before the parse: in the frame of one
   * that parses (and so across the parse's young-generation collections) a 5 MB config's buffer was
   * promoted and then lived, outside V8's heap, until the next full collection, often the end.
   */
  private readDecoded(readPath: string, display: string, includeChain: Origin[]): DecodedSource | FileRefused | undefined {
    const bytes = this.readBytes(readPath);
    if (!bytes || bytes instanceof FileRefused) return bytes;
    return this.decodeFile(display, bytes, includeChain);
  }

  private decodeFile(display: string, bytes: Uint8Array, includeChain: Origin[]): DecodedSource {
    return this.refuseInput(display, bytes, includeChain) ? { text: "", encoding: "utf8" } : decodeSource(bytes);
  }

  /**
   * A file held as text (EvaluateOptions.readText), read as its UTF-8 bytes would be (addFile): only
   * the start is encoded to look for binary data, unless something about it needs all the bytes.
   */
  private addText(display: string, text: string, includeChain: Origin[], readPath: string): SourceFile {
    // A lone surrogate becomes U+FFFD in UTF-8 (Node 18 cannot tell cheaply: it takes the bytes' way).
    const wellFormed = (text as { isWellFormed?: () => boolean }).isWellFormed?.() === true;
    // looksBinary reads at most the first 8 KiB, which come from at most the first 8 Ki characters.
    // A UTF-16 unit is at most 3 UTF-8 bytes: most texts are too short to reach the limit uncounted.
    const tooLarge = text.length * 3 >= MAX_CONFIG_BYTES && Buffer.byteLength(text, "utf8") >= MAX_CONFIG_BYTES;
    if (!wellFormed || tooLarge || looksBinary(Buffer.from(text.slice(0, 8192), "utf8"))) return this.addFile(display, encodeText(text), includeChain, readPath);
    return this.addSource(display, { text, encoding: "utf8" }, includeChain, readPath);
  }

  /** `readPath`: the file's absolute path, for the `parse` option (absent for include_shell output). */
  private addFile(display: string, bytes: Uint8Array, includeChain: Origin[], readPath?: string): SourceFile {
    return this.addSource(display, this.decodeFile(display, bytes, includeChain), includeChain, readPath);
  }

  private addSource(display: string, decoded: DecodedSource, includeChain: Origin[], readPath?: string): SourceFile {
    const { text, encoding, invalidUtf8At } = decoded;
    const parse: ParseResult = this.parse(text, readPath);
    const source: SourceFile = { path: display, text, parse, includeChain, encoding };
    if (parse.unreadFrom !== undefined) {
      this.pushDiagnostic({
        ruleId: "input-too-large",
        severity: "warning",
        file: display,
        start: parse.unreadFrom,
        end: parse.unreadFrom,
        message: `the file has more than ${MAX_TOKENS} tokens: lighttpd-lint reads it only up to here (a bound on its work, see docs/limits.md) and does not check the rest`,
      });
      this.config.incomplete = true;
    }
    if (invalidUtf8At !== undefined && invalidUtf8At >= 0) {
      source.invalidUtf8At = invalidUtf8At;
      this.pushDiagnostic({
        // Decoded as Latin-1, a character offset is the byte offset.
        ruleId: "invalid-utf8",
        file: display,
        start: invalidUtf8At,
        end: invalidUtf8At + 1,
        message: `the file is not valid UTF-8 (first invalid byte at byte offset ${invalidUtf8At}); lighttpd does not mind, but editors and tools may mangle it. lighttpd-lint reads it byte for byte (as Latin-1) and keeps linting`,
      });
    }
    if (!this.config.files.has(display)) this.config.files.set(display, source);
    return source;
  }

  /** The caller's parse of the text when it has one for exactly this text and version (the LSP's incremental one), else a new one. */
  private parse(text: string, readPath: string | undefined): ParseResult {
    const version = this.options.version;
    const given = readPath !== undefined ? this.options.parse?.(readPath, text, version) : undefined;
    if (given && given.text === text && given.version === version) return given;
    // Evaluation and rules never look at white space and comments: they join the tree on demand.
    return parseConfig(text, { version, lazy: true });
  }

  /** Input lighttpd-lint does not parse: too large for lighttpd, or not text at all. */
  private refuseInput(display: string, bytes: Uint8Array, chain: Origin[]): boolean {
    const related = chain.length ? [{ message: "included from here", ...chain[chain.length - 1] }] : undefined;
    if (bytes.length >= MAX_CONFIG_BYTES) {
      this.pushDiagnostic({
        ruleId: "input-too-large",
        file: display,
        start: 0,
        end: 0,
        related,
        message: `the file has ${bytes.length} bytes: lighttpd refuses config files of 32 MiB or more ("opening configfile ... failed: Value too large"), so lighttpd-lint does not read it either`,
      });
      this.config.incomplete = true;
      return true;
    }
    if (looksBinary(bytes)) {
      // configfile.c stops at the first NUL ("stray NUL", a warning) and reads only what precedes it;
      // any other control byte before that is an invalid character, and the file is refused.
      const nul = bytes.indexOf(0);
      const otherControl = bytes.findIndex((c) => c !== 0 && c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12);
      const stopsAtNul = nul >= 0 && (otherControl < 0 || nul < otherControl);
      this.pushDiagnostic({
        ruleId: "not-text",
        file: display,
        start: 0,
        end: 0,
        related,
        ...(stopsAtNul
          ? {
              effect: "ignored" as const,
              message: `not a text config: the file holds binary data (control bytes), so lighttpd-lint does not lint it; lighttpd reads it only up to its first NUL byte (offset ${nul}) and ignores the rest`,
            }
          : { message: "not a text config: the file holds binary data (control bytes), so lighttpd-lint does not lint it; lighttpd would refuse it" }),
      });
      this.config.incomplete = true;
      return true;
    }
    return false;
  }

  private readText(p: string): string | undefined {
    try {
      return this.options.readText?.(p);
    } catch {
      return undefined;
    }
  }

  private readBytes(p: string): Uint8Array | FileRefused | undefined {
    try {
      if (this.options.readFile) return this.options.readFile(p);
      return readBounded(p);
    } catch (e) {
      return e instanceof FileRefused ? e : undefined;
    }
  }

  /** An include that names something lighttpd-lint will not read (src/util/read-file.ts). */
  private reportRefused(scope: Scope, node: IncludeNode, display: string, refused: FileRefused): void {
    const at = node.arg ?? node;
    if (refused.reason === "too-large") {
      this.report(
        scope,
        "input-too-large",
        `${display} has ${refused.size} bytes: lighttpd refuses config files of 32 MiB or more ("opening configfile ... failed: Value too large"), so lighttpd-lint does not read it either`,
        at.start,
        at.end,
      );
      this.config.incomplete = true;
    } else if (refused.kind === "directory") {
      this.report(
        scope,
        "not-regular-file",
        `${display} is a directory, not a file: lighttpd refuses the config ("opening configfile ${display} failed: Is a directory")`,
        at.start,
        at.end,
        [],
        undefined,
        "error",
      );
    } else {
      this.report(
        scope,
        "not-regular-file",
        `${display} is a ${refused.kind}, not a regular file: lighttpd reads as many bytes as fstat() reports (0 here), so this include reads as empty; lighttpd-lint does not read it either`,
        at.start,
        at.end,
      );
    }
  }

  private exists(p: string): boolean {
    const resolved = path.resolve(this.cwd, p);
    try {
      fs.lstatSync(resolved);
      return true;
    } catch {
      try {
        return this.readText(resolved) !== undefined || this.options.readFile?.(resolved) !== undefined;
      } catch {
        return false;
      }
    }
  }

  private realPath(p: string): string {
    let real = this.realPaths.get(p);
    if (real === undefined) {
      real = fileIdentity(p);
      this.realPaths.set(p, real);
    }
    return real;
  }

  // ---------------------------------------------------------------------------------------------
  // Values

  private expression(scope: Scope, node: ExpressionNode | undefined): Value | undefined {
    if (!node) return undefined;
    // A lazy parse's single literal (most values of a large config): read without making its node.
    const literal = unmadeString(node);
    if (literal !== undefined) return literalString(literal, scope.path, node.start, node.end);
    const kind = unmadeKind(node);
    if (kind !== undefined) return kind === "integer" ? this.integer(scope, node) : this.reference(scope, node);
    // One operand (most values): no list of operands to build.
    const single = onlyOperand(node);
    if (single) return this.operand(scope, single);
    const nodes = node.operands;
    if (nodes.length === 0) return undefined;
    const operands = nodes.map((o) => this.operand(scope, o));
    let result = operands[0];
    let owned = false;
    for (let i = 1; i < operands.length; i++) {
      if (result.type === "unknown") break;
      const merged = mergeValues(result, operands[i], owned && result.type === "array");
      if (merged.mismatch) {
        this.reportMismatch(scope, result, operands[i], nodes[0].start, nodes[i].end, "+");
        return unknownValue("data type mismatch", this.origin(scope, node));
      }
      this.reportDuplicates(scope, merged.duplicates);
      if (!this.sizeOk(scope, merged.value, this.weightOf(result) + this.weightOf(operands[i]) + 1, node))
        return unknownValue("a value too large to evaluate", this.origin(scope, node));
      result = merged.value;
      owned = true;
    }
    if (result.type === "unknown") return result;
    result.origin = this.origin(scope, node);
    result.parts = operands;
    delete result.fromVariable;
    return result;
  }

  /** `left += right` (in place when `left` is this block's own array). */
  private merge(scope: Scope, left: Value, right: Value, inPlace: boolean, at: ExpressionNode): Value {
    const weight = this.weightOf(left) + this.weightOf(right) + 1;
    const merged = mergeValues(left, right, inPlace);
    if (merged.mismatch) {
      this.reportMismatch(scope, left, right, at.start, at.end, "+=");
      return unknownValue("data type mismatch", this.origin(scope, at));
    }
    this.reportDuplicates(scope, merged.duplicates);
    if (!this.sizeOk(scope, merged.value, weight, at)) return unknownValue("a value too large to evaluate", this.origin(scope, at));
    return merged.value;
  }

  /**
   * A value's size: string characters plus one per node, counting a shared part as often as it
   * occurs (what a walk over the value costs). Memoised, so a merge costs O(1).
   */
  private weightOf(v: Value): number {
    // A literal string or integer (no parts) is never recorded (sizeOk and reference record only
    // merged values, copies and arrays): its weight is its length, with no table look-up. Most values
    // are such literals, and a WeakMap entry for each costs time and garbage-collection work.
    if (v.parts === undefined) {
      if (v.type === "string") return 1 + v.value.length;
      if (v.type === "integer") return 1;
    }
    const known = this.weights.get(v);
    if (known !== undefined) return known;
    let w = 1;
    if (v.type === "string") w += v.value.length;
    else if (v.type === "array") for (const item of v.items) w += 1 + (item.key?.length ?? 0) + this.weightOf(item.value);
    if (v.parts && v.type !== "array") for (const p of v.parts) w += this.weightOf(p);
    this.weights.set(v, w);
    return w;
  }

  /** Records `weight` for `value`; over MAX_VALUE_WEIGHT reports value-too-large (once per place) and answers false. */
  private sizeOk(scope: Scope, value: Value, weight: number, at: { start: number; end: number }): boolean {
    this.weights.set(value, weight);
    if (weight <= MAX_VALUE_WEIGHT) return true;
    this.report(
      scope,
      "value-too-large",
      `this value grows past ${MAX_VALUE_WEIGHT} characters and elements (e.g. a variable appended to itself again and again): lighttpd would build it in memory at startup; lighttpd-lint stops evaluating it and treats it as unknown`,
      at.start,
      at.end,
    );
    this.config.incomplete = true;
    return false;
  }

  private reportMismatch(scope: Scope, left: Value, right: Value, start: number, end: number, op: string): void {
    this.report(
      scope,
      "type-mismatch",
      `cannot combine ${typeName(left)} with ${typeName(right)} using "${op}": lighttpd refuses the config ("data type mismatch, cannot merge"). Only string+string, integer+integer, string+integer and list+list can be combined`,
      start,
      end,
    );
  }

  private reportDuplicates(scope: Scope, duplicates: DuplicateKey[]): void {
    for (const { existing, added } of duplicates) {
      const el = added.element;
      const start = added.keyOrigin?.start ?? el?.start;
      const end = added.keyOrigin?.end ?? el?.end;
      if (start === undefined || end === undefined) continue;
      const file = added.file ?? scope.path;
      const related: RelatedLocation[] = existing.keyOrigin
        ? [{ message: `"${existing.key}" is first set here`, file: existing.keyOrigin.file, start: existing.keyOrigin.start, end: existing.keyOrigin.end }]
        : [];
      const message = `"${added.key}" is already a key of the list this is appended to, with a different value: lighttpd refuses the config ("Duplicate array-key '${added.key}'")`;
      if (file === scope.path) this.report(scope, "duplicate-array-key", message, start, end, related);
      else this.pushDiagnostic({ ruleId: "duplicate-array-key", message, file, start, end, related: [...related, ...this.chainRelated(scope)] });
    }
  }

  private operand(scope: Scope, node: ValueNode): Value {
    switch (node.kind) {
      case "string":
        return literalString(node.value, scope.path, node.start, node.end);
      case "integer":
        return this.integer(scope, node);
      case "ref":
        return this.reference(scope, node);
      case "array":
        return this.array(scope, node);
    }
  }

  /** An integer literal spanning `at` (its node, or an expression of it alone). */
  private integer(scope: Scope, at: Span): Value {
    const digits = scope.source.text.slice(at.start, at.end);
    const literal = parseIntegerLiteral(digits);
    if (literal.problem === "range") {
      this.report(scope, "integer-overflow", `${digits} is too large: lighttpd refuses it ("error parsing number")`, at.start, at.end);
    } else if (literal.problem === "truncated") {
      this.report(scope, "integer-truncated", `${digits} does not fit lighttpd's integer (at most 2147483647): lighttpd silently uses ${literal.value}`, at.start, at.end);
    }
    return literalInteger(literal.value, scope.path, at.start, at.end);
  }

  /** A name read as a value, spanning `node` (its RefNode, or an expression of it alone). */
  private reference(scope: Scope, node: Span): Value {
    const written = this.word(scope.source.text.slice(node.start, node.end));
    const key = written.includes(".") ? written : this.word(`var.${written}`);
    const at = this.origin(scope, node);
    if (key.startsWith("env.")) {
      const name = key.slice(4);
      const value = Object.hasOwn(this.env, name) ? this.env[name] : undefined;
      if (value !== undefined) {
        (this.config.envRead ??= new Map()).set(name, value);
        return { type: "string", value, origin: at, fromVariable: key };
      }
      if (this.options.snippet) return unknownValue(`environment variable ${name}`, at);
      this.report(scope, "undefined-variable", `the environment variable ${name} is not set: lighttpd refuses to start ("Undefined env variable: ${name}")`, node.start, node.end);
      return unknownValue(`undefined environment variable ${name}`, at);
    }
    const found = this.lookup(this.current, asciiLower(key));
    if (found) {
      const copy = readVariable(found.value, key);
      this.weights.set(copy, this.weightOf(found.value) + 1);
      (this.config.reads ??= []).push({ key: written, file: scope.path, start: node.start, end: node.end, setting: found, sitesBefore: found.sites.length, value: copy });
      return copy;
    }
    if (this.options.snippet || this.gap) return unknownValue(this.gap ? `${key} may be set by a skipped include_shell` : `${key} is not set in this snippet`, at);
    this.report(scope, "undefined-variable", this.undefinedMessage(key, written), node.start, node.end);
    return unknownValue(`undefined ${key}`, at);
  }

  private undefinedMessage(key: string, written: string): string {
    const lower = asciiLower(key);
    const hint = written.includes(".") ? "" : ` (a name without a dot means ${key})`;
    const elsewhere = this.firstSetter.get(lower);
    let why = "";
    if (elsewhere)
      why = `; it is set inside block ${elsewhere.id} (${elsewhere.condition?.text ?? "else"}), and a variable set in a condition block is visible only inside that block`;
    else if (/^var\.-?[0-9]/.test(key) || /^var\.-/.test(key)) why = "; lighttpd has no negative numbers or arithmetic, so this is read as a variable name";
    return `${key}${hint} is not set before this point: lighttpd refuses the config ("Undefined config variable: ${key}")${why}`;
  }

  /** The one copy of `s` this evaluation keeps (see `words`). */
  private word(s: string): string {
    const kept = this.words.get(s);
    if (kept !== undefined) return kept;
    this.words.set(s, s);
    return s;
  }

  /** configparser_get_variable: this block, then each enclosing block up to the global scope. */
  private lookup(from: Context | undefined, lowerKey: string): Setting | undefined {
    for (let c = from; c; c = c.parent) {
      const s = c.settings.get(lowerKey);
      if (s) return s;
    }
    return undefined;
  }

  private array(scope: Scope, node: ArrayNode): Value {
    const items: ArrayItem[] = [];
    // This list's keys so far.
    const keys = new ListKeys(node.elements.length);
    // weightOf the list (sizeOk), summed as its items are made: a literal's from its string.
    let weight = 1;
    for (const element of node.elements) {
      if (isFoldedStringElement(element)) {
        // Nearly every element of a large config: its item reads its strings from it when asked
        // (FoldedItem); here only the key is read, for the duplicate check, and the value's length.
        const key = unmadeKeyString(element);
        const item = new FoldedItem(element, scope.path);
        if (key !== undefined && this.duplicateKey(scope, keys, key, item)) continue;
        items.push(item);
        weight += 2 + (key?.length ?? 0) + foldedValueLength(element);
        continue;
      }
      // A literal key (most are) is its string, read without making a node or value for it.
      let keyString = unmadeKeyString(element);
      let keyNode: ExpressionNode | undefined;
      if (keyString === undefined && element.key) {
        keyNode = element.key;
        keyString = singleStringLiteral(keyNode);
      }
      if (keyString !== undefined || keyNode) {
        const keyValue = keyString === undefined && keyNode ? this.expression(scope, keyNode) : undefined;
        const value = this.elementValue(scope, element);
        if (value === undefined) continue;
        const key = keyString ?? (keyValue && keyNode ? this.stringOperand(scope, keyValue, keyNode, "a list key") : undefined);
        if (key === undefined) continue;
        const item = new ListItem(key, value, element, scope.path);
        if (this.duplicateKey(scope, keys, key, item)) continue;
        items.push(item);
        weight += 1 + key.length + this.heldWeight(value);
      } else {
        const value = this.elementValue(scope, element);
        if (value === undefined) continue;
        items.push(new ListItem(undefined, value, element, scope.path));
        weight += 1 + this.heldWeight(value);
      }
    }
    const result: ArrayValue = { type: "array", items: fitted(items), origin: this.origin(scope, node) };
    if (!this.sizeOk(scope, result, weight, node)) return unknownValue("a value too large to evaluate", this.origin(scope, node));
    return result;
  }

  /**
   * Whether a list already has `key` (keys ignore letter case): lighttpd refuses the config
   * ("duplicate array-key"), reported at the new item's key. Else `item` is recorded under it.
   */
  private duplicateKey(scope: Scope, keys: ListKeys, key: string, item: ArrayItem): boolean {
    const existing = keys.addOrFind(key, item);
    if (!existing) return false;
    const element = item.element!;
    const related: RelatedLocation[] = existing.keyOrigin ? [{ message: `"${existing.key}" is first used here`, ...existing.keyOrigin }] : [];
    this.report(
      scope,
      "duplicate-array-key",
      `"${key}" is already a key of this list${existing.key !== key ? ` (as "${existing.key}"; keys ignore letter case)` : ""}: lighttpd refuses the config ("duplicate array-key")`,
      element.start,
      elementKeyEnd(element) ?? element.end,
      related,
    );
    return true;
  }

  /** weightOf an element's value as elementValue gives it (a literal string: without making its value). */
  private heldWeight(value: Value | string): number {
    return typeof value === "string" ? 1 + value.length : this.weightOf(value);
  }

  /**
   * An element's value; a single string literal's string as it is (see ListItem: its value object is
   * made when read), from a folded element without making its expression, else from its expression
   * (made or not: the editor's full parses have made ones).
   */
  private elementValue(scope: Scope, element: ArrayElementNode): Value | string | undefined {
    const folded = unmadeValueString(element);
    if (folded !== undefined) return folded;
    const value = element.value;
    return (value && singleStringLiteral(value)) ?? this.expression(scope, value);
  }

  /** configparser.y stringop: strings as they are, integers in decimal, anything else refused. */
  private stringOperand(scope: Scope, value: Value, node: ExpressionNode, what: string): string | undefined {
    if (value.type === "string") return value.value;
    if (value.type === "integer") return String(value.value);
    if (value.type === "array") this.report(scope, "type-mismatch", `${what} must be a string, not a list: lighttpd refuses it ("operand must be string")`, node.start, node.end);
    return undefined;
  }

  // ---------------------------------------------------------------------------------------------
  // Settings

  private predefine(key: string, value: Value): void {
    const setting: Setting = { key, value, sites: [], predefined: true };
    this.global.settings.set(asciiLower(key), setting);
    this.noteSetter(this.global, asciiLower(key));
    this.slot.set(setting, this.global.printOrder!.length);
    this.global.printOrder!.push(setting);
  }

  private addSetting(context: Context, key: string, value: Value, site: AssignmentSite): void {
    const setting: Setting = { key, value, sites: [site] };
    const lower = asciiLower(key);
    context.settings.set(lower, setting);
    this.noteSetter(context, lower);
    this.slot.set(setting, context.printOrder!.length);
    context.printOrder!.push(setting);
  }

  private noteSetter(context: Context, lowerKey: string): void {
    const known = this.firstSetter.get(lowerKey);
    if (!known || context.id < known.id) this.firstSetter.set(lowerKey, context);
  }

  /**
   * `+=` on a key of the same block: lighttpd takes the entry out (array.c:
   * array_extract_element_klen moves the last entry into its slot) and appends the merged value.
   */
  private moveLast(context: Context, setting: Setting): void {
    const order = context.printOrder!;
    const index = this.slot.get(setting) ?? order.indexOf(setting);
    const last = order.length - 1;
    if (index < 0 || index === last) return;
    const moved = order[last];
    order[index] = moved;
    this.slot.set(moved, index);
    order[last] = setting;
    this.slot.set(setting, last);
  }

  // ---------------------------------------------------------------------------------------------
  // Diagnostics

  private origin(scope: Scope, node: Span): Origin {
    return { file: scope.path, start: node.start, end: node.end };
  }

  private chainRelated(scope: Scope): RelatedLocation[] {
    const out: RelatedLocation[] = [];
    for (let i = scope.chain.length - 1; i >= 0; i--) {
      const o = scope.chain[i];
      out.push({ message: `included from ${this.describe(o.file, o.start)}`, file: o.file, start: o.start, end: o.end });
    }
    return out;
  }

  private report(
    scope: Scope,
    ruleId: EvalRuleId,
    message: string,
    start: number,
    end: number,
    related: RelatedLocation[] = [],
    suggestions?: Fix[],
    severity?: EvalFinding["severity"],
  ): void {
    const all = [...related, ...this.chainRelated(scope)];
    const d: EvalFinding = { ruleId, message, file: scope.path, start, end };
    if (severity) d.severity = severity;
    if (suggestions?.length) d.suggestions = suggestions;
    if (all.length) d.related = all;
    this.pushDiagnostic(d);
  }

  private pushDiagnostic(d: EvalFinding): void {
    this.config.diagnostics.push(d);
  }

  /** "file:line" for messages. */
  private describe(file: string, offset: number): string {
    const source = this.config.files.get(file);
    if (!source) return path.basename(file);
    return `${path.basename(file)}:${source.parse.source.position(offset).line}`;
  }
}

/** The largest value evaluated (weightOf): 16 Mi characters and elements, far beyond any real config. */
export const MAX_VALUE_WEIGHT = 16 * 1024 * 1024;

/** How many files deep includes are followed (src/eval: each level costs stack). */
export const MAX_INCLUDE_DEPTH = 100;

/**
 * A file's identity: device and inode from one stat() (realpath(3) readlink()s every component,
 * which through a symlink loop of 10k names costs seconds). Same identity = same file, as for cycles.
 */
export function fileIdentity(p: string): string {
  try {
    const st = fs.statSync(p);
    return `${st.dev}:${st.ino}`;
  } catch {
    return path.resolve(p);
  }
}
