/** Generated lighttpd configs for the benchmarks. */

/** The shape of the reference benchmark: one vhost condition per 33-line block (lighttpd allows 4095). */
export function generateConfig(lines) {
  const header = [
    'server.modules = ("mod_access", "mod_rewrite", "mod_redirect", "mod_setenv")',
    'server.document-root = "/var/www/html"',
    "server.port = 8080",
    'index-file.names = ("index.html", "index.php")',
    'var.base = "/var/www"',
    "",
  ].join("\n");
  const block = (n) => {
    const rules = Array.from({ length: 23 }, (_, j) => `    "^/r${j}/([a-z0-9]+)/?$" => "/r${j}.php?site=${n}&id=$1",\n`).join("");
    return `$HTTP["host"] == "site${n}.example" {\n  server.document-root = var.base + "/site${n}"\n  server.name = "site${n}.example"  # trailing comment\n  url.rewrite-once = (\n${rules}    "^/static/(.*)$" => "/assets/${n}/$1",\n  )\n  setenv.add-response-header = ("X-Site" => "${n}")\n}\n`;
  };
  const per = block(0).split("\n").length - 1;
  const count = Math.max(1, Math.floor((lines - 5) / per));
  let text = header;
  for (let i = 0; i < count; i++) text += block(i);
  return text;
}

/**
 * A mass-vhost config with the guides' mistakes in every vhost (findings of several rules each, most
 * with a fix): the shape that once made rules and --fix quadratic. lighttpd 1.4 accepts it (warnings
 * only) up to 4,095 condition blocks, so `vhosts` stays below that.
 */
export function generateFindingsConfig(vhosts) {
  let text = 'server.modules = ("mod_access", "mod_fastcgi")\nserver.document-root = "/var/www/html"\nserver.port = 8080\n';
  for (let i = 0; i < vhosts; i++) {
    text +=
      `$HTTP["host"] == "app${i}.example" {\n` +
      `  server.document-root = "/var/www/app${i}"\n` +
      `  sever.tag = "app${i}"\n` +
      `  alias.url = ( "/media" => "/srv/app${i}/media/" )\n` +
      `  url.rewrite-once = ( "^(/static.*)$" => "$1", "^/(.*)$" => "/app.fcgi/$1" )\n` +
      `  fastcgi.server = ( "/app.fcgi" => (( "socket" => "/tmp/app${i}.sock", "check-local" => "enable", "max-procs" => 1 )) )\n` +
      `}\n`;
  }
  return text;
}
