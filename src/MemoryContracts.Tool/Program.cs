using MemoryContracts.Tool;

return MemoryCli.Run(args, Console.Out, Console.Error);
