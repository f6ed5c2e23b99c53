using MemoryContracts.Runtime;
using MemoryContracts.Runtime.Context;
using MemoryContracts.Runtime.Hosting;
using MemoryContracts.Runtime.Retrieval;
using MemoryContracts.Runtime.Toolbelt;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers MemoryContracts in a service container (ASP.NET Core, a worker, an Agent Framework host).</summary>
public static class MemoryContractsServiceCollectionExtensions
{
    /// <summary>
    /// Registers, as singletons the container disposes: the <see cref="MemoryWorkspace"/> of the configured engine (also
    /// as <see cref="IMemoryWorkspace"/>, the asynchronous surface a service takes), the
    /// <see cref="IPolicyGateway"/> (the label policy unless one is registered), the clock (<see cref="TimeProvider"/>,
    /// the system's unless one is registered), the <see cref="ContextRegistry"/>, and the <see cref="MemoryToolbelt"/>
    /// when <see cref="MemoryContractsOptions.MemoryRoot"/> is set. The host's <see cref="ILoggerFactory"/> is used when registered.
    /// </summary>
    public static IServiceCollection AddMemoryContracts(this IServiceCollection services, Action<MemoryContractsOptions> configure)
    {
        services.AddOptions<MemoryContractsOptions>().Configure(configure);
        return AddServices(services);
    }

    /// <summary>
    /// As <see cref="AddMemoryContracts(IServiceCollection, Action{MemoryContractsOptions})"/>, with the options bound
    /// from a configuration section (such as <c>configuration.GetSection("MemoryContracts")</c>) and then <paramref name="configure"/>.
    /// </summary>
    public static IServiceCollection AddMemoryContracts(this IServiceCollection services, IConfiguration section, Action<MemoryContractsOptions>? configure = null)
    {
        var options = services.AddOptions<MemoryContractsOptions>().Bind(section);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        return AddServices(services);
    }

    private static IServiceCollection AddServices(IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IPolicyGateway, LabelPolicy>();
        services.TryAddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<MemoryContractsOptions>>().Value;
            return options.Open(provider, new WorkspaceOptions
            {
                Clock = provider.GetRequiredService<TimeProvider>(),
                LockTimeout = options.LockTimeout,
                Policy = provider.GetRequiredService<IPolicyGateway>(),
                LoggerFactory = provider.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance,
            });
        });
        services.TryAddSingleton<IMemoryWorkspace>(provider => provider.GetRequiredService<MemoryWorkspace>());
        services.TryAddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<MemoryContractsOptions>>().Value;
            return new ContextRegistry(options.Registry, new ContextRegistryOptions { Clock = provider.GetRequiredService<TimeProvider>(), FixtureRoot = options.FixtureRoot });
        });
        services.TryAddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<MemoryContractsOptions>>().Value;
            return new MemoryToolbelt(
                options.MemoryRoot ?? throw new InvalidOperationException("the toolbelt needs a memory folder: set MemoryContractsOptions.MemoryRoot (MemoryContracts:MemoryRoot)"),
                provider.GetRequiredService<MemoryWorkspace>(),
                new ToolbeltOptions { AllowedPaths = options.AllowedPaths });
        });
        return services;
    }
}
