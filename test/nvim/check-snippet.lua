-- Appended to a Neovim snippet of docs/editors.md by test/lsp-nvim-snippets.test.ts (which puts a
-- `lighttpd-lint` command on PATH, so the snippet runs exactly as written): opens LSP_TEST_FILE,
-- and writes what Neovim got (diagnostics, hover, completion start and items, formatting) as JSON.
local function check()
  local file = os.getenv("LSP_TEST_FILE")
  vim.cmd("edit " .. vim.fn.fnameescape(file))
  local bufnr = vim.api.nvim_get_current_buf()
  local result = { filetype = vim.bo.filetype, iskeyword = vim.bo.iskeyword }
  local got = vim.wait(15000, function() return #vim.diagnostic.get(bufnr) > 0 end, 50)
  result.timedOut = not got
  result.codes = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    local lsp = (d.user_data or {}).lsp or {}
    table.insert(result.codes, d.code or lsp.code)
  end
  -- Hover on the first key.
  local params = { textDocument = vim.lsp.util.make_text_document_params(bufnr), position = { line = 0, character = 3 } }
  for _, r in pairs(vim.lsp.buf_request_sync(bufnr, "textDocument/hover", params, 10000) or {}) do
    if r.result and r.result.contents then result.hover = r.result.contents.value end
  end
  -- Completion of a dotted key typed on a new last line, as Neovim 0.7's omnifunc does it: the word
  -- starts where `\k*$` matches (iskeyword decides), and items are filtered by that prefix.
  local last = vim.api.nvim_buf_line_count(bufnr)
  local typed = "server.docu"
  vim.api.nvim_buf_set_lines(bufnr, last, last, false, { typed })
  vim.api.nvim_win_set_cursor(0, { last + 1, #typed })
  result.omnifunc = vim.bo.omnifunc
  result.cword = vim.fn.expand("<cword>")
  local start = vim.fn.match(typed, "\\k*$")
  result.completeStart = start
  local cparams = { textDocument = vim.lsp.util.make_text_document_params(bufnr), position = { line = last, character = #typed } }
  result.items = {}
  for _, r in pairs(vim.lsp.buf_request_sync(bufnr, "textDocument/completion", cparams, 10000) or {}) do
    if r.result then
      local prefix = typed:sub(start + 1)
      local convert = vim.lsp.util.text_document_completion_list_to_complete_items
      if convert then
        for _, it in ipairs(convert(r.result, prefix)) do table.insert(result.items, it.word) end
      else -- newer Neovim: the same prefix filter by hand
        for _, it in ipairs(r.result.items or r.result) do
          if vim.startswith(it.label, prefix) then table.insert(result.items, it.label) end
        end
      end
    end
  end
  vim.api.nvim_buf_set_lines(bufnr, last, last + 1, false, {})
  -- Formatting through the snippet's own mapping.
  vim.cmd("normal \\f")
  result.formatted = table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), "\n")
  return result
end

vim.api.nvim_create_autocmd("VimEnter", {
  once = true,
  nested = true, -- the edit must fire BufRead and FileType
  callback = function()
    local ok, result = pcall(check)
    if not ok then result = { error = tostring(result) } end
    local f = assert(io.open(os.getenv("LSP_TEST_OUT"), "w"))
    f:write(vim.fn.json_encode(result))
    f:close()
    vim.cmd("qa!")
  end,
})
