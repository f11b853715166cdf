/** fast-check generators of lighttpd config text: valid shapes, and damaged versions of them. */
import fc from "fast-check";

const name = fc.stringMatching(/^[a-z][a-z0-9_-]{0,6}$/);
const key = fc.oneof(
  name.map((n) => `var.${n}`),
  name,
  fc.constantFrom("server.tag", "server.document-root", "index-file.names", "setenv.add-request-header"),
);
const stringLit = fc.stringMatching(/^[a-zA-Z0-9 /._#$^()*+?-]{0,12}$/).map((s) => `"${s}"`);
const intLit = fc.integer({ min: 0, max: 99999 }).map(String);
const blank = fc.constantFrom(" ", "  ", "\t", " \t ");
const maybeBlank = fc.constantFrom("", " ", "\t");
const newline = fc.constantFrom("\n", "\r\n", "\n\n", "\n  # comment\n");

const value: fc.Memo<string> = fc.memo((depth) => {
  const leaves = [stringLit, intLit, key];
  if (depth <= 1) return fc.oneof(...leaves);
  const element = fc.oneof(
    value(depth - 1),
    fc.tuple(stringLit, value(depth - 1)).map(([k, v]) => `${k} => ${v}`),
  );
  const array = fc
    .tuple(fc.array(element, { maxLength: 4 }), fc.boolean(), fc.constantFrom(", ", ",\n  ", " ,"))
    .map(([els, trailing, sep]) => `(${els.join(sep)}${trailing && els.length ? "," : ""})`);
  return fc.oneof(...leaves, array);
});

const expression = fc.array(value(3), { minLength: 1, maxLength: 3 }).map((vs) => vs.join(" + "));

const assignment = fc.tuple(key, fc.constantFrom("=", "+=", ":="), expression, maybeBlank, fc.constantFrom("", " # note")).map(([k, op, v, b, c]) => `${k}${b}${op} ${v}${c}`);

const field = fc.constantFrom('$HTTP["host"]', '$HTTP["url"]', '$SERVER["socket"]', '$REQUEST_HEADER["X-Test"]', '$HTTP["remoteip"]');
const operator = fc.constantFrom("==", "!=", "=~", "!~", "=^", "=$");

const statements: fc.Memo<string> = fc.memo((depth) => {
  const simple = fc.oneof(assignment, fc.constant("# just a comment"), fc.constant(""));
  if (depth <= 1) return fc.array(simple, { maxLength: 4 }).map((l) => l.join("\n"));
  const condition = fc
    .tuple(field, operator, stringLit, statements(depth - 1), fc.array(fc.tuple(fc.option(fc.tuple(field, operator, stringLit)), statements(depth - 1)), { maxLength: 2 }))
    .map(([f, op, v, body, elses]) => {
      let s = `${f} ${op} ${v} {\n${body}\n}`;
      for (const [cond, b] of elses) s += cond ? ` else ${cond[0]} ${cond[1]} ${cond[2]} {\n${b}\n}` : ` else {\n${b}\n}`;
      return s;
    });
  return fc
    .array(
      fc.oneof(
        simple,
        condition,
        statements(depth - 1).map((b) => `global {\n${b}\n}`),
      ),
      { maxLength: 4 },
    )
    .map((l) => l.join("\n"));
});

/** Text that is (mostly) valid lighttpd config, with varied white space, comments and line ends. */
export function configText(): fc.Arbitrary<string> {
  return fc.tuple(statements(3), newline, blank).map(([s, nl, b]) => s.replace(/\n/g, nl).replace(/ = /g, `${b}=${b}`) + nl);
}

/** A valid config with random damage: deletions, insertions of random or syntax characters. */
export function damagedConfigText(): fc.Arbitrary<string> {
  const edit = fc.tuple(
    fc.nat(),
    fc.nat({ max: 6 }),
    fc.oneof(fc.constantFrom("", "(", ")", "{", "}", '"', "=>", "->", ",", "$", "\0", "\ufeff", ";", "'", "+", "\r"), fc.string({ maxLength: 3 })),
  );
  return fc.tuple(configText(), fc.array(edit, { minLength: 1, maxLength: 5 })).map(([text, edits]) => {
    let t = text;
    for (const [at, del, ins] of edits) {
      const p = t.length ? at % t.length : 0;
      t = t.slice(0, p) + ins + t.slice(p + del);
    }
    return t;
  });
}
