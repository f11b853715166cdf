-- End-to-end check with a real editor: Neovim's built-in LSP client runs `lighttpd-lint lsp --stdio`
-- on a config, and this script writes what Neovim ends up with (diagnostics, one hover) as JSON.
--
--   LIGHTTPD_LINT_CMD   JSON array: the server command, e.g. ["node", "bin/lighttpd-lint.js", "lsp", "--stdio"]
--   LSP_TEST_FILE       the config to open
--   LSP_TEST_OUT        where to write the JSON result
--   LSP_TEST_HOVER      optional "line,character" (0-based) to hover at
-- Works with Neovim 0.7 (Debian 12) and later: start_client + buf_attach_client, no vim.lsp.start.

local out_path = os.getenv("LSP_TEST_OUT")

local function write_result(result)
  local f = assert(io.open(out_path, "w"))
  f:write(vim.fn.json_encode(result))
  f:close()
end

local function run()
  local cmd = vim.fn.json_decode(os.getenv("LIGHTTPD_LINT_CMD"))
  local file = os.getenv("LSP_TEST_FILE")
  vim.cmd("edit " .. vim.fn.fnameescape(file))
  local bufnr = vim.api.nvim_get_current_buf()

  local client_id = vim.lsp.start_client({
    name = "lighttpd-lint",
    cmd = cmd,
    root_dir = vim.fn.fnamemodify(file, ":h"),
    settings = { ["lighttpd-lint"] = { lighttpdVersion = "1.4.69" } },
  })
  if not client_id then
    return { error = "the language server did not start" }
  end
  vim.lsp.buf_attach_client(bufnr, client_id)

  local got = vim.wait(15000, function() return #vim.diagnostic.get(bufnr) > 0 end, 50)
  local result = { diagnostics = {}, timedOut = not got }
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    local lsp = (d.user_data or {}).lsp or {}
    table.insert(result.diagnostics, {
      lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col,
      severity = d.severity, message = d.message, source = d.source,
      code = d.code or lsp.code,
    })
  end

  local hover_at = os.getenv("LSP_TEST_HOVER")
  if hover_at and hover_at ~= "" then
    local line, character = hover_at:match("(%d+),(%d+)")
    local params = { textDocument = vim.lsp.util.make_text_document_params(bufnr), position = { line = tonumber(line), character = tonumber(character) } }
    local responses = vim.lsp.buf_request_sync(bufnr, "textDocument/hover", params, 10000) or {}
    for _, r in pairs(responses) do
      if r.result and r.result.contents then result.hover = r.result.contents.value end
    end
  end

  vim.lsp.stop_client(client_id)
  return result
end

vim.api.nvim_create_autocmd("VimEnter", {
  once = true,
  callback = function()
    local ok, result = pcall(run)
    if not ok then result = { error = tostring(result) } end
    write_result(result)
    vim.cmd("qa!")
  end,
})
