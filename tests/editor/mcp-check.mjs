// Drives 'dotnet memory mcp' with the MCP TypeScript SDK's own client over stdio, as a Node agent host would, and
// prints what it saw as one JSON object for McpTypeScriptClientTests to check.
// Usage: node mcp-check.mjs <dotnet-memory.dll> <folder>
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";

const [tool, folder] = process.argv.slice(2);
const transport = new StdioClientTransport({
  command: "dotnet",
  args: [tool, "mcp", "--root", "memory", "--workspace", "ledger", "--allow", "notes"],
  cwd: folder,
  stderr: "inherit",
});
const client = new Client({ name: "ts-sdk-check", version: "1.0.0" });
await client.connect(transport);

const { tools } = await client.listTools();
const call = async (name, args) => {
  const result = await client.callTool({ name, arguments: args });
  return { isError: result.isError === true, text: result.content.map((block) => block.text).join("\n"), structured: result.structuredContent };
};

const written = await call("fs_write", { path: "notes/ts.md", content: "# From TypeScript\n\n- first\n", rationale: "typescript client" });
const read = await call("fs_read", { path: "notes/ts.md" });
const escape = await call("fs_read", { path: "../ledger/audit.jsonl" });
const outside = await call("fs_write", { path: "elsewhere/x.md", content: "x" });
const undeclared = await call("fs_list", { path: "notes", recursive: true });
let unknownTool;
try {
  await client.callTool({ name: "fs_delete", arguments: { path: "notes/ts.md" } });
} catch (error) {
  unknownTool = { code: error.code, message: error.message };
}

console.log(JSON.stringify({
  server: client.getServerVersion(),
  tools: tools.map((t) => ({ name: t.name, annotations: t.annotations, required: t.inputSchema.required ?? [] })),
  written, read, escape, outside, undeclared, unknownTool,
}));
await client.close();
