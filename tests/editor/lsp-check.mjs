// Drives yaml-language-server over LSP (stdio) as an editor does: opens one YAML file, waits for its diagnostics,
// asks for completions at a line and column (0-based), and prints {"diagnostics": [...], "completions": [...]} as JSON.
// Usage: node lsp-check.mjs <file> <line> <character>
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { pathToFileURL, fileURLToPath } from "node:url";
import path from "node:path";

const [file, line, character] = [path.resolve(process.argv[2]), Number(process.argv[3]), Number(process.argv[4])];
const here = path.dirname(fileURLToPath(import.meta.url));
const server = spawn(process.execPath, [path.join(here, "node_modules", "yaml-language-server", "bin", "yaml-language-server"), "--stdio"], { stdio: ["pipe", "pipe", "inherit"] });
const uri = pathToFileURL(file).href;
const settings = { yaml: { validate: true, completion: true, hover: true, schemaStore: { enable: false }, schemas: {} } };
let nextId = 1;
const pending = new Map();
let buffer = Buffer.alloc(0);
let diagnostics = null;
let diagnosticsSeen = () => {};

function send(message) {
  const body = Buffer.from(JSON.stringify({ jsonrpc: "2.0", ...message }), "utf8");
  server.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
  server.stdin.write(body);
}

function request(method, params) {
  const id = nextId++;
  send({ id, method, params });
  return new Promise((resolve) => pending.set(id, resolve));
}

server.stdout.on("data", (chunk) => {
  buffer = Buffer.concat([buffer, chunk]);
  for (;;) {
    const end = buffer.indexOf("\r\n\r\n");
    if (end < 0) return;
    const length = Number(/Content-Length: (\d+)/i.exec(buffer.subarray(0, end).toString())[1]);
    if (buffer.length < end + 4 + length) return;
    const message = JSON.parse(buffer.subarray(end + 4, end + 4 + length).toString("utf8"));
    buffer = buffer.subarray(end + 4 + length);
    if (message.id !== undefined && message.method) {
      // A request from the server: the settings it asks for, or an acknowledgement.
      send({ id: message.id, result: message.method === "workspace/configuration" ? message.params.items.map(() => settings.yaml) : null });
    } else if (message.id !== undefined) {
      pending.get(message.id)?.(message.result);
    } else if (message.method === "textDocument/publishDiagnostics" && message.params.uri === uri) {
      diagnostics = message.params.diagnostics;
      diagnosticsSeen();
    }
  }
});

const timeout = setTimeout(() => { console.error("yaml-language-server did not answer in 60 s"); process.exit(2); }, 60000);
await request("initialize", {
  processId: process.pid,
  rootUri: pathToFileURL(path.dirname(file)).href,
  capabilities: { textDocument: { completion: { completionItem: { documentationFormat: ["plaintext", "markdown"] } }, publishDiagnostics: {} }, workspace: { configuration: true } },
});
send({ method: "initialized", params: {} });
send({ method: "workspace/didChangeConfiguration", params: { settings } });
const seen = new Promise((resolve) => { diagnosticsSeen = resolve; });
send({ method: "textDocument/didOpen", params: { textDocument: { uri, languageId: "yaml", version: 1, text: readFileSync(file, "utf8") } } });
await seen;
const completion = await request("textDocument/completion", { textDocument: { uri }, position: { line, character } });
const items = (Array.isArray(completion) ? completion : completion?.items ?? []).map((item) => ({
  label: item.label,
  documentation: typeof item.documentation === "string" ? item.documentation : item.documentation?.value ?? null,
}));
clearTimeout(timeout);
console.log(JSON.stringify({ diagnostics: diagnostics.map((d) => ({ line: d.range.start.line, character: d.range.start.character, message: d.message })), completions: items }));
server.kill();
process.exit(0);
