// Drives yaml-language-server over LSP (stdio) as an editor does: opens each YAML file, waits for its diagnostics,
// asks for completions at a line and column (0-based), and prints one {"file", "diagnostics": [...], "completions": [...]}
// per file as a JSON array, in argument order. One server answers every file.
// Usage: node lsp-check.mjs <file> <line> <character> [<file> <line> <character> ...]
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { pathToFileURL, fileURLToPath } from "node:url";
import path from "node:path";

const probes = [];
for (let index = 2; index + 2 < process.argv.length; index += 3) {
  probes.push({ file: path.resolve(process.argv[index]), line: Number(process.argv[index + 1]), character: Number(process.argv[index + 2]) });
}
if (probes.length === 0 || (process.argv.length - 2) % 3 !== 0) {
  console.error("usage: node lsp-check.mjs <file> <line> <character> [<file> <line> <character> ...]");
  process.exit(2);
}
const here = path.dirname(fileURLToPath(import.meta.url));
const server = spawn(process.execPath, [path.join(here, "node_modules", "yaml-language-server", "bin", "yaml-language-server"), "--stdio"], { stdio: ["pipe", "pipe", "inherit"] });
const settings = { yaml: { validate: true, completion: true, hover: true, schemaStore: { enable: false }, schemas: {} } };
let nextId = 1;
const pending = new Map();
let buffer = Buffer.alloc(0);
const diagnosticsByUri = new Map();
const diagnosticsSeen = new Map();

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
    } else if (message.method === "textDocument/publishDiagnostics") {
      diagnosticsByUri.set(message.params.uri, message.params.diagnostics);
      diagnosticsSeen.get(message.params.uri)?.();
    }
  }
});

const timeout = setTimeout(() => { console.error("yaml-language-server did not answer in 120 s"); process.exit(2); }, 120000);
await request("initialize", {
  processId: process.pid,
  rootUri: pathToFileURL(path.dirname(probes[0].file)).href,
  capabilities: { textDocument: { completion: { completionItem: { documentationFormat: ["plaintext", "markdown"] } }, publishDiagnostics: {} }, workspace: { configuration: true } },
});
send({ method: "initialized", params: {} });
send({ method: "workspace/didChangeConfiguration", params: { settings } });
const results = [];
for (const probe of probes) {
  const uri = pathToFileURL(probe.file).href;
  const seen = new Promise((resolve) => diagnosticsSeen.set(uri, resolve));
  send({ method: "textDocument/didOpen", params: { textDocument: { uri, languageId: "yaml", version: 1, text: readFileSync(probe.file, "utf8") } } });
  await seen;
  const completion = await request("textDocument/completion", { textDocument: { uri }, position: { line: probe.line, character: probe.character } });
  const items = (Array.isArray(completion) ? completion : completion?.items ?? []).map((item) => ({
    label: item.label,
    documentation: typeof item.documentation === "string" ? item.documentation : item.documentation?.value ?? null,
  }));
  const diagnostics = diagnosticsByUri.get(uri).map((d) => ({ line: d.range.start.line, character: d.range.start.character, message: d.message }));
  results.push({ file: probe.file, diagnostics, completions: items });
  send({ method: "textDocument/didClose", params: { textDocument: { uri } } });
}
clearTimeout(timeout);
console.log(JSON.stringify(results));
server.kill();
process.exit(0);
