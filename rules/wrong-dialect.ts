/**
 * wrong-dialect: a file (or a pasted block) written in another server's language: lighttpd2
 * (`setup { module_load ...; }`), nginx (`location @app { fastcgi_pass ...; }`), Apache httpd
 * (`<VirtualHost>`, `RewriteRule`) or shell commands. lighttpd 1.4 refuses it at the first
 * line, and a syntax checker reports a cascade of errors that say nothing about the cause. This rule
 * says what the language is, once per file; the engine then drops the file's other findings
 * (src/engine/lint.ts), which are that cascade.
 *
 * Only files lighttpd-lint could not parse are looked at: every line counted below is a syntax
 * error in lighttpd 1.4 (`;` is no token of its lexer, nor `<`, and a bare word is no value).
 */
import type { Rule } from "../src/engine/types.js";

export type Dialect = "lighttpd2" | "nginx" | "apache" | "shell";

interface Marker {
  dialect: Dialect;
  test: RegExp;
}

const NGINX_DIRECTIVES =
  "listen|root|index|server_name|fastcgi_pass|fastcgi_param|fastcgi_index|fastcgi_split_path_info|proxy_pass|proxy_set_header|uwsgi_pass|uwsgi_param|scgi_pass|try_files|return|rewrite|include|error_log|access_log|error_page|worker_processes|worker_connections|sendfile|keepalive_timeout|client_max_body_size|ssl_certificate|ssl_certificate_key|ssl_protocols|add_header|expires|alias|autoindex|gzip|user|pid|default_type|deny|allow|charset";

