#!/usr/bin/env bash
# Runs the contract benchmark: dotnet memory against ajv-cli on synthetic 1k/10k/100k-node graphs.
# Usage: benchmarks/run.sh [runs]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-5}
command -v /usr/bin/time >/dev/null || apt-get install -y time
(cd "$root/benchmarks/peer" && npm ci --no-audit --no-fund >/dev/null)
dotnet publish "$root/src/MemoryContracts.Tool" -c Release -p:PublishAot=false -o "$root/artifacts/bench/jit" >/dev/null
dotnet publish "$root/src/MemoryContracts.Tool" -c Release -r linux-x64 --self-contained false -p:PublishAot=false -p:PublishReadyToRun=true -o "$root/artifacts/bench/r2r" >/dev/null
dotnet publish "$root/src/MemoryContracts.Tool" -c Release -r linux-x64 -o "$root/artifacts/bench/native" >/dev/null
echo "## start-up: one small fixture and the toolbelt's read calls (native, JIT, ajv-cli)"
dotnet run -c Release --project "$root/benchmarks/MemoryContracts.Benchmarks" -- "$root" --startup "$root/artifacts/bench/native/dotnet-memory" "$root/artifacts/bench/jit/dotnet-memory.dll" "$runs"
echo
echo "## dotnet memory as packed (JIT)"
dotnet run -c Release --project "$root/benchmarks/MemoryContracts.Benchmarks" -- "$root" "$root/artifacts/bench/jit/dotnet-memory.dll" "$runs"
echo
echo "## dotnet memory published ReadyToRun (linux-x64)"
dotnet run -c Release --project "$root/benchmarks/MemoryContracts.Benchmarks" -- "$root" "$root/artifacts/bench/r2r/dotnet-memory.dll" "$runs"
echo
echo "## dotnet memory native (Native AOT, linux-x64: what 'dotnet tool install' puts there)"
dotnet run -c Release --project "$root/benchmarks/MemoryContracts.Benchmarks" -- "$root" "$root/artifacts/bench/native/dotnet-memory" "$runs"
