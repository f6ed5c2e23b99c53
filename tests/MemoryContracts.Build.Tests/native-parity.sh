#!/usr/bin/env bash
# One scenario through every part of the command line, run once by the native tool and once by the framework-dependent
# one (CliInstallPageTests): what each prints, and each exit code, must be the same bytes. Run in a copy of examples/.
# $1: the command that starts dotnet-memory (a native executable, or 'dotnet path/to/dotnet-memory.dll').
# The folder and the clock differ between the two runs: they print as <folder> and <time>.
set -u
tool=$1
here=$PWD
# Event ids are random too: they print as tb-<id>.
normalize() { sed -e "s|$here|<folder>|g" -e 's/[0-9]\{4\}-[0-9][0-9]-[0-9][0-9]T[0-9:.]*Z/<time>/g' -e 's/tb-[0-9a-f]\{16\}/tb-<id>/g'; }
step() { echo "== $*"; $tool "$@" 2>&1 | normalize; echo "exit ${PIPESTATUS[0]}"; }

step --version
step validate examples/memory
step validate examples/memory/invalid-memory-graph.yaml --format json
step validate examples/memory/invalid-memory-profile.yaml --format sarif
step graph validate examples/memory/decision-graph.yaml --nowarn MC4003
step graph render examples/memory/decision-graph.yaml --format mermaid
step graph render examples/memory/decision-graph.yaml --format dot
step graph pack examples/memory/decision-graph-selection.yaml --format yaml
step blueprint plan examples/memory/memory-profile.local.yaml
step compile examples/memory --exclude 'examples/memory/invalid-*' --output out/context
step schemas export -o out/schemas
ls out/context out/schemas

step context pack examples/memory/workplan-context.manifest.yaml --format json
step context pack --graph examples/memory/decision-graph.yaml --id build-decisions --kind decision --text build
step context list --format json
step context explain build-decisions --format json
step context deactivate build-decisions --format json

step store init -w ws
step store import -w ws examples/memory/decision-graph.yaml examples/memory/memory-profile.local.yaml
step store nodes -w ws -g decision-graph --kind decision
step store edges -w ws -g decision-graph --target validate-in-build
step store export -w ws -g decision-graph -o out/decision-graph.json
step store replay -w ws -g decision-graph --until-event recorded-build-validation

mkdir -p memory/notes
step fs write --root memory -w ws --request <(printf '%s' '{"path":"notes/build.md","content":"# Build\n\n## Rules <!-- anchor: rules v1 -->\n\n- plans need a person\n","rationale":"parity"}')
step md list_sections --root memory -w ws --request <(printf '%s' '{"path":"notes/build.md"}')
step md curate_list --root memory -w ws --request <(printf '%s' '{"path":"notes/build.md","anchor":"rules v1","add":["builds are checked"],"rationale":"parity"}')
step fs read --root memory -w ws --request <(printf '%s' '{"path":"notes/build.md"}')
step fs read --root memory -w ws --request <(printf '%s' '{"path":"../outside.md"}')
step fs write --root memory -w ws --request <(printf '%s' 'not json')
step md drift --root memory -w ws

step store nonsense

printf '%s\n' \
  '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"parity","version":"1"}}}' \
  '{"jsonrpc":"2.0","method":"notifications/initialized"}' \
  '{"jsonrpc":"2.0","id":2,"method":"tools/list"}' \
  '{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"fs_read","arguments":{"path":"notes/build.md"}}}' \
  '{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"context_list","arguments":{}}}' \
  > mcp-in.jsonl
echo "== mcp"
# Standard input stays open until the four answers are in (the server ends when it closes); they may come in any order.
(cat mcp-in.jsonl; for _ in $(seq 600); do [ "$(grep -c '"id":' mcp-out.jsonl 2>/dev/null)" -ge 4 ] && break; sleep 0.1; done) | $tool mcp --root memory --workspace ws > mcp-out.jsonl 2> mcp-err.txt
echo "exit $?"
normalize < mcp-out.jsonl | sort
normalize < mcp-err.txt