/** Line patterns (comments stripped, trimmed) that only another language writes. */
const MARKERS: Marker[] = [
  // lighttpd2: the setup block, module_load, its condition syntax, and `action "arg";` / `action;` lines.
  { dialect: "lighttpd2", test: /^(setup|instance)\s*\{$/ },
  { dialect: "lighttpd2", test: /^module_load\b/ },
  {
    dialect: "lighttpd2",
    test: /^if\s+!?(req|request|phys|physical|resp|response|env|vr|request\.header|response\.header)\.[\w.[\]"-]+\s*(==|!=|=~|!~|=\^|!\^|=\$|!\$|<|>|=\/|!\/)?/,
  },
  { dialect: "lighttpd2", test: /^(?!include(_shell)?\s)[a-z][\w]*(\.[a-z][\w]*)*\s+("[^"]*"|\[.*\]?|\(.*\)?)\s*.*;$/ },
  { dialect: "lighttpd2", test: /^(static|dirlist|status\.info|core\.\w+|docroot|index|[a-z]+\.[a-z_.]+)\s*;$/ },
  // nginx: its blocks, and `directive bare-args;` lines.
  { dialect: "nginx", test: /^(server|http|events|stream|mail|upstream\s+[\w.-]+|location\s+(=|~\*?|\^~)?\s*[^\s{]+|if\s*\(.*\))\s*\{$/ },
  { dialect: "nginx", test: new RegExp(`^(${NGINX_DIRECTIVES})(\\s+[^"\\s;{][^;]*)?;$`) },
  { dialect: "nginx", test: /^[a-z]+_[a-z_]+\s+[^"\s;=][^;=]*;$/ },
  // Apache httpd: <Section> tags and CamelCase directives.
  { dialect: "apache", test: /^<\/?(VirtualHost|Directory|DirectoryMatch|Location|LocationMatch|Files|FilesMatch|IfModule|IfDefine|Proxy|Limit|LimitExcept)\b[^>]*>$/i },
  {
    dialect: "apache",
    test: /^(RewriteRule|RewriteCond|RewriteEngine|RewriteBase|DocumentRoot|ServerName|ServerAlias|ServerAdmin|LoadModule|Listen|DirectoryIndex|AllowOverride|Require|Options|Order|Allow from|Deny from|ScriptAlias|ProxyPass|ProxyPassReverse|ErrorLog|CustomLog|AddHandler|SetHandler|FcgidWrapper|WSGIScriptAlias|WSGIDaemonProcess)\s+\S/,
  },
  // Shell: commands and control words.
  {
    dialect: "shell",
    test: /^(export\s+[A-Za-z_]\w*=|echo\s|printf\s|if\s+\[|then$|fi$|do$|done$|esac$|for\s+\w+\s+in\s|while\s+\[|case\s.+\sin$|cat\s+<<|exit\s+\d+$|set\s+-[a-z]+$|sudo\s|apt(-get)?\s+install\s|systemctl\s)/,
  },
];

const ADVICE: Record<Dialect, { name: string; advice: string }> = {
  lighttpd2: {
    name: 'lighttpd2 configuration (lighttpd 2.0\'s language: `setup { module_load ...; }`, actions ending in ";")',
    advice:
      'lighttpd2 is a different server with its own binary. For lighttpd 1.4 write it as `key = value` settings: e.g. `docroot "/var/www";` is `server.document-root = "/var/www"`, `module_load ["mod_fastcgi"];` is `server.modules += ( "mod_fastcgi" )`',
  },
  nginx: {
    name: 'nginx configuration (`server { }`, `location { }`, directives ending in ";")',
    advice:
      'Put it into nginx\'s configuration, or write the lighttpd 1.4 equivalent: `location /x { }` is `$HTTP["url"] =^ "/x" { }`, `fastcgi_pass unix:/run/app.sock;` is `fastcgi.server = ( "/" => (( "socket" => "/run/app.sock", "check-local" => "disable" )) )`',
  },
  apache: {
    name: "Apache httpd configuration (`<VirtualHost>`, `RewriteRule`, ...)",
    advice: 'Write the lighttpd 1.4 equivalent: `<VirtualHost>` is `$HTTP["host"] == "name" { }`, `RewriteRule` is `url.rewrite-once`, `DocumentRoot` is `server.document-root`',
  },
  shell: {
    name: "shell commands",
    advice: 'Run them in a shell; to build configuration with a script, let lighttpd read the script\'s output with `include_shell "/path/to/script.sh"`',
  },
};

export interface DialectGuess {
  dialect: Dialect;
  /** Offset and length of the first line written in that language. */
  start: number;
  end: number;
  lines: number;
}

/** The language the foreign lines of `text` are written in, or undefined when there are none. */
export function guessDialect(text: string): DialectGuess | undefined {
  const counts = new Map<Dialect, { n: number; start: number; end: number }>();
  let offset = 0;
  for (const raw of text.split("\n")) {
    const lineStart = offset;
    offset += raw.length + 1;
    const trimmed = raw.trim();
    if (trimmed === "" || trimmed.startsWith("#")) continue;
    // A trailing comment, when it does not sit inside a string.
    const line = trimmed.replace(/\s+#[^"]*$/, "").trim();
    for (const m of MARKERS) {
      if (!m.test.test(line)) continue;
      const c = counts.get(m.dialect);
      const at = lineStart + raw.indexOf(trimmed.charAt(0));
      if (c) c.n++;
      else counts.set(m.dialect, { n: 1, start: at, end: at + line.length });
      break;
    }
  }
  let best: DialectGuess | undefined;
  for (const [dialect, c] of counts) if (!best || c.n > best.lines) best = { dialect, start: c.start, end: c.end, lines: c.n };
  return best;
}

const rule: Rule = {
  meta: {
    id: "wrong-dialect",
    description: "A file written in lighttpd2, nginx, Apache or shell syntax instead of lighttpd 1.4's",
    severity: "error",
    fixable: false,
    effect: "refused",
  },
  check(context) {
    for (const [file, source] of context.config.files) {
      if (source.parse.problems.length === 0 && source.parse.strays.length === 0) continue;
      const guess = guessDialect(source.text);
      if (!guess) continue;
      const { name, advice } = ADVICE[guess.dialect];
      const many = guess.lines > 1 ? ` (${guess.lines} lines like it)` : "";
      const intro = guess.dialect === "shell" ? "these are" : "this is";
      context.report({
        message: `${intro} ${name}, not lighttpd 1.4 configuration${many}: lighttpd refuses the file with a syntax error. ${advice}`,
        file,
        start: guess.start,
        end: guess.end,
      });
    }
  },
};

export default rule;
