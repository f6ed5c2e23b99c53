using System.Text.Json.Nodes;
using MemoryContracts.Schemas;

// Runs a checkout of the official JSON-Schema-Test-Suite (json-schema-org/JSON-Schema-Test-Suite) through the public
// JsonSchemaFile API, as a user would: each schema and each instance is written to a file and checked. Prints one
// table row per part (right, wrong, refused) and, with --verbose, every case that is not right.
//   dotnet run -c Release --project benchmarks/MemoryContracts.Conformance -- <suite checkout> [--verbose]
if (args.Length == 0 || !Directory.Exists(Path.Combine(args[0], "tests", "draft7")))
{
    Console.Error.WriteLine("usage: MemoryContracts.Conformance <JSON-Schema-Test-Suite checkout> [--verbose]");
    return 2;
}

var draft7 = Path.Combine(args[0], "tests", "draft7");
var verbose = args.Contains("--verbose");
var work = Directory.CreateTempSubdirectory("mc-conformance-").FullName;
var parts = new (string Name, IEnumerable<string> Files)[]
{
    ("required (`tests/draft7/*.json`, without `refRemote.json`)", Directory.GetFiles(draft7, "*.json").Where(file => Path.GetFileName(file) != "refRemote.json")),
    ("optional formats (`optional/format/*.json`)", Directory.GetFiles(Path.Combine(draft7, "optional", "format"), "*.json")),
    ("other optional (`optional/*.json`)", Directory.GetFiles(Path.Combine(draft7, "optional"), "*.json")),
};

Console.WriteLine("| part | cases | right | wrong | refused |");
Console.WriteLine("|---|---|---|---|---|");
var groupNumber = 0;
foreach (var (name, files) in parts)
{
    int right = 0, wrong = 0, refused = 0;
    foreach (var file in files.Order(StringComparer.Ordinal))
    {
        foreach (var group in JsonNode.Parse(File.ReadAllText(file))!.AsArray())
        {
            var schemaPath = Path.Combine(work, $"group-{++groupNumber}.schema.json");
            File.WriteAllText(schemaPath, group!["schema"]!.ToJsonString());
            var loaded = JsonSchemaFile.Load(schemaPath);
            var tests = group["tests"]!.AsArray();
            if (loaded.Schema is null)
            {
                refused += tests.Count;
                Report($"refused {Path.GetFileName(file)} / {group["description"]}: {string.Join(" | ", loaded.Diagnostics.Select(diagnostic => diagnostic.Message))}");
                continue;
            }

            var caseNumber = 0;
            foreach (var test in tests)
            {
                var instancePath = Path.Combine(work, $"group-{groupNumber}-{++caseNumber}.json");
                File.WriteAllText(instancePath, test!["data"]?.ToJsonString() ?? "null");
                var diagnostics = loaded.Schema.Validate(instancePath);
                var valid = diagnostics.All(diagnostic => !diagnostic.IsError);
                if (valid == test["valid"]!.GetValue<bool>())
                {
                    right++;
                }
                else
                {
                    wrong++;
                    Report($"wrong {Path.GetFileName(file)} / {group["description"]} / {test["description"]}: {string.Join(" | ", diagnostics.Select(diagnostic => $"{diagnostic.Code} {diagnostic.Message}"))}");
                }
            }
        }
    }

    Console.WriteLine($"| {name} | {right + wrong + refused} | {right} | {wrong} | {refused} |");
}

Directory.Delete(work, recursive: true);
return 0;

void Report(string line)
{
    if (verbose)
    {
        Console.Error.WriteLine(line);
    }
}
