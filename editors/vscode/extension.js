// The VS Code side of lighttpd-lint: starts `lighttpd-lint lsp --stdio` for lighttpd configs.
// Everything else (diagnostics, fixes, hover, completion, formatting, folding, semantic tokens)
// comes from the language server.
"use strict";
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

exports.activate = async (context) => {
  const command = vscode.workspace.getConfiguration("lighttpd-lint").get("path") || "lighttpd-lint";
  client = new LanguageClient(
    "lighttpd-lint",
    "lighttpd-lint",
    { command, args: ["lsp", "--stdio"] },
    {
      documentSelector: [{ language: "lighttpd" }],
      synchronize: { configurationSection: "lighttpd-lint" },
    },
  );
  context.subscriptions.push(client);
  await client.start();
};

exports.deactivate = () => (client ? client.stop() : undefined);
