namespace MemoryContracts.Runtime.Postgres;

/// <summary>A <see cref="MemoryWorkspace"/> on PostgreSQL: the same operations as the local workspace, for one owner.</summary>
public static class PostgresWorkspace
{
    /// <summary>
    /// Opens a workspace on a migrated database (see <see cref="PostgresMigrations.Migrate"/>); disposing it closes the
    /// store. A server that cannot be reached, refused credentials or a database not migrated is MC5030.
    /// </summary>
    public static MemoryWorkspace Open(PostgresStoreOptions options, WorkspaceOptions? workspaceOptions = null)
    {
        var store = new PostgresMemoryStore(options);
        var workspace = new MemoryWorkspace(store, store, store, workspaceOptions, $"postgres:{options.Owner}", store);
        try
        {
            store.RequireMigrated();
            Telemetry.RuntimeLog.PostgresOpened(workspace.Kernel.Loggers.Postgres, options.Owner);

            // Other processes may be applying plans right now: only applies whose record is already logged are finished.
            if (workspaceOptions?.ReadOnly != true)
            {
                workspace.FinishInterruptedApplies(exclusive: false);
            }

            return workspace;
        }
        catch
        {
            workspace.Dispose();
            throw;
        }
    }
}
